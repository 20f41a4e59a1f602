// Bench fixture (Deno, run once per scenario by bench/import/bench.mjs and bench/webhook/bench.mjs): a fresh team
// owned by the seeded admin, leads for the sandbox's generated contacts, and a CONNECTED Fathom integration holding
// real sandbox tokens (consent form + token endpoint, as a browser and our OAuth callback would produce them),
// stored encrypted with the product's own crypto, plus a webhook route with a known signing secret (the approach of
// supabase/functions/tests/fathom_support.ts). Prints one JSON line: { teamId, integrationId, routeId, secret,
// leadEmails }.
//
// Environment: the functions' environment (SUPABASE_DB_URL, TOKEN_ENCRYPTION_KEY, FATHOM_CLIENT_ID,
// FATHOM_CLIENT_SECRET, FATHOM_AUTHORIZE_URL, FATHOM_TOKEN_URL), plus
//   BENCH_FATHOM_USER      the sandbox user who authorizes (default sandy@sandbox.fathom.test)
//   BENCH_WEBHOOK_SECRET   the whsec_ secret to install (default: a fresh random one)
//   BENCH_LEADS            "all" (default): a lead per generated contact; "none": no leads
import postgres from "postgres";
import { encryptSecret, integrationAad } from "../../supabase/functions/_shared/crypto.ts";

const { GENERATED_CONTACTS } = await import(new URL("../../dev/fathom-sandbox/demo-data.ts", import.meta.url).href);

const ADMIN = "11111111-1111-4111-8111-111111111111"; // demo-admin@example.com (supabase/seed.sql)
const env = (name: string, fallback?: string): string => {
  const value = Deno.env.get(name) ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const userEmail = env("BENCH_FATHOM_USER", "sandy@sandbox.fathom.test");
const clientId = env("FATHOM_CLIENT_ID");
const clientSecret = env("FATHOM_CLIENT_SECRET");
const redirectUri = "http://127.0.0.1:9/callback";

async function sandboxTokens(): Promise<{ access_token: string; refresh_token: string; expires_in: number }> {
  const consent = await fetch(env("FATHOM_AUTHORIZE_URL"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "public_api",
      state: "bench",
      user_email: userEmail,
      decision: "allow",
    }),
    redirect: "manual",
  });
  await consent.body?.cancel();
  const location = consent.headers.get("location");
  const code = location ? new URL(location).searchParams.get("code") : null;
  if (consent.status !== 302 || !code) throw new Error(`sandbox consent failed (${consent.status})`);
  const token = await fetch(env("FATHOM_TOKEN_URL"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
  if (token.status !== 200) throw new Error(`sandbox token exchange failed (${token.status})`);
  return await token.json();
}

const sql = postgres(env("SUPABASE_DB_URL"), { max: 1, prepare: false, onnotice: () => {} });
try {
  const tokens = await sandboxTokens();
  const teamId = crypto.randomUUID();
  const leadEmails: string[] = [];
  await sql.begin(async (tx) => {
    await tx`insert into public.teams (id, name) values (${teamId}, ${"Bench " + teamId.slice(0, 8)})`;
    await tx`insert into public.team_members (team_id, user_id, role) values (${teamId}, ${ADMIN}, 'owner')`;
    await tx`update public.team_settings set create_leads_from_unknown_attendees = false where team_id = ${teamId}`;
    if ((Deno.env.get("BENCH_LEADS") ?? "all") === "all") {
      for (const contact of GENERATED_CONTACTS as { name: string | null; email: string }[]) {
        if (!contact.name) continue; // "someone@newco.example" stays unknown: not every attendee is a lead
        const [lead] = await tx`insert into public.leads (team_id, name, source) values (${teamId}, ${contact.name}, 'manual')
                                returning id`;
        await tx`insert into public.lead_emails (lead_id, team_id, email) values (${lead.id}, ${teamId}, ${contact.email})`;
        leadEmails.push(contact.email.toLowerCase());
      }
    }
  });

  const aad = (purpose: Parameters<typeof integrationAad>[2]) => integrationAad(teamId, "fathom", purpose);
  const secret = Deno.env.get("BENCH_WEBHOOK_SECRET") ||
    `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))))}`;
  const routeId = crypto.randomUUID().replaceAll("-", "") + "bench";
  const [row] = await sql`
    insert into public.team_integrations (team_id, provider, status, account_name, scopes, access_token_encrypted,
      refresh_token_encrypted, token_expires_at, connected_by, connected_at, webhook_id, webhook_route_id,
      webhook_secret_encrypted)
    values (${teamId}, 'fathom', 'connected', 'Sandy', '{public_api}',
      ${await encryptSecret(tokens.access_token, aad("access_token"))},
      ${await encryptSecret(tokens.refresh_token, aad("refresh_token"))},
      now() + make_interval(secs => ${tokens.expires_in}), ${ADMIN}, now(), 'wh_bench', ${routeId},
      ${await encryptSecret(secret, aad("webhook_secret"))})
    returning id`;
  console.log(JSON.stringify({ teamId, integrationId: row.id, routeId, secret, leadEmails }));
} finally {
  await sql.end({ timeout: 5 });
}
