// At most one open run asked for by hand per (rule, event) (engine/manual.ts; migration 20261204000600), found by
// the second attacker on issue 11 (atk11b): "Retry failed steps" on a dead re-run while a sibling re-run of the
// same event was queued answered 500 (the unique index's 23505 unmapped), and "Re-run" of that dead re-run opened
// a second open run of the event. Both now answer 409 not_retryable with a sentence; the index is the backstop.
import assert from "node:assert/strict";
import { asService } from "../_shared/db.ts";
import { AppError } from "../_shared/errors.ts";
import { createEndpoint } from "../_shared/automations/endpoints.ts";
import { rerun, retryRun } from "../_shared/automations/engine/index.ts";
import { ADMIN, drain, dropTeam, fakeChat, importLinkedMeeting, publishRule, runsOf, setupTeam } from "./automation_engine_support.ts";
import { closeAll, sql, test } from "./helpers.ts";

async function refusal(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected a refusal");
}

/** A team whose rule's webhook always answers 400: its first run A is dead, a re-run C of A too. */
async function withDeadRerun(work: (ctx: { teamId: string; a: string; c: string; eventId: string }) => Promise<void>) {
  const t = await setupTeam();
  const controller = new AbortController();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} }, async (req) => {
    await req.text();
    return new Response("nope", { status: 400 });
  });
  try {
    const url = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}/h`;
    const { endpoint } = await asService((tx) => createEndpoint(tx, { teamId: t.teamId, name: "E", url }));
    await publishRule(t.teamId, { trigger: "meeting.linked_to_lead", actions: [{ type: "send_webhook", endpoint_id: endpoint.id }] });
    await importLinkedMeeting(t.teamId);
    await drain();
    const [a] = await runsOf(t.teamId);
    assert.equal(a.status, "dead");
    const c = await rerun({ teamId: t.teamId, runId: a.id, userId: ADMIN });
    await drain();
    assert.equal((await runsOf(t.teamId)).find((r) => r.id === c.id)!.status, "dead");
    await work({ teamId: t.teamId, a: a.id, c: c.id, eventId: a.event_id });
  } finally {
    controller.abort();
    await server.finished;
    await dropTeam(t.teamId);
  }
}

const openRuns = (eventId: string) =>
  sql`select id from public.automation_runs where event_id = ${eventId} and status in ('queued', 'running', 'retrying')`;

test("manual runs: Retry of a dead re-run while a sibling re-run is queued is 409 not_retryable, not a 500", async () => {
  await withDeadRerun(async ({ teamId, a, c, eventId }) => {
    await rerun({ teamId, runId: a, userId: ADMIN }); // D, queued
    const err = await refusal(() => retryRun({ teamId, runId: c, userId: ADMIN }));
    assert.equal(err.code, "not_retryable");
    assert.equal(err.status, 409);
    assert.match(err.message, /^Another run of this event \(a retry or re-run\) is still queued; wait for it to finish\.$/);
    assert.equal((await openRuns(eventId)).length, 1);
  });
});

test("manual runs: Re-run of a dead re-run while another run of the event is open is refused (one open run)", async () => {
  await withDeadRerun(async ({ teamId, a, c, eventId }) => {
    await rerun({ teamId, runId: a, userId: ADMIN }); // D, queued
    const err = await refusal(() => rerun({ teamId, runId: c, userId: ADMIN }));
    assert.equal(err.code, "not_retryable");
    assert.equal((await openRuns(eventId)).length, 1);
    // and the other way round: the original retried by hand while a re-run of the re-run is open
    await sql`update public.automation_runs set status = 'dead' where event_id = ${eventId}`;
    await rerun({ teamId, runId: c, userId: ADMIN });
    assert.equal((await refusal(() => retryRun({ teamId, runId: a, userId: ADMIN }))).code, "not_retryable");
    assert.equal((await refusal(() => rerun({ teamId, runId: a, userId: ADMIN }))).code, "not_retryable");
    assert.equal((await openRuns(eventId)).length, 1);
  });
});

test("manual runs: once the open one has finished, Retry and Re-run work again", async () => {
  await withDeadRerun(async ({ teamId, a, c }) => {
    const d = await rerun({ teamId, runId: a, userId: ADMIN });
    await drain();
    assert.equal((await runsOf(teamId)).find((r) => r.id === d.id)!.status, "dead");
    assert.equal((await retryRun({ teamId, runId: c, userId: ADMIN })).status, "queued");
  });
});

test("manual runs: the database refuses a second open run asked for by hand of one event (the backstop index)", async () => {
  await withDeadRerun(async ({ a, c, eventId }) => {
    await sql`update public.automation_runs set status = 'queued', requested_by = ${ADMIN} where id = ${a}`;
    await assert.rejects(
      sql`update public.automation_runs set status = 'queued' where id = ${c}`,
      (err: { code?: string }) => err.code === "23505",
    );
    assert.equal((await openRuns(eventId)).length, 1);
  });
});

test("teardown", async () => {
  await fakeChat.close();
  await closeAll();
  await sql.end();
});
