// Text a provider sends that we store and show (destination labels, the connected account, scopes) is untrusted
// input: ONE rule cleans it all, so a NUL (PostgreSQL refuses it) never fails a connection and a 2 MB name never
// bloats every integrations list. Pure.
import { unstorableText } from "../http.ts";
import type { AccountIdentity } from "./types.ts";

/** The longest provider text we keep (characters, after trimming). */
export const MAX_PROVIDER_TEXT = 200;

/** At most this many scopes are kept; a scope is a short token of this charset (RFC 6749 §3.3 NQCHAR, narrowed). */
export const MAX_SCOPES = 50;
const SCOPE = /^[A-Za-z0-9._:/+-]{1,200}$/;

/** A string that is storable and at most MAX_PROVIDER_TEXT characters once trimmed; else null (never a throw). */
export function providerText(value: unknown): string | null {
  if (typeof value !== "string" || value.length > MAX_PROVIDER_TEXT * 4) return null;
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > MAX_PROVIDER_TEXT || unstorableText(trimmed)) return null;
  return trimmed;
}

/** The connected account with each field cleaned (providerText). */
export function cleanIdentity(account: AccountIdentity): AccountIdentity {
  return { id: providerText(account.id), name: providerText(account.name), email: providerText(account.email) };
}

/**
 * The granted scopes from a token response's `scope` (space- or comma-separated), each cleaned and of the scope
 * charset, unique, at most MAX_SCOPES; anything else is dropped. `fallback` when the provider sent none (RFC 6749
 * §5.1: the requested scopes were granted).
 */
export function grantedScopes(scope: string | null, fallback: readonly string[]): string[] {
  if (scope === null) return [...fallback];
  const kept = new Set<string>();
  for (const part of scope.split(/[\s,]+/)) {
    const clean = providerText(part);
    if (clean && SCOPE.test(clean)) kept.add(clean);
    if (kept.size === MAX_SCOPES) break;
  }
  return [...kept];
}
