import assert from "node:assert/strict";
import {
  authorize, authorizeParams, basic, call, challengeOf, CLIENT_ID, CLIENT_SECRET, decide, execute, form, newDiscord, REDIRECT_URI, SALES, token, VERIFIER,
} from "./test-helpers.ts";

const invalid = (name: string) => ({ error: "invalid_grant", error_description: `Invalid "${name}" in request.` });

Deno.test("Discord: authorize -> token -> execute webhook (wait=true) -> the message is recorded", async () => {
  const { discord } = newDiscord();
  const page = await call(discord, `/discord/oauth2/authorize?${new URLSearchParams(authorizeParams)}`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<strong>Acme<\/strong>/);
  assert.match(html, /<label for="channel_id">Channel<\/label>/);
  for (const name of ["#general", "#sales", "#leads"]) assert.ok(html.includes(name));
  assert.match(html, /value="allow"[^>]*>Authorize</);
  assert.match(html, /value="deny"[^>]*>Cancel</);

  const location = await decide(discord);
  assert.equal(location.searchParams.get("state"), "st-1");
  const { status, body } = await token(discord, { grant_type: "authorization_code", code: location.searchParams.get("code")!, redirect_uri: REDIRECT_URI });
  assert.equal(status, 200);
  assert.equal(body.token_type, "Bearer");
  assert.equal(body.expires_in, 604800);
  assert.equal(body.scope, "identify webhook.incoming");
  assert.equal(typeof body.refresh_token, "string");
  assert.deepEqual(body.guild, { id: "1180000000000000001", name: "Acme" });
  assert.equal(body.webhook.name, "Team CRM");
  assert.equal(body.webhook.type, 1);
  assert.equal(body.webhook.avatar, null);
  assert.equal(body.webhook.channel_id, SALES);
  assert.equal(body.webhook.url, `http://sandbox.test/discord/api/webhooks/${body.webhook.id}/${body.webhook.token}`);

  const me = await call(discord, "/discord/api/v10/users/@me", { headers: { authorization: `Bearer ${body.access_token}` } });
  assert.deepEqual((({ id, username, global_name }) => ({ id, username, global_name }))(await me.json()), { id: "1180000000000000100", username: "sandy", global_name: "Sandy Sandbox" });

  const sent = await execute(discord, `${body.webhook.url}?wait=true`, { content: "Hi @everyone", allowed_mentions: { parse: [] }, embeds: [{ title: "Deal", fields: [{ name: "Stage", value: "Won" }] }] });
  assert.equal(sent.status, 200);
  assert.equal(sent.body.content, "Hi @everyone");
  assert.equal(sent.body.mention_everyone, false, "allowed_mentions {parse: []} keeps @everyone silent");
  assert.equal(sent.body.webhook_id, body.webhook.id);
  assert.equal(sent.body.channel_id, SALES);
  const quiet = await execute(discord, body.webhook.url.replace("/api/webhooks/", "/api/v10/webhooks/"), { content: "no wait" });
  assert.deepEqual([quiet.status, quiet.body], [204, null]);
  const loud = await execute(discord, `${body.webhook.url}?wait=true`, { content: "@here look" });
  assert.equal(loud.body.mention_everyone, true);

  const { messages } = await (await call(discord, "/discord/_sandbox/messages")).json();
  assert.deepEqual(messages.map((m: { body: { content: string } }) => m.body.content), ["Hi @everyone", "no wait", "@here look"]);
  assert.equal(messages[0].channel, "#sales");
  assert.equal(messages[0].id, sent.body.id);
});

Deno.test("Discord: client auth by Basic or form; errors are RFC 6749 JSON with Discord's statuses", async () => {
  const { discord, clock } = newDiscord();
  const codeOf = async () => (await decide(discord)).searchParams.get("code")!;
  const viaForm = await token(discord, { grant_type: "authorization_code", code: await codeOf(), redirect_uri: REDIRECT_URI, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }, {});
  assert.equal(viaForm.status, 200);

  assert.deepEqual(await token(discord, { grant_type: "authorization_code", code: await codeOf(), redirect_uri: REDIRECT_URI }, basic(CLIENT_ID, "wrong")), { status: 401, body: { error: "invalid_client" } });
  assert.deepEqual(await token(discord, { grant_type: "authorization_code", code: await codeOf(), redirect_uri: REDIRECT_URI }, {}), { status: 401, body: { error: "invalid_client" } });
  assert.deepEqual(await token(discord, { grant_type: "authorization_code", code: "nope", redirect_uri: REDIRECT_URI }), { status: 400, body: invalid("code") });
  assert.deepEqual(await token(discord, { grant_type: "authorization_code", code: await codeOf(), redirect_uri: "http://127.0.0.1:1/x" }), { status: 400, body: invalid("redirect_uri") });
  assert.deepEqual(await token(discord, { grant_type: "password" }), { status: 400, body: { error: "unsupported_grant_type" } });

  const code = await codeOf();
  assert.equal((await token(discord, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI })).status, 200);
  assert.deepEqual(await token(discord, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI }), { status: 400, body: invalid("code") }, "a replayed code is refused");
  const late = await codeOf();
  clock.ms += 600_001;
  assert.deepEqual(await token(discord, { grant_type: "authorization_code", code: late, redirect_uri: REDIRECT_URI }), { status: 400, body: invalid("code") }, "codes are short-lived");
});

Deno.test("Discord: PKCE S256 is enforced when a challenge was sent", async () => {
  const { discord } = newDiscord();
  const challenge = await challengeOf(VERIFIER);
  const withChallenge = { code_challenge: challenge, code_challenge_method: "S256" };
  const page = await (await call(discord, `/discord/oauth2/authorize?${new URLSearchParams({ ...authorizeParams, ...withChallenge })}`)).text();
  assert.ok(page.includes(`name="code_challenge" value="${challenge}"`), "the challenge rides along in the consent form");

  for (const verifier of [null, VERIFIER.replace("a", "c")]) {
    const code = (await decide(discord, withChallenge)).searchParams.get("code")!;
    const fields: Record<string, string> = { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI };
    if (verifier) fields.code_verifier = verifier;
    assert.deepEqual(await token(discord, fields), { status: 400, body: invalid("code_verifier") });
  }
  const code = (await decide(discord, withChallenge)).searchParams.get("code")!;
  assert.equal((await token(discord, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: VERIFIER })).status, 200);

  const plain = await call(discord, `/discord/oauth2/authorize?${new URLSearchParams({ ...authorizeParams, code_challenge: challenge, code_challenge_method: "plain" })}`);
  assert.equal(plain.status, 302);
  assert.equal(new URL(plain.headers.get("location")!).searchParams.get("error"), "invalid_request");
});

Deno.test("Discord: refresh tokens rotate and are single-use; each authorization gets a new webhook", async () => {
  const { discord } = newDiscord();
  const first = await authorize(discord);
  const refreshed = await token(discord, { grant_type: "refresh_token", refresh_token: first.refresh_token });
  assert.equal(refreshed.status, 200);
  assert.deepEqual(Object.keys(refreshed.body).sort(), ["access_token", "expires_in", "refresh_token", "scope", "token_type"]);
  assert.notEqual(refreshed.body.refresh_token, first.refresh_token);
  assert.deepEqual(await token(discord, { grant_type: "refresh_token", refresh_token: first.refresh_token }), { status: 400, body: invalid("refresh_token") });
  assert.equal((await token(discord, { grant_type: "refresh_token", refresh_token: refreshed.body.refresh_token })).status, 200);

  const second = await authorize(discord, { channel_id: "1180000000000000013" });
  assert.notEqual(second.webhook.id, first.webhook.id);
  assert.equal(second.webhook.channel_id, "1180000000000000013");
});

Deno.test("Discord: revoking one token revokes every token of the authorization; DELETE webhook makes it Unknown Webhook", async () => {
  const { discord } = newDiscord();
  const tokens = await authorize(discord);
  const other = await authorize(discord);
  const revoke = await call(discord, "/discord/api/oauth2/token/revoke", form({ token: tokens.refresh_token, token_type_hint: "refresh_token" }, basic()));
  assert.deepEqual([revoke.status, await revoke.json()], [200, {}]);
  assert.equal((await call(discord, "/discord/api/v10/users/@me", { headers: { authorization: `Bearer ${tokens.access_token}` } })).status, 401);
  assert.deepEqual(await token(discord, { grant_type: "refresh_token", refresh_token: tokens.refresh_token }), { status: 400, body: invalid("refresh_token") });
  assert.equal((await call(discord, "/discord/api/v10/users/@me", { headers: { authorization: `Bearer ${other.access_token}` } })).status, 200, "other authorizations are untouched");
  const unauthenticated = await call(discord, "/discord/api/oauth2/token/revoke", form({ token: other.access_token }));
  assert.deepEqual([unauthenticated.status, await unauthenticated.json()], [401, { error: "invalid_client" }]);

  assert.equal((await execute(discord, tokens.webhook.url, { content: "still posts" })).status, 204, "the webhook outlives the token");
  const del = await call(discord, tokens.webhook.url, { method: "DELETE" });
  assert.equal(del.status, 204);
  assert.deepEqual(await execute(discord, tokens.webhook.url, { content: "gone" }), { status: 404, retryAfter: null, body: { code: 10015, message: "Unknown Webhook" } });
  assert.equal((await call(discord, tokens.webhook.url, { method: "DELETE" })).status, 404);
  assert.deepEqual(discord.revocations().map((r) => r.kind), ["token_revoke", "webhook_delete"]);
});

Deno.test("Discord: bad authorize requests: error page for client/redirect, redirect errors for the rest, denied consent", async () => {
  const { discord } = newDiscord();
  for (const params of [{ ...authorizeParams, client_id: "x" }, { ...authorizeParams, redirect_uri: "not a url" }]) {
    const res = await call(discord, `/discord/oauth2/authorize?${new URLSearchParams(params)}`);
    assert.equal(res.status, 400);
    assert.equal(res.headers.get("location"), null);
    await res.body?.cancel();
  }
  const commas = await call(discord, `/discord/oauth2/authorize?${new URLSearchParams({ ...authorizeParams, scope: "identify,webhook.incoming" })}`);
  assert.equal(new URL(commas.headers.get("location")!).searchParams.get("error"), "invalid_scope");
  const denied = await decide(discord, { decision: "deny" });
  assert.deepEqual([denied.searchParams.get("error"), denied.searchParams.get("state"), denied.searchParams.get("code")], ["access_denied", "st-1", null]);
});
