import assert from "node:assert/strict";
import { AVERY, authorize, authorizeParams, basic, call, challengeOf, CLIENT_ID, CLIENT_SECRET, decide, form, newZoom, REDIRECT_URI, ROBIN, token, VERIFIER, api } from "./test-helpers.ts";

Deno.test("Zoom: consent with a user picker -> code -> Basic token exchange -> one-hour bearer token -> /users/me", async () => {
  const { zoom } = newZoom();
  const page = await call(zoom, `/zoom/oauth/authorize?${new URLSearchParams(authorizeParams)}`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<label for="user_id">Sign in as<\/label>/);
  for (const email of [AVERY.email, ROBIN.email]) assert.ok(html.includes(email));

  const body = await authorize(zoom, { user_id: ROBIN.id });
  assert.equal(body.token_type, "bearer");
  assert.equal(body.expires_in, 3600);
  assert.equal(typeof body.refresh_token, "string");
  assert.equal(body.api_url, "http://sandbox.test/zoom");
  const me = await api(zoom, "/users/me", body.access_token);
  assert.equal(me.status, 200);
  assert.deepEqual([me.body.id, me.body.account_id, me.body.email], [ROBIN.id, ROBIN.account_id, ROBIN.email]);
});

Deno.test("Zoom: the client authenticates with HTTP Basic only; errors are {reason, error}", async () => {
  const { zoom } = newZoom();
  const code = (await decide(zoom)).searchParams.get("code")!;
  const inBody = await token(zoom, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }, {});
  assert.equal(inBody.status, 401);
  assert.deepEqual(inBody.body, { reason: "Invalid client_id or client_secret", error: "invalid_client" });
  const wrong = await token(zoom, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI }, basic(CLIENT_ID, "nope"));
  assert.equal(wrong.status, 401);
  const ok = await token(zoom, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
  assert.equal(ok.status, 200, "a refused client does not burn the code");
  const replay = await token(zoom, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
  assert.deepEqual([replay.status, replay.body.error], [400, "invalid_grant"]);
});

Deno.test("Zoom: PKCE S256 is checked at the token endpoint", async () => {
  const { zoom } = newZoom();
  const challenge = await challengeOf(VERIFIER);
  const codeOf = async () => (await decide(zoom, { code_challenge: challenge, code_challenge_method: "S256" })).searchParams.get("code")!;
  const missing = await token(zoom, { grant_type: "authorization_code", code: await codeOf(), redirect_uri: REDIRECT_URI });
  assert.deepEqual([missing.status, missing.body.error], [400, "invalid_request"]);
  const wrong = await token(zoom, { grant_type: "authorization_code", code: await codeOf(), redirect_uri: REDIRECT_URI, code_verifier: VERIFIER + "x" });
  assert.deepEqual([wrong.status, wrong.body.error], [400, "invalid_request"]);
  const right = await token(zoom, { grant_type: "authorization_code", code: await codeOf(), redirect_uri: REDIRECT_URI, code_verifier: VERIFIER });
  assert.equal(right.status, 200);
});

Deno.test("Zoom: codes live 5 minutes; access tokens one hour", async () => {
  const { zoom, clock } = newZoom();
  const code = (await decide(zoom)).searchParams.get("code")!;
  clock.ms += 301_000;
  const late = await token(zoom, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
  assert.deepEqual([late.status, late.body.error], [400, "invalid_grant"]);
  const body = await authorize(zoom);
  clock.ms += 3600_000;
  const expired = await api(zoom, "/users/me", body.access_token);
  assert.deepEqual([expired.status, expired.body.code, expired.body.message], [401, 124, "Access token is expired."]);
});

Deno.test("Zoom: refresh tokens rotate and are single-use", async () => {
  const { zoom } = newZoom();
  const first = await authorize(zoom);
  const second = await token(zoom, { grant_type: "refresh_token", refresh_token: first.refresh_token });
  assert.equal(second.status, 200);
  assert.notEqual(second.body.refresh_token, first.refresh_token);
  const reuse = await token(zoom, { grant_type: "refresh_token", refresh_token: first.refresh_token });
  assert.deepEqual([reuse.status, reuse.body], [400, { reason: "Invalid Token!", error: "invalid_grant" }]);
  const third = await token(zoom, { grant_type: "refresh_token", refresh_token: second.body.refresh_token });
  assert.equal(third.status, 200);
});

Deno.test("Zoom: re-authorizing the same user invalidates the previous tokens", async () => {
  const { zoom } = newZoom();
  const old = await authorize(zoom);
  await authorize(zoom);
  assert.equal((await api(zoom, "/users/me", old.access_token)).status, 401);
  assert.equal((await token(zoom, { grant_type: "refresh_token", refresh_token: old.refresh_token })).status, 400);
});

Deno.test("Zoom: revoke (Basic auth) ends the whole grant and is recorded", async () => {
  const { zoom } = newZoom();
  const body = await authorize(zoom);
  const res = await call(zoom, `/zoom/oauth/revoke?token=${encodeURIComponent(body.access_token)}`, { method: "POST", headers: basic() });
  assert.deepEqual([res.status, await res.json()], [200, { status: "success" }]);
  assert.equal((await api(zoom, "/users/me", body.access_token)).status, 401);
  assert.equal((await token(zoom, { grant_type: "refresh_token", refresh_token: body.refresh_token })).status, 400);
  const { revocations } = await (await call(zoom, "/zoom/_sandbox/revocations")).json();
  assert.equal(revocations.length, 1);
});

Deno.test("Zoom: deny and bad requests go back to the app or stay on an error page", async () => {
  const { zoom } = newZoom();
  const denied = await decide(zoom, { decision: "deny" });
  assert.deepEqual([denied.searchParams.get("error"), denied.searchParams.get("state")], ["access_denied", "st-1"]);
  const unknown = await call(zoom, `/zoom/oauth/authorize?${new URLSearchParams({ ...authorizeParams, client_id: "nope" })}`);
  assert.equal(unknown.status, 400);
  await unknown.body?.cancel();
  const scope = await call(zoom, `/zoom/oauth/authorize?${new URLSearchParams({ ...authorizeParams, scope: "user:read:user,admin:everything" })}`);
  assert.equal(new URL(scope.headers.get("location")!).searchParams.get("error"), "invalid_scope");
});

Deno.test("Zoom: failure switches: token 429 with Zoom's headers, 503, slow answers normally", async () => {
  const { zoom } = newZoom();
  await call(zoom, "/zoom/_sandbox/failures", { method: "POST", body: JSON.stringify({ target: "token", kind: "rate_limited", retryAfterSeconds: 2 }) });
  const limited = await token(zoom, { grant_type: "refresh_token", refresh_token: "x" });
  assert.equal(limited.status, 429);
  assert.equal(limited.body.code, 429);
  assert.equal(limited.headers.get("x-ratelimit-type"), "QPS");
  assert.equal(limited.headers.get("retry-after"), "2026-03-02T12:00:02.000Z");
  await call(zoom, "/zoom/_sandbox/failures", { method: "POST", body: JSON.stringify({ target: "token", kind: "server_error" }) });
  const down = await call(zoom, "/zoom/oauth/token", form({ grant_type: "refresh_token", refresh_token: "x" }, basic()));
  assert.equal(down.status, 503);
  await down.body?.cancel();
  await call(zoom, "/zoom/_sandbox/failures", { method: "POST", body: JSON.stringify({ target: "token", kind: "slow", delayMs: 1 }) });
  const slow = await token(zoom, { grant_type: "refresh_token", refresh_token: "x" });
  assert.equal(slow.status, 400, "a slow answer is the normal answer");
});
