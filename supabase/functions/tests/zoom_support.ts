// Zoom test support: a team connected to a Zoom account (as the OAuth callback stores it: account_id = Zoom's
// account, account_email = the connected user), signed deliveries, and the Zoom sandbox (dev/zoom-sandbox) served
// over HTTP with its events sent straight to the zoom-webhook handler in this process.
import { encryptSecret, integrationAad } from "../_shared/crypto.ts";
import { hmacSha256Hex } from "../_shared/zoom/signature.ts";
import assert from "node:assert/strict";
import { inboxIdle } from "../_shared/inbox/queue.ts";
import { handler as zoomWebhook } from "../zoom-webhook/handler.ts";
import { createTeam } from "./fathom_support.ts";
import { ADMIN, MEMBER, sql } from "./helpers.ts";

// deno-lint-ignore no-explicit-any
type ZoomSandbox = any;
// The sandbox belongs to the dev wing and is loaded at run time only, as fathom_support.ts does.
const { createZoomSandbox } = await import(new URL("../../../dev/zoom-sandbox/zoom.ts", import.meta.url).href);
const { USERS } = await import(new URL("../../../dev/zoom-sandbox/account.ts", import.meta.url).href);
interface SandboxUser {
  id: string;
  account_id: string;
  email: string;
  first_name: string;
}

export const ZOOM_SECRET = "zoom-test-secret-token";
const ZOOM_WEBHOOK_URL = "http://127.0.0.1:54399/functions/v1/zoom-webhook";
export const ZOOM_CLIENT = { clientId: "test-zoom-client", clientSecret: "test-zoom-secret" };
export const [AVERY, SAM, ROBIN] = USERS as SandboxUser[];
Deno.env.set("ZOOM_WEBHOOK_SECRET_TOKEN", ZOOM_SECRET);
Deno.env.set("ZOOM_CLIENT_ID", ZOOM_CLIENT.clientId);
Deno.env.set("ZOOM_CLIENT_SECRET", ZOOM_CLIENT.clientSecret);

/** A connected Zoom integration of `teamId` for this Zoom user, holding these tokens. */
export async function connectZoom(
  teamId: string,
  user: { account_id: string; email: string; first_name: string },
  tokens: { access_token: string; refresh_token: string | null } = { access_token: "unused", refresh_token: null },
): Promise<string> {
  const [row] = await sql`
    insert into public.team_integrations (team_id, provider, status, account_id, account_name, account_email, scopes,
      access_token_encrypted, refresh_token_encrypted, token_expires_at, connected_by, connected_at)
    values (${teamId}, 'zoom', 'connected', ${user.account_id}, ${user.first_name}, ${user.email},
      '{user:read:user,cloud_recording:read:list_user_recordings,meeting:read:list_past_participants}',
      ${await encryptSecret(tokens.access_token, integrationAad(teamId, "zoom", "access_token"))},
      ${tokens.refresh_token ? await encryptSecret(tokens.refresh_token, integrationAad(teamId, "zoom", "refresh_token")) : null},
      now() + interval '1 hour', ${ADMIN}, now())
    returning id`;
  return row.id;
}

/** Zoom's two headers for `body`, signed with `secret` at `at` (epoch ms). */
export async function zoomHeaders(body: string, opts: { secret?: string; at?: number } = {}): Promise<Record<string, string>> {
  const ts = String(Math.floor((opts.at ?? Date.now()) / 1000));
  return {
    "content-type": "application/json",
    "x-zm-request-timestamp": ts,
    "x-zm-signature": `v0=${await hmacSha256Hex(opts.secret ?? ZOOM_SECRET, `v0:${ts}:${body}`)}`,
  };
}

/** A POST to the zoom-webhook function as Zoom sends it: `body` signed now with ZOOM_SECRET, unless `headers` are given. */
export async function zoomWebhookRequest(body: string, headers?: Record<string, string>): Promise<Request> {
  return new Request(ZOOM_WEBHOOK_URL, { method: "POST", headers: headers ?? await zoomHeaders(body), body });
}

/** `body` signed and delivered to the zoom-webhook handler in this process; expects 200 and waits for the import. */
export async function deliverZoomEvent(body: string): Promise<void> {
  const res = await zoomWebhook(await zoomWebhookRequest(body));
  assert.equal(res.status, 200);
  await res.body?.cancel();
  await inboxIdle();
}

/** A fresh team (fathom_support's createTeam) with MEMBER as a member, connected to Zoom as AVERY. */
export async function zoomTeamWithMember() {
  const team = await createTeam();
  await sql`insert into public.team_members (team_id, user_id, role) values (${team.teamId}, ${MEMBER}, 'member')`;
  return { ...team, integrationId: await connectZoom(team.teamId, AVERY) };
}

/**
 * A fresh team connected to the sandbox's AVERY with tokens the sandbox issued. `reset` (default) empties the sandbox
 * first: an import lists everything of the user, including earlier tests' recordings.
 */
export async function sandboxZoomTeam(zoom: { base: string; sandbox: ZoomSandbox }, opts: { reset?: boolean } = {}) {
  if (opts.reset ?? true) zoom.sandbox.reset();
  const team = await createTeam();
  const integrationId = await connectZoom(team.teamId, AVERY, await sandboxZoomTokens(zoom.base, AVERY.id));
  return { ...team, integrationId };
}

let uuidSeq = 0;
/** A recording.completed body as Zoom sends it (compact JSON). */
export function recordingEvent(opts: {
  event?: string;
  accountId?: string;
  hostEmail?: string;
  uuid?: string;
  files?: unknown[];
} = {}): string {
  const uuid = opts.uuid ?? `TestUuid${++uuidSeq}${crypto.randomUUID().slice(0, 8)}==`;
  return JSON.stringify({
    event: opts.event ?? "recording.completed",
    event_ts: Date.now(),
    download_token: "dl-token",
    payload: {
      account_id: opts.accountId ?? AVERY.account_id,
      object: {
        uuid,
        id: 81234567890,
        account_id: opts.accountId ?? AVERY.account_id,
        host_id: AVERY.id,
        host_email: opts.hostEmail ?? AVERY.email,
        topic: "Pricing call",
        type: 2,
        start_time: "2026-03-02T10:00:00Z",
        timezone: "UTC",
        duration: 30,
        share_url: "https://zoom.us/rec/share/abc",
        recording_files: opts.files ?? [],
      },
    },
  });
}

/** The Zoom sandbox on a free port, its events delivered to `deliver` (the zoom-webhook handler) in-process. */
export function startZoomSandbox(deliver: (req: Request) => Promise<Response>) {
  const controller = new AbortController();
  const holder: { sandbox?: ZoomSandbox } = {};
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} }, (req: Request) => holder.sandbox.handler(req));
  const base = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
  const sandbox: ZoomSandbox = createZoomSandbox({
    publicUrl: base,
    clients: [ZOOM_CLIENT],
    webhookUrl: ZOOM_WEBHOOK_URL,
    webhookSecretToken: ZOOM_SECRET,
    send: (url: string, init: RequestInit) => deliver(new Request(url, init)),
  });
  holder.sandbox = sandbox;
  Deno.env.set("ZOOM_API_BASE_URL", `${base}/zoom/v2`);
  Deno.env.set("ZOOM_TOKEN_URL", `${base}/zoom/oauth/token`);
  Deno.env.set("ZOOM_AUTHORIZE_URL", `${base}/zoom/oauth/authorize`);
  return { sandbox, base, close: async () => { controller.abort(); await server.finished; } };
}

/** Tokens of a real sandbox grant for `userId` (consent + code exchange, as the engine would do). */
export async function sandboxZoomTokens(base: string, userId: string): Promise<{ access_token: string; refresh_token: string }> {
  const redirect = "http://127.0.0.1:54399/functions/v1/zoom-oauth-callback";
  const consent = await fetch(`${base}/zoom/oauth/authorize`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: ZOOM_CLIENT.clientId, response_type: "code", redirect_uri: redirect, user_id: userId, decision: "allow" }),
    redirect: "manual",
  });
  const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
  const res = await fetch(`${base}/zoom/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${btoa(`${ZOOM_CLIENT.clientId}:${ZOOM_CLIENT.clientSecret}`)}` },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirect }),
  });
  return await res.json();
}

/** Runs fn with the Zoom client pointed at a fake API at `base` (its `/v2`), restoring ZOOM_API_BASE_URL after. */
export async function withZoomApi<T>(base: string, fn: () => Promise<T>): Promise<T> {
  const saved = Deno.env.get("ZOOM_API_BASE_URL");
  Deno.env.set("ZOOM_API_BASE_URL", `${base}/v2`);
  try {
    return await fn();
  } finally {
    if (saved) Deno.env.set("ZOOM_API_BASE_URL", saved);
    else Deno.env.delete("ZOOM_API_BASE_URL");
  }
}
