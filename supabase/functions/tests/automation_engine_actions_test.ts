// Automations engine, actions and retries (issue 11): create_tasks assignees and keys (no duplicate task after a
// step is executed again), add_note, set_stage (never backwards, no-op), Slack 5xx then 200 -> success on attempt
// 2 with no duplicate task, a permanent 404 -> dead with its reason, auto-pause after 5 dead runs, send_webhook
// signed the Standard Webhooks way with a webhook-id stable across retries, retryRun / rerun, and a dry run that
// sends nothing (unless asked, marked as a test). PGlite and PostgreSQL alike.
import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { asService } from "../_shared/db.ts";
import { AppError } from "../_shared/errors.ts";
import { createEndpoint } from "../_shared/automations/endpoints.ts";
import { dryRun, rerun, retryRun } from "../_shared/automations/engine/index.ts";
import {
  actionItems,
  ADMIN,
  ADMIN_EMAIL,
  drain,
  dropTeam,
  fakeChat,
  importLinkedMeeting,
  makeDue,
  MEMBER,
  publishRule,
  runsOf,
  setupTeam,
  SLACK_PATH,
  stepsOf,
  tasksOf,
} from "./automation_engine_support.ts";
import { closeAll, sql, test } from "./helpers.ts";

/** A local receiver for send_webhook: scripted statuses, everything received kept. */
function startReceiver() {
  const received: { headers: Headers; body: string }[] = [];
  const statuses: number[] = [];
  const controller = new AbortController();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} }, async (req) => {
    received.push({ headers: req.headers, body: await req.text() });
    return new Response("", { status: statuses.shift() ?? 200 });
  });
  return {
    url: `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}/hooks/crm`,
    received,
    script: (...s: number[]) => statuses.push(...s),
    close: async () => {
      controller.abort();
      await server.finished;
    },
  };
}

async function endpointFor(teamId: string, url: string) {
  return await asService((tx) => createEndpoint(tx, { teamId, name: `Hook ${crypto.randomUUID().slice(0, 6)}`, url }));
}

const slackPosts = () => fakeChat.received.filter((r) => r.path === SLACK_PATH);

test("create_tasks: assignee by e-mail, else the owner, else the fallback; due date; keyed, so a repeat creates none", async () => {
  const t = await setupTeam();
  try {
    await sql`update public.leads set owner_id = ${MEMBER} where id = ${t.janeId}`;
    await publishRule(t.teamId, {
      trigger: "meeting.linked_to_lead",
      actions: [{ type: "create_tasks", due_in_days: 2, fallback_assignee_id: ADMIN }],
    });
    await importLinkedMeeting(t.teamId, {
      action_items: actionItems(
        { text: "Send the proposal", assignee: ADMIN_EMAIL.toUpperCase() },
        { text: "Book the demo", assignee: "stranger@elsewhere.example" },
      ),
    });
    await drain();
    const [run] = await runsOf(t.teamId);
    assert.equal(run.status, "succeeded", run.error_message);
    let tasks = await tasksOf(t.teamId);
    assert.deepEqual(tasks.map((x) => [x.title, x.assignee_id, x.lead_id, x.action_item_index]), [
      ["Send the proposal", ADMIN, t.janeId, 0],
      ["Book the demo", MEMBER, t.janeId, 1], // no member has that address: the lead's owner
    ]);
    const [{ expected }] = await sql`select (current_date + 2)::text as expected`;
    assert.ok(tasks.every((x) => new Date(x.due_on).toISOString().slice(0, 10) === expected));
    const [step] = await stepsOf(run.id);
    assert.equal(step.output.created, 2);

    // the step's success record lost (as if the runner died between the write and it): executed again, no duplicate
    await sql`update public.automation_run_steps set status = 'failed' where run_id = ${run.id}`;
    await sql`update public.automation_runs set status = 'retrying', next_attempt_at = now() where id = ${run.id}`;
    await drain();
    tasks = await tasksOf(t.teamId);
    assert.equal(tasks.length, 2);
    const [again] = await stepsOf(run.id);
    assert.equal(again.status, "succeeded");
    assert.equal(again.output.created, 0);
    assert.equal(again.output.tasks.length, 2);
    assert.equal(again.attempts, 2);

    // no owner (and a member gone from the team): the fallback member
    await sql`update public.leads set owner_id = null where id = ${t.janeId}`;
    await importLinkedMeeting(t.teamId, { action_items: actionItems({ text: "Fallback" }) });
    await sql`delete from public.team_members where team_id = ${t.teamId} and user_id = ${MEMBER}`;
    await drain();
    tasks = await tasksOf(t.teamId);
    assert.equal(tasks.find((x) => x.title === "Fallback")?.assignee_id, ADMIN);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("add_note and set_stage: the note rendered plain; the stage never moves backwards, a no-op says why", async () => {
  const t = await setupTeam();
  try {
    await publishRule(t.teamId, {
      trigger: "meeting.linked_to_lead",
      actions: [
        { type: "add_note", template: "Met {{lead.name}} about {{meeting.title}} <b>&</b>" },
        { type: "set_stage", stage: "qualified" },
        { type: "set_stage", stage: "contacted" },
        { type: "set_stage", stage: "qualified" },
      ],
    });
    await importLinkedMeeting(t.teamId, { title: "R&D <sync>" });
    await drain();
    const [run] = await runsOf(t.teamId);
    assert.equal(run.status, "succeeded", run.error_message);
    const [note] = await sql`select body, source, author_id, automation_run_id from public.lead_notes where lead_id = ${t.janeId}`;
    assert.deepEqual({ ...note }, { body: "Met Jane Doe about R&D <sync> <b>&</b>", source: "automation", author_id: null, automation_run_id: run.id });
    const steps = await stepsOf(run.id);
    assert.deepEqual(steps.map((s) => s.output), [
      { note_id: steps[0].output.note_id, created: true },
      { from: "new", to: "qualified" },
      { unchanged: "qualified", reason: "qualified to contacted would move backwards" },
      { unchanged: "qualified", reason: "already qualified" },
    ]);
    const [lead] = await sql`select stage from public.leads where id = ${t.janeId}`;
    assert.equal(lead.stage, "qualified");
  } finally {
    await dropTeam(t.teamId);
  }
});

test("Slack 5xx then 200: retrying with backoff, success on attempt 2, the tasks step not repeated", async () => {
  const t = await setupTeam({ slack: true });
  fakeChat.reset();
  try {
    await publishRule(t.teamId, {
      trigger: "meeting.linked_to_lead",
      actions: [{ type: "create_tasks" }, { type: "post_slack", template: "Call with {{lead.name}}: {{meeting.title}}" }],
    });
    await importLinkedMeeting(t.teamId, { title: "A & B", action_items: actionItems({ text: "Follow up" }) });
    // notify() retries a 5xx once itself: both of its tries fail, so the run fails its first attempt
    fakeChat.script({ status: 500, body: "oops" }, { status: 500, body: "oops" });
    await drain();
    let [run] = await runsOf(t.teamId);
    assert.equal(run.status, "retrying");
    assert.equal(run.attempt, 1);
    assert.equal(run.error_code, "provider_unavailable");
    assert.ok(new Date(run.next_attempt_at).getTime() > Date.now(), "not due before its backoff");
    let steps = await stepsOf(run.id);
    assert.deepEqual(steps.map((s) => [s.status, s.attempts]), [["succeeded", 1], ["failed", 1]]);
    await drain();
    assert.equal((await runsOf(t.teamId))[0].status, "retrying", "the backoff is honoured");

    await makeDue(t.teamId);
    await drain();
    [run] = await runsOf(t.teamId);
    assert.equal(run.status, "succeeded");
    assert.equal(run.attempt, 2);
    steps = await stepsOf(run.id);
    assert.deepEqual(steps.map((s) => [s.status, s.attempts]), [["succeeded", 1], ["succeeded", 2]]);
    assert.equal((await tasksOf(t.teamId)).length, 1);
    const posts = slackPosts();
    assert.equal(posts.length, 3);
    // escaped once, by the Slack module
    assert.equal(posts[2].body.text, "Call with Jane Doe: A &amp; B");
  } finally {
    await dropTeam(t.teamId);
  }
});

test("send_webhook: a permanent 404 ends dead with its reason; 5 dead runs in a row pause the rule", async () => {
  const t = await setupTeam();
  const receiver = startReceiver();
  try {
    const { endpoint } = await endpointFor(t.teamId, receiver.url);
    const { ruleId } = await publishRule(t.teamId, {
      trigger: "meeting.linked_to_lead",
      actions: [{ type: "send_webhook", endpoint_id: endpoint.id }, { type: "add_note", template: "after" }],
    });
    receiver.script(404);
    await importLinkedMeeting(t.teamId);
    await drain();
    const [run] = await runsOf(t.teamId);
    assert.equal(run.status, "dead");
    assert.equal(run.error_code, "http_404");
    assert.equal(run.error_message, "Step 1 (Send a webhook) failed: The endpoint answered HTTP 404.");
    assert.equal(run.attempt, 1, "a permanent error is not retried");
    assert.deepEqual((await stepsOf(run.id)).map((s) => s.status), ["failed"], "later steps do not run");

    for (let i = 0; i < 4; i++) {
      receiver.script(410);
      await importLinkedMeeting(t.teamId);
      await drain();
    }
    const [rule] = await sql`select enabled, paused_reason, paused_at, consecutive_failures from public.automation_rules where id = ${ruleId}`;
    assert.equal(rule.enabled, false);
    assert.equal(rule.consecutive_failures, 0, "pausing restarts the count");
    assert.ok(rule.paused_at);
    assert.equal(rule.paused_reason, "Paused after 5 of its runs failed in a row (retries and re-runs by hand are not counted). Last error: Step 1 (Send a webhook) failed: The endpoint answered HTTP 410.");

    // re-enabled: a success resets the count
    await sql`update public.automation_rules set enabled = true, paused_reason = null, paused_at = null where id = ${ruleId}`;
    await importLinkedMeeting(t.teamId);
    await drain();
    const [after] = await sql`select consecutive_failures from public.automation_rules where id = ${ruleId}`;
    assert.equal(after.consecutive_failures, 0);
  } finally {
    await receiver.close();
    await dropTeam(t.teamId);
  }
});

test("send_webhook: signed (Webhook.verify passes), built as an object, the same webhook-id on the retry", async () => {
  const t = await setupTeam();
  const receiver = startReceiver();
  try {
    const { endpoint, secret } = await endpointFor(t.teamId, receiver.url);
    assert.match(secret, /^whsec_/);
    const { ruleId } = await publishRule(t.teamId, {
      name: "Hook",
      trigger: "meeting.linked_to_lead",
      actions: [{ type: "send_webhook", endpoint_id: endpoint.id, template: "Met {{lead.name}} \"quoted\"" }],
    });
    receiver.script(503);
    const meetingId = await importLinkedMeeting(t.teamId, { title: "Quote \" and } brace" });
    await drain();
    let [run] = await runsOf(t.teamId);
    assert.equal(run.status, "retrying");
    await makeDue(t.teamId);
    await drain();
    [run] = await runsOf(t.teamId);
    assert.equal(run.status, "succeeded");
    assert.equal(receiver.received.length, 2);
    const ids = receiver.received.map((r) => r.headers.get("webhook-id"));
    assert.deepEqual(ids, [`${run.id}:0`, `${run.id}:0`]);
    const wh = new Webhook(secret);
    for (const r of receiver.received) {
      const payload = wh.verify(r.body, Object.fromEntries(r.headers)) as Record<string, any>;
      assert.equal(payload.type, "meeting.linked_to_lead");
      assert.equal(payload.id, run.id);
      assert.deepEqual(payload.rule, { id: ruleId, name: "Hook", version: 1 });
      assert.equal(payload.data.meeting.id, meetingId);
      assert.equal(payload.data.meeting.title, "Quote \" and } brace");
      assert.equal(payload.data.lead.id, t.janeId);
      assert.equal(payload.data.message, "Met Jane Doe \"quoted\"");
    }
    // a tampered body does not verify
    assert.throws(() => wh.verify(receiver.received[0].body.replace("Jane", "Joan"), Object.fromEntries(receiver.received[0].headers)));
  } finally {
    await receiver.close();
    await dropTeam(t.teamId);
  }
});

test("retryRun: a dead run's failed steps run again, succeeded ones kept; rerun: a new run on the current version", async () => {
  const t = await setupTeam({ slack: true });
  fakeChat.reset();
  try {
    const { ruleId } = await publishRule(t.teamId, {
      trigger: "meeting.linked_to_lead",
      actions: [{ type: "create_tasks" }, { type: "post_slack", template: "Hi {{lead.name}}" }],
    });
    await importLinkedMeeting(t.teamId, { action_items: actionItems({ text: "Only once" }) });
    fakeChat.script({ status: 400, body: "invalid_blocks" });
    await drain();
    let [run] = await runsOf(t.teamId);
    assert.equal(run.status, "dead");
    assert.equal(run.error_code, "message_rejected");

    await assert.rejects(retryRun({ teamId: t.teamId, runId: crypto.randomUUID(), userId: ADMIN }), (e: AppError) => e.code === "run_not_found");
    const queued = await retryRun({ teamId: t.teamId, runId: run.id, userId: ADMIN });
    assert.equal(queued.status, "queued");
    assert.equal(queued.attempt, 0);
    await assert.rejects(retryRun({ teamId: t.teamId, runId: run.id, userId: ADMIN }), (e: AppError) => e.code === "not_retryable");
    await drain();
    [run] = await runsOf(t.teamId);
    assert.equal(run.status, "succeeded");
    assert.equal(run.requested_by, ADMIN);
    assert.deepEqual((await stepsOf(run.id)).map((s) => [s.status, s.attempts]), [["succeeded", 1], ["succeeded", 2]]);
    assert.equal((await tasksOf(t.teamId)).length, 1);

    // another team's run is not found
    const other = await setupTeam();
    try {
      await assert.rejects(rerun({ teamId: other.teamId, runId: run.id, userId: ADMIN }), (e: AppError) => e.code === "run_not_found");
    } finally {
      await dropTeam(other.teamId);
    }
    const again = await rerun({ teamId: t.teamId, runId: run.id, userId: ADMIN });
    assert.equal(again.retry_of, run.id);
    assert.equal(again.status, "queued");
    assert.equal(again.event_id, run.event_id);
    await drain();
    const runs = await runsOf(t.teamId);
    assert.equal(runs.length, 2);
    assert.ok(runs.every((r) => r.status === "succeeded" && r.rule_id === ruleId));
    // the re-run has its own keys: its own task for the item? No: one task per (meeting, item, lead)
    assert.equal((await tasksOf(t.teamId)).length, 1);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("dry run: conditions and resolved inputs, nothing written or sent; with send, only messages go, as a test", async () => {
  const t = await setupTeam({ slack: true });
  const receiver = startReceiver();
  fakeChat.reset();
  try {
    const { endpoint } = await endpointFor(t.teamId, receiver.url);
    const meetingId = await importLinkedMeeting(t.teamId, { title: "Demo", action_items: actionItems({ text: "Ship it" }) });
    const rule = {
      name: "Draft",
      trigger: "meeting.linked_to_lead",
      conditions: { match: "all", rules: [{ field: "meeting.title", op: "contains", value: "demo" }] },
      actions: [
        { type: "create_tasks", due_in_days: 1 },
        { type: "add_note", template: "Note for {{lead.name}} {{lead.company}}" },
        { type: "set_stage", stage: "won" },
        { type: "post_slack", template: "Slack {{meeting.title}}" },
        { type: "send_webhook", endpoint_id: endpoint.id },
      ],
    };
    const before = await sql`select (select count(*)::int from public.tasks where team_id = ${t.teamId}) as tasks,
                                    (select count(*)::int from public.lead_notes where team_id = ${t.teamId}) as notes,
                                    (select count(*)::int from public.automation_runs where team_id = ${t.teamId}) as runs`;
    const result = await dryRun({ teamId: t.teamId, rule, meetingId });
    assert.equal(result.conditions.passed, true);
    assert.deepEqual(result.missing, ["lead.company"]);
    assert.deepEqual(result.actions.map((a) => a.type), ["create_tasks", "add_note", "set_stage", "post_slack", "send_webhook"]);
    assert.deepEqual(result.actions[0].input, {
      type: "create_tasks", due_in_days: 1, fallback_assignee_id: null,
      items: [{ index: 0, title: "Ship it", assignee_email: null }],
    });
    assert.equal(result.actions[2].would, "Would move Jane Doe from new to won.");
    assert.ok(result.actions.every((a) => a.sent === undefined));
    assert.equal(slackPosts().length, 0);
    assert.equal(receiver.received.length, 0);

    const sent = await dryRun({ teamId: t.teamId, rule, meetingId, send: true });
    assert.deepEqual(sent.actions.map((a) => a.sent), [undefined, undefined, undefined, { ok: true }, { ok: true }]);
    assert.equal(slackPosts().length, 1);
    assert.match(JSON.stringify(slackPosts()[0].body), /Test: Draft/);
    assert.equal(receiver.received.length, 1);
    assert.equal(JSON.parse(receiver.received[0].body).test, true);
    const after = await sql`select (select count(*)::int from public.tasks where team_id = ${t.teamId}) as tasks,
                                   (select count(*)::int from public.lead_notes where team_id = ${t.teamId}) as notes,
                                   (select count(*)::int from public.automation_runs where team_id = ${t.teamId}) as runs`;
    assert.deepEqual([...after], [...before]);
    const [lead] = await sql`select stage from public.leads where id = ${t.janeId}`;
    assert.equal(lead.stage, "new");

    await assert.rejects(dryRun({ teamId: t.teamId, rule, meetingId: crypto.randomUUID() }), (e: AppError) => e.code === "meeting_not_found");
    await assert.rejects(dryRun({ teamId: t.teamId, rule: { ...rule, actions: [] }, meetingId }), (e: AppError) => e.code === "invalid_rule");
    await assert.rejects(
      dryRun({ teamId: t.teamId, rule: { ...rule, trigger: "lead.created", conditions: undefined, actions: [{ type: "add_note", template: "x" }] } }),
      (e: AppError) => e.code === "lead_not_found",
    );
    // a meeting linked to no lead is not a missing lead: it says so with its own code (issue 11, finding 3)
    await sql`delete from public.meeting_leads where meeting_id = ${meetingId}`;
    await assert.rejects(dryRun({ teamId: t.teamId, rule, meetingId }), (e: AppError) =>
      e.code === "meeting_has_no_lead" && /isn't linked to a lead/.test(e.message));
  } finally {
    await receiver.close();
    await dropTeam(t.teamId);
  }
});

test("endpoints: https only (http for loopback when allowed), no credentials, at most 2,000 characters", async () => {
  const t = await setupTeam();
  try {
    for (const url of ["ftp://example.com/x", "http://example.com/hook", "https://user:pw@example.com/", `https://example.com/${"a".repeat(2000)}`, "not a url", ""]) {
      await assert.rejects(endpointFor(t.teamId, url), (e: AppError) => e.code === "invalid_url", url);
    }
    const { endpoint } = await endpointFor(t.teamId, "https://hooks.example.com/path?token=secret");
    assert.equal(endpoint.url_host, "hooks.example.com");
    const [row] = await sql`select url_encrypted, secret_encrypted from public.automation_endpoints where id = ${endpoint.id}`;
    assert.ok(!row.url_encrypted.includes("hooks.example.com") && !row.secret_encrypted.includes("whsec_"));
  } finally {
    await dropTeam(t.teamId);
  }
});

test("teardown", async () => {
  await fakeChat.close();
  await closeAll();
  await sql.end();
});
