// POST /api/teams/:teamId/integrations/:provider/test-message through the api handler: who may send, what arrives,
// what is recorded, and how notify's failures answer (429 + Retry-After, 409 + needs_reauth, 503, 400, 404).
import assert from "node:assert/strict";
import { handler } from "../api/handler.ts";
import { captureConsole, connectChat, createChatTeam, dropChatTeam, startFakeChat } from "./chat_support.ts";
import { ADMIN, closeAll, jwtFor, MEMBER, OUTSIDER, request, sql, test } from "./helpers.ts";

const fake = startFakeChat();
Deno.env.set("DISCORD_API_BASE_URL", `${fake.base}/discord/api/v10`);
Deno.env.set("SLACK_API_BASE_URL", `${fake.base}/slack/api`);
Deno.env.set("SLACK_WEBHOOK_BASE_URL", `${fake.base}/slack/hooks/services/`); // webhook URLs are pinned under it
Deno.env.set("CHAT_RETRY_DELAY_MS", "1");

const HOOK_PATH = "/slack/hooks/services/T9/B9/routesecret987";
const DESTINATION = { channel: "#sales", channelId: "C1", workspace: "Acme", workspaceId: "T1" };

async function send(user: string | null, teamId: string, provider: string) {
  const res = await handler(request(`/api/teams/${teamId}/integrations/${provider}/test-message`, {
    method: "POST",
    token: user ? await jwtFor(user) : undefined,
  }));
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

async function withSlackTeam(fn: (teamId: string, integrationId: string) => Promise<void>) {
  fake.reset();
  const teamId = await createChatTeam("Acme Sales");
  try {
    const id = await connectChat(teamId, "slack", { url: `${fake.base}${HOOK_PATH}` }, DESTINATION);
    await fn(teamId, id);
  } finally {
    await dropChatTeam(teamId);
  }
}

const events = async (teamId: string) =>
  (await sql`select type, payload from public.integration_events where team_id = ${teamId} order by id`)
    .map((e) => [e.type, e.payload]);

test("test-message: an admin sends it; it arrives with the team and the sender; the event is recorded", async () => {
  await withSlackTeam(async (teamId) => {
    const { status, body } = await send(ADMIN, teamId, "slack");
    assert.equal(status, 200);
    assert.deepEqual(body, { status: "sent", destination: DESTINATION });
    assert.equal(fake.received.length, 1);
    const posted = JSON.stringify(fake.received[0].body);
    assert.ok(posted.includes("Test message from Team CRM"));
    assert.ok(posted.includes("Acme Sales"));
    const [profile] = await sql`select coalesce(nullif(trim(full_name), ''), email) as who from public.profiles
                                where id = ${ADMIN}`;
    assert.ok(posted.includes(profile.who));
    assert.deepEqual(await events(teamId), [["slack.integration.test_message_sent", { sent_by: ADMIN }]]);
  });
});

test("test-message: the same through Discord", async () => {
  fake.reset();
  const teamId = await createChatTeam();
  try {
    await connectChat(teamId, "discord", { webhookId: "42", webhookToken: "tok" }, { ...DESTINATION, channel: null });
    const { status, body } = await send(ADMIN, teamId, "discord");
    assert.equal(status, 200);
    assert.equal(body.status, "sent");
    assert.equal(fake.received[0].path, "/discord/api/v10/webhooks/42/tok");
  } finally {
    await dropChatTeam(teamId);
  }
});

test("test-message: a member gets 403 not_team_admin, an outsider and an unknown team 404, no JWT 401; nothing posted", async () => {
  await withSlackTeam(async (teamId) => {
    const member = await send(MEMBER, teamId, "slack");
    assert.deepEqual([member.status, member.body.error.code], [403, "not_team_admin"]);
    const outsider = await send(OUTSIDER, teamId, "slack");
    assert.deepEqual([outsider.status, outsider.body.error.code], [404, "team_not_found"]);
    const unknown = await send(ADMIN, crypto.randomUUID(), "slack");
    assert.deepEqual([unknown.status, unknown.body.error.code], [404, "team_not_found"]);
    assert.equal((await send(null, teamId, "slack")).status, 401);
    assert.equal((await send(ADMIN, "not-a-uuid", "slack")).status, 400);
    assert.equal(fake.received.length, 0);
    assert.deepEqual(await events(teamId), []);
  });
});

test("test-message: Fathom (connected) is 400 not_supported, Zoom too; an unknown provider or no connection is 404", async () => {
  fake.reset();
  const teamId = await createChatTeam();
  try {
    await connectChat(teamId, "fathom", null, null);
    const fathom = await send(ADMIN, teamId, "fathom");
    assert.deepEqual([fathom.status, fathom.body.error.code], [400, "not_supported"]);
    assert.equal((await send(ADMIN, teamId, "zoom")).body.error.code, "not_supported");
    const unknown = await send(ADMIN, teamId, "myspace");
    assert.deepEqual([unknown.status, unknown.body.error.code], [404, "not_found"]);
    const notConnected = await send(ADMIN, teamId, "slack");
    assert.deepEqual([notConnected.status, notConnected.body.error.code], [404, "not_found"]);
  } finally {
    await dropChatTeam(teamId);
  }
});

test("test-message: a long rate limit answers 429 provider_rate_limited with Retry-After", async () => {
  await withSlackTeam(async (teamId) => {
    fake.script({ status: 429, body: "rate_limited", headers: { "retry-after": "30" } });
    const { status, headers, body } = await send(ADMIN, teamId, "slack");
    assert.equal(status, 429);
    assert.equal(body.error.code, "provider_rate_limited");
    assert.equal(headers.get("retry-after"), "30");
    assert.deepEqual(await events(teamId), []);
  });
});

test("test-message: a gone channel answers 409 destination_gone; the row needs a reconnect and the event says why", async () => {
  await withSlackTeam(async (teamId, integrationId) => {
    fake.script({ status: 404, body: "no_service" });
    const { status, body } = await send(ADMIN, teamId, "slack");
    assert.deepEqual([status, body.error.code], [409, "destination_gone"]);
    assert.match(body.error.message, /reconnect/i);
    const [row] = await sql`select status, last_error from public.team_integrations where id = ${integrationId}`;
    assert.deepEqual({ ...row }, { status: "needs_reauth", last_error: "destination_gone" });
    assert.deepEqual(await events(teamId), [["slack.integration.destination_gone", { reason: "no_service" }]]);
    const [view] = await sql`select status, last_error from public.team_integrations_public where id = ${integrationId}`;
    assert.equal(view.status, "needs_reauth", "the team sees it");
  });
});

test("test-message: a 5xx is retried once, then 503 provider_unavailable; no log line holds the webhook URL", async () => {
  await withSlackTeam(async (teamId) => {
    fake.script({ status: 500, body: "" }, { status: 500, body: "" });
    const { lines, result } = await captureConsole(() => send(ADMIN, teamId, "slack"));
    assert.deepEqual([result!.status, result!.body.error.code], [503, "provider_unavailable"]);
    assert.equal(fake.received.length, 2);
    assert.ok(lines.length > 0);
    for (const line of lines) assert.ok(!line.includes("routesecret987") && !line.includes("/hooks/"), line);
  });
});

test("teardown", async () => {
  await fake.close();
  await closeAll();
});
