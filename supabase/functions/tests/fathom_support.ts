// Fixtures for the Fathom meetings tests: the real Fathom sandbox (dev/fathom-sandbox) served over HTTP on port 0,
// real sandbox OAuth tokens (consent form + token endpoint, as a browser and our callback would), and a throwaway
// team per test (its own leads and settings; deleting the team takes its append-only events with it).
import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { encryptSecret, integrationAad } from "../_shared/crypto.ts";
import { ADMIN, sql } from "./helpers.ts";

// deno-lint-ignore no-explicit-any
type AnySandbox = any;
// The sandbox belongs to the dev wing and is loaded at run time only, as fathom_sandbox_e2e_test.ts does.
const { createSandbox } = await import(new URL("../../../dev/fathom-sandbox/sandbox.ts", import.meta.url).href);

export const SANDY = "sandy@sandbox.fathom.test";
export const SANDBOX_CLIENT_ID = "sandbox-client-id";
export const SANDBOX_CLIENT_SECRET = "sandbox-client-secret";

export interface RunningSandbox {
  sandbox: AnySandbox;
  base: string;
  close(): Promise<void>;
  /** requests the sandbox logged under /external (API + token endpoint) */
  requests(path?: string | RegExp): { method: string; path: string; status: number; time: string; body: unknown }[];
}

/** A sandbox on port 0; FATHOM_* point at it until close(). */
export function startSandbox(options: Record<string, unknown> = {}): RunningSandbox {
  const sandbox = createSandbox(options);
  const controller = new AbortController();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} },
    (req) => sandbox.handler(req),
  );
  const base = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
  sandbox.setPublicUrl(base);
  Deno.env.set("FATHOM_AUTHORIZE_URL", `${base}/external/v1/oauth2/authorize`);
  Deno.env.set("FATHOM_TOKEN_URL", `${base}/external/v1/oauth2/token`);
  Deno.env.set("FATHOM_API_BASE_URL", `${base}/external/v1`);
  Deno.env.set("FATHOM_CLIENT_ID", SANDBOX_CLIENT_ID);
  Deno.env.set("FATHOM_CLIENT_SECRET", SANDBOX_CLIENT_SECRET);
  Deno.env.set("OAUTH_HTTP_TIMEOUT_MS", "5000");
  Deno.env.set("OAUTH_IDENTITY_TIMEOUT_MS", "5000");
  Deno.env.set("FATHOM_RETRY_BASE_MS", "20");
  return {
    sandbox,
    base,
    async close() {
      controller.abort();
      await server.finished;
    },
    requests(path) {
      return (sandbox.requests() as { method: string; path: string; status: number; time: string; body: unknown }[])
        .filter((r) => path === undefined || (typeof path === "string" ? r.path === path : path.test(r.path)));
    },
  };
}

export interface SandboxTokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

/** What a user clicking "Authorize" and our token exchange would produce, straight against the sandbox. */
export async function sandboxTokens(base: string, userEmail = SANDY): Promise<SandboxTokens> {
  const redirectUri = "http://127.0.0.1:9/callback";
  const consent = await fetch(`${base}/external/v1/oauth2/authorize`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: SANDBOX_CLIENT_ID,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "public_api",
      state: "s",
      user_email: userEmail,
      decision: "allow",
    }),
    redirect: "manual",
  });
  await consent.body?.cancel();
  assert.equal(consent.status, 302);
  const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
  const token = await fetch(`${base}/external/v1/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CLIENT_SECRET,
    }),
  });
  assert.equal(token.status, 200);
  return await token.json();
}

export const JANE = { name: "Jane Doe", email: "jane.doe@acme.example" };
export const RAJ = { name: "Raj Patel", email: "raj.patel@globex.example" };

/** A fresh team owned by the seeded ADMIN, with leads Jane Doe and Raj Patel. */
export async function createTeam(opts: { createLeadsFromUnknown?: boolean } = {}) {
  const teamId = crypto.randomUUID();
  await sql`insert into public.teams (id, name) values (${teamId}, ${"Fathom test " + teamId.slice(0, 8)})`;
  await sql`insert into public.team_members (team_id, user_id, role) values (${teamId}, ${ADMIN}, 'owner')`;
  await sql`update public.team_settings set create_leads_from_unknown_attendees = ${opts.createLeadsFromUnknown ?? false}
             where team_id = ${teamId}`;
  const leads: Record<string, string> = {};
  for (const lead of [JANE, RAJ]) {
    const [row] = await sql`insert into public.leads (team_id, name, source) values (${teamId}, ${lead.name}, 'manual')
                            returning id`;
    await sql`insert into public.lead_emails (lead_id, team_id, email) values (${row.id}, ${teamId}, ${lead.email})`;
    leads[lead.email] = row.id;
  }
  return { teamId, janeId: leads[JANE.email], rajId: leads[RAJ.email] };
}

export async function dropTeam(teamId: string): Promise<void> {
  await sql`delete from public.teams where id = ${teamId}`;
}

/** A connected Fathom integration holding these tokens (as the OAuth callback would have stored them). */
export async function connectFathom(
  teamId: string,
  tokens: { access_token: string; refresh_token: string | null },
  opts: { expiresInSeconds?: number } = {},
): Promise<string> {
  const [row] = await sql`
    insert into public.team_integrations (team_id, provider, status, account_name, scopes, access_token_encrypted,
      refresh_token_encrypted, token_expires_at, connected_by, connected_at)
    values (${teamId}, 'fathom', 'connected', 'Sandy', '{public_api}',
      ${await encryptSecret(tokens.access_token, integrationAad(teamId, "fathom", "access_token"))},
      ${tokens.refresh_token
    ? await encryptSecret(tokens.refresh_token, integrationAad(teamId, "fathom", "refresh_token"))
    : null},
      now() + make_interval(secs => ${opts.expiresInSeconds ?? 3600}), ${ADMIN}, now())
    returning id`;
  return row.id;
}

/** A webhook route with a known secret, without asking Fathom (for the signature tests). */
export async function installWebhookSecret(integrationId: string, teamId: string) {
  const routeId = crypto.randomUUID().replaceAll("-", "") + "abc";
  const secret = `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))))}`;
  await sql`update public.team_integrations set webhook_id = 'wh_test', webhook_route_id = ${routeId},
              webhook_secret_encrypted = ${await encryptSecret(secret, integrationAad(teamId, "fathom", "webhook_secret"))}
            where id = ${integrationId}`;
  return { routeId, secret };
}

export function signedHeaders(secret: string, body: string, opts: { id?: string; at?: Date } = {}) {
  const id = opts.id ?? `msg_${crypto.randomUUID()}`;
  const at = opts.at ?? new Date();
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  };
}

let nextRecording = 900_000_000 + Math.floor(Math.random() * 1_000_000);

/** A Fathom Meeting as a webhook delivers it (transcript + summary included). */
export function wireMeeting(overrides: Record<string, unknown> = {}) {
  const recordingId = nextRecording++;
  return {
    title: "Acme discovery call",
    meeting_title: "Acme x Sandbox",
    recording_id: recordingId,
    url: `https://fathom.video/calls/${recordingId}`,
    share_url: `https://fathom.video/share/${recordingId}`,
    created_at: "2026-01-10T16:31:00Z",
    scheduled_start_time: "2026-01-10T16:00:00Z",
    scheduled_end_time: "2026-01-10T16:30:00Z",
    recording_start_time: "2026-01-10T16:01:00Z",
    recording_end_time: "2026-01-10T16:29:00Z",
    calendar_invitees_domains_type: "one_or_more_external",
    transcript_language: "en",
    calendar_invitees: [
      { name: "Sandy Sandbox", email: SANDY, email_domain: "sandbox.fathom.test", is_external: false },
      { name: "Jane Doe", email: "JANE.DOE@ACME.EXAMPLE", email_domain: "acme.example", is_external: true },
    ],
    recorded_by: { name: "Sandy Sandbox", email: SANDY, email_domain: "sandbox.fathom.test", team: "Sales" },
    transcript: [{ speaker: { display_name: "Jane Doe", matched_calendar_invitee_email: null }, text: "Hi", timestamp: "00:00:01" }],
    default_summary: { template_name: "general", markdown_formatted: "## Summary\nWe talked." },
    action_items: [],
    ...overrides,
  };
}

/** POST /_sandbox/recordings: a new recording at the sandbox (see its README for the body). */
export async function recordAtSandbox(
  base: string,
  body: Record<string, unknown>,
): Promise<{ recording_id: number; deliveries: { status: number; message_id: string }[] }> {
  const res = await fetch(`${base}/_sandbox/recordings`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`sandbox recording: ${res.status} ${await res.text()}`);
  return await res.json();
}

/** Poll until `check` passes (background work), or fail after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
