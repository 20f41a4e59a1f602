// Automations engine end to end from a Fathom delivery (issue 11): the same webhook delivered twice, one after the
// other and at once, gives one meeting, one event and one run per rule, each executed once.
import assert from "node:assert/strict";
import { handler } from "../fathom-webhook/handler.ts";
import { handler as runnerHandler } from "../automation-runner/handler.ts";
import { inboxIdle } from "../_shared/fathom/inbox.ts";
import { actionItems, drain, dropTeam, eventsOf, publishRule, runsOf, setupTeam, tasksOf } from "./automation_engine_support.ts";
import { connectFathom, installWebhookSecret, signedHeaders, wireMeeting } from "./fathom_support.ts";
import { closeAll, sql, test, withEnv } from "./helpers.ts";

async function deliver(routeId: string, body: string, headers: Record<string, string>): Promise<number> {
  const res = await handler(new Request(`http://127.0.0.1:54399/functions/v1/fathom-webhook/${routeId}`, {
    method: "POST",
    headers,
    body,
  }));
  await res.body?.cancel();
  return res.status;
}

for (const mode of ["one after the other", "at once"] as const) {
  test(`webhook delivered twice (${mode}): one event, one run per rule, one task`, async () => {
    const t = await setupTeam();
    try {
      const integrationId = await connectFathom(t.teamId, { access_token: "unused", refresh_token: "unused" });
      const { routeId, secret } = await installWebhookSecret(integrationId, t.teamId);
      await publishRule(t.teamId, { name: "Tasks", trigger: "meeting.linked_to_lead", actions: [{ type: "create_tasks" }] });
      await publishRule(t.teamId, { name: "Note", trigger: "meeting.linked_to_lead", actions: [{ type: "add_note", template: "Met {{lead.name}}" }] });
      const body = JSON.stringify(wireMeeting({ action_items: actionItems({ text: "Send the deck" }) }));
      const headers = signedHeaders(secret, body);
      const statuses = mode === "at once"
        ? await Promise.all([deliver(routeId, body, headers), deliver(routeId, body, headers)])
        : [await deliver(routeId, body, headers), await deliver(routeId, body, headers)];
      assert.deepEqual(statuses, [200, 200]);
      await inboxIdle();
      const [{ n }] = await sql`select count(*)::int as n from public.meetings where team_id = ${t.teamId}`;
      assert.equal(n, 1);
      await Promise.all([drain(), drain()]);
      const events = await eventsOf(t.teamId);
      assert.deepEqual(events.map((e) => [e.type, e.status, e.lead_id]), [["meeting.linked_to_lead", "dispatched", t.janeId]]);
      const runs = await runsOf(t.teamId);
      assert.equal(runs.length, 2);
      assert.ok(runs.every((r) => r.status === "succeeded" && r.attempt === 1));
      assert.equal((await tasksOf(t.teamId)).length, 1);
      const [notes] = await sql`select count(*)::int as n from public.lead_notes where team_id = ${t.teamId}`;
      assert.equal(notes.n, 1);
    } finally {
      await dropTeam(t.teamId);
    }
  });
}

test("automation-runner: closed without AUTOMATION_RUNNER_SECRET, 401 for a wrong bearer, a pass for the right one", async () => {
  const call = (auth?: string, method = "POST") =>
    runnerHandler(new Request("http://127.0.0.1:54399/functions/v1/automation-runner", {
      method,
      headers: auth ? { authorization: auth } : {},
    }));
  await withEnv({ AUTOMATION_RUNNER_SECRET: undefined }, async () => {
    assert.equal((await call("Bearer anything")).status, 401);
  });
  await withEnv({ AUTOMATION_RUNNER_SECRET: "runner-secret", AUTOMATION_RUNNER_BUDGET_MS: "5000" }, async () => {
    assert.equal((await call()).status, 401);
    assert.equal((await call("Bearer runner-secreT")).status, 401);
    assert.equal((await call("Bearer runner-secret", "GET")).status, 405);
    const res = await call("Bearer runner-secret");
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(typeof body.dispatched, "number");
    assert.equal(typeof body.ran, "number");
  });
});

test("teardown", async () => {
  const { fakeChat } = await import("./automation_engine_support.ts");
  await fakeChat.close();
  await closeAll();
  await sql.end();
});
