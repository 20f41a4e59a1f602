// Shared test fixtures: environment, JWTs for the seeded demo users, a superuser connection for assertions and
// resets, and a small fake Fathom (token endpoint + the two API calls used to identify the account).
// Tests run against a real PostgreSQL (SUPABASE_DB_URL) with the migrations and seed applied.
import postgres from "postgres";
import { SignJWT } from "jose";
import { closeDb } from "../_shared/db.ts";
import { handler as confirmHandler } from "../oauth-confirm/handler.ts";

export const TEAM = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
/** a second team, owned by the outsider, created by these tests and removed by resetDb({ dropOtherTeam }) */
export const OTHER_TEAM = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
export const ADMIN = "11111111-1111-4111-8111-111111111111";
export const MEMBER = "22222222-2222-4222-8222-222222222222";
export const OUTSIDER = "33333333-3333-4333-8333-333333333333";

export const JWT_SECRET = "test-jwt-secret-with-at-least-32-characters!!";
export const APP = "http://localhost:5173";
export const OTHER_APP = "https://crm.example.com";
export const SUPABASE_URL = "http://127.0.0.1:54399";
export const CLIENT_ID = "test-fathom-client";
export const CLIENT_SECRET = "test-fathom-secret";
export const CALLBACK_URL = `${SUPABASE_URL}/functions/v1/fathom-oauth-callback`;
export const REDIRECT_URI = `${APP}/fathom-callback.html`;

const dbUrl = Deno.env.get("SUPABASE_DB_URL");
if (!dbUrl) throw new Error("Set SUPABASE_DB_URL to a PostgreSQL database with the migrations and seed applied");

export const baseEnv: Record<string, string> = {
  SUPABASE_URL,
  SUPABASE_JWT_SECRET: JWT_SECRET,
  APP_ORIGIN: `${APP},${OTHER_APP}`,
  TOKEN_ENCRYPTION_KEY: `v1:${btoa(String.fromCharCode(...new Uint8Array(32).fill(7)))}`,
  FATHOM_CLIENT_ID: CLIENT_ID,
  FATHOM_CLIENT_SECRET: CLIENT_SECRET,
  OAUTH_HTTP_TIMEOUT_MS: "400",
  OAUTH_IDENTITY_TIMEOUT_MS: "400",
};
for (const [key, value] of Object.entries(baseEnv)) Deno.env.set(key, value);

/** Runs fn with some env vars changed (undefined = unset), restoring them afterwards. */
export async function withEnv<T>(changes: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(changes).map((k) => [k, Deno.env.get(k)]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
  };
  apply(changes);
  try {
    return await fn();
  } finally {
    apply(before);
  }
}

/** A superuser connection for arranging and asserting; never used by the code under test. */
export const sql = postgres(dbUrl, { max: 2, onnotice: () => {}, prepare: false });

export async function resetDb(opts: { dropOtherTeam?: boolean } = {}): Promise<void> {
  await sql`delete from public.team_integrations where team_id in (${TEAM}, ${OTHER_TEAM})`;
  await sql`update public.team_members set role = 'owner' where team_id = ${TEAM} and user_id = ${ADMIN}`;
  await sql`update public.team_members set role = 'member' where team_id = ${TEAM} and user_id = ${MEMBER}`;
  if (opts.dropOtherTeam) {
    await sql`delete from public.teams where id = ${OTHER_TEAM}`;
  } else {
    await sql`insert into public.teams (id, name) values (${OTHER_TEAM}, 'Outsider Team') on conflict (id) do nothing`;
    await sql`insert into public.team_members (team_id, user_id, role) values (${OTHER_TEAM}, ${OUTSIDER}, 'owner')
              on conflict (team_id, user_id) do nothing`;
  }
}

export interface TokenOptions {
  role?: string;
  aud?: string | string[];
  expiresIn?: string | number;
  secret?: string;
  claims?: Record<string, unknown>;
}

/** A Supabase-shaped access token for a user (or, with role, an anon/service key). */
export async function jwtFor(sub: string, opts: TokenOptions = {}): Promise<string> {
  const role = opts.role ?? "authenticated";
  return await new SignJWT({
    role,
    email: `${sub.slice(0, 4)}@example.com`,
    aal: "aal1",
    session_id: crypto.randomUUID(),
    is_anonymous: false,
    ...opts.claims,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(sub)
    .setAudience(opts.aud ?? "authenticated")
    .setIssuer(`${SUPABASE_URL}/auth/v1`)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? "1h")
    .sign(new TextEncoder().encode(opts.secret ?? JWT_SECRET));
}

export function request(path: string, init: RequestInit & { token?: string; origin?: string } = {}): Request {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.origin) headers.set("origin", init.origin);
  if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
  return new Request(`${SUPABASE_URL}/functions/v1${path}`, { ...init, headers });
}

/** Calls a function handler in-process as `user` (null: no JWT); the body is sent as JSON and parsed back. */
export async function callAs(
  handler: (req: Request) => Promise<Response>,
  user: string | null,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await handler(request(path, {
    method,
    token: user ? await jwtFor(user) : undefined,
    body: body === undefined ? undefined : JSON.stringify(body),
  }));
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/**
 * What the initiating app does after the callback: take the one-time pending id from the landing's fragment and
 * confirm it with its own session and the start response's confirm secret (oauth-confirm). Returns the landing
 * URL; throws unless the landing was pending and the confirmation connected.
 */
export async function confirmLanding(landed: Response, confirmSecret: string, user = ADMIN): Promise<URL> {
  const location = new URL(landed.headers.get("location")!);
  const pendingId = new URLSearchParams(location.hash.slice(1)).get("pending");
  if (location.searchParams.get("status") !== "pending" || !pendingId) {
    throw new Error(`the callback did not land pending: ${location.search}`);
  }
  const { status, body } = await callAs(confirmHandler, user, "POST", "/oauth-confirm", { pendingId, confirmSecret });
  if (status !== 200) throw new Error(`oauth-confirm answered ${status}: ${JSON.stringify(body)}`);
  return location;
}

/** The fields of a MeetingSummary (docs/architecture.md), sorted. */
export const MEETING_SUMMARY_KEYS = [
  "content_reason",
  "content_status",
  "content_wait_until",
  "id",
  "invitees",
  "leads",
  "meeting_title",
  "provider",
  "provider_deleted_at",
  "provider_meeting_id",
  "recorded_by",
  "recording_end_time",
  "recording_start_time",
  "scheduled_start_time",
  "share_url",
  "title",
  "url",
];

export async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  const body = await response.json();
  return body.error;
}

export async function closeAll(): Promise<void> {
  await closeDb();
}

// ---------------------------------------------------------------------------------------------------------------
// fake Fathom

export type TokenMode =
  | "ok"
  | "no_token_type"
  | "invalid_grant"
  | "server_error"
  | "slow"
  | "malformed"
  | "no_access_token"
  | "zero_expires";
export type ApiMode = "ok" | "empty" | "error" | "slow";

export interface TokenRequestRecord {
  contentType: string | null;
  authorization: string | null;
  body: string;
}

export interface FakeFathom {
  url: string;
  tokenMode: TokenMode;
  meetingsMode: ApiMode;
  teamsMode: ApiMode;
  tokenRequests: TokenRequestRecord[];
  apiRequests: { path: string; authorization: string | null }[];
  issued: { accessToken: string; refreshToken: string }[];
  close(): Promise<void>;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

function meeting(id: number, name: string, email: string) {
  return { recording_id: id, title: `Meeting ${id}`, recorded_by: { name, email, email_domain: "acme.com", team: null } };
}

export function startFakeFathom(): FakeFathom {
  const controller = new AbortController();
  const fake: FakeFathom = {
    url: "",
    tokenMode: "ok",
    meetingsMode: "ok",
    teamsMode: "ok",
    tokenRequests: [],
    apiRequests: [],
    issued: [],
    close: async () => {
      controller.abort();
      await server.finished;
    },
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} }, async (req) => {
    const { pathname } = new URL(req.url);
    if (req.method === "POST" && pathname === "/oauth2/token") {
      fake.tokenRequests.push({
        contentType: req.headers.get("content-type"),
        authorization: req.headers.get("authorization"),
        body: await req.text(),
      });
      const accessToken = `fathom-access-${crypto.randomUUID()}`;
      const refreshToken = `fathom-refresh-${crypto.randomUUID()}`;
      switch (fake.tokenMode) {
        case "invalid_grant":
          return json({ error: "invalid_grant", error_description: "<b>code expired</b>" }, 400);
        case "server_error":
          return json({ error: "server_error" }, 500);
        case "slow":
          await sleep(1200);
          return json({ error: "too late" }, 500);
        case "malformed":
          return new Response("<html>not json</html>", { status: 200, headers: { "content-type": "text/html" } });
        case "no_access_token":
          return json({ token_type: "Bearer", expires_in: 3600, refresh_token: refreshToken });
        case "zero_expires":
          return json({ access_token: accessToken, token_type: "Bearer", expires_in: 0, refresh_token: refreshToken });
        case "no_token_type":
          fake.issued.push({ accessToken, refreshToken });
          return json({ access_token: accessToken, expires_in: 86400, refresh_token: refreshToken });
        default:
          fake.issued.push({ accessToken, refreshToken });
          return json({
            access_token: accessToken,
            token_type: "Bearer",
            expires_in: 86400,
            refresh_token: refreshToken,
            scope: "public_api",
          });
      }
    }
    if (req.method === "GET" && (pathname === "/meetings" || pathname === "/teams")) {
      fake.apiRequests.push({ path: pathname, authorization: req.headers.get("authorization") });
      const mode = pathname === "/meetings" ? fake.meetingsMode : fake.teamsMode;
      if (mode === "error") return json({ error: "boom" }, 500);
      if (mode === "slow") {
        await sleep(1200);
        return json({ items: [], limit: 10, next_cursor: null });
      }
      if (mode === "empty") return json({ items: [], limit: 10, next_cursor: null });
      return pathname === "/meetings"
        ? json({
          items: [
            meeting(1, "Alice Johnson", "alice@acme.com"),
            meeting(2, "Bob Shared", "bob@other.com"),
            meeting(3, "Alice Johnson", "alice@acme.com"),
          ],
          limit: 10,
          next_cursor: null,
        })
        : json({ items: [{ name: "Marketing", created_at: "2025-01-01T00:00:00Z" }], limit: 10, next_cursor: null });
    }
    return json({ error: "not_found" }, 404);
  });
  const addr = server.addr as Deno.NetAddr;
  fake.url = `http://127.0.0.1:${addr.port}`;
  Deno.env.set("FATHOM_AUTHORIZE_URL", "https://fathom.example/external/v1/oauth2/authorize");
  Deno.env.set("FATHOM_TOKEN_URL", `${fake.url}/oauth2/token`);
  Deno.env.set("FATHOM_API_BASE_URL", fake.url);
  return fake;
}

/** Deno.test without the op/resource sanitizers: the DB pool and the fake server outlive single tests by design. */
export function test(name: string, fn: () => Promise<void>): void {
  Deno.test({ name, fn, sanitizeOps: false, sanitizeResources: false });
}
