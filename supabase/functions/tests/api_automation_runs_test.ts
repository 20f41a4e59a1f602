// The automations API's run log (issue 11): one rule's runs and the team's, newest first in keyset pages, filtered by
// status; one run with its steps, its pinned version and its re-runs; as admin / member / outsider / no JWT. Runs
// are written here by the superuser as the engine writes them.
import assert from "node:assert/strict";
import { ADMIN, closeAll, MEMBER, OTHER_TEAM, OUTSIDER, resetDb, sql, TEAM, test } from "./helpers.ts";
import { call, createRule, insertRule, insertRun, insertStep, JANE, reset, RAJ, taskRule } from "./automations_api_support.ts";

const RUN_KEYS = [
  "attempt", "created_at", "error_code", "error_message", "finished_at", "id", "lead", "meeting", "next_attempt_at",
  "retry_of", "rule_id", "rule_name", "skip_reason", "started_at", "status", "version",
];
const runsPath = (ruleId: string) => `/api/teams/${TEAM}/automations/${ruleId}/runs`;
const teamRunsPath = `/api/teams/${TEAM}/automation-runs`;

/** Every page of a list, following next_cursor. */
async function allPages(user: string, path: string): Promise<{ pages: number; ids: string[] }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res = await call(user, "GET", cursor ? `${path}${sep}cursor=${cursor}` : path);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    ids.push(...res.body.runs.map((r: { id: string }) => r.id));
    cursor = res.body.next_cursor;
    pages++;
  } while (cursor);
  return { pages, ids };
}

test("runs: one rule's runs, newest first, in pages of 50 that visit each run once; same created_at ties by id", async () => {
  await reset();
  const ruleId = await createRule();
  const other = await createRule(taskRule({ name: "Other" }));
  const base = Date.now() - 3_600_000;
  const ids: string[] = [];
  for (let i = 0; i < 60; i++) {
    // pairs share a timestamp: the order must still be total
    ids.push(await insertRun(ruleId, { createdAt: new Date(base + Math.floor(i / 2) * 1000).toISOString() }));
  }
  await insertRun(other);
  const expected = (await sql`select id from public.automation_runs where rule_id = ${ruleId}
                               order by created_at desc, id desc`).map((r) => r.id);
  for (const user of [ADMIN, MEMBER]) {
    const { pages, ids: seen } = await allPages(user, runsPath(ruleId));
    assert.equal(pages, 2);
    assert.deepEqual(seen, expected);
  }
  const first = await call(MEMBER, "GET", runsPath(ruleId));
  assert.equal(first.body.runs.length, 50);
  assert.deepEqual(Object.keys(first.body.runs[0]).sort(), RUN_KEYS);
  assert.equal(first.body.runs[0].rule_name, "Tasks from action items");
  assert.equal(first.body.runs[0].version, 1);
  assert.deepEqual(first.body.runs[0].lead, { id: JANE, name: "Jane Doe" });
});

test("runs: the team's run log holds every rule's runs; status filters; bad status, bad cursor 400", async () => {
  await reset();
  const a = await createRule();
  const b = await createRule(taskRule({ name: "B" }));
  const dead = await insertRun(a, { status: "dead" });
  const ok = await insertRun(b, { status: "succeeded" });
  await insertRun(b, { status: "skipped" });
  const { ruleId: elsewhere } = await insertRule(OTHER_TEAM);
  await insertRun(elsewhere, { team: OTHER_TEAM, leadId: null });

  const all = await call(MEMBER, "GET", teamRunsPath);
  assert.equal(all.status, 200);
  assert.equal(all.body.runs.length, 3);
  assert.equal(all.body.next_cursor, null);
  const deadOnly = await call(MEMBER, "GET", `${teamRunsPath}?status=dead`);
  assert.deepEqual(deadOnly.body.runs.map((r: { id: string }) => r.id), [dead]);
  assert.equal(deadOnly.body.runs[0].error_code, "slack_gone");
  const ruleOk = await call(MEMBER, "GET", `${runsPath(b)}?status=succeeded`);
  assert.deepEqual(ruleOk.body.runs.map((r: { id: string }) => r.id), [ok]);

  for (const query of ["?status=exploded", "?cursor=abc", "?cursor=WyJ4IiwieSJd"]) {
    for (const path of [teamRunsPath, runsPath(a)]) {
      const res = await call(MEMBER, "GET", `${path}${query}`);
      assert.equal(res.status, 400, `${path}${query}`);
      assert.equal(res.body.error.code, "invalid_request");
    }
  }
});

test("runs: outsider 404 team_not_found, no JWT 401, an unknown or another team's rule 404 rule_not_found", async () => {
  await reset();
  const ruleId = await createRule();
  for (const path of [runsPath(ruleId), teamRunsPath]) {
    assert.equal((await call(OUTSIDER, "GET", path)).body.error.code, "team_not_found");
    assert.equal((await call(null, "GET", path)).status, 401);
  }
  const { ruleId: elsewhere } = await insertRule(OTHER_TEAM);
  for (const id of [crypto.randomUUID(), elsewhere]) {
    const res = await call(ADMIN, "GET", runsPath(id));
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "rule_not_found");
  }
});

test("run detail: context, conditions, the version it ran, steps in order, its re-runs; names survive a deleted lead", async () => {
  await reset();
  const ruleId = await createRule();
  const runId = await insertRun(ruleId, {
    status: "dead",
    leadId: RAJ,
    context: { lead: { name: "Raj Patel" }, meeting: { title: "Intro" } },
  });
  await insertStep(runId, 1, "failed");
  await insertStep(runId, 0, "succeeded", "create_tasks");
  const rerun = await insertRun(ruleId, { retryOf: runId, status: "queued" });

  const res = await call(MEMBER, "GET", `${teamRunsPath}/${runId}`);
  assert.equal(res.status, 200);
  const run = res.body.run;
  assert.deepEqual(
    Object.keys(run).sort(),
    [...RUN_KEYS, "conditions_result", "context", "retries", "steps"].sort(),
  );
  assert.equal(run.status, "dead");
  assert.deepEqual(run.context, { lead: { name: "Raj Patel" }, meeting: { title: "Intro" } });
  assert.deepEqual(Object.keys(run.version).sort(), ["actions", "conditions", "id", "name", "trigger", "version"]);
  assert.equal(run.version.version, 1);
  assert.deepEqual(run.steps.map((s: { step_index: number; status: string }) => [s.step_index, s.status]), [
    [0, "succeeded"],
    [1, "failed"],
  ]);
  assert.deepEqual(Object.keys(run.steps[0]).sort(), [
    "action_type", "attempts", "error_code", "error_message", "finished_at", "output", "resolved_input",
    "started_at", "status", "step_index",
  ]);
  assert.deepEqual(run.retries.map((r: { id: string }) => r.id), [rerun]);
  assert.deepEqual(run.lead, { id: RAJ, name: "Raj Patel" });

  // the lead is deleted: the run still names it, from the context frozen at dispatch
  await sql`update public.leads set name = 'Raj P.' where id = ${RAJ}`;
  assert.equal((await call(MEMBER, "GET", `${teamRunsPath}/${runId}`)).body.run.lead.name, "Raj P.");
  await sql`delete from public.leads where id = ${RAJ}`;
  assert.deepEqual((await call(MEMBER, "GET", `${teamRunsPath}/${runId}`)).body.run.lead, { id: RAJ, name: "Raj Patel" });
});

test("run detail: unknown or another team's run 404 run_not_found; outsider 404 team_not_found; no JWT 401", async () => {
  await reset();
  const ruleId = await createRule();
  const runId = await insertRun(ruleId);
  const { ruleId: elsewhere } = await insertRule(OTHER_TEAM);
  const foreign = await insertRun(elsewhere, { team: OTHER_TEAM, leadId: null });
  for (const id of [crypto.randomUUID(), foreign]) {
    const res = await call(ADMIN, "GET", `${teamRunsPath}/${id}`);
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "run_not_found");
  }
  assert.equal((await call(OUTSIDER, "GET", `${teamRunsPath}/${runId}`)).body.error.code, "team_not_found");
  assert.equal((await call(null, "GET", `${teamRunsPath}/${runId}`)).status, 401);
  assert.equal((await call(ADMIN, "GET", `${teamRunsPath}/not-a-uuid`)).status, 400);
});

test("cleanup: run log tests leave the database as seeded", async () => {
  await reset();
  await sql.unsafe(await Deno.readTextFile(new URL("../../seed.sql", import.meta.url))).simple();
  await resetDb({ dropOtherTeam: true });
  await closeAll();
});
