// Issue 11, attacker findings 2-5 (from /tmp/atk11 atk11_{direct,db,rerun,retry_rerun}_test.ts): the limits hold in
// the database for clients writing through PostgREST, the engine refuses what it cannot run and never loops, a
// member cannot squat an automation's task key, and re-runs / retries of one run do not overlap.
import assert from "node:assert/strict";
import { MAX_ATTEMPTS } from "../_shared/automations/backoff.ts";
import { dispatchEvent } from "../_shared/automations/engine/dispatch.ts";
import { rerun, retryRun } from "../_shared/automations/engine/index.ts";
import { parseVersion } from "../_shared/automations/engine/version.ts";
import { AppError } from "../_shared/errors.ts";
import {
  actionItems, ADMIN, drain, dropTeam, eventsOf, importLinkedMeeting, MEMBER, publishRule, runsOf, setupTeam, stepsOf,
  tasksOf,
} from "./automation_engine_support.ts";
import { closeAll, sql, test } from "./helpers.ts";

/** `work` in a transaction as `user` through the `authenticated` role, as PostgREST runs a client's request. */
async function asClient<T>(user: string, work: (tx: typeof sql) => Promise<T>): Promise<T> {
  return await sql.begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: user, role: "authenticated" })}, true),
                    set_config('role', 'authenticated', true)`;
    return await work(tx as unknown as typeof sql);
  }) as T;
}

async function refused(work: () => Promise<unknown>, _why = ""): Promise<string> {
  try {
    await work();
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail("the database accepted it");
}

const note = { type: "add_note", template: "n" };

async function insertVersionAsAdmin(teamId: string, conditions: unknown, actions: unknown) {
  await asClient(ADMIN, async (tx) => {
    const r = crypto.randomUUID(), v = crypto.randomUUID();
    await tx`insert into public.automation_rules (id, team_id, name, trigger, enabled, current_version_id, version)
             values (${r}, ${teamId}, 'direct', 'lead.stage_changed', true, ${v}, 1)`;
    await tx`insert into public.automation_rule_versions (id, rule_id, team_id, version, name, trigger, conditions, actions)
             values (${v}, ${r}, ${teamId}, 1, 'direct', 'lead.stage_changed', ${tx.json(conditions as never)},
                     ${tx.json(actions as never)})`;
  });
}

test("limits: an admin writing automation_rules directly cannot pass 50 rules, not even in one statement", async () => {
  const team = await setupTeam();
  try {
    const many = (n: number) =>
      asClient(ADMIN, (tx) => tx`insert into public.automation_rules (team_id, name, trigger, enabled)
        select ${team.teamId}, 'r' || i, 'lead.created', false from generate_series(1, ${n}) i`);
    assert.match(await refused(() => many(51)), /at most 50 automation rules/);
    await many(50);
    assert.match(await refused(() => many(1)), /at most 50 automation rules/);
    const [{ n }] = await sql`select count(*)::int n from public.automation_rules where team_id = ${team.teamId}`;
    assert.equal(n, 50);
  } finally {
    await dropTeam(team.teamId);
  }
});

test("limits: a version written directly holds 1-10 actions, at most 20 condition rules, at most 64 KiB", async () => {
  const team = await setupTeam();
  try {
    const none = { match: "all", rules: [] };
    await refused(() => insertVersionAsAdmin(team.teamId, none, Array.from({ length: 200 }, () => note)));
    await refused(() => insertVersionAsAdmin(team.teamId, none, Array.from({ length: 11 }, () => note)));
    await refused(() => insertVersionAsAdmin(team.teamId, none, []));
    const rule = { field: "lead.stage", op: "in", value: ["new"] };
    await refused(() => insertVersionAsAdmin(team.teamId, { match: "all", rules: Array.from({ length: 21 }, () => rule) }, [note]));
    await refused(() => insertVersionAsAdmin(team.teamId, none, [{ type: "add_note", template: "x".repeat(70_000) }]));
    await insertVersionAsAdmin(team.teamId, { match: "all", rules: Array.from({ length: 20 }, () => rule) },
      Array.from({ length: 10 }, () => note));
    const [{ n }] = await sql`select count(*)::int n from public.automation_rule_versions where team_id = ${team.teamId}`;
    assert.equal(n, 1);
  } finally {
    await dropTeam(team.teamId);
  }
});

test("limits: the engine refuses a version past the rule language's bounds (invalid_rule)", async () => {
  const row = { id: "v", rule_id: "r", team_id: "t", version: 3, name: "n", trigger: "lead.created" as const };
  const conditions = { match: "all", rules: [] };
  for (const actions of [Array.from({ length: 11 }, () => note), []]) {
    assert.throws(() => parseVersion({ ...row, conditions, actions }),
      (e) => e instanceof AppError && e.code === "invalid_rule" && /version 3 cannot be read/.test(e.message));
  }
  assert.equal(parseVersion({ ...row, conditions, actions: [note] }).actions.length, 1);
});

test("limits: a run of a version with 101 actions (an old row) ends dead with a sentence, not re-claimed forever", async () => {
  const team = await setupTeam();
  try {
    const { ruleId } = await publishRule(team.teamId, { trigger: "lead.stage_changed", actions: [note] });
    // an old row written before the checks: the constraint is lifted and put back (not valid) in one transaction
    await sql.begin(async (tx) => {
      const [had] = await tx`select 1 from pg_constraint where conname = 'automation_rule_versions_actions_count'`;
      await tx`alter table public.automation_rule_versions drop constraint if exists automation_rule_versions_actions_count`;
      const [v] = await tx`insert into public.automation_rule_versions (rule_id, team_id, version, name, trigger, conditions, actions)
        values (${ruleId}, ${team.teamId}, 2, 'old', 'lead.stage_changed', ${tx.json({ match: "all", rules: [] })},
                ${tx.json(Array.from({ length: 101 }, () => note) as never)}) returning id`;
      await tx`update public.automation_rules set current_version_id = ${v.id}, version = 2 where id = ${ruleId}`;
      if (had) {
        await tx`alter table public.automation_rule_versions add constraint automation_rule_versions_actions_count
                   check (jsonb_typeof(actions) = 'array' and jsonb_array_length(actions) between 1 and 10) not valid`;
      }
    });
    await sql`update public.leads set stage = 'contacted' where id = ${team.janeId}`;
    for (let i = 0; i < 3; i++) await drain().catch(() => {});
    const [run] = await runsOf(team.teamId);
    assert.equal(run.status, "dead", `status ${run.status}, attempt ${run.attempt}`);
    assert.equal(run.error_code, "invalid_rule");
    assert.match(run.error_message, /cannot be read; publish it again/);
    assert.equal((await stepsOf(run.id)).length, 0, "no step ran");
  } finally {
    await dropTeam(team.teamId);
  }
});

test("limits: a run abandoned MAX_ATTEMPTS times (lease expired while running) ends dead instead of being claimed", async () => {
  const team = await setupTeam();
  try {
    await publishRule(team.teamId, { trigger: "lead.stage_changed", actions: [note] });
    await sql`update public.leads set stage = 'contacted' where id = ${team.janeId}`;
    for (const e of await eventsOf(team.teamId)) await dispatchEvent({ id: e.id });
    const [queued] = await runsOf(team.teamId);
    await sql`update public.automation_runs
                 set status = 'running', attempt = ${MAX_ATTEMPTS}, lease_id = gen_random_uuid(),
                     locked_until = now() - interval '1 minute'
               where id = ${queued.id}`;
    await drain();
    const [run] = await runsOf(team.teamId);
    assert.equal(run.status, "dead");
    assert.equal(run.error_code, "run_abandoned");
    assert.match(run.error_message, /stopped without finishing 6 times/);
    assert.equal(run.attempt, MAX_ATTEMPTS);
    assert.equal((await stepsOf(run.id)).length, 0);
  } finally {
    await dropTeam(team.teamId);
  }
});

test("tasks: a member writes no key or the API's key of that very item; never an automation's, nor one without its item", async () => {
  const team = await setupTeam();
  try {
    const meetingId = await importLinkedMeeting(team.teamId, { action_items: actionItems({ text: "Send the contract" }) });
    const insert = (source: string, key: string | null, meeting: string | null, index: number | null) =>
      asClient(MEMBER, (tx) => tx`insert into public.tasks (team_id, title, source, source_key, meeting_id, action_item_index)
        values (${team.teamId}, 't', ${source}, ${key}, ${meeting}, ${index})`);
    await refused(() => insert("person", `automation:${crypto.randomUUID()}:0:0`, null, null));
    await refused(() => insert("person", "anything", null, null));
    await refused(() => insert("action_item", `automation:${crypto.randomUUID()}:0:0`, meetingId, 0));
    await refused(() => insert("action_item", null, null, null));
    await refused(() => insert("action_item", `action_item:${meetingId}:0:none`, null, null));
    await refused(() => insert("person", `action_item:${meetingId}:0:none`, null, null));
    await refused(() => insert("action_item", `action_item:${meetingId}:1:none`, meetingId, 0), "another item's key");
    await insert("person", null, null, null);
    await insert("action_item", `action_item:${meetingId}:0:none`, meetingId, 0);
    assert.equal((await tasksOf(team.teamId)).length, 2);
  } finally {
    await dropTeam(team.teamId);
  }
});

test("tasks: a row the run did not write holding its key is named in the step's output (already there)", async () => {
  const team = await setupTeam();
  try {
    await publishRule(team.teamId, { trigger: "meeting.linked_to_lead", actions: [{ type: "create_tasks" }] });
    const meetingId = await importLinkedMeeting(team.teamId, { action_items: actionItems({ text: "Send the contract" }) });
    for (const e of await eventsOf(team.teamId)) await dispatchEvent({ id: e.id });
    const [run] = await runsOf(team.teamId);
    // written by something else (the service role; clients can no longer write this key)
    const [other] = await sql`insert into public.tasks (team_id, title, source, source_key)
      values (${team.teamId}, 'squatted', 'person', ${`automation:${run.id}:0:0`}) returning id`;
    await drain();
    const [step] = await stepsOf(run.id);
    assert.equal(step.status, "succeeded");
    assert.equal(step.output.created, 0);
    assert.deepEqual(step.output.already_there, [`already there: task ${other.id}`]);
    assert.ok(meetingId);
  } finally {
    await dropTeam(team.teamId);
  }
});

async function notRetryable(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (err) {
    assert.ok(err instanceof AppError && err.code === "not_retryable", String(err));
    return err.message;
  }
  assert.fail("accepted");
}

test("re-run: two clicks at once make one re-run; the other is refused (409 not_retryable)", async () => {
  const team = await setupTeam();
  try {
    await publishRule(team.teamId, { trigger: "lead.stage_changed", actions: [note] });
    await sql`update public.leads set stage = 'contacted' where id = ${team.janeId}`;
    await drain();
    const [first] = await runsOf(team.teamId);
    const results = await Promise.allSettled([0, 1].map(() => rerun({ teamId: team.teamId, runId: first.id, userId: ADMIN })));
    assert.deepEqual(results.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
    const reason = (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason;
    assert.ok(reason instanceof AppError && reason.code === "not_retryable");
    assert.match(reason.message, /^Another run of this event \(a retry or re-run\) is (still queued|already open)/);
    await drain();
    assert.equal((await runsOf(team.teamId)).length, 2);
    // once it finished, another re-run is fine
    await rerun({ teamId: team.teamId, runId: first.id, userId: ADMIN });
    assert.equal((await runsOf(team.teamId)).length, 3);
  } finally {
    await dropTeam(team.teamId);
  }
});

test("re-run: Retry and Re-run of one dead run do not both run, in either order", async () => {
  const team = await setupTeam(); // no Slack connected: post_slack fails permanently -> dead
  try {
    await publishRule(team.teamId, { trigger: "lead.stage_changed", actions: [note, { type: "post_slack", template: "x" }] });
    await sql`update public.leads set stage = 'contacted' where id = ${team.janeId}`;
    await drain();
    const [dead] = await runsOf(team.teamId);
    assert.equal(dead.status, "dead");
    await rerun({ teamId: team.teamId, runId: dead.id, userId: ADMIN });
    assert.match(await notRetryable(() => retryRun({ teamId: team.teamId, runId: dead.id, userId: ADMIN })),
      /^Another run of this event \(a retry or re-run\) is still queued/);
    await drain();
    await retryRun({ teamId: team.teamId, runId: dead.id, userId: ADMIN });
    assert.match(await notRetryable(() => rerun({ teamId: team.teamId, runId: dead.id, userId: ADMIN })), /still queued/);
    const results = await Promise.allSettled([
      rerun({ teamId: team.teamId, runId: dead.id, userId: ADMIN }),
      retryRun({ teamId: team.teamId, runId: dead.id, userId: ADMIN }),
    ]);
    assert.deepEqual(results.map((r) => r.status), ["rejected", "rejected"], "the retry above is still queued");
  } finally {
    await dropTeam(team.teamId);
  }
});

test("re-run: a run skipped by the loop guard is not re-run (409)", async () => {
  const team = await setupTeam();
  try {
    await publishRule(team.teamId, {
      trigger: "lead.stage_changed",
      conditions: { match: "all", rules: [{ field: "lead.stage", op: "in", value: ["contacted"] }] },
      actions: [{ type: "set_stage", stage: "new", allow_backwards: true }],
    });
    await publishRule(team.teamId, {
      trigger: "lead.stage_changed",
      conditions: { match: "all", rules: [{ field: "lead.stage", op: "in", value: ["new"] }] },
      actions: [{ type: "set_stage", stage: "contacted" }],
    });
    await sql`update public.leads set stage = 'contacted' where id = ${team.janeId}`;
    for (let i = 0; i < 10; i++) await drain();
    const guarded = (await runsOf(team.teamId)).filter((r) => r.skip_reason === "loop_guard");
    assert.ok(guarded.length > 0);
    const before = (await runsOf(team.teamId)).length;
    assert.match(await notRetryable(() => rerun({ teamId: team.teamId, runId: guarded[0].id, userId: ADMIN })),
      /skipped by the loop guard/);
    assert.equal((await runsOf(team.teamId)).length, before);
  } finally {
    await dropTeam(team.teamId);
  }
});

test("close", async () => {
  await closeAll();
});
