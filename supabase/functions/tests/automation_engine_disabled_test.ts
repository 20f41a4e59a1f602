// Turning a rule off while runs of it wait (issue 11 follow-up 7): they end at once, skipped with reason
// rule_disabled and a sentence the run log shows, and turning the rule on again does not resurrect them. A run
// whose pass is under way when the rule is turned off ends the same way instead of scheduling a retry.
// PGlite and PostgreSQL alike.
import assert from "node:assert/strict";
import { claimRuns } from "../_shared/automations/engine/claims.ts";
import { dispatchEvent } from "../_shared/automations/engine/dispatch.ts";
import { finishRun, RULE_DISABLED_MESSAGE, RULE_PAUSED_MESSAGE } from "../_shared/automations/engine/finish.ts";
import {
  drain,
  dropTeam,
  eventsOf,
  fakeChat,
  importLinkedMeeting,
  makeDue,
  publishRule,
  runsOf,
  SLACK_PATH,
  setupTeam,
} from "./automation_engine_support.ts";
import { closeAll, sql, test } from "./helpers.ts";

const SLACK = { trigger: "meeting.linked_to_lead", actions: [{ type: "post_slack", template: "Call: {{meeting.title}}" }] };
const slackPosts = () => fakeChat.received.filter((r) => r.path === SLACK_PATH);

test("a rule turned off while a run waits for its retry: the run ends skipped with a sentence; on again, it stays ended", async () => {
  const t = await setupTeam({ slack: true });
  fakeChat.reset();
  try {
    const { ruleId } = await publishRule(t.teamId, SLACK);
    const other = await publishRule(t.teamId, { ...SLACK, name: "Other" });
    await importLinkedMeeting(t.teamId);
    fakeChat.script(...Array.from({ length: 4 }, () => ({ status: 500, body: "oops" })));
    await drain();
    assert.deepEqual((await runsOf(t.teamId)).map((r) => r.status), ["retrying", "retrying"]);

    // as PostgREST or PATCH does it: the switch alone
    await sql`update public.automation_rules set enabled = false where id = ${ruleId}`;
    const runs = await runsOf(t.teamId);
    const ended = runs.find((r) => r.rule_id === ruleId)!;
    assert.deepEqual([ended.status, ended.skip_reason], ["skipped", "rule_disabled"]);
    assert.equal(ended.error_message, RULE_DISABLED_MESSAGE);
    assert.match(ended.error_message, /turned off/);
    assert.ok(ended.finished_at, "finished when the rule was turned off, not when its retry fell due");
    assert.equal(runs.find((r) => r.rule_id === other.ruleId)!.status, "retrying", "other rules' runs are untouched");

    await sql`update public.automation_rules set enabled = true where id = ${ruleId}`;
    await makeDue(t.teamId);
    const before = slackPosts().length;
    await drain();
    const after = await runsOf(t.teamId);
    assert.equal(after.find((r) => r.rule_id === ruleId)!.status, "skipped", "turning it on again does not resurrect it");
    assert.equal(after.find((r) => r.rule_id === other.ruleId)!.status, "succeeded");
    assert.equal(slackPosts().length, before + 1, "only the other rule's retry posted");
  } finally {
    await dropTeam(t.teamId);
  }
});

test("a rule turned off during a run's pass: a transient failure ends the run skipped, not retrying", async () => {
  const t = await setupTeam({ slack: true });
  try {
    const { ruleId } = await publishRule(t.teamId, SLACK);
    await importLinkedMeeting(t.teamId);
    for (const e of await eventsOf(t.teamId)) await dispatchEvent(e);
    const [run] = await claimRuns(1);
    assert.equal(run.status, "running");
    await sql`update public.automation_rules set enabled = false where id = ${ruleId}`;
    assert.equal((await runsOf(t.teamId))[0].status, "running", "the holder's run is left to its holder");
    const failure = { kind: "transient" as const, code: "provider_unavailable", message: "Slack is not answering.", stepIndex: 0, actionType: "post_slack" };
    assert.equal(await finishRun(run, [failure], () => 0.5), "skipped");
    const [after] = await runsOf(t.teamId);
    assert.deepEqual([after.status, after.skip_reason, after.error_message], ["skipped", "rule_disabled", RULE_DISABLED_MESSAGE]);
    assert.equal(after.error_code, "provider_unavailable", "what failed last is kept");
  } finally {
    await dropTeam(t.teamId);
  }
});

test("a rule PAUSED by the engine: its waiting and in-pass runs end rule_paused, saying its runs kept failing", async () => {
  const t = await setupTeam({ slack: true });
  fakeChat.reset();
  try {
    const { ruleId } = await publishRule(t.teamId, SLACK);
    await importLinkedMeeting(t.teamId);
    await importLinkedMeeting(t.teamId);
    for (const e of await eventsOf(t.teamId)) await dispatchEvent(e);
    const [running] = await claimRuns(1);
    assert.equal(running.status, "running");
    // as engine/finish.ts pauses it: the switch and the reason in one update
    await sql`update public.automation_rules set enabled = false, paused_reason = 'Paused after 5 of its runs failed in a row.',
                     paused_at = now() where id = ${ruleId}`;
    const waiting = (await runsOf(t.teamId)).find((r) => r.id !== running.id)!;
    assert.deepEqual([waiting.status, waiting.skip_reason, waiting.error_message], ["skipped", "rule_paused", RULE_PAUSED_MESSAGE]);
    assert.match(RULE_PAUSED_MESSAGE, /paused after 5 failed runs in a row/);
    assert.doesNotMatch(RULE_PAUSED_MESSAGE, /turned off/);

    const failure = { kind: "transient" as const, code: "provider_unavailable", message: "Slack is not answering.", stepIndex: 0, actionType: "post_slack" };
    assert.equal(await finishRun(running, [failure], () => 0.5), "skipped");
    const ended = (await runsOf(t.teamId)).find((r) => r.id === running.id)!;
    assert.deepEqual([ended.status, ended.skip_reason, ended.error_message], ["skipped", "rule_paused", RULE_PAUSED_MESSAGE]);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("teardown", async () => {
  await fakeChat.close();
  await closeAll();
  await sql.end();
});
