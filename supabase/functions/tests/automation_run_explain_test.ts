// How a run explains itself (issue 11 follow-ups, part A): a send_webhook step keeps what was sent and what came
// back (endpoint by name, body, webhook-id, status, a scrubbed excerpt of a failed answer), never the URL or the
// secret, in runs and dry runs alike; a create_tasks step names each task's assignee and why, its due date, and
// the tasks it found already there; a retry or re-run by hand that ends dead neither counts towards pausing the
// rule nor pauses it, and the paused text says what is counted. PGlite and PostgreSQL alike.
import assert from "node:assert/strict";
import { asService } from "../_shared/db.ts";
import { createEndpoint } from "../_shared/automations/endpoints.ts";
import { dryRun, rerun, retryRun } from "../_shared/automations/engine/index.ts";
import { PAUSE_AFTER_DEAD_RUNS } from "../_shared/automations/engine/config.ts";
import { scrubExcerpt } from "../_shared/automations/engine/excerpt.ts";
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
  stepsOf,
} from "./automation_engine_support.ts";
import { closeAll, sql, test, withEnv } from "./helpers.ts";

/** A receiver answering scripted statuses and bodies; `echo` answers with what it was sent (headers + body). */
function startReceiver() {
  const received: { headers: Headers; body: string }[] = [];
  const answers: { status: number; body?: string; echo?: boolean }[] = [];
  const controller = new AbortController();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} }, async (req) => {
    const body = await req.text();
    received.push({ headers: req.headers, body });
    const a = answers.shift() ?? { status: 200 };
    const text = a.echo
      ? `<html><body><h1>Bad</h1><p>url=${req.url} sig: ${req.headers.get("webhook-signature")}</p></body></html>`
      : (a.body ?? "");
    return new Response(text, { status: a.status });
  });
  return {
    url: `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}/hooks/crm?token=s3cr3t-t0ken-value`,
    received,
    answer: (...a: { status: number; body?: string; echo?: boolean }[]) => answers.push(...a),
    close: async () => {
      controller.abort();
      await server.finished;
    },
  };
}

async function endpointFor(teamId: string, url: string, name = "Zapier: new calls") {
  return await asService((tx) => createEndpoint(tx, { teamId, name, url }));
}

test("send_webhook: a step's output is the endpoint's name, the body sent, the webhook-id and the status; no URL or secret", async () => {
  const t = await setupTeam();
  const receiver = startReceiver();
  try {
    const { endpoint, secret } = await endpointFor(t.teamId, receiver.url);
    await publishRule(t.teamId, {
      trigger: "meeting.linked_to_lead",
      actions: [{ type: "send_webhook", endpoint_id: endpoint.id, template: "Met {{lead.name}}" }],
    });
    // 1st attempt: 503 with an answer echoing the request (URL with its token, signature) and a credential
    receiver.answer({ status: 503, echo: true });
    await importLinkedMeeting(t.teamId);
    await drain();
    let [run] = await runsOf(t.teamId);
    assert.equal(run.status, "retrying");
    let [step] = await stepsOf(run.id);
    assert.equal(step.status, "failed");
    const failed = step.output;
    assert.ok(failed, "a failed webhook step keeps what it sent");
    assert.deepEqual(failed.endpoint, { id: endpoint.id, name: "Zapier: new calls" });
    assert.equal(failed.webhook_id, `${run.id}:0`);
    assert.equal(failed.status, 503);
    assert.equal(failed.sent, true);
    assert.deepEqual(failed.body, JSON.parse(receiver.received[0].body), "the body exactly as sent");
    assert.equal(failed.body.data.message, "Met Jane Doe");
    assert.match(failed.response_excerpt, /Bad/);
    const stored = JSON.stringify(step);
    for (const leak of ["127.0.0.1", "s3cr3t-t0ken-value", "/hooks/crm", secret, secret.slice(6), receiver.received[0].headers.get("webhook-signature")!]) {
      assert.ok(!stored.includes(leak), `the step must not hold ${leak}`);
    }

    // 2nd attempt: delivered; the output describes this attempt (no excerpt)
    receiver.answer({ status: 202, body: "queued" });
    await makeDue(t.teamId);
    await drain();
    [run] = await runsOf(t.teamId);
    assert.equal(run.status, "succeeded");
    [step] = await stepsOf(run.id);
    assert.deepEqual(Object.keys(step.output).sort(), ["body", "endpoint", "sent", "status", "webhook_id"]);
    assert.equal(step.output.status, 202);
    assert.equal(step.output.webhook_id, receiver.received[1].headers.get("webhook-id"));
    assert.deepEqual(step.output.body, JSON.parse(receiver.received[1].body));
  } finally {
    await receiver.close();
    await dropTeam(t.teamId);
  }
});

test("send_webhook refused before the POST (not a public address): the step says not sent, nothing reached the receiver", async () => {
  const t = await setupTeam();
  const receiver = startReceiver();
  try {
    const { endpoint } = await endpointFor(t.teamId, receiver.url);
    await publishRule(t.teamId, { trigger: "meeting.linked_to_lead", actions: [{ type: "send_webhook", endpoint_id: endpoint.id }] });
    await importLinkedMeeting(t.teamId);
    // the loopback hatch closed after the endpoint was saved: the send-time check refuses the address
    await withEnv({ AUTOMATION_ALLOW_HTTP_WEBHOOKS: undefined }, () => drain());
    const [run] = await runsOf(t.teamId);
    assert.equal(run.status, "dead");
    const [step] = await stepsOf(run.id);
    assert.equal(step.output.sent, false);
    assert.equal(step.output.status, null);
    assert.equal(step.output.endpoint.name, "Zapier: new calls");
    assert.equal(receiver.received.length, 0);
  } finally {
    await receiver.close();
    await dropTeam(t.teamId);
  }
});

test("dry run: a webhook action shows the endpoint's name and the body it would send; once sent, the id and the answer", async () => {
  const t = await setupTeam();
  const receiver = startReceiver();
  try {
    const { endpoint, secret } = await endpointFor(t.teamId, receiver.url, "Make.com");
    const meetingId = await importLinkedMeeting(t.teamId, { title: "Demo" });
    const rule = {
      name: "Draft",
      trigger: "meeting.linked_to_lead",
      actions: [{ type: "send_webhook", endpoint_id: endpoint.id, template: "Hi {{lead.name}}" }],
    };
    const dry = await dryRun({ teamId: t.teamId, rule, meetingId });
    // deno-lint-ignore no-explicit-any
    const [a] = dry.actions as any[];
    assert.equal(a.would, "Would send a signed webhook to “Make.com”.");
    assert.deepEqual(a.delivery?.endpoint, { id: endpoint.id, name: "Make.com" });
    assert.equal(a.delivery?.webhook_id, null);
    assert.equal(a.delivery?.sent, false);
    assert.equal(a.delivery?.status, null);
    assert.equal(a.delivery?.body.data.message, "Hi Jane Doe");
    assert.equal(a.delivery?.body.data.meeting?.title, "Demo");
    assert.equal(a.delivery?.body.test, true);
    assert.equal(receiver.received.length, 0);

    receiver.answer({ status: 400, body: '{"error":"bad field","api_key":"sk_live_abcdef123456"}' });
    const sent = await dryRun({ teamId: t.teamId, rule, meetingId, send: true });
    // deno-lint-ignore no-explicit-any
    const [s] = sent.actions as any[];
    assert.deepEqual(s.sent, { ok: false, error: "The endpoint answered HTTP 400." });
    assert.equal(s.delivery?.status, 400);
    assert.equal(s.delivery?.sent, true);
    assert.equal(s.delivery?.webhook_id, receiver.received[0].headers.get("webhook-id"));
    assert.deepEqual(s.delivery?.body, JSON.parse(receiver.received[0].body));
    assert.match(s.delivery?.response_excerpt ?? "", /bad field/);
    assert.doesNotMatch(s.delivery?.response_excerpt ?? "", /sk_live/);
    const all = JSON.stringify(sent);
    assert.ok(!all.includes("127.0.0.1") && !all.includes(secret) && !all.includes("s3cr3t"));

    // an endpoint removed since: said so, nothing sent
    await sql`delete from public.automation_endpoints where id = ${endpoint.id}`;
    const gone = await dryRun({ teamId: t.teamId, rule, meetingId });
    assert.equal(gone.actions[0].would, "Cannot run: the webhook endpoint was removed.");
    // deno-lint-ignore no-explicit-any
    assert.equal((gone.actions[0] as any).delivery?.endpoint.name, null);
  } finally {
    await receiver.close();
    await dropTeam(t.teamId);
  }
});

test("scrubExcerpt: markup, URLs, known secrets and credential shapes are removed; short", async () => {
  const secret = "whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=";
  const text = `<html><script>var k="x"</script><b>Nope</b> https://hooks.example.com/a?t=1 hooks.example.com/a?t=1
    Authorization: Bearer abc.def.ghi "password":"hunter2" token=zzz ${secret} v1,QUJDREVGR0hJSktMTU5PUFFSU1RV
    ${"word ".repeat(200)}`;
  const out = scrubExcerpt(text, ["https://hooks.example.com/a?t=1", secret])!;
  assert.ok(out.startsWith("Nope [redacted] [redacted]"), out);
  for (const leak of ["script", "hooks.example.com", "abc.def", "hunter2", "zzz", "whsec", "QUJD"]) {
    assert.ok(!out.includes(leak), `${leak} in ${out}`);
  }
  assert.ok(out.length <= 300);
  assert.ok(out.endsWith("…"));
  assert.equal(scrubExcerpt("  <p> </p> "), null);
});

test("create_tasks: each task says its title, assignee and why, due date, lead; a re-run's tasks already existed", async () => {
  const t = await setupTeam();
  try {
    await sql`update public.leads set owner_id = ${MEMBER} where id = ${t.janeId}`;
    const [{ full_name: memberName }] = await sql`select coalesce(nullif(trim(full_name), ''), email) as full_name
                                                    from public.profiles where id = ${MEMBER}`;
    await publishRule(t.teamId, {
      trigger: "meeting.linked_to_lead",
      actions: [{ type: "create_tasks", due_in_days: 2, fallback_assignee_id: ADMIN }],
    });
    await importLinkedMeeting(t.teamId, {
      action_items: actionItems(
        { text: "Send the proposal", assignee: ADMIN_EMAIL },
        { text: "Book the demo", assignee: "stranger@elsewhere.example" },
      ),
    });
    await drain();
    const [run] = await runsOf(t.teamId);
    assert.equal(run.status, "succeeded", run.error_message);
    const [step] = await stepsOf(run.id);
    const [{ due }] = await sql`select to_char(current_date + 2, 'YYYY-MM-DD') as due`;
    const tasks = (await sql`select id, action_item_index from public.tasks where team_id = ${t.teamId} order by action_item_index`)
      .map((r) => r.id);
    assert.equal(step.output.created, 2);
    assert.deepEqual(step.output.tasks.map((x: Record<string, unknown>) => ({ ...x, assignee: (x.assignee as { id: string }).id })), [
      {
        id: tasks[0], item_index: 0, title: "Send the proposal", lead_id: t.janeId, assignee: ADMIN,
        assignee_reason: "action_item_assignee", due_on: due, outcome: "created",
      },
      {
        id: tasks[1], item_index: 1, title: "Book the demo", lead_id: t.janeId, assignee: MEMBER,
        assignee_reason: "lead_owner", due_on: due, outcome: "created",
      },
    ]);
    assert.equal(step.output.tasks[1].assignee.name, memberName);

    // owner gone: the rule's default; nobody when the default is not a member either
    await sql`update public.leads set owner_id = null where id = ${t.janeId}`;
    await importLinkedMeeting(t.teamId, { action_items: actionItems({ text: "Fallback" }) });
    await drain();
    const fallbackRun = (await runsOf(t.teamId))[1];
    const [fb] = await stepsOf(fallbackRun.id);
    assert.deepEqual([fb.output.tasks[0].assignee.id, fb.output.tasks[0].assignee_reason], [ADMIN, "rule_default"]);

    // a re-run finds the tasks of the first run: already existed, made by that run, nothing created again
    const again = await rerun({ teamId: t.teamId, runId: run.id, userId: ADMIN });
    await drain();
    const [reStep] = await stepsOf(again.id);
    assert.equal(reStep.output.created, 0);
    assert.deepEqual(reStep.output.tasks.map((x: Record<string, any>) => [x.id, x.outcome, x.assignee_reason, x.made_by]), [
      [tasks[0], "already_existed", null, { source: "automation", automation_run_id: run.id }],
      [tasks[1], "already_existed", null, { source: "automation", automation_run_id: run.id }],
    ]);
    assert.equal(reStep.output.tasks[0].assignee.id, ADMIN);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("pausing: a retry by hand that ends dead is not counted and does not pause; the pause text says what counts", async () => {
  const t = await setupTeam();
  const receiver = startReceiver();
  try {
    const { endpoint } = await endpointFor(t.teamId, receiver.url);
    const { ruleId } = await publishRule(t.teamId, {
      trigger: "meeting.linked_to_lead",
      actions: [{ type: "send_webhook", endpoint_id: endpoint.id }],
    });
    const rule = async () =>
      (await sql`select enabled, paused_reason, consecutive_failures from public.automation_rules where id = ${ruleId}`)[0];
    for (let i = 0; i < PAUSE_AFTER_DEAD_RUNS - 1; i++) {
      receiver.answer({ status: 404 });
      await importLinkedMeeting(t.teamId);
      await drain();
    }
    assert.equal((await rule()).consecutive_failures, PAUSE_AFTER_DEAD_RUNS - 1);
    const [first] = await runsOf(t.teamId);

    // a retry by hand fails again, and a re-run by hand too: the rule stays on, the count stays
    receiver.answer({ status: 404 });
    await retryRun({ teamId: t.teamId, runId: first.id, userId: ADMIN });
    await drain();
    receiver.answer({ status: 404 });
    const re = await rerun({ teamId: t.teamId, runId: first.id, userId: ADMIN });
    await drain();
    assert.deepEqual((await runsOf(t.teamId)).filter((r) => r.id === first.id || r.id === re.id).map((r) => r.status), ["dead", "dead"]);
    let r = await rule();
    assert.equal(r.enabled, true, "manual failures do not pause the rule");
    assert.equal(r.consecutive_failures, PAUSE_AFTER_DEAD_RUNS - 1);

    // the next run of its own is the 5th in a row: paused, with a text that says what it counts; the count restarts
    receiver.answer({ status: 404 });
    await importLinkedMeeting(t.teamId);
    await drain();
    r = await rule();
    assert.equal(r.enabled, false);
    assert.match(r.paused_reason, /^Paused after 5 of its runs failed in a row \(retries and re-runs by hand are not counted\)\. Last error: Step 1 \(Send a webhook\) failed: The endpoint answered HTTP 404\.$/);
    assert.equal(r.consecutive_failures, 0, "turned on again, the rule gets 5 fresh runs");
  } finally {
    await receiver.close();
    await dropTeam(t.teamId);
  }
});

test("teardown", async () => {
  await fakeChat.close();
  await closeAll();
  await sql.end();
});
