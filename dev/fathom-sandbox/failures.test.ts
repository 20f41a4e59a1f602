import assert from "node:assert/strict";
import {
  authorizationCode,
  call,
  CLIENT_ID,
  connect,
  decide,
  getJson,
  newSandbox,
  postJson,
  REDIRECT_URI,
  tokenRequest,
} from "./test-helpers.ts";
import type { Sandbox } from "./sandbox.ts";

async function setFailure(sandbox: Sandbox, failure: Record<string, unknown>) {
  const res = await call(sandbox, "/_sandbox/failures", postJson(failure));
  assert.equal(res.status, 201, await res.clone().text());
  await res.body?.cancel();
}

const meetings = (sandbox: Sandbox, token: string) =>
  call(sandbox, "/external/v1/meetings", { headers: { authorization: `Bearer ${token}` } });

Deno.test("status_500 and status_503 fail the chosen number of requests, then the target recovers", async () => {
  const { sandbox } = newSandbox();
  const tokens = await connect(sandbox);
  await setFailure(sandbox, { target: "api", mode: "status_503", times: 2 });
  for (let i = 0; i < 2; i++) {
    const res = await meetings(sandbox, tokens.access_token);
    assert.equal(res.status, 503);
    await res.body?.cancel();
  }
  assert.equal((await meetings(sandbox, tokens.access_token)).status, 200);

  await setFailure(sandbox, { target: "token", mode: "status_500", times: 1 });
  const failed = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
  assert.equal(failed.status, 500);
  await failed.body?.cancel();
  const retried = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
  assert.equal(retried.status, 200, "a 500 before the grant ran must not consume the refresh token");
});

Deno.test("not_found answers the API with Fathom's 404 (a recording gone), for the API only", async () => {
  const { sandbox } = newSandbox();
  const tokens = await connect(sandbox);
  await setFailure(sandbox, { target: "api", mode: "not_found", times: 1 });
  const gone = await meetings(sandbox, tokens.access_token);
  assert.equal(gone.status, 404);
  assert.equal((await gone.json()).error, "not_found");
  assert.equal((await meetings(sandbox, tokens.access_token)).status, 200);
  const refused = await call(sandbox, "/_sandbox/failures", postJson({ target: "token", mode: "not_found" }));
  assert.equal(refused.status, 400);
  await refused.body?.cancel();
});

Deno.test("without times, a failure lasts until DELETE /_sandbox/failures", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  await setFailure(sandbox, { target: "api", mode: "status_500" });
  for (let i = 0; i < 3; i++) assert.equal((await meetings(sandbox, access_token)).status, 500);
  assert.equal((await call(sandbox, "/_sandbox/failures", { method: "DELETE" })).status, 204);
  assert.equal((await meetings(sandbox, access_token)).status, 200);
});

Deno.test("slow waits delayMs, then answers normally", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  await setFailure(sandbox, { target: "api", mode: "slow", delayMs: 150, times: 1 });
  const started = performance.now();
  const res = await meetings(sandbox, access_token);
  assert.ok(performance.now() - started >= 140);
  assert.equal(res.status, 200);
  assert.ok(Array.isArray((await res.json()).items));
});

Deno.test("malformed answers 200 with a body that is not valid JSON, on the API and the token endpoint", async () => {
  const { sandbox } = newSandbox();
  const tokens = await connect(sandbox);
  await setFailure(sandbox, { target: "api", mode: "malformed", times: 1 });
  const api = await meetings(sandbox, tokens.access_token);
  assert.equal(api.status, 200);
  await assert.rejects(api.json(), SyntaxError);

  await setFailure(sandbox, { target: "token", mode: "malformed", times: 1 });
  const token = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
  assert.equal(token.status, 200);
  await assert.rejects(token.json(), SyntaxError);
});

Deno.test("invalid_grant on token: refresh and code grants fail as if the user revoked access", async () => {
  const { sandbox } = newSandbox();
  const tokens = await connect(sandbox);
  const code = await authorizationCode(sandbox);
  await setFailure(sandbox, { target: "token", mode: "invalid_grant", times: 2 });
  const refresh = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
  assert.equal(refresh.status, 400);
  assert.equal((await refresh.json()).error, "invalid_grant");
  const exchange = await tokenRequest(sandbox, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
  assert.equal((await exchange.json()).error, "invalid_grant");
  // Client errors still take precedence, like on a real AS: a bad secret is invalid_client.
  await setFailure(sandbox, { target: "token", mode: "invalid_grant", times: 1 });
  const badClient = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_secret: "x" });
  assert.equal((await badClient.json()).error, "invalid_client");
});

Deno.test("invalid_grant on api answers 401 as for a revoked token", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  await setFailure(sandbox, { target: "api", mode: "invalid_grant", times: 1 });
  assert.equal((await meetings(sandbox, access_token)).status, 401);
  assert.equal((await meetings(sandbox, access_token)).status, 200);
});

Deno.test("rate_limited answers 429 with RateLimit headers on the API and the token endpoint", async () => {
  const { sandbox } = newSandbox();
  const tokens = await connect(sandbox);
  await setFailure(sandbox, { target: "api", mode: "rate_limited", times: 1 });
  const api = await getJson(sandbox, "/external/v1/meetings", tokens.access_token);
  assert.equal(api.status, 429);
  assert.equal(api.headers.get("RateLimit-Remaining"), "0");
  assert.match(api.headers.get("RateLimit-Reset")!, /^\d+$/);

  await setFailure(sandbox, { target: "token", mode: "rate_limited", times: 1 });
  const token = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
  assert.equal(token.status, 429);
  assert.equal(token.headers.get("RateLimit-Remaining"), "0");
  await token.body?.cancel();
});

Deno.test("authorize failures: 5xx page, a callback without code, and a code that cannot be exchanged", async () => {
  const { sandbox } = newSandbox();
  const consent = `/external/v1/oauth2/authorize?${new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: "code", scope: "public_api" })}`;
  await setFailure(sandbox, { target: "authorize", mode: "status_503", times: 1 });
  const down = await call(sandbox, consent);
  assert.equal(down.status, 503);
  await down.body?.cancel();
  const up = await call(sandbox, consent);
  assert.equal(up.status, 200);
  await up.body?.cancel();

  await setFailure(sandbox, { target: "authorize", mode: "malformed", times: 1 });
  const odd = await decide(sandbox, { state: "s" });
  assert.equal(odd.searchParams.get("code"), null);
  assert.equal(odd.searchParams.get("error"), null);
  assert.equal(odd.searchParams.get("state"), "s");

  await setFailure(sandbox, { target: "authorize", mode: "invalid_grant", times: 1 });
  const doomed = await authorizationCode(sandbox);
  const exchange = await tokenRequest(sandbox, { grant_type: "authorization_code", code: doomed, redirect_uri: REDIRECT_URI });
  assert.equal((await exchange.json()).error, "invalid_grant");
});

Deno.test("an invalid failure request is 400 and changes nothing", async () => {
  const { sandbox } = newSandbox();
  const res = await call(sandbox, "/_sandbox/failures", postJson({ target: "api", mode: "explode" }));
  assert.equal(res.status, 400);
  await res.body?.cancel();
  assert.deepEqual(sandbox.state().failures, []);
});
