// Issue 11 follow-ups 5 and 6b: endpoints name the rules that send to them (`used_by`, for the delete dialog) and
// carry a path hint that tells endpoints on one host apart without a query string or a token; the 409 of a
// removal names the enabled rules; a rule whose settings broke (endpoint deleted, fallback assignee gone, chat not
// connected) lists `problems` naming the step and field, for the rule list's "Turn on again".
import assert from "node:assert/strict";
import { pathHint } from "../_shared/automations/endpoints.ts";
import { ADMIN, closeAll, MEMBER, sql, TEAM, test } from "./helpers.ts";
import { call, createRule, insertMeeting, reset, rulesPath, taskRule } from "./automations_api_support.ts";
import { connectChat } from "./chat_support.ts";

const endpointsPath = `/api/teams/${TEAM}/automation-endpoints`;

async function addEndpoint(name: string, url: string): Promise<{ id: string; path_hint: string }> {
  const res = await call(ADMIN, "POST", endpointsPath, { name, url });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.endpoint;
}

Deno.test("pathHint: words kept, tokens and ids as …, never the query, fragment or user info; cut to 40", () => {
  assert.equal(pathHint(new URL("https://hooks.example.com/crm/deals?token=abc#x")), "hooks.example.com/crm/deals");
  assert.equal(pathHint(new URL("https://hooks.zapier.com/hooks/catch/123456/bx7k2l9/")), "hooks.zapier.com/hooks/catch/…/…");
  assert.equal(pathHint(new URL("https://hooks.slack.com/services/T0AUTO/B0AUTO/xoxAutomationSecret")), "hooks.slack.com/services/…/…/…");
  assert.equal(pathHint(new URL("https://example.com/")), "example.com");
  assert.equal(pathHint(new URL("https://example.com/aVeryLongButLowercaseish/abcdefghijklmnopqrstuvwxyz")), "example.com/…/…");
  const long = pathHint(new URL(`https://example.com/${"words-".repeat(3)}a/${"more-".repeat(4)}b/${"again-".repeat(3)}c`));
  assert.ok(long.length <= "example.com".length + 40 && long.endsWith("…"), long);
});

test("endpoints list: a path hint per endpoint (two on one host told apart) and the rules that send to each", async () => {
  await reset();
  const deals = await addEndpoint("Deals", "https://hooks.example.com/crm/deals?secret=s3cr3t");
  const calls = await addEndpoint("Calls", "https://hooks.example.com/crm/calls/9f8e7d6c5b4a");
  assert.equal(deals.path_hint, "hooks.example.com/crm/deals");
  const on = await createRule(taskRule({ name: "Zeta on", enabled: true, actions: [{ type: "send_webhook", endpoint_id: deals.id }] }));
  const off = await createRule(taskRule({
    name: "Alpha off",
    actions: [{ type: "send_webhook", endpoint_id: deals.id }, { type: "send_webhook", endpoint_id: deals.id }],
  }));
  const res = await call(MEMBER, "GET", endpointsPath);
  assert.equal(res.status, 200);
  const byName = Object.fromEntries(res.body.endpoints.map((e: { name: string }) => [e.name, e]));
  assert.equal(byName.Deals.path_hint, "hooks.example.com/crm/deals");
  assert.equal(byName.Calls.path_hint, "hooks.example.com/crm/calls/…");
  assert.deepEqual(byName.Deals.used_by, [{ id: off, name: "Alpha off", enabled: false }, { id: on, name: "Zeta on", enabled: true }]);
  assert.deepEqual(byName.Calls.used_by, []);
  const text = JSON.stringify(res.body);
  assert.ok(!text.includes("s3cr3t") && !text.includes("9f8e7d6c5b4a") && !text.includes("url_encrypted"), text);
  assert.equal(calls.path_hint, "hooks.example.com/crm/calls/…");
});

test("endpoint removal: the 409 names the enabled rules; once removed, the off rule lists the broken step", async () => {
  await reset();
  const deals = await addEndpoint("Deals", "https://hooks.example.com/crm/deals");
  const on = await createRule(taskRule({ name: "Deals feed", enabled: true, actions: [{ type: "send_webhook", endpoint_id: deals.id }] }));
  const off = await createRule(taskRule({
    name: "Old feed",
    actions: [{ type: "create_tasks" }, { type: "send_webhook", endpoint_id: deals.id }],
  }));
  const refused = await call(ADMIN, "DELETE", `${endpointsPath}/${deals.id}`);
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.message, "An enabled automation sends to this endpoint: Deals feed. Change or turn them off first.");
  assert.equal((await call(ADMIN, "PATCH", `${rulesPath()}/${on}`, { enabled: false })).status, 200);
  assert.equal((await call(ADMIN, "DELETE", `${endpointsPath}/${deals.id}`)).status, 204);

  const list = await call(MEMBER, "GET", rulesPath());
  const old = list.body.rules.find((r: { id: string }) => r.id === off);
  assert.deepEqual(old.problems, [{
    action_index: 1,
    field: "endpoint_id",
    message: "Step 2 (Send a webhook): its webhook endpoint was deleted. Pick another endpoint.",
  }]);
  const one = await call(MEMBER, "GET", `${rulesPath()}/${off}`);
  assert.deepEqual(one.body.rule.problems, old.problems);
});

test("problems: a fallback assignee who left and a chat provider not connected are named by step; a sound rule has none", async () => {
  await reset();
  const sound = await createRule(taskRule({ name: "Sound", actions: [{ type: "create_tasks", fallback_assignee_id: MEMBER }] }));
  const broken = await createRule(taskRule({
    name: "Broken",
    actions: [{ type: "create_tasks", fallback_assignee_id: MEMBER }, { type: "post_discord", template: "hi" }],
  }));
  const [membership] = await sql`delete from public.team_members where team_id = ${TEAM} and user_id = ${MEMBER} returning role`;
  const list = await call(ADMIN, "GET", rulesPath());
  await sql`insert into public.team_members (team_id, user_id, role) values (${TEAM}, ${MEMBER}, ${membership.role})`;
  const byId = Object.fromEntries(list.body.rules.map((r: { id: string }) => [r.id, r]));
  assert.deepEqual(byId[broken].problems.map((p: { action_index: number; field: string }) => [p.action_index, p.field]), [
    [0, "fallback_assignee_id"],
    [1, "destination"],
  ]);
  assert.equal(byId[broken].problems[1].message, "Step 2 (Post to Discord): Discord is not connected to a channel. Connect it under Integrations.");
  assert.equal(byId[sound].problems[0].field, "fallback_assignee_id");
  await reset();
  const fine = await createRule(taskRule({ name: "Fine", actions: [{ type: "create_tasks" }] }));
  assert.deepEqual((await call(ADMIN, "GET", rulesPath())).body.rules.find((r: { id: string }) => r.id === fine).problems, []);
});

test("problems: a Slack whose channel is gone (needs reconnect) is named by step, with the provider to reconnect", async () => {
  await reset();
  const rule = await createRule(taskRule({ name: "Slack", actions: [{ type: "post_slack", template: "hi" }] }));
  const integration = await connectChat(TEAM, "slack", { url: "https://hooks.slack.example/x" });
  try {
    const sound = (await call(MEMBER, "GET", `${rulesPath()}/${rule}`)).body.rule.problems;
    assert.deepEqual(sound, [], "connected with a channel: nothing to fix");
    // as markDestinationGone leaves it
    await sql`update public.team_integrations set status = 'needs_reauth', last_error = 'destination_gone' where id = ${integration}`;
    const problems = (await call(MEMBER, "GET", `${rulesPath()}/${rule}`)).body.rule.problems;
    assert.deepEqual(problems, [{
      action_index: 0,
      field: "reconnect",
      provider: "slack",
      message: "Step 1 (Post to Slack): Slack needs reconnecting: its channel is gone (deleted, archived, or the app was removed). Reconnect Slack under Integrations.",
    }]);
  } finally {
    await sql`delete from public.team_integrations where id = ${integration}`;
  }
});

test("?posts_to=slack lists only the rules whose current version posts to Slack (the disconnect dialog); junk is 400", async () => {
  await reset();
  const slack = await createRule(taskRule({ name: "Slack summary", enabled: true, actions: [{ type: "post_slack", template: "x" }] }));
  await createRule(taskRule({ name: "Tasks only", enabled: true, actions: [{ type: "create_tasks" }] }));
  await createRule(taskRule({ name: "Discord", actions: [{ type: "post_discord", template: "x" }] }));
  const res = await call(ADMIN, "GET", `${rulesPath()}?posts_to=slack`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.rules.map((r: { id: string; name: string; enabled: boolean }) => [r.id, r.name, r.enabled]), [[slack, "Slack summary", true]]);
  const bad = await call(ADMIN, "GET", `${rulesPath()}?posts_to=zoom`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, "invalid_request");
});

test("POST .../automations/test dry-runs an unsaved draft: members may, sending is an admin's; nothing is written", async () => {
  await reset();
  const meetingId = await insertMeeting();
  const draft = taskRule({ actions: [{ type: "create_tasks" }, { type: "post_slack", template: "Call with {{lead.name}}" }] });
  const res = await call(MEMBER, "POST", `${rulesPath()}/test`, { meetingId, rule: draft });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.result.conditions.passed, true);
  assert.deepEqual(res.body.result.actions.map((a: { type: string }) => a.type), ["create_tasks", "post_slack"]);
  assert.equal(res.body.result.actions[1].input.text, "Call with Jane Doe");
  const [{ n }] = await sql`select count(*)::int as n from public.automation_rules where team_id = ${TEAM}`;
  assert.equal(n, 0, "no rule was saved");
  const send = await call(MEMBER, "POST", `${rulesPath()}/test`, { meetingId, rule: draft, send: true });
  assert.equal(send.status, 403);
  const noDraft = await call(ADMIN, "POST", `${rulesPath()}/test`, { meetingId });
  assert.equal(noDraft.status, 400);
  assert.equal(noDraft.body.error.code, "invalid_rule");
  const bad = await call(ADMIN, "POST", `${rulesPath()}/test`, { meetingId, rule: { ...draft, actions: [] } });
  assert.equal(bad.status, 400);
});

test("close", async () => {
  await closeAll();
});
