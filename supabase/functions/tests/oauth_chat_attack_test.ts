// Attacks on the OAuth engine and chat posting (review 9's probes, kept as regression tests): webhook URLs pinned
// to the provider (F1, F2), provider text cleaned (F3), grants obtained and not kept are revoked (F4, F5), a storm of
// "gone" answers records one event (F8), and what already held (odd token shapes, bad input, no secret in logs,
// refresh under concurrency, CORS). Each test asserts the SAFE behaviour. The fake below is one scriptable server for
// Slack, Discord and an "internal" service on the same loopback origin.
import assert from "node:assert/strict";
import { handler as api } from "../api/handler.ts";
import { decryptSecret, integrationAad } from "../_shared/crypto.ts";
import type { ProviderId } from "../_shared/oauth/types.ts";
import { handler as discordCallback } from "../discord-oauth-callback/handler.ts";
import { handler as discordStart } from "../discord-oauth-start/handler.ts";
import { handler as slackCallback } from "../slack-oauth-callback/handler.ts";
import { handler as slackStart } from "../slack-oauth-start/handler.ts";
import { handler as confirmHandler } from "../oauth-confirm/handler.ts";
import { ADMIN, APP, closeAll, jwtFor, MEMBER, request, resetDb, sql, TEAM, test } from "./helpers.ts";
import { encryptDestinationSecret } from "../_shared/oauth/destination.ts";

Deno.env.set("FATHOM_SYNC_ON_CONNECT", "false");
Deno.env.set("CHAT_RETRY_DELAY_MS", "1");

// ---- a fully scriptable fake of Slack + Discord + an "internal" victim service on loopback -----------------------
interface Hit {
  method: string;
  path: string;
  auth: string | null;
  body: string;
}
const hits: Hit[] = [];
let tokenBody: Partial<Record<ProviderId, (n: number) => unknown>> = {};
let identityBody: unknown = { id: "U1", username: "ada", global_name: "Ada" };
let hangDeletes = false;
let postAnswer: (() => Response | Promise<Response>) | null = null;
let hangRevoke = false;
let counter = 0;
const controller = new AbortController();
const server = Deno.serve({ port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} }, async (req) => {
  const url = new URL(req.url);
  const body = await req.text();
  hits.push({ method: req.method, path: url.pathname + url.search, auth: req.headers.get("authorization"), body });
  const p = url.pathname;
  if (req.method === "POST" && (p === "/slack/token" || p === "/discord/token")) {
    const id = p.split("/")[1] as ProviderId;
    const n = ++counter;
    return Response.json(tokenBody[id]!(n));
  }
  if (p === "/discord/api/v10/users/@me") return Response.json(identityBody);
  if (req.method === "DELETE" && hangDeletes) {
    await new Promise((resolve) => req.signal.addEventListener("abort", resolve));
    return new Response(null, { status: 504 });
  }
  if (hangRevoke && p.includes("revoke")) {
    await new Promise((resolve) => req.signal.addEventListener("abort", resolve));
    return new Response(null, { status: 504 });
  }
  if (p.endsWith("/token/revoke")) return Response.json({});
  if (p.endsWith("/auth.revoke")) return Response.json({ ok: true });
  if (req.method === "POST" && postAnswer) return await postAnswer();
  return p.includes("/discord/") ? Response.json({ id: "1" }) : new Response("ok");
});
const BASE = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
for (const id of ["slack", "discord"]) {
  const env = id.toUpperCase();
  Deno.env.set(`${env}_CLIENT_ID`, `client-${id}`);
  Deno.env.set(`${env}_CLIENT_SECRET`, `secret-${id}`);
  Deno.env.set(`${env}_AUTHORIZE_URL`, `https://${id}.example/authorize`);
  Deno.env.set(`${env}_TOKEN_URL`, `${BASE}/${id}/token`);
  Deno.env.set(`${env}_API_BASE_URL`, id === "discord" ? `${BASE}/discord/api/v10` : `${BASE}/slack/api`);
}
// Slack's webhooks live under their own base (hooks.slack.com/services/ for real); Discord's is derived from its API base
Deno.env.set("SLACK_WEBHOOK_BASE_URL", `${BASE}/slack/hooks/services/`);

const slackOk = (n: number, hook: Record<string, unknown> = {}, team: unknown = { id: "T1", name: "Acme" }) => ({
  ok: true,
  access_token: `xoxb-${n}`,
  token_type: "bot",
  scope: "incoming-webhook,chat:write",
  team,
  incoming_webhook: { channel: "#sales", channel_id: "C1", url: `${BASE}/slack/hooks/services/T1/B${n}/slacksecret${n}`, ...hook },
});
const discordOk = (n: number, hook: Record<string, unknown> = {}) => ({
  access_token: `dat-${n}`,
  refresh_token: `drt-${n}`,
  token_type: "Bearer",
  expires_in: 604800,
  scope: "identify webhook.incoming",
  webhook: {
    id: `10${n}`,
    token: `whtoken${n}`,
    url: `${BASE}/discord/api/v10/webhooks/10${n}/whtoken${n}`,
    channel_id: "C9",
    guild_id: "G1",
    ...hook,
  },
  guild: { id: "G1", name: "Guild" },
});

const H = {
  slack: { start: slackStart, callback: slackCallback },
  discord: { start: discordStart, callback: discordCallback },
} as const;
type Chat = keyof typeof H;

async function begin(id: Chat) {
  const res = await H[id].start(request(`/${id}-oauth-start`, {
    method: "POST",
    origin: APP,
    token: await jwtFor(ADMIN),
    body: JSON.stringify({ teamId: TEAM, redirectUri: `${APP}/${id}-callback.html` }),
  }));
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return { state: new URL(body.authUrl).searchParams.get("state")!, confirmSecret: body.confirmSecret as string };
}
async function land(id: Chat, state: string) {
  const res = await H[id].callback(request(`/${id}-oauth-callback?code=c&state=${encodeURIComponent(state)}`));
  const loc = new URL(res.headers.get("location")!);
  return { query: Object.fromEntries(loc.searchParams), pending: new URLSearchParams(loc.hash.slice(1)).get("pending") };
}
async function confirm(pendingId: string, confirmSecret: string) {
  const res = await confirmHandler(request("/oauth-confirm", {
    method: "POST",
    token: await jwtFor(ADMIN),
    body: JSON.stringify({ pendingId, confirmSecret }),
  }));
  return { status: res.status, body: await res.json() };
}
async function connect(id: Chat) {
  const { state, confirmSecret } = await begin(id);
  const landed = await land(id, state);
  assert.equal(landed.query.status, "pending", JSON.stringify(landed.query));
  const c = await confirm(landed.pending!, confirmSecret);
  assert.equal(c.status, 200, JSON.stringify(c.body));
}
async function disconnect(id: Chat) {
  const res = await api(request(`/api/teams/${TEAM}/integrations/${id}`, { method: "DELETE", token: await jwtFor(ADMIN) }));
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
async function testMessage(id: string, user = ADMIN) {
  const res = await api(request(`/api/teams/${TEAM}/integrations/${id}/test-message`, {
    method: "POST",
    token: await jwtFor(user),
  }));
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
async function reset() {
  hits.length = 0;
  tokenBody = { slack: (n) => slackOk(n), discord: (n) => discordOk(n) };
  identityBody = { id: "U1", username: "ada", global_name: "Ada" };
  hangDeletes = false;
  hangRevoke = false;
  postAnswer = null;
  await resetDb();
}
async function storedSecret(id: Chat) {
  const [row] = await sql`select destination_secret_encrypted from public.team_integrations
                           where team_id = ${TEAM} and provider = ${id}`;
  return row?.destination_secret_encrypted
    ? JSON.parse(await decryptSecret(row.destination_secret_encrypted, integrationAad(TEAM, id, "destination")))
    : null;
}

// -------------------------------------------------------------------------------------------------------------------

test("F1 discord: disconnect DELETEs the stored webhook URL, not the id/token the poster trusts", async () => {
  await reset();
  // Discord's answer whose url points elsewhere than its id/token (a mix-up, a proxy, or a hostile token endpoint)
  tokenBody.discord = (n) => discordOk(n, { url: `${BASE}/internal/admin/users/1` });
  await connect("discord");
  // posting uses the id/token under DISCORD_API_BASE_URL (the stored URL "is then not trusted at all")
  assert.equal((await testMessage("discord")).status, 200);
  assert.ok(hits.some((h) => h.method === "POST" && h.path.startsWith("/discord/api/v10/webhooks/")));
  hits.length = 0;
  await disconnect("discord");
  const deletes = hits.filter((h) => h.method === "DELETE").map((h) => h.path);
  assert.deepEqual(deletes.filter((p) => p.startsWith("/internal/")), [], `DELETE sent to ${deletes.join(", ")}`);
});

test("F2 slack: a webhook URL on an internal host is refused at connect (SSRF through the token response)", async () => {
  for (const url of [
    "https://169.254.169.254/latest/meta-data/iam",
    "https://10.0.0.5/admin",
    "https://metadata.google.internal/computeMetadata/v1/",
    "http://localhost:5432/",
    "http://127.0.0.1:54321/rest/v1/team_integrations?id=neq.0",
    "https://hooks.slack.com.evil.example/services/T/B/x",
    "http://hooks.slack.com/services/T/B/x",
    `${BASE.replace("127.0.0.1", "localhost")}/slack/hooks/services/T1/B1/x`, // the sandbox under another name
  ]) {
    await reset();
    tokenBody.slack = (n) => slackOk(n, { url });
    const { state } = await begin("slack");
    const landed = await land("slack", state);
    assert.equal(landed.query.code, "invalid_token_response", `${url} accepted: ${JSON.stringify(landed.query)}`);
  }
});

test("F3 identity text from the provider is cleaned like the destination labels (NUL, huge)", async () => {
  await reset();
  tokenBody.slack = (n) => slackOk(n, {}, { id: "T1", name: "Acme\u0000Evil" });
  const { state } = await begin("slack");
  const landed = await land("slack", state);
  assert.equal(landed.query.status, "pending", `a NUL in team.name fails the connection: ${JSON.stringify(landed.query)}`);
});

test("F3b a 2,000,000-character Discord global_name is stored and listed to every member", async () => {
  await reset();
  identityBody = { id: "U1", username: "ada", global_name: "x".repeat(2_000_000) };
  const d = await begin("discord");
  const landed2 = await land("discord", d.state);
  assert.equal(landed2.query.status, "pending", JSON.stringify(landed2.query));
  const [row] = await sql`select length(account_name) as n from public.oauth_pending_connections where team_id = ${TEAM}`;
  const c = await confirm(landed2.pending!, d.confirmSecret);
  const list = await api(request(`/api/teams/${TEAM}/integrations`, { token: await jwtFor(MEMBER) }));
  const listed = await list.text();
  console.log("confirm", c.status, "integrations list bytes for a member:", listed.length);
  assert.ok(row.n <= 200, `account_name stored with ${row.n} characters`);
});

test("F4 discord: a token response refused after the exchange revokes the grant it was handed", async () => {
  await reset();
  // only a webhook id/token we could not build a URL from refuses a Discord answer (its `url` decides nothing)
  tokenBody.discord = (n) => discordOk(n, { token: "a.b" });
  const { state } = await begin("discord");
  const landed = await land("discord", state);
  assert.equal(landed.query.code, "invalid_token_response");
  const revokes = hits.filter((h) => h.path.endsWith("/token/revoke"));
  assert.equal(revokes.length, 1, "the live grant (and its new channel webhook) is left at Discord");
  assert.equal(new URLSearchParams(revokes[0].body).get("token"), `drt-${counter}`);
});

test("F4 slack: a token response refused after the exchange revokes the grant (auth.revoke with its token)", async () => {
  await reset();
  tokenBody.slack = (n) => slackOk(n, { url: "https://169.254.169.254/latest" });
  const { state } = await begin("slack");
  assert.equal((await land("slack", state)).query.code, "invalid_token_response");
  const revokes = hits.filter((h) => h.path.endsWith("/auth.revoke"));
  assert.deepEqual(revokes.map((h) => h.auth), [`Bearer xoxb-${counter}`]);
});

test("F4 discord: a failure after the destination was kept deletes the new webhook and revokes the grant", async () => {
  await reset();
  // the pending row cannot be stored (a check constraint refuses it): an internal error after the exchange
  const { state } = await begin("discord");
  await sql`alter table public.oauth_pending_connections add constraint attack_no_insert check (false) not valid`;
  try {
    assert.equal((await land("discord", state)).query.code, "internal_error");
  } finally {
    await sql`alter table public.oauth_pending_connections drop constraint attack_no_insert`;
  }
  assert.deepEqual(hits.filter((h) => h.method === "DELETE").map((h) => h.path), [
    `/discord/api/v10/webhooks/10${counter}/whtoken${counter}`,
  ]);
  assert.equal(hits.filter((h) => h.path.endsWith("/token/revoke")).length, 1);
});

test("F4 confirm by a demoted admin revokes the new grant and deletes its webhook", async () => {
  await reset();
  const { state, confirmSecret } = await begin("discord");
  const landed = await land("discord", state);
  // another owner first: the team's last owner cannot be demoted (migration 20261202000100); resetDb restores both
  await sql`update public.team_members set role = 'owner' where team_id = ${TEAM} and user_id = ${MEMBER}`;
  await sql`update public.team_members set role = 'member' where team_id = ${TEAM} and user_id = ${ADMIN}`;
  hits.length = 0;
  const c = await confirm(landed.pending!, confirmSecret);
  assert.equal(c.body.error.code, "not_team_admin");
  assert.deepEqual(
    hits.filter((h) => h.path.endsWith("/token/revoke")).map((h) => new URLSearchParams(h.body).get("token")),
    [`drt-${counter}`],
  );
  assert.equal(hits.filter((h) => h.method === "DELETE").length, 1);
});

test("F5 discord: disconnect racing a confirm leaves no live webhook/grant and answers honestly", async () => {
  await reset();
  await connect("discord");
  const { state, confirmSecret } = await begin("discord");
  const landed = await land("discord", state);
  hits.length = 0;
  hangDeletes = true; // Discord slow on webhook deletion: the old webhook's DELETE hangs to the timeout (400 ms)
  const disc = disconnect("discord");
  await new Promise((r) => setTimeout(r, 100));
  const conf = confirm(landed.pending!, confirmSecret);
  const [d, c] = await Promise.all([disc, conf]);
  const [row] = await sql`select status from public.team_integrations where team_id = ${TEAM} and provider = 'discord'`;
  const revoked = hits.filter((h) => h.path.endsWith("/token/revoke")).map((h) => new URLSearchParams(h.body).get("token"));
  // Either order is fine, but never a row-less new grant: if the row is gone, the confirm says why and revoked the
  // new grant (drt-<n>) and deleted its webhook; if the confirm won, the disconnect said so and the row is there.
  if (!row) {
    assert.ok(revoked.includes(`drt-${counter}`), `the confirmed grant drt-${counter} was never revoked`);
    assert.equal(c.body?.error?.code, "connection_changed", JSON.stringify(c.body));
    assert.ok(hits.some((h) => h.method === "DELETE" && h.path.includes(`/webhooks/10${counter}/`)));
  } else {
    assert.equal(c.status, 200);
    assert.equal(d.body?.error?.code, "connection_changed", JSON.stringify(d.body));
  }
});

test("F5 disconnect while a connection waits for its confirmation: the parked grant is revoked too", async () => {
  await reset();
  await connect("discord");
  const old = counter;
  const { state, confirmSecret } = await begin("discord");
  const landed = await land("discord", state);
  hits.length = 0;
  assert.equal((await disconnect("discord")).status, 204);
  const revoked = hits.filter((h) => h.path.endsWith("/token/revoke")).map((h) => new URLSearchParams(h.body).get("token"));
  assert.deepEqual(revoked.sort(), [`drt-${old}`, `drt-${counter}`].sort());
  assert.deepEqual(hits.filter((h) => h.method === "DELETE").map((h) => h.path).sort(), [
    `/discord/api/v10/webhooks/10${old}/whtoken${old}`,
    `/discord/api/v10/webhooks/10${counter}/whtoken${counter}`,
  ].sort());
  assert.equal((await confirm(landed.pending!, confirmSecret)).body.error.code, "invalid_state");
});

test("F1 a stored webhook off the provider's origins is neither posted to nor deleted (rows are not trusted)", async () => {
  for (const id of ["slack", "discord"] as Chat[]) {
    await reset();
    await connect(id);
    const secret = id === "slack"
      ? { url: "http://127.0.0.1:54321/rest/v1/x" }
      : { url: `${BASE}/discord/api/v10/webhooks/1/t`, webhookId: "1", webhookToken: "../../../internal" };
    await sql`update public.team_integrations
                 set destination_secret_encrypted = ${await encryptDestinationSecret(TEAM, id, secret)}
               where team_id = ${TEAM} and provider = ${id}`;
    hits.length = 0;
    const sent = await testMessage(id);
    assert.equal(sent.body?.error?.code, "destination_gone", JSON.stringify(sent.body));
    await disconnect(id);
    assert.deepEqual(hits.filter((h) => h.path.includes("internal") || h.path.includes("/rest/")), []);
    assert.deepEqual(hits.filter((h) => h.method !== "POST" || !h.path.includes("revoke")).map((h) => h.path), []);
  }
});

test("F7 odd token shapes: casing, wrong types, ok as a string, huge expires_in", async () => {
  const cases: [Chat, (n: number) => unknown, string][] = [
    ["slack", (n) => ({ ...slackOk(n), token_type: "BOT" }), "pending"],
    ["discord", (n) => ({ ...discordOk(n), token_type: "bEaReR" }), "pending"],
    ["slack", (n) => ({ ...slackOk(n), ok: "true" }), "token_exchange_failed"],
    ["slack", (n) => ({ ...slackOk(n), incoming_webhook: { url: 42 } }), "invalid_token_response"],
    ["slack", (n) => ({ ...slackOk(n), incoming_webhook: "x" }), "invalid_token_response"],
    ["discord", (n) => ({ ...discordOk(n), expires_in: 1e308 }), "pending"],
    ["discord", (n) => ({ ...discordOk(n), expires_in: "604800" }), "pending"],
    ["discord", (n) => ({ ...discordOk(n), webhook: { ...discordOk(n).webhook, token: "..", id: "1" } }), "invalid_token_response"],
    ["discord", (n) => ({ ...discordOk(n), webhook: { ...discordOk(n).webhook, token: "a.b", id: "1" } }), "invalid_token_response"],
    ["discord", (n) => ({ ...discordOk(n), webhook: { ...discordOk(n).webhook, id: "W1" } }), "invalid_token_response"],
    ["slack", (n) => ({ ...slackOk(n), scope: "a\u0000b" }), "pending"],
    ["slack", (n) => ({ ...slackOk(n), access_token: "x".repeat(5_000_000) }), "invalid_token_response"],
    ["discord", (n) => ({ ...discordOk(n), refresh_token: "r".repeat(8193) }), "invalid_token_response"],
    ["slack", () => [1, 2], "invalid_token_response"],
    ["discord", (n) => ({ ...discordOk(n), token_type: "constructor" }), "invalid_token_response"],
    ["discord", (n) => ({ ...discordOk(n), token_type: "__proto__" }), "invalid_token_response"],
    ["slack", (n) => ({ ...slackOk(n), incoming_webhook: { ...slackOk(n).incoming_webhook, url: "file:///etc/passwd" } }), "invalid_token_response"],
    ["slack", (n) => ({ ...slackOk(n), incoming_webhook: { ...slackOk(n).incoming_webhook, url: "https://u:p@hooks.slack.com/x" } }), "invalid_token_response"],
  ];
  const report: string[] = [];
  for (const [id, body, want] of cases) {
    await reset();
    tokenBody[id] = body;
    const { state } = await begin(id);
    const landed = await land(id, state);
    const got = landed.query.code ?? landed.query.status;
    report.push(`${id} ${body(0) instanceof Array ? "[array]" : JSON.stringify(body(0)).slice(0, 90)} -> ${got}`);
    if (want !== "?") assert.equal(got, want, report.at(-1)!);
  }
  console.log(report.join("\n"));
});

test("F8 twenty test messages at once against a 429-ing, then a gone Slack: no 5xx, ONE destination_gone event", async () => {
  await reset();
  await connect("slack");
  const [{ since }] = await sql`select clock_timestamp() as since`; // events are append-only: count this test's
  postAnswer = () => new Response("rate_limited", { status: 429, headers: { "retry-after": "0" } });
  const results = await Promise.all(Array.from({ length: 20 }, () => testMessage("slack")));
  const statuses = results.map((r) => r.status);
  console.log("429 storm:", JSON.stringify(statuses));
  assert.ok(statuses.every((s) => s < 500 || s === 503), JSON.stringify(results.find((r) => r.status >= 500)));
  postAnswer = () => new Response("no_service", { status: 404 });
  const gone = await Promise.all(Array.from({ length: 20 }, () => testMessage("slack")));
  console.log("gone storm:", JSON.stringify(gone.map((r) => `${r.status}:${r.body?.error?.code}`)));
  const events = await sql`select type from public.integration_events where team_id = ${TEAM}
                           and type = 'slack.integration.destination_gone' and occurred_at >= ${since}`;
  assert.equal(events.length, 1, `${events.length} destination_gone events for one gone destination`);
});

test("F9 test-message bad input: member, unknown, odd provider names, body junk", async () => {
  await reset();
  await connect("slack");
  const out: string[] = [];
  for (const p of ["slack", "__proto__", "constructor", "SLACK", "slack%00", "fathom", "zoom", "%2e%2e"]) {
    const r = await testMessage(p, p === "slack" ? MEMBER : ADMIN);
    out.push(`${p}: ${r.status} ${r.body?.error?.code}`);
    assert.ok(r.status < 500, out.at(-1)!);
  }
  console.log(out.join("\n"));
});

test("F10 no secret in any log line across connect, post failures and disconnect", async () => {
  const logged: string[] = [];
  const orig = { error: console.error, warn: console.warn, log: console.log, info: console.info };
  for (const k of Object.keys(orig) as (keyof typeof orig)[]) {
    console[k] = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
  }
  try {
    for (const id of ["slack", "discord"] as Chat[]) {
      await reset();
      await connect(id);
      for (const answer of [
        () => new Response("boom", { status: 500 }),
        () => new Response("no_service", { status: 404 }),
        () => Response.json({ code: 10015 }, { status: 404 }),
      ]) {
        postAnswer = answer;
        await testMessage(id);
      }
      // a connect that fails late (after the exchange) and an unreachable provider
      tokenBody[id] = (n) => id === "slack" ? slackOk(n, { url: "http://evil.example/x" }) : discordOk(n, { id: "evil.example" });
      const { state } = await begin(id);
      await land(id, state);
      await disconnect(id);
    }
  } finally {
    Object.assign(console, orig);
  }
  const leaks = logged.filter((l) => /slacksecret|whtoken|xoxb-|dat-\d|drt-\d|evil\.example|secret-(slack|discord)/.test(l));
  assert.deepEqual(leaks, []);
  console.log(`${logged.length} log lines, none with a secret`);
});

test("F11 discord: ten concurrent refreshes of an expiring token spend the single-use refresh token once", async () => {
  await reset();
  await connect("discord");
  await sql`update public.team_integrations set token_expires_at = now() + interval '1 minute'
             where team_id = ${TEAM} and provider = 'discord'`;
  const [{ id }] = await sql`select id from public.team_integrations where team_id = ${TEAM} and provider = 'discord'`;
  const { getFreshAccessToken } = await import("../_shared/oauth/refresh.ts");
  hits.length = 0;
  const got = await Promise.allSettled(Array.from({ length: 10 }, () => getFreshAccessToken(id)));
  const calls = hits.filter((h) => h.path === "/discord/token" && h.body.includes("refresh_token"));
  const tokens = new Set(got.map((g) => g.status === "fulfilled" ? g.value : `ERR ${(g.reason as Error).message}`));
  console.log("refresh calls", calls.length, "tokens", [...tokens]);
  assert.equal(calls.length, 1);
  const [row] = await sql`select status from public.team_integrations where id = ${id}`;
  assert.equal(row.status, "connected");
});

test("F12 slack: a gone answer arriving after a reconnect does not mark the NEW channel gone", async () => {
  await reset();
  await connect("slack");
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  postAnswer = async () => {
    await gate;
    return new Response("channel_not_found", { status: 404 });
  };
  const pending = testMessage("slack");
  await new Promise((r) => setTimeout(r, 100));
  postAnswer = null;
  await connect("slack"); // reconnect to a new channel while the old post is in flight
  release();
  const answer = await pending;
  const [row] = await sql`select status, last_error from public.team_integrations where team_id = ${TEAM} and provider = 'slack'`;
  console.log("in-flight post:", answer.status, answer.body?.error?.code, "row:", row.status, row.last_error);
  assert.equal(row.status, "connected");
});

test("F13 CORS of the new functions: a foreign origin gets no allow-origin", async () => {
  const out: string[] = [];
  for (const [name, h] of [["slack-oauth-start", slackStart], ["discord-oauth-start", discordStart], ["oauth-confirm", confirmHandler]] as const) {
    for (const origin of ["https://evil.example", "null", APP]) {
      const res = await h(request(`/${name}`, { method: "OPTIONS", origin, headers: { "access-control-request-method": "POST" } }));
      out.push(`${name} ${origin}: ${res.status} ${res.headers.get("access-control-allow-origin")}`);
      if (origin !== APP) assert.equal(res.headers.get("access-control-allow-origin"), null, out.at(-1)!);
    }
  }
  const cb = await slackCallback(request("/slack-oauth-callback?code=c&state=x", { origin: "https://evil.example" }));
  out.push(`slack-oauth-callback: ${cb.status} acao=${cb.headers.get("access-control-allow-origin")} loc=${cb.headers.get("location")} ` +
    `referrer=${cb.headers.get("referrer-policy")} cache=${cb.headers.get("cache-control")}`);
  console.log(out.join("\n"));
});

// ---- review 9b (second attacker): B1/B2 replaced or swept pending connections, B4/B5/B8 webhook base, B7 snapshot ----

const revokedTokens = () =>
  hits.filter((h) => h.path.endsWith("/token/revoke")).map((h) => new URLSearchParams(h.body).get("token"));
const deletedPaths = () => hits.filter((h) => h.method === "DELETE").map((h) => h.path);

test("B1 a second callback replacing an unconfirmed pending connection gives the first grant (and webhook) back", async () => {
  for (const id of ["discord", "slack"] as Chat[]) {
    await reset();
    const a = await begin(id);
    const first = await land(id, a.state);
    assert.equal(first.query.status, "pending");
    const n = counter;
    const b = await begin(id);
    hits.length = 0;
    const second = await land(id, b.state);
    assert.equal(second.query.status, "pending", JSON.stringify(second.query));
    if (id === "discord") {
      assert.deepEqual(revokedTokens(), [`drt-${n}`], "the replaced grant is left alive at Discord");
      assert.deepEqual(deletedPaths(), [`/discord/api/v10/webhooks/10${n}/whtoken${n}`], "its webhook is left alive");
    } else {
      const revokes = hits.filter((h) => h.path.endsWith("/auth.revoke")).map((h) => h.auth);
      assert.deepEqual(revokes, [`Bearer xoxb-${n}`], "the replaced grant is left alive at Slack");
    }
    // the newer one still connects; the older one is gone
    assert.equal((await confirm(second.pending!, b.confirmSecret)).status, 200);
    assert.equal((await confirm(first.pending!, a.confirmSecret)).body.error.code, "invalid_state");
  }
});

test("B2 an expired pending connection swept by any later callback is given back (grant revoked, webhook deleted)", async () => {
  await reset();
  const a = await begin("discord");
  assert.equal((await land("discord", a.state)).query.status, "pending");
  const n = counter;
  await sql`update public.oauth_pending_connections set expires_at = now() - interval '1 minute' where team_id = ${TEAM}`;
  hits.length = 0;
  const s = await begin("slack"); // another provider's callback sweeps it
  assert.equal((await land("slack", s.state)).query.status, "pending");
  const [{ left }] = await sql`select count(*)::int as left from public.oauth_pending_connections where provider = 'discord'`;
  assert.equal(left, 0);
  assert.deepEqual(revokedTokens(), [`drt-${n}`]);
  assert.deepEqual(deletedPaths(), [`/discord/api/v10/webhooks/10${n}/whtoken${n}`]);
});

test("B4 discord: the token response's url decides nothing; with a well-formed id/token the webhook is always deletable", async () => {
  for (const url of ["https://canary.discord.com/api/webhooks/1/x", "https://DISCORD.com./api/webhooks/1/x", "ftp://x", 42]) {
    await reset();
    tokenBody.discord = (n) => discordOk(n, { url });
    await connect("discord"); // not refused: we never call that URL
    const n = counter;
    hits.length = 0;
    assert.equal((await testMessage("discord")).status, 200);
    assert.deepEqual(hits.map((h) => `${h.method} ${h.path}`), [`POST /discord/api/v10/webhooks/10${n}/whtoken${n}?wait=true`]);
  }
  // refused later (the pending row cannot be stored): the webhook built from id/token is deleted, whatever the url
  await reset();
  tokenBody.discord = (n) => discordOk(n, { url: "https://canary.discord.com/api/webhooks/1/x" });
  const { state } = await begin("discord");
  await sql`alter table public.oauth_pending_connections add constraint attack_no_insert check (false) not valid`;
  try {
    assert.equal((await land("discord", state)).query.code, "internal_error");
  } finally {
    await sql`alter table public.oauth_pending_connections drop constraint attack_no_insert`;
  }
  assert.deepEqual(deletedPaths(), [`/discord/api/v10/webhooks/10${counter}/whtoken${counter}`]);
  assert.deepEqual(revokedTokens(), [`drt-${counter}`]);
});

test("B5 slack: a webhook URL passes only under the webhook base URL, not anywhere on its origin", async () => {
  const port = new URL(BASE).port;
  for (const url of [
    `${BASE}/slack/api/auth.revoke`, // the API base's origin: not a webhook
    `${BASE}/internal/admin`,
    `${BASE}/slack/hooks/services/../../internal/admin`, // normalises out of the base
    `${BASE}/slack/hooks/services/%2e%2e/%2e%2e/internal`,
    `${BASE}/slack/hooks/services/..%2F..%2Finternal`, // a server that decodes %2F would leave the base
    `${BASE}/slack/hooks/services/T1/B1/x?token=1`,
    `${BASE}/slack/hooks/services/`,
    `${BASE}/slack/hooks/servicesX/T1/B1/x`,
    `http://0x7f.0.0.1:${port}/internal`, // other spellings of the host normalise to it: the path decides
    `http://2130706433:${port}/internal`,
  ]) {
    await reset();
    tokenBody.slack = (n) => slackOk(n, { url });
    const { state } = await begin("slack");
    const landed = await land("slack", state);
    assert.equal(landed.query.code, "invalid_token_response", `${url} accepted: ${JSON.stringify(landed.query)}`);
  }
  // the normalised spellings of a URL under the base still pass, and are stored normalised
  await reset();
  tokenBody.slack = (n) => slackOk(n, { url: `${BASE.replace("http:", "HTTP:")}/slack/hooks/services/T1/./B1/x1` });
  await connect("slack");
  assert.equal((await storedSecret("slack")).url, `${BASE}/slack/hooks/services/T1/B1/x1`);
});

test("B8 production defaults: a Slack webhook lives under https://hooks.slack.com/services/, nowhere else on slack.com", async () => {
  const saved = { api: Deno.env.get("SLACK_API_BASE_URL"), hooks: Deno.env.get("SLACK_WEBHOOK_BASE_URL") };
  Deno.env.delete("SLACK_API_BASE_URL");
  Deno.env.delete("SLACK_WEBHOOK_BASE_URL");
  try {
    const { pinnedWebhookUrl } = await import("../_shared/oauth/webhook-url.ts");
    const { slack } = await import("../_shared/oauth/providers/slack.ts");
    for (const bad of ["https://slack.com/api/chat.postMessage", "https://slack.com/api/auth.revoke?token=x",
      "https://hooks.slack.com/triggers/T/1/x", "https://hooks.slack.com/services", "http://hooks.slack.com/services/T/B/x"]) {
      assert.equal(pinnedWebhookUrl(slack, bad), null, bad);
    }
    assert.equal(pinnedWebhookUrl(slack, "HTTPS://HOOKS.SLACK.COM:443/services/T/B/x"), "https://hooks.slack.com/services/T/B/x");
  } finally {
    Deno.env.set("SLACK_API_BASE_URL", saved.api!);
    Deno.env.set("SLACK_WEBHOOK_BASE_URL", saved.hooks!);
  }
});

test("B7 disconnect uses ONE snapshot: a confirm landing before its hook runs keeps its new webhook", async () => {
  await reset();
  await connect("discord");
  const old = counter;
  const { state, confirmSecret } = await begin("discord");
  const landed = await land("discord", state);
  const fresh = counter;
  hits.length = 0;
  const { disconnect: engineDisconnect } = await import("../_shared/oauth/engine.ts");
  const { hooksFor } = await import("../_shared/lifecycle.ts");
  const real = hooksFor("discord");
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  let entered!: () => void;
  const inHook = new Promise<void>((r) => entered = r);
  // the same hooks; only WHEN the hook body runs changes (a scheduling delay after the disconnect read the row)
  const slowed = {
    ...real,
    beforeDisconnect: async (ctx: Parameters<NonNullable<typeof real.beforeDisconnect>>[0]) => {
      entered();
      await gate;
      return await real.beforeDisconnect!(ctx);
    },
  };
  const claims = { sub: ADMIN, role: "authenticated", aud: "authenticated" } as const;
  const disc = engineDisconnect("discord", { claims, teamId: TEAM }, slowed)
    .then(() => null, (e) => (e as { code?: string }).code);
  await inHook;
  assert.equal((await confirm(landed.pending!, confirmSecret)).status, 200);
  release();
  assert.equal(await disc, "connection_changed");
  const newHook = `/discord/api/v10/webhooks/10${fresh}/whtoken${fresh}`;
  assert.ok(!deletedPaths().includes(newHook), `the surviving connection's webhook was deleted: ${deletedPaths()}`);
  assert.ok(deletedPaths().every((p) => p === `/discord/api/v10/webhooks/10${old}/whtoken${old}`), `${deletedPaths()}`);
  assert.ok(!revokedTokens().includes(`drt-${fresh}`), "the surviving connection's grant was revoked");
  assert.equal((await testMessage("discord")).status, 200);
});

test("teardown", async () => {
  controller.abort();
  await server.finished;
  await resetDb();
  await closeAll();
});
