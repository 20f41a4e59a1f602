// Automations engine, dispatch and claims (issue 11): one run per (rule, event) pinned to the current version with
// its context frozen; skipped runs with their reason (conditions, loop guard, subject gone); claims are disjoint
// under concurrent runners; an expired lease is reclaimed and the stale holder writes nothing. PGlite and
// PostgreSQL alike (on PGlite concurrent runners serialise, which the assertions allow).
import assert from "node:assert/strict";
import { claimEvents, claimRuns } from "../_shared/automations/engine/claims.ts";
import { dispatchEvent } from "../_shared/automations/engine/dispatch.ts";
import { executeRun } from "../_shared/automations/engine/execute.ts";
import { finishRun } from "../_shared/automations/engine/finish.ts";
import { rerun, runDue } from "../_shared/automations/engine/index.ts";
import {
  actionItems,
  ADMIN,
  drain,
  dropTeam,
  eventsOf,
  fakeChat,
  importLinkedMeeting,
  publishRule,
  publishVersion,
  runsOf,
  setupTeam,
  stepsOf,
  tasksOf,
} from "./automation_engine_support.ts";
import { closeAll, sql, test } from "./helpers.ts";

const TASKS = { trigger: "meeting.linked_to_lead", actions: [{ type: "create_tasks", due_in_days: 3 }] };

test("dispatch: one run per enabled rule, pinned to the current version, context frozen; skips say why", async () => {
  const t = await setupTeam();
  try {
    const tasks = await publishRule(t.teamId, { name: "Tasks", ...TASKS });
    const v2 = await publishVersion(t.teamId, tasks.ruleId, { name: "Tasks v2", ...TASKS });
    const long = await publishRule(t.teamId, {
      name: "Long calls only",
      trigger: "meeting.linked_to_lead",
      conditions: { match: "all", rules: [{ field: "meeting.duration_minutes", op: "gte", value: 60 }] },
      actions: [{ type: "add_note", template: "long" }],
    });
    const off = await publishRule(t.teamId, { name: "Off", ...TASKS });
    await sql`update public.automation_rules set enabled = false where id = ${off.ruleId}`;
    await publishRule(t.teamId, { name: "Other trigger", trigger: "lead.created", actions: [{ type: "add_note", template: "x" }] });

    const meetingId = await importLinkedMeeting(t.teamId, {
      title: "Pilot review",
      action_items: actionItems({ text: "Send the proposal" }, { text: "Done already", completed: true }),
    });
    const [event] = await eventsOf(t.teamId);
    assert.equal(event.status, "pending");
    const result = await dispatchEvent(event);
    assert.deepEqual(result, { queued: 1, skipped: 1, dead: 0, dispatched: true });
    // a second dispatch of the same event (a runner whose lease expired) writes nothing
    assert.deepEqual(await dispatchEvent(event), { queued: 0, skipped: 0, dead: 0, dispatched: false });

    const runs = await runsOf(t.teamId);
    assert.equal(runs.length, 2);
    const queued = runs.find((r) => r.rule_id === tasks.ruleId)!;
    assert.equal(queued.status, "queued");
    assert.equal(queued.version_id, v2);
    assert.equal(queued.lead_id, t.janeId);
    assert.equal(queued.meeting_id, meetingId);
    assert.equal(queued.context.meeting.title, "Pilot review");
    assert.equal(queued.context.meeting.duration_minutes, 28);
    assert.equal(queued.context.lead.name, "Jane Doe");
    assert.equal(queued.context.event.source, "webhook");
    // only the open action item, with its index as the meeting page numbers it
    assert.deepEqual(queued.context.meeting.action_items.map((i: { index: number; text: string }) => [i.index, i.text]), [[0, "Send the proposal"]]);
    const skipped = runs.find((r) => r.rule_id === long.ruleId)!;
    assert.equal(skipped.status, "skipped");
    assert.equal(skipped.skip_reason, "conditions");
    assert.equal(skipped.conditions_result.passed, false);
    assert.deepEqual(skipped.conditions_result.results.map((r: { actual: unknown; passed: boolean }) => [r.actual, r.passed]), [[28, false]]);
    assert.ok(skipped.finished_at);
    assert.equal((await eventsOf(t.teamId))[0].status, "dispatched");

    // the frozen context is what runs: a rename after dispatch does not change the task's meeting context
    await sql`update public.meetings set title = 'Renamed' where id = ${meetingId}`;
    await drain();
    const [after] = (await runsOf(t.teamId)).filter((r) => r.rule_id === tasks.ruleId);
    assert.equal(after.status, "succeeded");
    assert.equal(after.context.meeting.title, "Pilot review");
    const taskRows = await tasksOf(t.teamId);
    assert.deepEqual(taskRows.map((x) => [x.title, x.source, x.automation_run_id, x.source_key]), [
      ["Send the proposal", "automation", after.id, `automation:${after.id}:0:0`],
    ]);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("dispatch: a lead gone before dispatch gives a skipped run (subject_gone), and the event is dispatched", async () => {
  const t = await setupTeam();
  try {
    await publishRule(t.teamId, { trigger: "lead.created", actions: [{ type: "add_note", template: "Welcome {{lead.name}}" }] });
    const [lead] = await sql`insert into public.leads (team_id, name) values (${t.teamId}, 'Fleeting') returning id`;
    await sql`delete from public.leads where id = ${lead.id}`;
    const [event] = await eventsOf(t.teamId);
    await dispatchEvent(event);
    const runs = await runsOf(t.teamId);
    assert.deepEqual(runs.map((r) => [r.status, r.skip_reason]), [["skipped", "subject_gone"]]);
    assert.equal((await eventsOf(t.teamId))[0].status, "dispatched");
  } finally {
    await dropTeam(t.teamId);
  }
});

test("runners: 4 concurrent runDue passes give exactly one run per (rule, event) and one task per item", async () => {
  const t = await setupTeam();
  try {
    const rules = [
      await publishRule(t.teamId, { name: "A", ...TASKS }),
      await publishRule(t.teamId, { name: "B", trigger: "meeting.linked_to_lead", actions: [{ type: "add_note", template: "Met {{lead.name}}" }] }),
      await publishRule(t.teamId, { name: "C", trigger: "meeting.linked_to_lead", actions: [{ type: "set_stage", stage: "contacted" }] }),
    ];
    const meetings = 8;
    for (let i = 0; i < meetings; i++) {
      await importLinkedMeeting(t.teamId, { action_items: actionItems({ text: `Item ${i}` }) });
    }
    const results = await Promise.all([1, 2, 3, 4].map(() => runDue({ budgetMs: 60_000, random: () => 0.5 })));
    const runs = await runsOf(t.teamId);
    assert.equal(runs.length, meetings * rules.length);
    const pairs = new Set(runs.map((r) => `${r.rule_id}:${r.event_id}`));
    assert.equal(pairs.size, runs.length, "one run per (rule, event)");
    assert.ok(runs.every((r) => r.status === "succeeded"), JSON.stringify(runs.map((r) => [r.status, r.error_message])));
    assert.ok(runs.every((r) => r.attempt === 1), "each run executed once");
    assert.equal(results.reduce((n, r) => n + r.dispatched, 0), meetings);
    assert.equal(results.reduce((n, r) => n + r.ran, 0), meetings * rules.length);
    assert.equal((await tasksOf(t.teamId)).length, meetings);
    const [notes] = await sql`select count(*)::int as n from public.lead_notes where team_id = ${t.teamId} and source = 'automation'`;
    assert.equal(notes.n, meetings);
    // the stage moved once (new -> contacted); the other seven runs found it there
    const changes = await sql`select from_stage, to_stage, automation_run_id from public.lead_stage_changes where lead_id = ${t.janeId}`;
    assert.deepEqual(changes.map((c) => [c.from_stage, c.to_stage]), [["new", "contacted"]]);
    assert.ok(changes[0].automation_run_id);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("claims: concurrent claims of events and of runs are disjoint", async () => {
  const t = await setupTeam();
  try {
    await publishRule(t.teamId, TASKS);
    for (let i = 0; i < 12; i++) await importLinkedMeeting(t.teamId);
    const eventClaims = await Promise.all([1, 2, 3, 4].map(() => claimEvents(4)));
    const eventIds = eventClaims.flat().map((e) => e.id);
    assert.equal(new Set(eventIds).size, eventIds.length, "no event in two claims");
    for (const e of eventClaims.flat()) await dispatchEvent(e);
    // whatever other events are pending, ours are all dispatched once claimed
    for (const e of (await eventsOf(t.teamId)).filter((e) => e.status === "pending")) await dispatchEvent(e);
    const runClaims = await Promise.all([1, 2, 3, 4].map(() => claimRuns(5)));
    const runIds = runClaims.flat().map((r) => r.id);
    assert.equal(new Set(runIds).size, runIds.length, "no run in two claims");
    assert.ok(runClaims.flat().every((r) => r.status === "running" && r.lease_id));
  } finally {
    await dropTeam(t.teamId);
  }
});

test("leases: an expired lease is reclaimed; the stale holder finishing late writes nothing", async () => {
  const t = await setupTeam();
  try {
    const { ruleId } = await publishRule(t.teamId, TASKS);
    await importLinkedMeeting(t.teamId, { action_items: actionItems({ text: "One" }) });
    for (const e of await eventsOf(t.teamId)) await dispatchEvent(e);
    const [run] = await runsOf(t.teamId);
    // runner A claims the run, then stalls past its lease
    await sql`update public.automation_runs set next_attempt_at = now() - interval '1 hour' where id = ${run.id}`;
    const staleClaim = (await claimRuns(50)).find((r) => r.id === run.id)!;
    assert.ok(staleClaim, "claimed by A");
    assert.deepEqual((await claimRuns(50)).filter((r) => r.id === run.id), [], "a live lease is not claimed again");
    await sql`update public.automation_runs set locked_until = now() - interval '1 second' where id = ${run.id}`;
    const fresh = (await claimRuns(50)).find((r) => r.id === run.id)!;
    assert.ok(fresh, "runner B reclaims the expired lease");
    assert.notEqual(fresh.lease_id, staleClaim.lease_id);
    assert.equal(fresh.attempt, 2);

    // A wakes up: its steps and its finish are refused
    assert.equal(await executeRun(staleClaim), "lease_lost");
    assert.equal(await finishRun(staleClaim, []), "lease_lost");
    assert.deepEqual(await stepsOf(run.id), []);
    assert.equal((await tasksOf(t.teamId)).length, 0);
    // B runs it to the end, once
    assert.equal(await executeRun(fresh), "succeeded");
    assert.equal((await tasksOf(t.teamId)).length, 1);
    const [after] = await runsOf(t.teamId);
    assert.equal(after.status, "succeeded");
    assert.equal(after.lease_id, null);
    const [rule] = await sql`select consecutive_failures from public.automation_rules where id = ${ruleId}`;
    assert.equal(rule.consecutive_failures, 0);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("loop guard: set_stage rules answering lead.stage_changed stop at depth 3 with visible skipped runs", async () => {
  const t = await setupTeam();
  try {
    await publishRule(t.teamId, { name: "Back to contacted", trigger: "lead.stage_changed", actions: [{ type: "set_stage", stage: "contacted", allow_backwards: true }] });
    await publishRule(t.teamId, { name: "On to qualified", trigger: "lead.stage_changed", actions: [{ type: "set_stage", stage: "qualified", allow_backwards: true }] });
    await sql`update public.leads set stage = 'proposal' where id = ${t.janeId}`; // a person's change: depth 0
    for (let i = 0; i < 10; i++) {
      const r = await drain();
      if (r.dispatched === 0 && r.ran === 0) break;
    }
    const events = await eventsOf(t.teamId);
    assert.ok(events.every((e) => e.status === "dispatched"));
    assert.deepEqual([...new Set(events.map((e) => e.depth))].sort(), [0, 1, 2, 3]);
    assert.ok(events.filter((e) => e.depth > 0).every((e) => e.source === "automation"));
    const runs = await runsOf(t.teamId);
    const guarded = runs.filter((r) => r.skip_reason === "loop_guard");
    assert.ok(guarded.length > 0, "runs past the guard are recorded");
    assert.ok(guarded.every((r) => r.depth === 3 && r.status === "skipped"));
    assert.ok(runs.filter((r) => r.depth < 3).every((r) => r.status === "succeeded"));
    assert.equal(runs.filter((r) => r.depth >= 3 && r.status !== "skipped").length, 0);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("a rule switched off after dispatch: its queued run is skipped (rule_disabled); an admin's retry still runs", async () => {
  const t = await setupTeam();
  try {
    const { ruleId } = await publishRule(t.teamId, TASKS);
    await importLinkedMeeting(t.teamId, { action_items: actionItems({ text: "Later" }) });
    for (const e of await eventsOf(t.teamId)) await dispatchEvent(e);
    await sql`update public.automation_rules set enabled = false where id = ${ruleId}`;
    await drain();
    const [run] = await runsOf(t.teamId);
    assert.deepEqual([run.status, run.skip_reason], ["skipped", "rule_disabled"]);
    assert.equal((await tasksOf(t.teamId)).length, 0);
    // a re-run someone asked for runs even while the rule is off
    const again = await rerun({ teamId: t.teamId, runId: run.id, userId: ADMIN });
    await drain();
    const [after] = (await runsOf(t.teamId)).filter((r) => r.id === again.id);
    assert.equal(after.status, "succeeded");
    assert.equal((await tasksOf(t.teamId)).length, 1);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("teardown", async () => {
  await fakeChat.close();
  await closeAll();
  await sql.end();
});
