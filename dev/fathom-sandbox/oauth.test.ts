import assert from "node:assert/strict";
import {
  authorizationCode,
  bearer,
  call,
  CLIENT_ID,
  CLIENT_SECRET,
  connect,
  decide,
  form,
  newSandbox,
  REDIRECT_URI,
  SANDY,
  tokenRequest,
} from "./test-helpers.ts";

const authorizeUrl = (params: Record<string, string>) => `/external/v1/oauth2/authorize?${new URLSearchParams(params)}`;
const validAuthorize = { client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: "code", scope: "public_api", state: "s1" };

Deno.test("full code flow: consent page, Authorize, code exchange, then the API accepts the token", async () => {
  const { sandbox } = newSandbox();
  const page = await call(sandbox, authorizeUrl(validAuthorize));
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<title>Fathom sandbox/);
  assert.match(html, />Authorize<\/button>/);
  assert.match(html, />Deny<\/button>/);
  assert.match(html, new RegExp(CLIENT_ID));

  const location = await decide(sandbox, { state: "s1" });
  assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
  assert.equal(location.searchParams.get("state"), "s1");
  const code = location.searchParams.get("code")!;
  assert.ok(code.length >= 32);

  const res = await tokenRequest(sandbox, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("cache-control"), "no-store");
  const tokens = await res.json();
  assert.deepEqual(Object.keys(tokens).sort(), ["access_token", "expires_in", "refresh_token", "scope", "token_type"]);
  assert.equal(tokens.token_type, "Bearer");
  assert.equal(tokens.scope, "public_api");
  assert.equal(tokens.expires_in, 3600);

  const meetings = await call(sandbox, "/external/v1/meetings", bearer(tokens.access_token));
  assert.equal(meetings.status, 200);
  const body = await meetings.json();
  assert.equal(body.items[0].recorded_by.email, SANDY);
});

Deno.test("Deny redirects back with access_denied and the state", async () => {
  const { sandbox } = newSandbox();
  const location = await decide(sandbox, { decision: "deny", state: "keep-me" });
  assert.equal(location.searchParams.get("error"), "access_denied");
  assert.ok(location.searchParams.get("error_description"));
  assert.equal(location.searchParams.get("state"), "keep-me");
  assert.equal(location.searchParams.get("code"), null);
});

Deno.test("signing in with a typed e-mail creates that sandbox user", async () => {
  const { sandbox } = newSandbox();
  const tokens = await connect(sandbox, "New.Person@Example.org");
  const users = sandbox.state().users.map((u) => u.email);
  assert.ok(users.includes("new.person@example.org"));
  const res = await call(sandbox, "/external/v1/meetings", bearer(tokens.access_token));
  assert.deepEqual((await res.json()).items, [], "a brand-new user has no meetings");
});

Deno.test("unknown client_id or missing redirect_uri shows an error page instead of redirecting", async () => {
  const { sandbox } = newSandbox();
  for (const params of [
    { ...validAuthorize, client_id: "who-is-this" },
    { client_id: CLIENT_ID, response_type: "code", scope: "public_api", state: "s" },
    { ...validAuthorize, redirect_uri: "javascript:alert(1)" },
  ]) {
    const res = await call(sandbox, authorizeUrl(params));
    assert.equal(res.status, 400, JSON.stringify(params));
    assert.equal(res.headers.get("location"), null);
    assert.match(await res.text(), /Authorization error/);
  }
});

Deno.test("wrong response_type or scope redirects back with the RFC 6749 error and the state", async () => {
  const { sandbox } = newSandbox();
  const cases = [
    [{ ...validAuthorize, response_type: "token" }, "unsupported_response_type"],
    [{ ...validAuthorize, scope: "calls:read" }, "invalid_scope"],
  ] as const;
  for (const [params, error] of cases) {
    const res = await call(sandbox, authorizeUrl(params));
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get("location")!);
    assert.equal(location.searchParams.get("error"), error);
    assert.equal(location.searchParams.get("state"), "s1");
  }
});

Deno.test("a code is single-use, and replaying it revokes the tokens it produced", async () => {
  const { sandbox } = newSandbox();
  const code = await authorizationCode(sandbox);
  const first = await tokenRequest(sandbox, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
  assert.equal(first.status, 200);
  const { access_token } = await first.json();

  const replay = await tokenRequest(sandbox, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
  assert.equal(replay.status, 400);
  assert.equal((await replay.json()).error, "invalid_grant");
  assert.equal((await call(sandbox, "/external/v1/meetings", bearer(access_token))).status, 401);
});

Deno.test("an expired code is invalid_grant", async () => {
  const { sandbox, clock } = newSandbox({ codeTtlSeconds: 300 });
  const code = await authorizationCode(sandbox);
  clock.advance(300_000);
  const res = await tokenRequest(sandbox, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.deepEqual(Object.keys(body).sort(), ["error", "error_description"]);
  assert.equal(body.error, "invalid_grant");
});

Deno.test("a code issued to another client is invalid_grant for this one", async () => {
  const { sandbox } = newSandbox({
    clients: [{ clientId: "app-a", clientSecret: "secret-a" }, { clientId: "app-b", clientSecret: "secret-b" }],
  });
  const code = await authorizationCode(sandbox, { clientId: "app-a" });
  const res = await call(sandbox, "/external/v1/oauth2/token", form({
    grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, client_id: "app-b", client_secret: "secret-b",
  }));
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, "invalid_grant");
});

Deno.test("a redirect_uri that differs from the authorize request is invalid_grant", async () => {
  const { sandbox } = newSandbox();
  const code = await authorizationCode(sandbox);
  const res = await tokenRequest(sandbox, { grant_type: "authorization_code", code, redirect_uri: `${REDIRECT_URI}/other` });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, "invalid_grant");
  // The honest retry still works: the mismatch did not burn the code.
  const retry = await tokenRequest(sandbox, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
  assert.equal(retry.status, 200);
});

Deno.test("the token endpoint refuses a JSON body with invalid_request", async () => {
  const { sandbox } = newSandbox();
  const code = await authorizationCode(sandbox);
  const res = await call(sandbox, "/external/v1/oauth2/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
  });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, "invalid_request");
});

Deno.test("bad client credentials are invalid_client (401), HTTP Basic alone included", async () => {
  const { sandbox } = newSandbox();
  const code = await authorizationCode(sandbox);
  const wrongSecret = await tokenRequest(sandbox, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, client_secret: "nope" });
  assert.equal(wrongSecret.status, 401);
  assert.equal((await wrongSecret.json()).error, "invalid_client");

  const basicOnly = await call(sandbox, "/external/v1/oauth2/token", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)}`,
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI }).toString(),
  });
  assert.equal(basicOnly.status, 401);
});

Deno.test("missing parameters are invalid_request and unknown grant types unsupported_grant_type", async () => {
  const { sandbox } = newSandbox();
  const missingCode = await tokenRequest(sandbox, { grant_type: "authorization_code", redirect_uri: REDIRECT_URI });
  assert.equal((await missingCode.json()).error, "invalid_request");
  const missingGrantType = await tokenRequest(sandbox, {});
  assert.equal((await missingGrantType.json()).error, "invalid_request");
  const clientCredentials = await tokenRequest(sandbox, { grant_type: "client_credentials" });
  assert.equal(clientCredentials.status, 400);
  assert.equal((await clientCredentials.json()).error, "unsupported_grant_type");
});

Deno.test("refresh tokens rotate: each is single-use and reuse is invalid_grant", async () => {
  const { sandbox } = newSandbox();
  const first = await connect(sandbox);
  const refreshed = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: first.refresh_token });
  assert.equal(refreshed.status, 200);
  const second = await refreshed.json();
  assert.notEqual(second.refresh_token, first.refresh_token);
  assert.notEqual(second.access_token, first.access_token);
  assert.equal((await call(sandbox, "/external/v1/meetings", bearer(second.access_token))).status, 200);

  const reuse = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: first.refresh_token });
  assert.equal(reuse.status, 400);
  assert.equal((await reuse.json()).error, "invalid_grant");

  const next = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: second.refresh_token });
  assert.equal(next.status, 200, "the rotated token still works after a rejected reuse");
});

Deno.test("an expired access token is 401 until refreshed", async () => {
  const { sandbox, clock } = newSandbox({ accessTokenTtlSeconds: 60 });
  const tokens = await connect(sandbox);
  clock.advance(60_000);
  const expired = await call(sandbox, "/external/v1/meetings", bearer(tokens.access_token));
  assert.equal(expired.status, 401);
  const refreshed = await (await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: tokens.refresh_token })).json();
  assert.equal((await call(sandbox, "/external/v1/meetings", bearer(refreshed.access_token))).status, 200);
});

Deno.test("revoking the grant (the user removes the app) kills access and refresh tokens", async () => {
  const { sandbox } = newSandbox();
  const tokens = await connect(sandbox);
  assert.equal(sandbox.revokeGrants({ userEmail: SANDY }), 1);
  assert.equal((await call(sandbox, "/external/v1/meetings", bearer(tokens.access_token))).status, 401);
  const refresh = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
  assert.equal((await refresh.json()).error, "invalid_grant");
});

Deno.test("the token endpoint is limited per app and answers 429 with RateLimit headers", async () => {
  const { sandbox } = newSandbox({ tokenRateLimit: { limit: 2, windowMs: 60_000 } });
  for (let i = 0; i < 2; i++) assert.equal((await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: "x" })).status, 400);
  const limited = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: "x" });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("RateLimit-Remaining"), "0");
  await limited.body?.cancel();
});
