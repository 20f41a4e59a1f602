// The automations API's routes that reach the engine (issue 11): send_webhook endpoints (the secret shown once,
// never listed, never logged; the URL rule), the rule editor's test (dry run; send only when asked, messages only),
// and a run's retry / re-run with their state rules; as admin / member / outsider / no JWT.
import assert from "node:assert/strict";
import postgres from "postgres";
import { ADMIN, closeAll, MEMBER, OUTSIDER, resetDb, sql, TEAM, test, withEnv } from "./helpers.ts";
import {
  call,
  createRule,
  insertEndpoint,
  insertEvent,
  insertMeeting,
  insertRun,
  insertStep,
  JANE,
  reset,
  rulesPath,
  taskRule,
} from "./automations_api_support.ts";

const endpointsPath = `/api/teams/${TEAM}/automation-endpoints`;
const runPath = (runId: string) => `/api/teams/${TEAM}/automation-runs/${runId}`;
const HTTP_FLAG = "AUTOMATION_ALLOW_HTTP_WEBHOOKS";

/** Everything console.* prints while `fn` runs. */
async function captureLogs<T>(fn: () => Promise<T>): Promise<{ result: T; logs: string }> {
  const lines: string[] = [];
  const methods = ["log", "error", "warn", "info", "debug"] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) console[m] = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  try {
    return { result: await fn(), logs: lines.join("\n") };
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i]));
  }
}

const count = async (table: string) =>
  (await sql.unsafe(`select count(*)::int as n from ${table} where team_id = '${TEAM}'`))[0].n;

// --- endpoints -------------------------------------------------------------------------------------------------------

test("endpoints: an admin adds one: the secret is in that answer only, never listed, never logged, stored encrypted", async () => {
  await reset();
  const url = "https://hooks.example.com/catch/123/abc?token=s3cr3t-path";
  const { result: res, logs } = await captureLogs(() => call(ADMIN, "POST", endpointsPath, { name: "Zapier", url }));
  assert.equal(res.status, 201);
  assert.deepEqual(Object.keys(res.body).sort(), ["endpoint", "secret"]);
  assert.deepEqual(Object.keys(res.body.endpoint).sort(), ["created_at", "id", "name", "path_hint", "url_host", "used_by"]);
  assert.equal(res.body.endpoint.url_host, "hooks.example.com");
  // the path without its query (where the token is) and with its ids as …
  assert.equal(res.body.endpoint.path_hint, "hooks.example.com/catch/…/abc");
  const secret: string = res.body.secret;
  assert.match(secret, /^whsec_[A-Za-z0-9+/=]{40,}$/);
  assert.ok(!logs.includes(secret) && !logs.includes("s3cr3t-path"), logs);

  for (const user of [ADMIN, MEMBER]) {
    const list = await call(user, "GET", endpointsPath);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.endpoints, [res.body.endpoint]);
    const text = JSON.stringify(list.body);
    assert.ok(!text.includes(secret) && !text.includes("s3cr3t-path"));
  }
  const [row] = await sql`select url_encrypted, secret_encrypted from public.automation_endpoints
                           where id = ${res.body.endpoint.id}`;
  assert.ok(!row.url_encrypted.includes("s3cr3t") && !row.secret_encrypted.includes(secret.slice(6)));
  // a member cannot read the ciphertext either (not granted)
  const direct = await sql.begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: MEMBER, role: "authenticated" })}, true),
                    set_config('role', 'authenticated', true)`;
    return await tx`select secret_encrypted from public.automation_endpoints`;
  }).catch((e) => e.code);
  assert.equal(direct, "42501");
});

test("endpoints: the URL rule (https; http for loopback only with the flag; no credentials; 2,000 characters) -> 400 invalid_url", async () => {
  await reset();
  const post = (url: string, name = crypto.randomUUID().slice(0, 8)) => call(ADMIN, "POST", endpointsPath, { name, url });
  await withEnv({ [HTTP_FLAG]: undefined }, async () => {
    for (const url of [
      "http://hooks.example.com/x",
      "http://127.0.0.1:9/x",
      "https://user:pw@hooks.example.com/x",
      `https://hooks.example.com/${"a".repeat(2000)}`,
      "ftp://hooks.example.com/x",
      "not a url",
      "",
    ]) {
      const res = await post(url);
      assert.equal(res.status, 400, url);
      assert.equal(res.body.error.code, "invalid_url", url);
    }
  });
  await withEnv({ [HTTP_FLAG]: "1" }, async () => {
    assert.equal((await post("http://127.0.0.1:9/x")).status, 201);
    assert.equal((await post("http://localhost:9/x")).status, 201);
    assert.equal((await post("http://hooks.example.com/x")).body.error.code, "invalid_url");
  });
  assert.equal(await count("public.automation_endpoints"), 2);
  const dup = await call(ADMIN, "POST", endpointsPath, { name: "Same", url: "https://a.example.com" });
  assert.equal(dup.status, 201);
  const again = await call(ADMIN, "POST", endpointsPath, { name: "Same", url: "https://b.example.com" });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, "endpoint_exists");
  assert.equal((await call(ADMIN, "POST", endpointsPath, { name: "x" })).status, 400);
  assert.equal((await call(ADMIN, "POST", endpointsPath, { name: "", url: "https://a.example.com" })).status, 400);
});

test("endpoints: member 403 and outsider 404 on add and remove, no JWT 401; nothing written", async () => {
  await reset();
  const id = await insertEndpoint();
  const body = { name: "Nope", url: "https://hooks.example.com/x" };
  assert.equal((await call(MEMBER, "POST", endpointsPath, body)).body.error.code, "not_team_admin");
  assert.equal((await call(OUTSIDER, "POST", endpointsPath, body)).body.error.code, "team_not_found");
  assert.equal((await call(null, "POST", endpointsPath, body)).status, 401);
  assert.equal((await call(MEMBER, "DELETE", `${endpointsPath}/${id}`)).body.error.code, "not_team_admin");
  assert.equal((await call(OUTSIDER, "DELETE", `${endpointsPath}/${id}`)).body.error.code, "team_not_found");
  assert.equal((await call(OUTSIDER, "GET", endpointsPath)).body.error.code, "team_not_found");
  assert.equal((await call(null, "GET", endpointsPath)).status, 401);
  assert.equal(await count("public.automation_endpoints"), 1);
});

test("endpoints: remove is 409 endpoint_in_use while an enabled rule uses it, 204 once off; switching that rule on again is 400", async () => {
  await reset();
  const id = await insertEndpoint();
  const ruleId = await createRule(taskRule({
    enabled: true,
    actions: [{ type: "send_webhook", endpoint_id: id }],
  }));
  const inUse = await call(ADMIN, "DELETE", `${endpointsPath}/${id}`);
  assert.equal(inUse.status, 409);
  assert.equal(inUse.body.error.code, "endpoint_in_use");
  assert.equal((await call(ADMIN, "PATCH", `${rulesPath()}/${ruleId}`, { enabled: false })).status, 200);
  assert.equal((await call(ADMIN, "DELETE", `${endpointsPath}/${id}`)).status, 204);
  const gone = await call(ADMIN, "DELETE", `${endpointsPath}/${id}`);
  assert.equal(gone.status, 404);
  assert.equal(gone.body.error.code, "endpoint_not_found");
  const on = await call(ADMIN, "PATCH", `${rulesPath()}/${ruleId}`, { enabled: true });
  assert.equal(on.status, 400);
  assert.equal(on.body.error.code, "invalid_rule");
  assert.match(on.body.error.message, /^actions\[0\]\.endpoint_id/);
});

/**
 * An endpoint removed while a rule that sends to it is switched on: whichever commits first, the other sees it. On
 * PostgreSQL the removal is held (a superuser's row lock on the endpoint) after it found the endpoint unused, and
 * the switch is sent meanwhile: it must wait for the removal and then refuse (400), not enable a rule whose
 * endpoint is about to vanish. On PGlite (one session) the two run one after the other; the invariant holds alike.
 */
test("endpoints: removing an endpoint while its rule is switched on never leaves an enabled rule without it", async () => {
  await reset();
  const id = await insertEndpoint();
  const ruleId = await createRule(taskRule({ actions: [{ type: "send_webhook", endpoint_id: id }] }));
  const holder = postgres(Deno.env.get("SUPABASE_DB_URL")!, { max: 1, prepare: false, onnotice: () => {} });
  try {
    const [{ version }] = await holder`select version() as version`;
    const pglite = /emscripten|wasm|pglite/i.test(version);
    const waiting = async (n: number, settled: () => boolean) => {
      if (pglite) return;
      while (!settled()) {
        const [{ waits }] = await sql`select count(*)::int as waits from pg_locks where not granted`;
        if (waits >= n) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const hold = holder.begin(async (tx) => {
      await tx`select 1 from public.automation_endpoints where id = ${id} for update`;
      locked();
      await held;
    });
    await isLocked;
    let removed = false;
    const removal = call(ADMIN, "DELETE", `${endpointsPath}/${id}`).finally(() => (removed = true));
    await waiting(1, () => removed);
    let switched = false;
    const switchOn = call(ADMIN, "PATCH", `${rulesPath()}/${ruleId}`, { enabled: true }).finally(() => (switched = true));
    await waiting(2, () => switched);
    release();
    await hold;
    const [del, patch] = await Promise.all([removal, switchOn]);
    const [rule] = await sql`select enabled from public.automation_rules where id = ${ruleId}`;
    const [endpoint] = await sql`select id from public.automation_endpoints where id = ${id}`;
    assert.ok(!(rule.enabled && !endpoint), `enabled rule without its endpoint: DELETE ${del.status}, PATCH ${patch.status}`);
    if (!pglite) {
      assert.equal(del.status, 204);
      assert.equal(patch.status, 400);
      assert.equal(patch.body.error.code, "invalid_rule");
    }
  } finally {
    await holder.end();
  }
});

// --- test (dry run) --------------------------------------------------------------------------------------------------

test("test: a dry run on a meeting evaluates conditions and resolves each action, and writes nothing", async () => {
  await reset();
  const meetingId = await insertMeeting();
  const ruleId = await createRule();
  const before = await Promise.all(["public.automation_runs", "public.automation_events", "public.leads"].map(count));
  for (const user of [ADMIN, MEMBER]) {
    const res = await call(user, "POST", `${rulesPath()}/${ruleId}/test`, { meetingId });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { result } = res.body;
    assert.deepEqual(Object.keys(result).sort(), ["actions", "conditions", "missing"]);
    assert.equal(result.conditions.passed, true);
    assert.deepEqual(result.actions.map((a: { index: number; type: string }) => [a.index, a.type]), [
      [0, "create_tasks"],
      [1, "post_slack"],
    ]);
    assert.ok(result.actions.every((a: { sent?: unknown }) => a.sent === undefined));
    assert.match(JSON.stringify(result.actions[1].input), /New call with Jane Doe: Acme pilot call/);
  }
  // a draft instead of the published version
  const draft = await call(ADMIN, "POST", `${rulesPath()}/${ruleId}/test`, {
    meetingId,
    rule: taskRule({ conditions: { match: "all", rules: [{ field: "meeting.title", op: "contains", value: "zzz" }] } }),
  });
  assert.equal(draft.status, 200);
  assert.equal(draft.body.result.conditions.passed, false);
  assert.deepEqual(await Promise.all(["public.automation_runs", "public.automation_events", "public.leads"].map(count)), before);
});

test("test: a dry run of create_tasks lists each task with its assignee and why, picked as a run picks them", async () => {
  await reset();
  const meetingId = await insertMeeting();
  const ruleId = await createRule();
  const [{ owner_id: owner }] = await sql`select owner_id from public.leads where id = ${JANE}`;
  try {
    // the action item names nobody: the lead's owner gets it
    await sql`update public.leads set owner_id = ${MEMBER} where id = ${JANE}`;
    const res = await call(ADMIN, "POST", `${rulesPath()}/${ruleId}/test`, { meetingId });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const [tasks] = res.body.result.actions;
    assert.doesNotMatch(tasks.would, /for Jane Doe/, "the tasks are the team's, not the customer's");
    assert.equal(tasks.tasks.length, 1);
    const [task] = tasks.tasks;
    assert.deepEqual(
      [task.item_index, task.title, task.lead_id, task.assignee?.id, task.assignee_reason],
      [0, "Send the proposal", JANE, MEMBER, "lead_owner"],
    );
    assert.equal(typeof task.assignee.name, "string");
    // no owner and no default: nobody, said so
    await sql`update public.leads set owner_id = null where id = ${JANE}`;
    const none = (await call(ADMIN, "POST", `${rulesPath()}/${ruleId}/test`, { meetingId })).body.result.actions[0].tasks[0];
    assert.deepEqual([none.assignee, none.assignee_reason], [null, "nobody"]);
    assert.equal(await count("public.tasks"), 0, "nothing written");
  } finally {
    await sql`update public.leads set owner_id = ${owner} where id = ${JANE}`;
  }
});

test("test: errors: invalid draft 400, unknown meeting / lead 404, unknown rule 404, member send 403, outsider 404", async () => {
  await reset();
  const meetingId = await insertMeeting();
  const ruleId = await createRule();
  const path = `${rulesPath()}/${ruleId}/test`;
  const bad = await call(ADMIN, "POST", path, { meetingId, rule: taskRule({ actions: [{ type: "post_slack", template: "{{x.y}}" }] }) });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, "invalid_rule");
  assert.match(bad.body.error.message, /^actions\[0\]\.template/);
  const noMeeting = await call(ADMIN, "POST", path, { meetingId: crypto.randomUUID() });
  assert.equal(noMeeting.status, 404);
  assert.equal(noMeeting.body.error.code, "meeting_not_found");
  const noLead = await call(ADMIN, "POST", path, { meetingId, leadId: crypto.randomUUID() });
  assert.equal(noLead.status, 404);
  assert.equal(noLead.body.error.code, "lead_not_found");
  const noRule = await call(ADMIN, "POST", `${rulesPath()}/${crypto.randomUUID()}/test`, { meetingId });
  assert.equal(noRule.body.error.code, "rule_not_found");
  const memberSend = await call(MEMBER, "POST", path, { meetingId, send: true });
  assert.equal(memberSend.status, 403);
  assert.equal(memberSend.body.error.code, "not_team_admin");
  assert.equal((await call(OUTSIDER, "POST", path, { meetingId })).body.error.code, "team_not_found");
  assert.equal((await call(null, "POST", path, { meetingId })).status, 401);
  assert.equal((await call(ADMIN, "POST", path, { meetingId, extra: 1 })).status, 400);
});

test("test: send: true really sends the webhook (marked as a test), and never creates tasks", async () => {
  await reset();
  const meetingId = await insertMeeting();
  const received: { headers: Headers; body: string }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    received.push({ headers: req.headers, body: await req.text() });
    return new Response("ok");
  });
  try {
    const port = (server.addr as Deno.NetAddr).port;
    await withEnv({ [HTTP_FLAG]: "1" }, async () => {
      const created = await call(ADMIN, "POST", endpointsPath, { name: "Local", url: `http://127.0.0.1:${port}/hook` });
      assert.equal(created.status, 201);
      const ruleId = await createRule(taskRule({
        actions: [{ type: "create_tasks" }, { type: "send_webhook", endpoint_id: created.body.endpoint.id }],
      }));
      const tasksBefore = await count("public.tasks");
      const res = await call(ADMIN, "POST", `${rulesPath()}/${ruleId}/test`, { meetingId, send: true });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const [tasks, webhook] = res.body.result.actions;
      assert.equal(tasks.sent, undefined);
      assert.deepEqual(webhook.sent, { ok: true });
      assert.equal(received.length, 1);
      assert.ok(received[0].headers.get("webhook-signature"));
      assert.equal(await count("public.tasks"), tasksBefore);
      assert.equal(await count("public.automation_runs"), 0);
    });
  } finally {
    await server.shutdown();
  }
});

// --- retry and re-run ------------------------------------------------------------------------------------------------

test("retry: a dead run's failed steps again, same run, attempt reset, succeeded steps kept; only dead; admins only", async () => {
  await reset();
  const ruleId = await createRule();
  const dead = await insertRun(ruleId, { status: "dead" });
  await insertStep(dead, 0, "succeeded", "create_tasks");
  await insertStep(dead, 1, "failed");
  const ok = await insertRun(ruleId, { status: "succeeded" });

  assert.equal((await call(MEMBER, "POST", `${runPath(dead)}/retry`)).body.error.code, "not_team_admin");
  assert.equal((await call(OUTSIDER, "POST", `${runPath(dead)}/retry`)).body.error.code, "team_not_found");
  assert.equal((await call(null, "POST", `${runPath(dead)}/retry`)).status, 401);
  const [still] = await sql`select status from public.automation_runs where id = ${dead}`;
  assert.equal(still.status, "dead");

  const res = await call(ADMIN, "POST", `${runPath(dead)}/retry`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.run.id, dead);
  assert.equal(res.body.run.status, "queued");
  assert.equal(res.body.run.attempt, 0);
  const steps = await sql`select step_index, status from public.automation_run_steps where run_id = ${dead} order by 1`;
  assert.equal(steps[0].status, "succeeded");

  for (const id of [ok, dead]) {
    const again = await call(ADMIN, "POST", `${runPath(id)}/retry`);
    assert.equal(again.status, 409, id);
    assert.equal(again.body.error.code, "not_retryable");
  }
  const unknown = await call(ADMIN, "POST", `${runPath(crypto.randomUUID())}/retry`);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, "run_not_found");
});

test("rerun: a new run of the same event on the rule's CURRENT version, retry_of the old one; not while queued", async () => {
  await reset();
  await insertMeeting();
  const ruleId = await createRule();
  const eventId = await insertEvent();
  const old = await insertRun(ruleId, { status: "dead", eventId, meetingId: (await insertMeeting()) });
  await call(ADMIN, "PATCH", `${rulesPath()}/${ruleId}`, { name: "Tasks v2" });

  assert.equal((await call(MEMBER, "POST", `${runPath(old)}/rerun`)).body.error.code, "not_team_admin");
  assert.equal((await call(OUTSIDER, "POST", `${runPath(old)}/rerun`)).body.error.code, "team_not_found");
  const res = await call(ADMIN, "POST", `${runPath(old)}/rerun`);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const run = res.body.run;
  assert.notEqual(run.id, old);
  assert.equal(run.retry_of, old);
  assert.equal(run.version, 2);
  assert.equal(run.status, "queued");
  assert.deepEqual(run.lead, { id: JANE, name: "Jane Doe" });

  // the new run is queued: re-running it now is refused
  const queued = await call(ADMIN, "POST", `${runPath(run.id)}/rerun`);
  assert.equal(queued.status, 409);
  assert.equal(queued.body.error.code, "not_retryable");
  // the old run now shows its re-run, and the list's dead badge no longer counts it
  const detail = await call(MEMBER, "GET", runPath(old));
  assert.deepEqual(detail.body.run.retries.map((r: { id: string }) => r.id), [run.id]);
  const list = await call(MEMBER, "GET", rulesPath());
  assert.equal(list.body.rules[0].dead_count, 0);
});

test("cleanup: automation action tests leave the database as seeded", async () => {
  await reset();
  await resetDb({ dropOtherTeam: true });
  await closeAll();
});
