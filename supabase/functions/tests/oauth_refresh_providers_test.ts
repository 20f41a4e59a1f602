// The locked refresh (oauth/refresh.ts) for the chat providers, through real connections made by the engine against
// the fake of oauth_support.ts (whose refresh tokens are single-use, as Discord's and rotating Slack's are):
// Discord's rotating tokens; Slack's bot token that never expires without token rotation and is refreshed with it;
// Slack's HTTP 200 {"ok": false} on a refresh; Zoom's rotating tokens refreshed with HTTP Basic client auth.
import assert from "node:assert/strict";
import { decryptSecret, integrationAad } from "../_shared/crypto.ts";
import { AppError } from "../_shared/errors.ts";
import { forceRefresh, getFreshAccessToken } from "../_shared/oauth/refresh.ts";
import type { ProviderId } from "../_shared/oauth/types.ts";
import { handler as discordCallback } from "../discord-oauth-callback/handler.ts";
import { handler as discordStart } from "../discord-oauth-start/handler.ts";
import { handler as slackCallback } from "../slack-oauth-callback/handler.ts";
import { handler as slackStart } from "../slack-oauth-start/handler.ts";
import { handler as zoomCallback } from "../zoom-oauth-callback/handler.ts";
import { handler as zoomStart } from "../zoom-oauth-start/handler.ts";
import { ADMIN, APP, closeAll, confirmLanding, jwtFor, request, resetDb, sql, TEAM, test } from "./helpers.ts";
import { clientId, clientSecret, startFakeProviders } from "./oauth_support.ts";

Deno.env.set("ZOOM_SYNC_ON_CONNECT", "false"); // the import is zoom_import_test.ts's
const fake = startFakeProviders();
const HANDLERS = {
  slack: { start: slackStart, callback: slackCallback },
  discord: { start: discordStart, callback: discordCallback },
  zoom: { start: zoomStart, callback: zoomCallback },
};

async function connect(id: "slack" | "discord" | "zoom"): Promise<string> {
  const started = await HANDLERS[id].start(request(`/${id}-oauth-start`, {
    method: "POST",
    token: await jwtFor(ADMIN),
    body: JSON.stringify({ teamId: TEAM, redirectUri: `${APP}/${id}-callback.html` }),
  }));
  const { authUrl, confirmSecret } = await started.json();
  const state = new URL(authUrl).searchParams.get("state")!;
  await confirmLanding(await HANDLERS[id].callback(request(`/${id}-oauth-callback?code=c&state=${state}`)), confirmSecret);
  const [row] = await sql`select id from public.team_integrations where team_id = ${TEAM} and provider = ${id}`;
  return row.id;
}

/** Inside the five-minute margin: the next use refreshes. */
async function expireSoon(integrationId: string) {
  await sql`update public.team_integrations set token_expires_at = now() + interval '1 minute' where id = ${integrationId}`;
}

async function stored(id: ProviderId, integrationId: string) {
  const [row] = await sql`select * from public.team_integrations where id = ${integrationId}`;
  const open = (value: string | null, purpose: "access_token" | "refresh_token") =>
    value ? decryptSecret(value, integrationAad(TEAM, id, purpose)) : Promise.resolve(null);
  return {
    row,
    access: await open(row.access_token_encrypted, "access_token"),
    refresh: await open(row.refresh_token_encrypted, "refresh_token"),
  };
}

/** Spend a refresh token at the fake as someone else would (it is single-use). */
async function spend(id: ProviderId, refreshToken: string) {
  const res = await fetch(`${fake.base}/${id}/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: clientId(id),
      client_secret: clientSecret(id),
    }),
  });
  await res.body?.cancel();
}

const refreshCalls = (id: ProviderId) =>
  fake.tokenCalls.filter((call) => call.provider === id && call.form.grant_type === "refresh_token");

async function reset() {
  fake.reset();
  await resetDb();
}

test("discord: refresh tokens rotate: each refresh spends the stored one and stores the new pair", async () => {
  await reset();
  const id = await connect("discord");
  const first = await stored("discord", id);
  await expireSoon(id);
  const [a, b] = await Promise.all([getFreshAccessToken(id), getFreshAccessToken(id)]);
  assert.equal(a, b, "one refresh for both workers");
  assert.equal(refreshCalls("discord").length, 1);
  assert.equal(refreshCalls("discord")[0].form.refresh_token, first.refresh);
  const second = await stored("discord", id);
  assert.equal(second.access, a);
  assert.notEqual(second.refresh, first.refresh, "the rotated refresh token is stored");
  assert.ok(second.row.token_expires_at.getTime() > Date.now() + 6 * 24 * 3600_000, "Discord's 7 days");

  // the next refresh must use the NEW token: the fake refuses the spent one
  await expireSoon(id);
  const c = await getFreshAccessToken(id);
  assert.notEqual(c, a);
  assert.equal(refreshCalls("discord")[1].form.refresh_token, second.refresh);
  assert.equal((await stored("discord", id)).row.status, "connected");
});

test("discord: the refresh grant carries the DiscordBot User-Agent Discord asks every client for", async () => {
  await reset();
  const id = await connect("discord");
  await expireSoon(id);
  await getFreshAccessToken(id);
  const refreshes = fake.requests.filter((r) => r.provider === "discord" && r.path === "/token").slice(1);
  assert.equal(refreshes.length, 1);
  assert.match(refreshes[0].userAgent ?? "", /^DiscordBot \(https?:\/\/[^ ,]+, [^)]+\)$/);
});

test("discord: a refresh token already spent elsewhere -> invalid_grant -> needs_reauth, one event", async () => {
  await reset();
  const id = await connect("discord");
  const before = await stored("discord", id);
  await spend("discord", before.refresh!);
  await expireSoon(id);
  await assert.rejects(getFreshAccessToken(id), (e) => e instanceof AppError && e.code === "needs_reauth");
  const after = await stored("discord", id);
  assert.deepEqual([after.row.status, after.row.last_error], ["needs_reauth", "needs_reauth"]);
  const events = await sql`select type, payload from public.integration_events where integration_id = ${id}`;
  assert.deepEqual(events.map((e) => [e.type, e.payload]), [
    ["discord.integration.needs_reauth", { reason: "invalid_grant" }],
  ]);
});

test("zoom: the locked refresh rotates Zoom's tokens with HTTP Basic client auth; a spent one -> needs_reauth", async () => {
  await reset();
  const id = await connect("zoom");
  const first = await stored("zoom", id);
  await expireSoon(id);
  const [a, b] = await Promise.all([getFreshAccessToken(id), getFreshAccessToken(id)]);
  assert.equal(a, b, "one refresh for both workers");
  assert.equal(refreshCalls("zoom").length, 1);
  const call = refreshCalls("zoom")[0];
  assert.equal(call.form.refresh_token, first.refresh);
  // RFC 6749 §2.3.1: each part form-urlencoded before base64 (oauth4webapi encodes even "-")
  const [user, password] = atob(call.authorization!.replace(/^Basic /, "")).split(":").map(decodeURIComponent);
  assert.deepEqual([user, password], [clientId("zoom"), clientSecret("zoom")], "client_secret_basic");
  assert.equal(call.form.client_secret, undefined, "the secret never rides in the form");
  const second = await stored("zoom", id);
  assert.notEqual(second.refresh, first.refresh, "the rotated refresh token is stored");

  await spend("zoom", second.refresh!);
  await expireSoon(id);
  await assert.rejects(getFreshAccessToken(id), (e) => e instanceof AppError && e.code === "needs_reauth");
  assert.equal((await stored("zoom", id)).row.status, "needs_reauth");
});

test("slack: without token rotation the bot token has no expiry and is never refreshed", async () => {
  await reset();
  const id = await connect("slack");
  const s = await stored("slack", id);
  assert.deepEqual([s.row.token_expires_at, s.refresh], [null, null]);
  assert.equal(await getFreshAccessToken(id), s.access);
  assert.equal(refreshCalls("slack").length, 0);
  // a 401 for it cannot be cured by a refresh: the grant is gone
  await assert.rejects(forceRefresh(id, s.access!), (e) => e instanceof AppError && e.code === "needs_reauth");
  assert.equal(refreshCalls("slack").length, 0);
});

test("slack: with token rotation on, the bot token expires and is refreshed (token_type bot, rotated)", async () => {
  await reset();
  fake.slackRotation = true;
  const id = await connect("slack");
  const first = await stored("slack", id);
  assert.ok(first.refresh, "rotation on: a refresh token came with it");
  assert.ok(first.row.token_expires_at);
  await expireSoon(id);
  const token = await getFreshAccessToken(id);
  assert.notEqual(token, first.access);
  const second = await stored("slack", id);
  assert.deepEqual([second.row.status, second.access], ["connected", token]);
  assert.notEqual(second.refresh, first.refresh);
  assert.equal(refreshCalls("slack")[0].form.refresh_token, first.refresh);
});

test("slack: HTTP 200 ok:false invalid_refresh_token on a refresh -> needs_reauth", async () => {
  await reset();
  fake.slackRotation = true;
  const id = await connect("slack");
  await spend("slack", (await stored("slack", id)).refresh!);
  await expireSoon(id);
  await assert.rejects(getFreshAccessToken(id), (e) => e instanceof AppError && e.code === "needs_reauth");
  assert.deepEqual([(await stored("slack", id)).row.status], ["needs_reauth"]);
  const events = await sql`select payload from public.integration_events where integration_id = ${id}`;
  assert.deepEqual(events.map((e) => e.payload), [{ reason: "invalid_refresh_token" }]);
});

test("slack: any other ok:false on a refresh is refused with its known code; the tokens stay", async () => {
  await reset();
  fake.slackRotation = true;
  const id = await connect("slack");
  const before = await stored("slack", id);
  await expireSoon(id);
  fake.tokenMode.slack = "ok_false"; // {"ok": false, "error": "invalid_code"}
  await assert.rejects(getFreshAccessToken(id), (e) => e instanceof AppError && e.code === "token_exchange_failed");
  const after = await stored("slack", id);
  assert.deepEqual([after.row.status, after.row.last_error], ["connected", "refresh_invalid_code"]);
  assert.deepEqual([after.access, after.refresh], [before.access, before.refresh]);
});

test("cleanup: refresh tests leave the database as seeded", async () => {
  await reset();
  await resetDb({ dropOtherTeam: true });
  await fake.close();
  await closeAll();
});
