// Bench fixture for bench/webhook's Typeform round (Deno, run once per bench): a fresh team owned by the seeded
// admin, leads for the Fathom sandbox's generated contacts (some responses come from people who are leads already),
// a CONNECTED Typeform integration holding real sandbox tokens (consent form + token endpoint with
// client_secret_post, as typeform-oauth-callback would get them) and one ENABLED form with its field mapping, its
// webhook route and secret as switching it on stores them (_shared/typeform/route.ts newRoute: only the route's hash
// and the encrypted secret are stored). The approach of supabase/functions/tests/typeform_support.ts.
// Prints one JSON line: { teamId, integrationId, formId, formRowId, routeId, secret, fields, leadEmails }.
//
// Environment: the functions' environment (SUPABASE_DB_URL, TOKEN_ENCRYPTION_KEY, TYPEFORM_CLIENT_ID,
// TYPEFORM_CLIENT_SECRET, TYPEFORM_AUTHORIZE_URL, TYPEFORM_TOKEN_URL).
import postgres from "postgres";
import { encryptSecret, integrationAad } from "../../supabase/functions/_shared/crypto.ts";
import { newRoute } from "../../supabase/functions/_shared/typeform/route.ts";

const { GENERATED_CONTACTS } = await import(new URL("../../dev/fathom-sandbox/demo-data.ts", import.meta.url).href);

const ADMIN = "11111111-1111-4111-8111-111111111111"; // demo-admin@example.com (supabase/seed.sql)
const SCOPES = "offline accounts:read forms:read webhooks:read webhooks:write responses:read";
const FORM_ID = "bEnCh0rm";
/** A contact form as Typeform defines it (ids are Typeform's field ids; the mapping the dialog would guess). */
const FIELDS = [
  { id: "Fe1mAiL0bnch", ref: "email", title: "What's your work email?", type: "email" },
  { id: "Fn4mE0bnchxx", ref: "name", title: "What's your name?", type: "short_text" },
  { id: "FcOmP0bnchxx", ref: "company", title: "Company", type: "short_text" },
  { id: "FsEaTs0bnchx", ref: "seats", title: "How many seats do you need?", type: "number" },
  { id: "FhElP0bnchxx", ref: "message", title: "How can we help?", type: "long_text" },
];
const MAPPING = { email: FIELDS[0].id, name: FIELDS[1].id, company: FIELDS[2].id, notes: FIELDS[4].id };

const env = (name: string): string => {
  const value = Deno.env.get(name);
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const clientId = env("TYPEFORM_CLIENT_ID");
const clientSecret = env("TYPEFORM_CLIENT_SECRET");
const redirectUri = "http://127.0.0.1:9/callback";

async function sandboxTokens(): Promise<{ access_token: string; refresh_token: string; expires_in: number }> {
  const consent = await fetch(env("TYPEFORM_AUTHORIZE_URL"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: "code", scope: SCOPES, state: "bench", decision: "allow" }),
    redirect: "manual",
  });
  await consent.body?.cancel();
  const location = consent.headers.get("location");
  const code = location ? new URL(location).searchParams.get("code") : null;
  if (consent.status !== 302 || !code) throw new Error(`Typeform sandbox consent failed (${consent.status})`);
  const token = await fetch(env("TYPEFORM_TOKEN_URL"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: clientId, client_secret: clientSecret }),
  });
  if (token.status !== 200) throw new Error(`Typeform sandbox token exchange failed (${token.status})`);
  return await token.json();
}

const sql = postgres(env("SUPABASE_DB_URL"), { max: 1, prepare: false, onnotice: () => {} });
try {
  const tokens = await sandboxTokens();
  const teamId = crypto.randomUUID();
  const formRowId = crypto.randomUUID();
  const route = await newRoute(teamId, formRowId);
  const leadEmails: string[] = [];
  const aad = (purpose: Parameters<typeof integrationAad>[2]) => integrationAad(teamId, "typeform", purpose);
  const integrationId = await sql.begin(async (tx) => {
    await tx`insert into public.teams (id, name) values (${teamId}, ${"Bench Typeform " + teamId.slice(0, 8)})`;
    await tx`insert into public.team_members (team_id, user_id, role) values (${teamId}, ${ADMIN}, 'owner')`;
    for (const contact of GENERATED_CONTACTS as { name: string | null; email: string }[]) {
      if (!contact.name) continue;
      const [lead] = await tx`insert into public.leads (team_id, name, source) values (${teamId}, ${contact.name}, 'manual')
                              returning id`;
      await tx`insert into public.lead_emails (lead_id, team_id, email) values (${lead.id}, ${teamId}, ${contact.email})`;
      leadEmails.push(contact.email.toLowerCase());
    }
    const [row] = await tx`
      insert into public.team_integrations (team_id, provider, status, account_name, scopes, access_token_encrypted,
        refresh_token_encrypted, token_expires_at, connected_by, connected_at)
      values (${teamId}, 'typeform', 'connected', 'Sandy', ${SCOPES.split(" ")},
        ${await encryptSecret(tokens.access_token, aad("access_token"))},
        ${tokens.refresh_token ? await encryptSecret(tokens.refresh_token, aad("refresh_token")) : null},
        now() + make_interval(secs => ${tokens.expires_in ?? 604800}), ${ADMIN}, now())
      returning id`;
    await tx`
      insert into public.typeform_forms (id, team_id, integration_id, form_id, title, enabled, mapping, webhook_tag,
                                         route_id_hash, webhook_secret_encrypted)
      values (${formRowId}, ${teamId}, ${row.id}, ${FORM_ID}, 'Talk to sales', true, ${tx.json(MAPPING)}, 'crm-bench',
              ${route.routeIdHash}, ${route.secretEncrypted})`;
    return row.id as string;
  });
  console.log(JSON.stringify({
    teamId, integrationId, formId: FORM_ID, formRowId, routeId: route.routeId, secret: route.secret, fields: FIELDS, leadEmails,
  }));
} finally {
  await sql.end({ timeout: 5 });
}
