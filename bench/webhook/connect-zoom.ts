// Bench fixture for bench/webhook's Zoom round (Deno, run once per bench): a fresh team owned by the seeded admin,
// leads for the Fathom sandbox's generated contacts (the attendees the round's recordings carry), and a CONNECTED
// Zoom integration for the Zoom sandbox's first user (Avery, account "Acme Sales"), holding real sandbox tokens
// (consent form + token endpoint with client_secret_basic, as zoom-oauth-callback would get them), stored encrypted
// with the product's own crypto and the account the callback keeps (account_id = Zoom's account, account_email = the
// connected user: zoom-webhook routes on both). The approach of supabase/functions/tests/zoom_support.ts.
// Prints one JSON line: { teamId, integrationId, hostId, hostEmail, accountId, leadEmails }.
//
// Environment: the functions' environment (SUPABASE_DB_URL, TOKEN_ENCRYPTION_KEY, ZOOM_CLIENT_ID,
// ZOOM_CLIENT_SECRET, ZOOM_AUTHORIZE_URL, ZOOM_TOKEN_URL).
import postgres from "postgres";
import { encryptSecret, integrationAad } from "../../supabase/functions/_shared/crypto.ts";

const { GENERATED_CONTACTS } = await import(new URL("../../dev/fathom-sandbox/demo-data.ts", import.meta.url).href);
const { USERS } = await import(new URL("../../dev/zoom-sandbox/account.ts", import.meta.url).href);

const ADMIN = "11111111-1111-4111-8111-111111111111"; // demo-admin@example.com (supabase/seed.sql)
const env = (name: string): string => {
  const value = Deno.env.get(name);
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const host = USERS[0] as { id: string; account_id: string; email: string; first_name: string };
const clientId = env("ZOOM_CLIENT_ID");
const clientSecret = env("ZOOM_CLIENT_SECRET");
const redirectUri = "http://127.0.0.1:9/callback";
/** What the connect flow asks for (zoom_support.ts), when the token answer names none. */
const ZOOM_SCOPES = ["user:read:user", "cloud_recording:read:list_user_recordings", "meeting:read:list_past_participants"];

async function sandboxTokens(): Promise<{ access_token: string; refresh_token: string; expires_in: number; scope: string }> {
  const consent = await fetch(env("ZOOM_AUTHORIZE_URL"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: clientId, response_type: "code", redirect_uri: redirectUri, user_id: host.id, decision: "allow" }),
    redirect: "manual",
  });
  await consent.body?.cancel();
  const location = consent.headers.get("location");
  const code = location ? new URL(location).searchParams.get("code") : null;
  if (consent.status !== 302 || !code) throw new Error(`Zoom sandbox consent failed (${consent.status})`);
  const token = await fetch(env("ZOOM_TOKEN_URL"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}` },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri }),
  });
  if (token.status !== 200) throw new Error(`Zoom sandbox token exchange failed (${token.status})`);
  return await token.json();
}

const sql = postgres(env("SUPABASE_DB_URL"), { max: 1, prepare: false, onnotice: () => {} });
try {
  const tokens = await sandboxTokens();
  const teamId = crypto.randomUUID();
  const leadEmails: string[] = [];
  const aad = (purpose: Parameters<typeof integrationAad>[2]) => integrationAad(teamId, "zoom", purpose);
  const integrationId = await sql.begin(async (tx) => {
    await tx`insert into public.teams (id, name) values (${teamId}, ${"Bench Zoom " + teamId.slice(0, 8)})`;
    await tx`insert into public.team_members (team_id, user_id, role) values (${teamId}, ${ADMIN}, 'owner')`;
    await tx`update public.team_settings set create_leads_from_unknown_attendees = false where team_id = ${teamId}`;
    for (const contact of GENERATED_CONTACTS as { name: string | null; email: string }[]) {
      if (!contact.name) continue; // "someone@newco.example" stays unknown: not every attendee is a lead
      const [lead] = await tx`insert into public.leads (team_id, name, source) values (${teamId}, ${contact.name}, 'manual')
                              returning id`;
      await tx`insert into public.lead_emails (lead_id, team_id, email) values (${lead.id}, ${teamId}, ${contact.email})`;
      leadEmails.push(contact.email.toLowerCase());
    }
    const [row] = await tx`
      insert into public.team_integrations (team_id, provider, status, account_id, account_name, account_email, scopes,
        access_token_encrypted, refresh_token_encrypted, token_expires_at, connected_by, connected_at)
      values (${teamId}, 'zoom', 'connected', ${host.account_id}, ${host.first_name}, ${host.email},
        ${tokens.scope ? tokens.scope.split(/\s+/).filter(Boolean) : ZOOM_SCOPES},
        ${await encryptSecret(tokens.access_token, aad("access_token"))},
        ${await encryptSecret(tokens.refresh_token, aad("refresh_token"))},
        now() + make_interval(secs => ${tokens.expires_in}), ${ADMIN}, now())
      returning id`;
    return row.id as string;
  });
  console.log(JSON.stringify({ teamId, integrationId, hostId: host.id, hostEmail: host.email, accountId: host.account_id, leadEmails }));
} finally {
  await sql.end({ timeout: 5 });
}
