// fathom-oauth-start: who may start, what the browser may ask for, and what is (not) stored.
import assert from "node:assert/strict";
import { handler } from "../fathom-oauth-start/handler.ts";
import { encryptSecret, fromBase64, integrationAad, sha256Hex } from "../_shared/crypto.ts";
import {
  ADMIN,
  APP,
  CALLBACK_URL,
  CLIENT_ID,
  closeAll,
  errorOf,
  jwtFor,
  MEMBER,
  OTHER_APP,
  OTHER_TEAM,
  OUTSIDER,
  REDIRECT_URI,
  request,
  resetDb,
  sql,
  TEAM,
  test,
  withEnv,
} from "./helpers.ts";

Deno.env.set("FATHOM_AUTHORIZE_URL", "https://fathom.example/external/v1/oauth2/authorize");

async function start(user: string | null, body: unknown, origin = APP) {
  return await handler(request("/fathom-oauth-start", {
    method: "POST",
    origin,
    token: user ? await jwtFor(user) : undefined,
    body: typeof body === "string" ? body : JSON.stringify(body),
  }));
}

test("start: an admin gets the Fathom authorize URL with exactly the documented parameters", async () => {
  await resetDb();
  const res = await start(ADMIN, { teamId: TEAM, redirectUri: REDIRECT_URI });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("access-control-allow-origin"), APP);
  const { authUrl } = await res.json();
  const url = new URL(authUrl);
  assert.equal(`${url.origin}${url.pathname}`, "https://fathom.example/external/v1/oauth2/authorize");
  assert.deepEqual([...url.searchParams.keys()], ["client_id", "redirect_uri", "response_type", "scope", "state"]);
  assert.equal(url.searchParams.get("client_id"), CLIENT_ID);
  assert.equal(url.searchParams.get("redirect_uri"), CALLBACK_URL);
  assert.equal(url.searchParams.get("response_type"), "code");
  assert.equal(url.searchParams.get("scope"), "public_api");
  const [teamId, token] = url.searchParams.get("state")!.split(":");
  assert.equal(teamId, TEAM);
  assert.equal(fromBase64(token).length, 32, "the state carries 256 random bits");
});

test("start: the defaults point at Fathom's real authorize URL", async () => {
  await resetDb();
  await withEnv({ FATHOM_AUTHORIZE_URL: undefined }, async () => {
    const { authUrl } = await (await start(ADMIN, { teamId: TEAM, redirectUri: REDIRECT_URI })).json();
    assert.ok(authUrl.startsWith("https://fathom.video/external/v1/oauth2/authorize?client_id="));
  });
});

test("start: only sha256(state) is stored, with a 10-minute expiry, the initiating user and the redirectUri", async () => {
  await resetDb();
  const { authUrl, confirmSecret } = await (await start(ADMIN, {
    teamId: TEAM,
    redirectUri: `${OTHER_APP}/fathom-callback.html`,
  })).json();
  const state = new URL(authUrl).searchParams.get("state")!;
  const token = state.split(":")[1];
  const [row] = await sql`
    select *, extract(epoch from oauth_state_expires_at - now())::int as ttl
      from public.team_integrations where team_id = ${TEAM} and provider = 'fathom'`;
  assert.equal(row.oauth_state_hash, await sha256Hex(token));
  assert.ok(row.ttl > 590 && row.ttl <= 600, `ttl ${row.ttl}`);
  assert.equal(row.oauth_state_user_id, ADMIN);
  assert.equal(row.oauth_redirect_uri, `${OTHER_APP}/fathom-callback.html`);
  assert.equal(row.oauth_code_verifier_encrypted, null, "Fathom does not use PKCE");
  assert.equal(row.status, "disconnected");
  assert.ok(!JSON.stringify(row).includes(token), "the raw state token is nowhere in the row");
  // the confirm secret binds the flow to whoever read this response: only its hash is kept, and it is not in the URL
  assert.match(confirmSecret, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(row.oauth_confirm_hash, await sha256Hex(confirmSecret));
  assert.ok(!JSON.stringify(row).includes(confirmSecret));
  assert.ok(!authUrl.includes(confirmSecret));
});

test("start: a second start replaces the pending state (only the latest popup can complete)", async () => {
  await resetDb();
  const first = new URL((await (await start(ADMIN, { teamId: TEAM, redirectUri: REDIRECT_URI })).json()).authUrl);
  const second = new URL((await (await start(ADMIN, { teamId: TEAM, redirectUri: REDIRECT_URI })).json()).authUrl);
  assert.notEqual(first.searchParams.get("state"), second.searchParams.get("state"));
  const rows = await sql`select oauth_state_hash from public.team_integrations where team_id = ${TEAM}`;
  assert.equal(rows.length, 1);
  assert.equal(rows[0].oauth_state_hash, await sha256Hex(second.searchParams.get("state")!.split(":")[1]));
});

test("start: an existing connection keeps its tokens, status and account while a new authorization is pending", async () => {
  await resetDb();
  const access = await encryptSecret("old-access", integrationAad(TEAM, "fathom", "access_token"));
  const refresh = await encryptSecret("old-refresh", integrationAad(TEAM, "fathom", "refresh_token"));
  await sql`
    insert into public.team_integrations (team_id, provider, status, account_id, account_name, account_email,
      access_token_encrypted, refresh_token_encrypted, token_expires_at, connected_by, connected_at)
    values (${TEAM}, 'fathom', 'connected', 'alice@acme.com', 'Alice', 'alice@acme.com', ${access}, ${refresh},
      now() + interval '1 day', ${ADMIN}, now() - interval '1 day')`;
  const cols = sql`status, account_id, account_name, account_email, access_token_encrypted, refresh_token_encrypted,
                   token_expires_at, connected_by, connected_at`;
  const [before] = await sql`select ${cols} from public.team_integrations where team_id = ${TEAM}`;
  const res = await start(ADMIN, { teamId: TEAM, redirectUri: REDIRECT_URI });
  assert.equal(res.status, 200);
  await res.body?.cancel();
  const [after] = await sql`select ${cols} from public.team_integrations where team_id = ${TEAM}`;
  assert.deepEqual(after, before);
});

test("start: a member gets 403 not_team_admin", async () => {
  await resetDb();
  const res = await start(MEMBER, { teamId: TEAM, redirectUri: REDIRECT_URI });
  assert.equal(res.status, 403);
  assert.equal((await errorOf(res)).code, "not_team_admin");
  assert.equal((await sql`select 1 from public.team_integrations where team_id = ${TEAM}`).length, 0);
});

test("start: an outsider learns nothing: their team, someone else's team and no team give the identical 403", async () => {
  await resetDb();
  const answers = [];
  for (const teamId of [TEAM, crypto.randomUUID()]) {
    const res = await start(OUTSIDER, { teamId, redirectUri: REDIRECT_URI });
    answers.push({ status: res.status, body: await res.text() });
  }
  const member = await start(MEMBER, { teamId: TEAM, redirectUri: REDIRECT_URI });
  answers.push({ status: member.status, body: await member.text() });
  assert.equal(answers[0].status, 403);
  assert.deepEqual(answers[1], answers[0]);
  assert.deepEqual(answers[2], answers[0]);
  // and the outsider is an admin elsewhere: that does not help
  const own = await start(OUTSIDER, { teamId: OTHER_TEAM, redirectUri: REDIRECT_URI });
  assert.equal(own.status, 200);
  await own.body?.cancel();
});

test("start: a redirectUri outside APP_ORIGIN is 400 invalid_redirect_uri (no open redirect)", async () => {
  await resetDb();
  for (
    const redirectUri of [
      "https://evil.example/fathom-callback.html",
      "http://localhost.evil.example:5173/fathom-callback.html",
      "http://localhost:5174/fathom-callback.html",
      `http://user:pass@localhost:5173/fathom-callback.html`,
    ]
  ) {
    const res = await start(ADMIN, { teamId: TEAM, redirectUri });
    assert.equal(res.status, 400, redirectUri);
    assert.equal((await errorOf(res)).code, "invalid_redirect_uri", redirectUri);
  }
  assert.equal((await sql`select 1 from public.team_integrations where team_id = ${TEAM}`).length, 0);
});

test("start: a bad body is 400 invalid_request", async () => {
  await resetDb();
  for (
    const body of [
      "not json",
      {},
      { teamId: "not-a-uuid", redirectUri: REDIRECT_URI },
      { teamId: TEAM },
      { teamId: TEAM, redirectUri: "javascript:alert(1)" },
      { teamId: TEAM, redirectUri: "not a url" },
    ]
  ) {
    const res = await start(ADMIN, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal((await errorOf(res)).code, "invalid_request");
  }
});

test("start: without a user JWT it is 401, and other methods are 405; OPTIONS is a preflight", async () => {
  const anon = await start(null, { teamId: TEAM, redirectUri: REDIRECT_URI });
  assert.equal(anon.status, 401);
  assert.equal((await errorOf(anon)).code, "unauthorized");
  const service = await handler(request("/fathom-oauth-start", {
    method: "POST",
    token: await jwtFor(ADMIN, { role: "service_role" }),
    body: JSON.stringify({ teamId: TEAM, redirectUri: REDIRECT_URI }),
  }));
  assert.equal(service.status, 401);
  await service.body?.cancel();
  const get = await handler(request("/fathom-oauth-start", { token: await jwtFor(ADMIN) }));
  assert.equal(get.status, 405);
  await get.body?.cancel();
  const pre = await handler(request("/fathom-oauth-start", { method: "OPTIONS", origin: APP }));
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get("access-control-allow-origin"), APP);
});

test("start: without FATHOM_CLIENT_ID/SECRET it is 503 provider_not_configured", async () => {
  await resetDb();
  await withEnv({ FATHOM_CLIENT_SECRET: undefined }, async () => {
    const res = await start(ADMIN, { teamId: TEAM, redirectUri: REDIRECT_URI });
    assert.equal(res.status, 503);
    assert.equal((await errorOf(res)).code, "provider_not_configured");
  });
});

test("cleanup: start tests leave the database as seeded", async () => {
  await resetDb({ dropOtherTeam: true });
  await closeAll();
});
