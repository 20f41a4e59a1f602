// The automations API (issue 11): the catalogue, rules (create, list with stats, read with versions, edit =
// publish, switch, delete) as admin / member / outsider / no JWT, the rule language's refusals with their path, the
// 50-rule limit, and the rule references only the database can check. Runs: tests/api_automation_runs_test.ts.
import assert from "node:assert/strict";
import { parseRuleBody } from "../_shared/automations/rule.ts";
import { TRIGGER_TYPES } from "../_shared/automations/context.ts";
import { CONDITIONS } from "../api/routes/automation_catalog.ts";
import { ADMIN, closeAll, MEMBER, OTHER_TEAM, OUTSIDER, resetDb, sql, TEAM, test } from "./helpers.ts";
import {
  call,
  createRule,
  insertEndpoint,
  insertRule,
  insertRun,
  JANE,
  reset,
  rulesPath,
  taskRule,
} from "./automations_api_support.ts";

const RULE_KEYS = [
  "actions", "conditions", "created_at", "dead_count", "enabled", "id", "last_run", "name", "paused_at",
  "paused_reason", "problems", "retrying", "stats_7d", "trigger", "updated_at", "version",
];

const ruleCount = async () => (await sql`select count(*)::int as n from public.automation_rules where team_id = ${TEAM}`)[0].n;
const versionRows = async (ruleId: string) =>
  await sql`select id, version, name, trigger, conditions, actions, created_by from public.automation_rule_versions
             where rule_id = ${ruleId} order by version`;

// --- the catalogue ---------------------------------------------------------------------------------------------------

test("catalog: any signed-in user reads it (outsiders too: nothing in it is a team's); no JWT 401", async () => {
  await reset();
  for (const user of [ADMIN, MEMBER, OUTSIDER]) {
    const res = await call(user, "GET", "/api/automation-catalog");
    assert.equal(res.status, 200);
    const c = res.body;
    assert.deepEqual(c.triggers.map((t: { id: string }) => t.id), [...TRIGGER_TYPES]);
    assert.deepEqual(
      c.actions.map((a: { type: string; needs_lead: boolean }) => [a.type, a.needs_lead]),
      [["create_tasks", true], ["add_note", true], ["set_stage", true], ["post_slack", false], ["post_discord", false],
        ["send_webhook", false]],
    );
    assert.ok(c.actions.every((a: { params: unknown[] }) => Array.isArray(a.params)));
    assert.deepEqual(c.filters.find((f: { name: string }) => f.name === "truncate"), {
      name: "truncate", label: c.filters.find((f: { name: string }) => f.name === "truncate").label, arg: "number",
    });
    assert.equal("arg" in c.filters.find((f: { name: string }) => f.name === "upcase"), false);
    assert.ok(c.variables["meeting.linked_to_lead"].some((v: { path: string }) => v.path === "lead.name"));
    assert.ok(!c.variables["meeting.imported_unmatched"].some((v: { path: string }) => v.path === "lead.name"));
    assert.deepEqual(Object.keys(c.variables["lead.created"][0]).sort(), ["example", "label", "path"]);
    assert.deepEqual(c.conditions["lead.created"].map((x: { field: string }) => x.field), [
      "lead.stage", "lead.owner_id", "event.source",
    ]);
  }
  assert.equal((await call(null, "GET", "/api/automation-catalog")).status, 401);
});

test("catalog: every condition it offers a trigger is one parseRuleBody accepts there, and no other", async () => {
  const sample: Record<string, unknown> = {
    number: 10, boolean: true, string: "demo", stages: ["new"], member_or_none: "none", sources: ["person"],
  };
  const offered = (await call(ADMIN, "GET", "/api/automation-catalog")).body.conditions;
  for (const trigger of TRIGGER_TYPES) {
    for (const spec of CONDITIONS) {
      for (const op of spec.ops) {
        const body = {
          name: "x", trigger, actions: [{ type: "post_slack", template: "hi" }],
          conditions: { match: "all", rules: [{ field: spec.field, op, value: sample[spec.value_type] }] },
        };
        const listed = offered[trigger].some((c: { field: string }) => c.field === spec.field);
        let accepted = true;
        try {
          parseRuleBody(body);
        } catch {
          accepted = false;
        }
        assert.equal(accepted, listed, `${trigger} ${spec.field} ${op}`);
      }
    }
  }
});

test("catalog: every action, with every parameter it lists, is one parseRuleBody accepts", async () => {
  const sample: Record<string, unknown> = {
    number: 3, member: "11111111-1111-4111-8111-111111111111", stage: "won", boolean: true,
    endpoint: "e0000000-0000-4000-8000-000000000001", template: "Hello {{lead.name}}",
  };
  const { actions } = (await call(ADMIN, "GET", "/api/automation-catalog")).body;
  for (const action of actions) {
    const full = { type: action.type, ...Object.fromEntries(action.params.map((p: { name: string; type: string }) => [p.name, sample[p.type]])) };
    const required = {
      type: action.type,
      ...Object.fromEntries(action.params.filter((p: { required: boolean }) => p.required).map((p: { name: string; type: string }) => [p.name, sample[p.type]])),
    };
    for (const a of [full, required]) {
      assert.doesNotThrow(
        () => parseRuleBody({ name: "x", trigger: "meeting.linked_to_lead", actions: [a] }),
        `${JSON.stringify(a)}`,
      );
    }
  }
});

// --- create ----------------------------------------------------------------------------------------------------------

test("create: an admin creates a rule (201, version 1, its id); a member 403, an outsider 404, no JWT 401", async () => {
  await reset();
  const member = await call(MEMBER, "POST", rulesPath(), taskRule());
  assert.equal(member.status, 403);
  assert.equal(member.body.error.code, "not_team_admin");
  const outsider = await call(OUTSIDER, "POST", rulesPath(), taskRule());
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "team_not_found");
  assert.equal((await call(null, "POST", rulesPath(), taskRule())).status, 401);
  assert.equal(await ruleCount(), 0);

  const res = await call(ADMIN, "POST", rulesPath(), taskRule());
  assert.equal(res.status, 201);
  const rule = res.body.rule;
  assert.deepEqual(Object.keys(rule).sort(), RULE_KEYS);
  assert.equal(rule.name, "Tasks from action items");
  assert.equal(rule.enabled, false);
  assert.equal(rule.version, 1);
  assert.equal(rule.last_run, null);
  assert.deepEqual(rule.stats_7d, { succeeded: 0, failed: 0, skipped: 0 });
  assert.equal(rule.dead_count, 0);
  // defaults filled in by the rule language are what is stored
  assert.deepEqual(rule.actions[0], { type: "create_tasks", due_in_days: 3, continue_on_failure: false });
  const versions = await versionRows(rule.id);
  assert.equal(versions.length, 1);
  assert.equal(versions[0].version, 1);
  assert.equal(versions[0].created_by, ADMIN);
});

test("create: invalid rules are 400 invalid_rule naming the path, and nothing is written", async () => {
  await reset();
  const otherTeamEndpoint = await insertEndpoint(OTHER_TEAM);
  const cases: [Record<string, unknown>, RegExp][] = [
    [taskRule({ actions: [{ type: "post_slack", template: "Hi {{lead.nmae}}" }] }), /^actions\[0\]\.template: .*lead\.nmae/],
    [taskRule({ actions: [{ type: "post_slack", template: "ok" }, { type: "send_fax" }] }), /^actions\[1\]/],
    [
      taskRule({ trigger: "meeting.imported_unmatched", conditions: undefined, actions: [{ type: "add_note", template: "x" }] }),
      /^actions\[0\]\.type: add_note needs a lead/,
    ],
    [
      taskRule({ trigger: "meeting.imported_unmatched", conditions: undefined, actions: [{ type: "create_tasks" }] }),
      /^actions\[0\]\.type: create_tasks needs/,
    ],
    [taskRule({ actions: Array.from({ length: 11 }, () => ({ type: "post_slack", template: "x" })) }), /^actions/],
    [taskRule({ name: "" }), /^name/],
    [taskRule({ trigger: "lead.created", actions: [{ type: "post_slack", template: "x" }] }), /^conditions\.rules\[0\]\.field/],
    [
      taskRule({ actions: [{ type: "post_slack", template: "x" }, { type: "send_webhook", endpoint_id: otherTeamEndpoint }] }),
      /^actions\[1\]\.endpoint_id: no such webhook endpoint/,
    ],
    [
      taskRule({ actions: [{ type: "create_tasks", fallback_assignee_id: OUTSIDER }] }),
      /^actions\[0\]\.fallback_assignee_id: not a member/,
    ],
  ];
  for (const [body, message] of cases) {
    const res = await call(ADMIN, "POST", rulesPath(), body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.code, "invalid_rule");
    assert.match(res.body.error.message, message);
  }
  for (const body of [null, [], "rule", 7]) {
    const res = await call(ADMIN, "POST", rulesPath(), body);
    assert.equal(res.status, 400);
  }
  assert.equal(await ruleCount(), 0);
});

test("create: the team's own endpoint and member are accepted", async () => {
  await reset();
  const endpoint = await insertEndpoint();
  const res = await call(ADMIN, "POST", rulesPath(), taskRule({
    actions: [{ type: "create_tasks", fallback_assignee_id: MEMBER }, { type: "send_webhook", endpoint_id: endpoint }],
  }));
  assert.equal(res.status, 201);
});

test("create: the 50th rule is accepted, the 51st is 409 rule_limit", async () => {
  await reset();
  for (let i = 0; i < 49; i++) await insertRule(TEAM, `Rule ${i}`);
  assert.equal((await call(ADMIN, "POST", rulesPath(), taskRule())).status, 201);
  const over = await call(ADMIN, "POST", rulesPath(), taskRule());
  assert.equal(over.status, 409);
  assert.equal(over.body.error.code, "rule_limit");
  assert.equal(await ruleCount(), 50);
  // another team's rules do not count
  await insertRule(OTHER_TEAM);
  await sql`delete from public.automation_rules where team_id = ${TEAM} and name = 'Rule 0'`;
  assert.equal((await call(ADMIN, "POST", rulesPath(), taskRule())).status, 201);
});

test("create: 3 creates at once at 48 rules end at 50, never 51", async () => {
  await reset();
  for (let i = 0; i < 48; i++) await insertRule(TEAM, `Rule ${i}`);
  const answers = await Promise.all([0, 1, 2].map(() => call(ADMIN, "POST", rulesPath(), taskRule())));
  assert.deepEqual(answers.map((a) => a.status).sort(), [201, 201, 409]);
  assert.equal(await ruleCount(), 50);
});

test("list: a rule whose runs keep retrying says so with the last error; a pause's skipped runs are not its last run", async () => {
  await reset();
  const a = await createRule();
  await sql`update public.automation_rules set enabled = true where id = ${a}`;
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  const dead = await insertRun(a, { status: "dead", createdAt: ago(60_000) });
  const waiting = await insertRun(a, { status: "retrying", createdAt: ago(30_000) });
  await sql`update public.automation_runs set error_code = 'provider_unavailable', error_message = 'HTTP 500'
             where id = ${waiting}`;
  let [rule] = (await call(MEMBER, "GET", rulesPath())).body.rules;
  assert.deepEqual(rule.retrying, { count: 1, last_error: "HTTP 500" });
  assert.equal(rule.last_run.id, waiting);

  // the engine pauses the rule: the waiting run ends rule_paused; the list's last run is the failure, not the skip
  await sql`update public.automation_rules set enabled = false, paused_reason = 'Paused after 5 of its runs failed in a row.',
                   paused_at = now() where id = ${a}`;
  [rule] = (await call(MEMBER, "GET", rulesPath())).body.rules;
  assert.deepEqual(rule.retrying, { count: 0, last_error: null });
  assert.deepEqual([rule.last_run.id, rule.last_run.status], [dead, "dead"]);
});

// --- list and read ---------------------------------------------------------------------------------------------------

test("list: members and admins read the rules with last run, 7-day stats and the dead badge; outsider 404, no JWT 401", async () => {
  await reset();
  const a = await createRule();
  const b = await createRule(taskRule({ name: "Quiet" }));
  const day = 24 * 3600 * 1000;
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  await insertRun(a, { status: "succeeded", createdAt: ago(8 * day) }); // outside the 7 days
  await insertRun(a, { status: "succeeded", createdAt: ago(3 * day) });
  await insertRun(a, { status: "skipped", createdAt: ago(2 * day) });
  const rerunDead = await insertRun(a, { status: "dead", createdAt: ago(2 * day) });
  await insertRun(a, { status: "dead", createdAt: ago(1 * day) });
  await insertRun(a, { status: "succeeded", createdAt: ago(1000), retryOf: rerunDead });
  const last = await insertRun(a, { status: "queued", createdAt: ago(10) });

  for (const user of [ADMIN, MEMBER]) {
    const res = await call(user, "GET", rulesPath());
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.rules.map((r: { id: string }) => r.id), [a, b]);
    const [ra, rb] = res.body.rules;
    assert.deepEqual(Object.keys(ra).sort(), RULE_KEYS.filter((k) => k !== "actions" && k !== "conditions"));
    assert.deepEqual(ra.stats_7d, { succeeded: 2, failed: 2, skipped: 1 });
    assert.equal(ra.dead_count, 1, "the dead run re-run since is no longer counted");
    assert.equal(ra.last_run.id, last);
    assert.equal(ra.last_run.status, "queued");
    assert.deepEqual(rb.stats_7d, { succeeded: 0, failed: 0, skipped: 0 });
    assert.equal(rb.last_run, null);
    assert.deepEqual([ra.retrying, rb.retrying], [{ count: 0, last_error: null }, { count: 0, last_error: null }]);
  }
  const outsider = await call(OUTSIDER, "GET", rulesPath());
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "team_not_found");
  assert.equal((await call(null, "GET", rulesPath())).status, 401);
});

test("read: a rule with its versions; an unknown or another team's rule is 404 rule_not_found; junk id 400", async () => {
  await reset();
  const id = await createRule();
  for (const user of [ADMIN, MEMBER]) {
    const res = await call(user, "GET", `${rulesPath()}/${id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body.rule).sort(), RULE_KEYS);
    assert.equal(res.body.versions.length, 1);
    const [v] = res.body.versions;
    assert.equal(v.version, 1);
    assert.equal(v.name, "Tasks from action items");
    assert.deepEqual(v.created_by, { id: ADMIN, name: "Ada Admin", email: "demo-admin@example.com" });
  }
  const { ruleId: elsewhere } = await insertRule(OTHER_TEAM);
  for (const ruleId of [crypto.randomUUID(), elsewhere]) {
    const res = await call(ADMIN, "GET", `${rulesPath()}/${ruleId}`);
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "rule_not_found");
  }
  assert.equal((await call(OUTSIDER, "GET", `${rulesPath()}/${id}`)).body.error.code, "team_not_found");
  assert.equal((await call(ADMIN, "GET", `${rulesPath()}/nope`)).status, 400);
  assert.equal((await call(null, "GET", `${rulesPath()}/${id}`)).status, 401);
});

// --- edit = publish --------------------------------------------------------------------------------------------------

test("edit: a change publishes version N+1 and leaves version N as it was; the switch alone publishes nothing", async () => {
  await reset();
  const id = await createRule();
  const [v1] = await versionRows(id);

  const renamed = await call(ADMIN, "PATCH", `${rulesPath()}/${id}`, {
    name: "Tasks, faster",
    actions: [{ type: "create_tasks", due_in_days: 1 }],
  });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.rule.version, 2);
  assert.equal(renamed.body.rule.name, "Tasks, faster");
  assert.deepEqual(renamed.body.rule.actions, [{ type: "create_tasks", due_in_days: 1, continue_on_failure: false }]);
  // the untouched parts carried over
  assert.deepEqual(renamed.body.rule.conditions, taskRule().conditions);

  const switched = await call(ADMIN, "PATCH", `${rulesPath()}/${id}`, { enabled: true });
  assert.equal(switched.status, 200);
  assert.equal(switched.body.rule.enabled, true);
  assert.equal(switched.body.rule.version, 2);

  // the same values again are no change
  const same = await call(ADMIN, "PATCH", `${rulesPath()}/${id}`, { name: "Tasks, faster", enabled: true });
  assert.equal(same.body.rule.version, 2);

  const versions = await versionRows(id);
  assert.deepEqual(versions.map((v) => v.version), [1, 2]);
  assert.deepEqual(versions[0], v1, "version 1 is unchanged");
  const read = await call(MEMBER, "GET", `${rulesPath()}/${id}`);
  assert.deepEqual(read.body.versions.map((v: { version: number }) => v.version), [2, 1]);
  assert.deepEqual(read.body.versions.map((v: { name: string }) => v.name), ["Tasks, faster", "Tasks from action items"]);
});

test("edit: a run pinned to the old version still shows the rule as it was", async () => {
  await reset();
  const id = await createRule();
  const [v1] = await versionRows(id);
  const runId = await insertRun(id, { versionId: v1.id });
  await call(ADMIN, "PATCH", `${rulesPath()}/${id}`, { name: "Renamed", actions: [{ type: "post_slack", template: "x" }] });
  const res = await call(MEMBER, "GET", `/api/teams/${TEAM}/automation-runs/${runId}`);
  assert.equal(res.status, 200);
  assert.equal(res.body.run.version.version, 1);
  assert.equal(res.body.run.version.name, "Tasks from action items");
  assert.equal(res.body.run.version.actions.length, 2);
  assert.equal(res.body.run.rule_name, "Renamed");
});

test("edit: enabling clears an auto-pause's reason; disabling keeps nothing to clear", async () => {
  await reset();
  const id = await createRule();
  await sql`update public.automation_rules set paused_reason = 'Paused after 5 failed runs', paused_at = now()
             where id = ${id}`;
  const res = await call(ADMIN, "PATCH", `${rulesPath()}/${id}`, { enabled: true });
  assert.equal(res.status, 200);
  assert.equal(res.body.rule.paused_reason, null);
  assert.equal(res.body.rule.paused_at, null);
  assert.equal(res.body.rule.version, 1);
});

test("edit: member 403, outsider 404, no JWT 401, unknown rule 404, invalid change 400 with its path; nothing changes", async () => {
  await reset();
  const id = await createRule();
  const path = `${rulesPath()}/${id}`;
  const member = await call(MEMBER, "PATCH", path, { enabled: true });
  assert.equal(member.status, 403);
  assert.equal(member.body.error.code, "not_team_admin");
  assert.equal((await call(OUTSIDER, "PATCH", path, { enabled: true })).body.error.code, "team_not_found");
  assert.equal((await call(null, "PATCH", path, { enabled: true })).status, 401);
  const unknown = await call(ADMIN, "PATCH", `${rulesPath()}/${crypto.randomUUID()}`, { enabled: true });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, "rule_not_found");
  const bad = await call(ADMIN, "PATCH", path, { actions: [{ type: "add_note", template: "{{meeting.nope}}" }] });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, "invalid_rule");
  assert.match(bad.body.error.message, /^actions\[0\]\.template/);
  // a trigger change the rest of the rule does not fit
  const misfit = await call(ADMIN, "PATCH", path, { trigger: "lead.created" });
  assert.equal(misfit.status, 400);
  assert.match(misfit.body.error.message, /^conditions\.rules\[0\]\.field/);
  assert.equal((await call(ADMIN, "PATCH", path, [1])).status, 400);
  const [row] = await sql`select enabled, version from public.automation_rules where id = ${id}`;
  assert.deepEqual({ ...row }, { enabled: false, version: 1 });
  assert.equal((await versionRows(id)).length, 1);
});

test("edit: two admins publishing at once make versions 2 and 3, not a conflict", async () => {
  await reset();
  const id = await createRule();
  const answers = await Promise.all(["A", "B"].map((name) => call(ADMIN, "PATCH", `${rulesPath()}/${id}`, { name })));
  assert.deepEqual(answers.map((a) => a.status), [200, 200]);
  assert.deepEqual((await versionRows(id)).map((v) => v.version), [1, 2, 3]);
});

// --- delete ----------------------------------------------------------------------------------------------------------

test("delete: member 403, outsider 404; an admin deletes (204) and its versions and runs go with it; again 404", async () => {
  await reset();
  const id = await createRule();
  const runId = await insertRun(id, { status: "dead" });
  // what the run made stays, no longer linked to a run
  const [task] = await sql`insert into public.tasks (team_id, lead_id, title, source, automation_run_id, source_key)
                           values (${TEAM}, ${JANE}, 'Send the proposal', 'automation', ${runId},
                                   ${`automation:${runId}:0:0`}) returning id`;
  const path = `${rulesPath()}/${id}`;
  assert.equal((await call(MEMBER, "DELETE", path)).body.error.code, "not_team_admin");
  assert.equal((await call(OUTSIDER, "DELETE", path)).body.error.code, "team_not_found");
  assert.equal((await call(null, "DELETE", path)).status, 401);
  assert.equal(await ruleCount(), 1);
  const res = await call(ADMIN, "DELETE", path);
  assert.equal(res.status, 204);
  assert.equal(await ruleCount(), 0);
  assert.equal((await versionRows(id)).length, 0);
  assert.equal((await sql`select 1 from public.automation_runs where id = ${runId}`).length, 0);
  const [kept] = await sql`select automation_run_id from public.tasks where id = ${task.id}`;
  assert.equal(kept.automation_run_id, null);
  await sql`delete from public.tasks where id = ${task.id}`;
  const again = await call(ADMIN, "DELETE", path);
  assert.equal(again.status, 404);
  assert.equal(again.body.error.code, "rule_not_found");
});

test("cleanup: automations API tests leave no rules behind", async () => {
  await reset();
  await resetDb({ dropOtherTeam: true });
  await closeAll();
});
