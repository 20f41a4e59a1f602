import assert from "node:assert/strict";
import { access, authorizeParams, call, CLIENT_ID, CLIENT_SECRET, decide, form, install, newSlack, post, REDIRECT_URI } from "./test-helpers.ts";

Deno.test("Slack: authorize -> oauth.v2.access -> post to the incoming webhook -> the message is recorded", async () => {
  const { slack } = newSlack();
  const page = await call(slack, `/slack/oauth/v2/authorize?${new URLSearchParams(authorizeParams)}`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Acme Sales/);
  assert.match(html, /<label for="channel_id">Post to<\/label>/);
  assert.match(html, /<select id="channel_id" name="channel_id">/);
  for (const name of ["#general", "#sales", "#leads"]) assert.ok(html.includes(name));
  assert.match(html, /name="decision" value="allow"[^>]*>Allow</);
  assert.match(html, /name="decision" value="deny"[^>]*>Cancel</);

  const location = await decide(slack);
  assert.equal(location.searchParams.get("state"), "st-1");
  const code = location.searchParams.get("code")!;
  const { status, body } = await access(slack, { code, redirect_uri: REDIRECT_URI });
  assert.equal(status, 200);
  assert.equal(body.ok, true);
  assert.equal(body.token_type, "bot");
  assert.equal(body.scope, "incoming-webhook,chat:write");
  assert.match(body.access_token, /^xoxb-/);
  assert.deepEqual(body.team, { id: "T0ACMESALE", name: "Acme Sales" });
  assert.equal(body.enterprise, null);
  assert.equal(body.is_enterprise_install, false);
  assert.equal(typeof body.authed_user.id, "string");
  assert.equal(body.expires_in, undefined, "no expiry without token rotation");
  assert.equal(body.refresh_token, undefined);
  assert.equal(body.incoming_webhook.channel, "#sales");
  assert.equal(body.incoming_webhook.channel_id, "C0SALES001");
  assert.match(body.incoming_webhook.url, /^http:\/\/sandbox\.test\/slack\/hooks\/services\/T0ACMESALE\/B0[A-Z0-9]+\/[A-Za-z0-9]{24}$/);

  const posted = await post(slack, body.incoming_webhook.url, { text: "Hello *sales*", blocks: [{ type: "section", text: { type: "mrkdwn", text: "Hi" } }] });
  assert.deepEqual([posted.status, posted.text], [200, "ok"]);
  assert.match(posted.type!, /^text\/plain/);
  const { messages } = await (await call(slack, "/slack/_sandbox/messages")).json();
  assert.equal(messages.length, 1);
  assert.equal(messages[0].channel, "#sales");
  assert.equal(messages[0].channel_id, "C0SALES001");
  assert.equal(messages[0].body.text, "Hello *sales*");
  assert.equal(messages[0].at, "2026-03-02T12:00:00.000Z");

  const test = await (await call(slack, "/slack/api/auth.test", { method: "POST", headers: { authorization: `Bearer ${body.access_token}` } })).json();
  assert.deepEqual([test.ok, test.team, test.team_id, typeof test.user_id, test.url], [true, "Acme Sales", "T0ACMESALE", "string", "https://acme-sales.slack.com/"]);
});

Deno.test("Slack: client auth by HTTP Basic works like form parameters", async () => {
  const { slack } = newSlack();
  const code = (await decide(slack)).searchParams.get("code")!;
  const res = await call(slack, "/slack/api/oauth.v2.access", form({ code, redirect_uri: REDIRECT_URI }, { authorization: `Basic ${btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)}` }));
  assert.equal((await res.json()).ok, true);
});

Deno.test("Slack: every token error is HTTP 200 with ok:false and Slack's error code", async () => {
  const { slack, clock } = newSlack();
  const codeOf = async () => (await decide(slack)).searchParams.get("code")!;
  const expectError = async (fields: Record<string, string>, error: string, headers: Record<string, string> = {}) => {
    const res = await access(slack, fields, headers);
    assert.equal(res.status, 200, error);
    assert.deepEqual(res.body, { ok: false, error });
  };
  await expectError({ code: "nope", redirect_uri: REDIRECT_URI }, "invalid_code");
  await expectError({ code: await codeOf(), redirect_uri: REDIRECT_URI, client_id: "someone-else" }, "invalid_client_id");
  await expectError({ code: await codeOf(), redirect_uri: REDIRECT_URI, client_secret: "wrong" }, "bad_client_secret");
  await expectError({ code: await codeOf(), redirect_uri: "http://127.0.0.1:54321/elsewhere" }, "bad_redirect_uri");
  await expectError({ code: await codeOf(), redirect_uri: REDIRECT_URI, grant_type: "client_credentials" }, "invalid_grant_type");
  await expectError({ grant_type: "refresh_token", refresh_token: "xoxe-1-nope" }, "invalid_refresh_token");

  // single-use: the replay is told apart from an unknown code
  const code = await codeOf();
  assert.equal((await access(slack, { code, redirect_uri: REDIRECT_URI })).body.ok, true);
  await expectError({ code, redirect_uri: REDIRECT_URI }, "code_already_used");

  // short-lived: ten minutes
  const late = await codeOf();
  clock.ms += 600_001;
  await expectError({ code: late, redirect_uri: REDIRECT_URI }, "invalid_code");
});

Deno.test("Slack: denied consent redirects with access_denied; bad authorize requests get an error page, no redirect", async () => {
  const { slack } = newSlack();
  const denied = await decide(slack, { decision: "deny" });
  assert.equal(denied.searchParams.get("error"), "access_denied");
  assert.equal(denied.searchParams.get("state"), "st-1");
  assert.equal(denied.searchParams.get("code"), null);

  for (const params of [
    { ...authorizeParams, client_id: "unknown" },
    { client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, state: "x" }, // no scope
    { ...authorizeParams, scope: "incoming-webhook chat:write" }, // Slack's separator is a comma
  ]) {
    const res = await call(slack, `/slack/oauth/v2/authorize?${new URLSearchParams(params)}`);
    assert.equal(res.status, 400, JSON.stringify(params));
    assert.equal(res.headers.get("location"), null);
    assert.match(res.headers.get("content-type")!, /^text\/html/);
    await res.body?.cancel();
  }
});

Deno.test("Slack: with token rotation on, tokens expire in 12 h and a refresh token works once", async () => {
  const { slack, clock } = newSlack();
  const on = await call(slack, "/slack/_sandbox/settings", { method: "POST", body: JSON.stringify({ tokenRotation: true }) });
  assert.deepEqual(await on.json(), { settings: { tokenRotation: true } });
  const tokens = await install(slack);
  assert.equal(tokens.expires_in, 43200);
  assert.match(tokens.refresh_token, /^xoxe-1-/);
  assert.match(tokens.access_token, /^xoxe\.xoxb-1-/);

  clock.ms += 43_200_000;
  const expired = await (await call(slack, "/slack/api/auth.test", form({ token: tokens.access_token }))).json();
  assert.deepEqual(expired, { ok: false, error: "token_expired" });

  const refreshed = await access(slack, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
  assert.equal(refreshed.body.ok, true);
  assert.equal(refreshed.body.token_type, "bot");
  assert.equal(refreshed.body.expires_in, 43200);
  assert.notEqual(refreshed.body.refresh_token, tokens.refresh_token);
  assert.equal((await (await call(slack, "/slack/api/auth.test", form({ token: refreshed.body.access_token }))).json()).ok, true);

  const reused = await access(slack, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
  assert.deepEqual(reused.body, { ok: false, error: "invalid_refresh_token" });
  const next = await access(slack, { grant_type: "refresh_token", refresh_token: refreshed.body.refresh_token });
  assert.equal(next.body.ok, true);
});

Deno.test("Slack: auth.revoke disables the webhook (404 no_service) and the token; a bad token is invalid_auth", async () => {
  const { slack } = newSlack();
  const tokens = await install(slack);
  const dry = await (await call(slack, "/slack/api/auth.revoke", form({ token: tokens.access_token, test: "1" }))).json();
  assert.deepEqual(dry, { ok: true, revoked: false });
  assert.equal((await post(slack, tokens.incoming_webhook.url, { text: "still here" })).status, 200);

  const res = await call(slack, "/slack/api/auth.revoke", { method: "POST", headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { ok: true, revoked: true });
  assert.deepEqual(await post(slack, tokens.incoming_webhook.url, { text: "after revoke" }), { status: 404, type: "text/plain; charset=utf-8", retryAfter: null, text: "no_service" });
  const test = await (await call(slack, "/slack/api/auth.test", form({ token: tokens.access_token }))).json();
  assert.deepEqual(test, { ok: false, error: "token_revoked" });
  const { revocations } = await (await call(slack, "/slack/_sandbox/revocations")).json();
  assert.deepEqual(revocations.map((r: { kind: string }) => r.kind), ["auth.revoke"]);

  const bad = await call(slack, "/slack/api/auth.revoke", form({ token: "xoxb-unknown" }));
  assert.equal(bad.status, 200);
  assert.deepEqual(await bad.json(), { ok: false, error: "invalid_auth" });
  const again = await (await call(slack, "/slack/api/auth.revoke", form({ token: tokens.access_token }))).json();
  assert.deepEqual(again, { ok: false, error: "invalid_auth" });
});
