// E-mail confirmation as GoTrue does it with "Confirm email" on (internal/api/signup.go, verify.go): sign-up stores a
// one-time token and mails a link `${SUPABASE_URL}/auth/v1/verify?token=…&type=signup&redirect_to=…`; opening it
// confirms the address once. Unlike GoTrue (which stores the link token itself) only a SHA-256 of the token is stored.
import type postgres from "postgres";
import { encodeBase64Url } from "./base64url.ts";

type Sql = postgres.Sql | postgres.TransactionSql;

/** A fresh link token: 32 random bytes, base64url (43 characters). */
export function newConfirmationToken(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** What auth.users.confirmation_token holds for a link token: its SHA-256, hex. */
export async function confirmationTokenHash(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Confirms the unconfirmed user holding this token, if the link is younger than `expirySeconds`, and spends the token
 * (single use: one atomic `update … returning`). Returns the user's id, or null for an unknown, used or expired token.
 * Run it inside the caller's transaction. Confirming fires the database's triggers on email_confirmed_at, as GoTrue's
 * `user.Confirm` does.
 */
export async function confirmByToken(tx: Sql, token: string, expirySeconds: number): Promise<string | null> {
  if (!token) return null;
  const hash = await confirmationTokenHash(token);
  const [user] = await tx<{ id: string }[]>`
    update auth.users
    set email_confirmed_at = now(), confirmation_token = '', updated_at = now()
    where confirmation_token = ${hash}
      and email_confirmed_at is null
      and confirmation_sent_at > now() - ${expirySeconds} * interval '1 second'
    returning id`;
  if (!user) return null;
  await tx`
    update auth.identities
    set identity_data = identity_data || '{"email_verified": true}'::jsonb, updated_at = now()
    where user_id = ${user.id} and provider = 'email'`;
  return user.id;
}

/**
 * GoTrue's redirect rule, simplified: `redirect_to` is used when its origin is the site URL's or an allowed one's
 * (GoTrue also matches globs in additional_redirect_urls); anything else, or nothing, lands on the site URL.
 */
export function redirectPicker(siteUrl: string, allowed: string[]): (requested: string | null) => string {
  const origins = new Set([siteUrl, ...allowed].map(originOf).filter((o): o is string => o !== null));
  return (requested) => {
    const origin = requested ? originOf(requested) : null;
    return origin && origins.has(origin) ? requested! : siteUrl;
  };
}

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return /^https?:$/.test(parsed.protocol) ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** `target#key=value&…`: how GoTrue's GET /verify hands over a session or an error (implicit flow). */
export function withFragment(target: string, params: Record<string, string>): string {
  const url = new URL(target);
  url.hash = new URLSearchParams(params).toString();
  return url.href;
}
