// The automations API's run log (issue 11): one rule's runs and the team's, newest first in keyset pages, filtered by
// status; one run with its steps, its pinned version and its re-runs; as admin / member / outsider / no JWT. Runs
// are written here by the superuser as the engine writes them.
import assert from "node:assert/strict";
import { ADMIN, closeAll, MEMBER, OTHER_TEAM, OUTSIDER, resetDb, sql, TEAM, test } from "./helpers.ts";
import { call, createRule, insertRule, insertRun, insertStep, JANE, reset, RAJ, rulesPath, taskRule } from "./automations_api_support.ts";

const RUN_KEYS = [
  "attempt", "created_at", "error_code", "error_message", "finished_at", "id", "lead", "meeting", "next_attempt_at",
  "outcomes", "retry_of", "rule_id", "rule_name", "skip_reason", "started_at", "status", "version", "version_name",
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
    [...RUN_KEYS, "conditions_result", "context", "max_attempts", "requested", "retries", "retry_of_run", "steps"].sort(),
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

test("runs: a succeeded run carries what each step did, for the log's one-line summary; other runs none", async () => {
  await reset();
  const ruleId = await createRule();
  const ok = await insertRun(ruleId, { status: "succeeded" });
  const dead = await insertRun(ruleId, { status: "dead" });
  for (const [i, type, output] of [
    [0, "create_tasks", { created: 3, tasks: [] }],
    [1, "post_slack", { sent: "slack", channel: "#sales", workspace: "Acme", posted_at: "2026-11-30T20:53:47Z" }],
  ] as const) {
    await sql`insert into public.automation_run_steps (run_id, team_id, step_index, action_type, status, output, attempts)
              values (${ok}, ${TEAM}, ${i}, ${type}, 'succeeded', ${sql.json(output as never)}, 1)`;
  }
  const runs = (await call(MEMBER, "GET", runsPath(ruleId))).body.runs;
  const byId = Object.fromEntries(runs.map((r: { id: string }) => [r.id, r]));
  assert.deepEqual(byId[ok].outcomes, [
    { action_type: "create_tasks", created: 3, to: null, sent: null, channel: null, workspace: null, endpoint: null },
    { action_type: "post_slack", created: null, to: null, sent: "slack", channel: "#sales", workspace: "Acme", endpoint: null },
  ]);
  assert.equal(byId[dead].outcomes, null);
});

test("run detail: a re-run names the run it re-ran and each names the other's version; the run's own attempt budget", async () => {
  await reset();
  const ruleId = await createRule();
  const original = await insertRun(ruleId, { status: "dead", createdAt: new Date(Date.now() - 60_000).toISOString() });
  // the rule is edited (version 2), then the run is re-run: the re-run ran version 2
  const patched = await call(ADMIN, "PATCH", `${rulesPath()}/${ruleId}`, { name: "Tasks v2" });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  const rerun = await insertRun(ruleId, { retryOf: original, status: "dead" });
  await sql`update public.automation_runs set requested_by = ${ADMIN} where id = ${rerun}`;

  const newer = (await call(MEMBER, "GET", `${teamRunsPath}/${rerun}`)).body.run;
  assert.equal(newer.retry_of, original);
  assert.deepEqual({ ...newer.retry_of_run, created_at: undefined }, { id: original, status: "dead", version: 1, created_at: undefined });
  assert.equal(newer.requested, true);
  assert.equal(newer.max_attempts, 6);
  const older = (await call(MEMBER, "GET", `${teamRunsPath}/${original}`)).body.run;
  assert.equal(older.retry_of_run, null);
  // each run is named as the version it ran was called; rule_name is the rule's name now
  assert.deepEqual([older.rule_name, older.version_name, newer.version_name], ["Tasks v2", "Tasks from action items", "Tasks v2"]);
  const listed = (await call(MEMBER, "GET", runsPath(ruleId))).body.runs;
  assert.deepEqual(listed.map((r: Record<string, unknown>) => [r.id, r.version, r.version_name, r.rule_name]), [
    [rerun, 2, "Tasks v2", "Tasks v2"],
    [original, 1, "Tasks from action items", "Tasks v2"],
  ]);
  assert.equal(older.requested, false);
  assert.deepEqual(older.retries.map((r: Record<string, unknown>) => [r.id, r.status, r.version]), [[rerun, "dead", 2]]);
});

test("rule version: each published version opens read-only (members too); unknown version or another team's rule 404", async () => {
  await reset();
  const ruleId = await createRule();
  await call(ADMIN, "PATCH", `${rulesPath()}/${ruleId}`, { name: "Renamed", actions: [{ type: "add_note", template: "Hi" }] });
  const path = (v: unknown, rule = ruleId) => `/api/teams/${TEAM}/automations/${rule}/versions/${v}`;
  for (const user of [ADMIN, MEMBER]) {
    const v1 = await call(user, "GET", path(1));
    assert.equal(v1.status, 200, JSON.stringify(v1.body));
    assert.deepEqual(Object.keys(v1.body.version).sort(), [
      "actions", "conditions", "created_at", "created_by", "current_version", "id", "name", "rule_id", "trigger", "version",
    ]);
    assert.equal(v1.body.version.version, 1);
    assert.equal(v1.body.version.name, "Tasks from action items");
    assert.equal(v1.body.version.current_version, 2);
    assert.deepEqual(v1.body.version.actions.map((a: { type: string }) => a.type), ["create_tasks", "post_slack"]);
    assert.equal(v1.body.version.conditions.rules[0].field, "meeting.duration_minutes");
    const v2 = await call(user, "GET", path(2));
    assert.equal(v2.body.version.name, "Renamed");
    assert.deepEqual(v2.body.version.actions, [{ type: "add_note", template: "Hi", continue_on_failure: false }]);
  }
  for (const v of [3, 0, -1, "x", "1.5", "99999999999"]) {
    const res = await call(MEMBER, "GET", path(v));
    assert.equal(res.status, 404, String(v));
    assert.equal(res.body.error.code, "version_not_found");
  }
  const { ruleId: elsewhere } = await insertRule(OTHER_TEAM);
  for (const rule of [elsewhere, crypto.randomUUID()]) {
    const res = await call(ADMIN, "GET", path(1, rule));
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "rule_not_found");
  }
  assert.equal((await call(OUTSIDER, "GET", path(1))).body.error.code, "team_not_found");
  assert.equal((await call(null, "GET", path(1))).status, 401);
});

test("run detail: the endpoint's answer (response_excerpt) goes to owners and admins; a member gets the status and a sentence", async () => {
  await reset();
  const ruleId = await createRule();
  const runId = await insertRun(ruleId, { status: "dead" });
  await insertStep(runId, 0, "failed", "send_webhook");
  const output = {
    endpoint: { id: "ee000000-0000-4000-8000-000000000001", name: "Zapier" }, webhook_id: `${runId}:0`, body: {},
    sent: true, status: 404, response_excerpt: "Cannot POST [redacted]",
  };
  await sql`update public.automation_run_steps set output = ${sql.json(output)} where run_id = ${runId}`;
  const asAdmin = (await call(ADMIN, "GET", `${teamRunsPath}/${runId}`)).body.run.steps[0].output;
  assert.deepEqual(asAdmin, output);
  const res = await call(MEMBER, "GET", `${teamRunsPath}/${runId}`);
  assert.equal(res.status, 200);
  const { response_excerpt: _excerpt, ...rest } = output;
  assert.deepEqual(res.body.run.steps[0].output, {
    ...rest,
    response_excerpt_note: "What the endpoint answered is shown to team owners and admins only.",
  });
  assert.ok(!JSON.stringify(res.body).includes("Cannot POST"));
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
