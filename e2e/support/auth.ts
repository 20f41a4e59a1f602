// Sign-up as a person does it, for the e2e journeys: through the gateway's Auth (`/auth/v1/signup`, as supabase-js
// would; the app has no sign-up page), then the address is confirmed.
// STAND-IN (INVITES helper, issue 10 security round): this version confirms by writing auth.users.email_confirmed_at
// through the database. The AUTH helper's version (same path, same signature) confirms through the local mailbox's
// link instead; the lead keeps that one at merge.
import { stack, withDb } from './stack';

/** Signs `email` up with `password` (and `name` as full_name), then confirms the address. Throws on any failure. */
export async function signUpAndConfirm(email: string, password: string, name?: string): Promise<void> {
  const anonKey = process.env.SUPABASE_ANON_KEY;
  if (!anonKey) throw new Error('SUPABASE_ANON_KEY is not set: run through `npm test -- e2e`.');
  const res = await fetch(`${stack.gatewayUrl}/auth/v1/signup`, {
    method: 'POST',
    headers: { apikey: anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, data: name ? { full_name: name } : {} }),
  });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const confirmed = await withDb((sql) => sql`
    update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now())
     where lower(email) = lower(${email}) returning id`);
  if (confirmed.length !== 1) throw new Error(`sign-up of ${email}: no account to confirm`);
}
