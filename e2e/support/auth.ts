// Accounts for end-to-end tests, made as the app's sign-up page makes them: sign up through the gateway's Auth (as
// supabase-js does), then open the confirmation link from the local mailbox ("Confirm email" is on, as on hosted
// Supabase; docs/local-development.md). confirm-email.e2e.ts walks the page itself.
import { stack } from './stack';

interface MailboxMessage {
  to: string;
  subject: string;
  sent_at: string;
  links: { confirmation?: string };
}

function anonKey(): string {
  const key = process.env.SUPABASE_ANON_KEY;
  if (!key) throw new Error('SUPABASE_ANON_KEY is not set: run the end-to-end tests through `npm test -- e2e`.');
  return key;
}

/** The messages the local stack "sent" to an address, newest first (GET /_dev/mailbox?email=). */
export async function mailbox(email: string): Promise<MailboxMessage[]> {
  const response = await fetch(`${stack.gatewayUrl}/_dev/mailbox?email=${encodeURIComponent(email)}`);
  if (!response.ok) throw new Error(`mailbox: HTTP ${response.status}`);
  return ((await response.json()) as { messages: MailboxMessage[] }).messages;
}

/**
 * Signs up `email` with `password` (and `full_name` when given) through `/auth/v1/signup`, then confirms the address
 * by opening the newest confirmation link in the local mailbox. Resolves once the address is confirmed; throws when
 * sign-up is refused, no link arrived, or the link was refused (GoTrue answers a 303 with `error_code` in the fragment).
 */
export async function signUpAndConfirm(email: string, password: string, name?: string): Promise<void> {
  const signup = await fetch(`${stack.gatewayUrl}/auth/v1/signup`, {
    method: 'POST',
    headers: { apikey: anonKey(), 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, data: name === undefined ? {} : { full_name: name } }),
  });
  if (signup.status !== 200) throw new Error(`sign-up of ${email}: HTTP ${signup.status} ${await signup.text()}`);
  await signup.body?.cancel();

  const link = (await mailbox(email))[0]?.links.confirmation;
  if (!link) throw new Error(`no confirmation link for ${email} in the local mailbox`);
  const opened = await fetch(link, { redirect: 'manual' });
  await opened.body?.cancel();
  const landing = opened.headers.get('location') ?? '';
  const fragment = new URLSearchParams(landing.split('#')[1] ?? '');
  if (opened.status !== 303 || fragment.has('error_code') || !fragment.has('access_token')) {
    throw new Error(`confirming ${email} failed: HTTP ${opened.status}, ${fragment.get('error_code') ?? 'no session'}`);
  }
}
