import assert from "node:assert/strict";
import { api, authorize, authorizeParams, call, CLIENT_ID, CLIENT_SECRET, decide, form, newTypeform, REDIRECT_URI, token } from "./test-helpers.ts";

Deno.test("Typeform: consent -> code -> tokens (client_secret_post) -> GET /me", async () => {
  const { typeform, clock } = newTypeform();
  const page = await call(typeform, `/typeform/oauth/authorize?${new URLSearchParams(authorizeParams)}`);
  assert.equal(page.status, 200);
  const html = await page.text();
  for (const scope of authorizeParams.scope.split(" ")) assert.ok(html.includes(`<code>${scope}</code>`), scope);
  assert.match(html, /value="allow"[^>]*>Accept</);

  const location = await decide(typeform);
  assert.equal(location.searchParams.get("state"), "st-1");
  const { status, body } = await token(typeform, { grant_type: "authorization_code", code: location.searchParams.get("code")!, redirect_uri: REDIRECT_URI });
  assert.equal(status, 200);
  assert.equal(body.token_type, "bearer");
  assert.equal(body.expires_in, 604800);
  assert.equal(body.scope, authorizeParams.scope);
  assert.equal(typeof body.refresh_token, "string", "offline gives a refresh token");

  const me = await api(typeform, clock, body.access_token, "/me");
  assert.deepEqual([me.status, me.body], [200, { alias: "Sandy Sandbox", email: "sandy@typeform-sandbox.test", language: "en" }]);
});

Deno.test("Typeform: Basic client auth, a wrong secret, a replayed code and a wrong redirect_uri are refused", async () => {
  const { typeform } = newTypeform();
  const codeOf = async () => (await decide(typeform)).searchParams.get("code")!;
  const basic = { authorization: `Basic ${btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)}` };
  const viaBasic = await call(typeform, "/typeform/oauth/token", form({ grant_type: "authorization_code", code: await codeOf(), redirect_uri: REDIRECT_URI }, basic));
  assert.deepEqual([viaBasic.status, (await viaBasic.json()).error], [401, "invalid_client"]);
  assert.equal((await token(typeform, { grant_type: "authorization_code", code: await codeOf(), redirect_uri: REDIRECT_URI, client_secret: "wrong" })).status, 401);
  const code = await codeOf();
  assert.equal((await token(typeform, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI })).status, 200);
  assert.deepEqual((await token(typeform, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI })).body.error, "invalid_grant");
  assert.deepEqual((await token(typeform, { grant_type: "authorization_code", code: await codeOf(), redirect_uri: `${REDIRECT_URI}x` })).body.error, "invalid_grant");
  assert.deepEqual((await token(typeform, { grant_type: "password" })).body, { error: "unsupported_grant_type" });
});

Deno.test("Typeform: refresh tokens rotate and are single-use; no offline scope, no refresh token", async () => {
  const { typeform, clock } = newTypeform();
  const first = await authorize(typeform);
  const refreshed = await token(typeform, { grant_type: "refresh_token", refresh_token: first.refresh_token! });
  assert.equal(refreshed.status, 200);
  assert.notEqual(refreshed.body.refresh_token, first.refresh_token);
  const again = await token(typeform, { grant_type: "refresh_token", refresh_token: first.refresh_token! });
  assert.deepEqual([again.status, again.body.error], [400, "invalid_grant"]);
  assert.equal((await api(typeform, clock, refreshed.body.access_token, "/me")).status, 200);

  const online = await authorize(typeform, { scope: "accounts:read forms:read" });
  assert.equal(online.refresh_token, undefined);
  // an expired access token is AUTHENTICATION_FAILED
  clock.ms += 604_800_000;
  assert.deepEqual(await api(typeform, clock, online.access_token, "/me"), {
    status: 401, headers: (await api(typeform, clock, online.access_token, "/me")).headers,
    body: { code: "AUTHENTICATION_FAILED", description: "Authentication credentials not found on the Request Headers" },
  });
});

Deno.test("Typeform authorize: unknown or comma-joined scopes go back as invalid_scope; deny is access_denied", async () => {
  const { typeform } = newTypeform();
  const comma = await call(typeform, `/typeform/oauth/authorize?${new URLSearchParams({ ...authorizeParams, scope: "offline,forms:read" })}`);
  assert.equal(comma.status, 302);
  assert.equal(new URL(comma.headers.get("location")!).searchParams.get("error"), "invalid_scope");
  const denied = await call(typeform, "/typeform/oauth/authorize", form({ ...authorizeParams, decision: "deny" }));
  assert.equal(new URL(denied.headers.get("location")!).searchParams.get("error"), "access_denied");
  const unknownClient = await call(typeform, `/typeform/oauth/authorize?${new URLSearchParams({ ...authorizeParams, client_id: "nope" })}`);
  assert.equal(unknownClient.status, 400);
});

Deno.test("Typeform failure switch on the token endpoint: 429 with Retry-After, gone, 5xx", async () => {
  const { typeform } = newTypeform();
  const fail = (body: unknown) => call(typeform, "/typeform/_sandbox/failures", { method: "POST", body: JSON.stringify(body) });
  await fail({ target: "token", kind: "rate_limited", retryAfterSeconds: 2 });
  const limited = await call(typeform, "/typeform/oauth/token", form({ grant_type: "refresh_token" }));
  assert.deepEqual([limited.status, limited.headers.get("retry-after")], [429, "2"]);
  await fail({ target: "token", kind: "gone" });
  assert.equal((await token(typeform, { grant_type: "refresh_token", refresh_token: "x" })).body.error, "invalid_grant");
  await fail({ target: "token", kind: "server_error" });
  assert.equal((await token(typeform, { grant_type: "refresh_token", refresh_token: "x" })).status, 500);
});
