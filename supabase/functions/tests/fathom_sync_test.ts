// fathom-sync: the cron entry point that resumes imports whose driver died. Closed unless FATHOM_SYNC_SECRET is set;
// with the right bearer it drives every due import (and only due ones) to the end.
import assert from "node:assert/strict";
import { MAX_STEP_FAILURES, startSyncFor } from "../_shared/fathom/backfill-state.ts";
import { runSyncStep } from "../_shared/fathom/backfill-step.ts";
import { handler } from "../fathom-sync/handler.ts";
import { closeAll, sql, test } from "./helpers.ts";
import { connectFathom, createTeam, dropTeam, SANDY, sandboxTokens, startSandbox } from "./fathom_support.ts";

const SECRET = "a-cron-secret-for-tests-0123456789";

function post(authorization?: string, method = "POST") {
  const headers = new Headers();
  if (authorization) headers.set("authorization", authorization);
  return handler(new Request("http://127.0.0.1:54321/functions/v1/fathom-sync", { method, headers }));
}

async function errorCode(response: Response) {
  return (await response.json()).error.code;
}

/**
 * fathom-sync drives every due import in the database: an import an earlier test file left running (whose fake
 * Fathom is gone) must not be driven here, nor a failed one it would resume.
 */
async function setAsideOtherImports() {
  await sql`update public.integration_syncs set status = 'failed', resume_after = null
             where status in ('running', 'paused_rate_limited') or (status = 'failed' and resume_after is not null)`;
}

test("fathom-sync: closed without FATHOM_SYNC_SECRET; 401 without the right bearer; POST only", async () => {
  Deno.env.delete("FATHOM_SYNC_SECRET");
  const closed = await post(`Bearer ${SECRET}`);
  assert.equal(closed.status, 401);
  assert.equal(await errorCode(closed), "unauthorized");

  Deno.env.set("FATHOM_SYNC_SECRET", SECRET);
  try {
    for (const authorization of [undefined, "Bearer wrong", `Basic ${SECRET}`, `Bearer ${SECRET}x`, SECRET]) {
      const refused = await post(authorization);
      assert.equal(refused.status, 401, String(authorization));
      assert.equal(await errorCode(refused), "unauthorized");
    }
    const get = await post(`Bearer ${SECRET}`, "GET");
    assert.equal(get.status, 405);
  } finally {
    Deno.env.delete("FATHOM_SYNC_SECRET");
  }
});

test("fathom-sync: resumes an import whose driver died, leaves a live lease and a paused import alone", async () => {
  const fathom = startSandbox({ demoMeetings: false, rateLimit: { limit: 1000, windowMs: 60_000 } });
  fathom.sandbox.generateMeetings({ userEmail: SANDY, count: 15 });
  fathom.sandbox.finishSummaries(); // these tests are about the import's mechanics: every summary is ready
  const orphaned = await createTeam();
  const leased = await createTeam();
  const paused = await createTeam();
  const tokens = () => sandboxTokens(fathom.base);
  const ids = {
    orphaned: await connectFathom(orphaned.teamId, await tokens()),
    leased: await connectFathom(leased.teamId, await tokens()),
    paused: await connectFathom(paused.teamId, await tokens()),
  };
  Deno.env.set("FATHOM_SYNC_SECRET", SECRET);
  try {
    await setAsideOtherImports();
    for (const id of Object.values(ids)) await startSyncFor(id); // running, but nobody drives them
    await sql`update public.integration_syncs set locked_until = now() + interval '1 minute',
                lease_token = gen_random_uuid() where integration_id = ${ids.leased}`;
    await sql`update public.integration_syncs set status = 'paused_rate_limited',
                resume_after = now() + interval '1 minute' where integration_id = ${ids.paused}`;

    const response = await post(`Bearer ${SECRET}`);
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.deepEqual([body.driven, body.states], [1, ["done"]]);
    assert.deepEqual(Object.keys(body).sort(), ["content", "driven", "inbox", "states"]);

    const rows = await sql<{ integration_id: string; status: string; listed_count: number; content_done: number }[]>`
      select integration_id, status, listed_count, content_done from public.integration_syncs
       where integration_id in (${ids.orphaned}, ${ids.leased}, ${ids.paused})`;
    const byId = Object.fromEntries(rows.map((r) => [r.integration_id, r]));
    assert.deepEqual(
      [byId[ids.orphaned].status, byId[ids.orphaned].listed_count, byId[ids.orphaned].content_done],
      ["completed", 15, 15],
    );
    assert.deepEqual([byId[ids.leased].status, byId[ids.leased].listed_count], ["running", 0]);
    assert.deepEqual([byId[ids.paused].status, byId[ids.paused].listed_count], ["paused_rate_limited", 0]);
    const [meetings] = await sql`select count(*)::int as n from public.meetings where team_id = ${orphaned.teamId}`;
    assert.equal(meetings.n, 15);

    const again = await (await post(`Bearer ${SECRET}`)).json();
    assert.deepEqual([again.driven, again.states], [0, []], "nothing is due once it completed");
  } finally {
    Deno.env.delete("FATHOM_SYNC_SECRET");
    for (const t of [orphaned, leased, paused]) await dropTeam(t.teamId);
    await fathom.close();
  }
});

test("fathom-sync: resumes an import that failed of an outage once its backoff passed, never one that needs the user", async () => {
  const fathom = startSandbox({ demoMeetings: false, rateLimit: { limit: 1000, windowMs: 60_000 } });
  const REVOKED = "rev@sandbox.fathom.test";
  fathom.sandbox.generateMeetings({ userEmail: SANDY, count: 4 });
  fathom.sandbox.generateMeetings({ userEmail: REVOKED, count: 4 });
  fathom.sandbox.finishSummaries(); // these tests are about the import's mechanics: every summary is ready
  const outage = await createTeam();
  const revoked = await createTeam();
  const ids = {
    outage: await connectFathom(outage.teamId, await sandboxTokens(fathom.base)),
    revoked: await connectFathom(revoked.teamId, await sandboxTokens(fathom.base, REVOKED), { expiresInSeconds: 0 }),
  };
  const row = async (id: string) =>
    (await sql`select status, last_error, resume_after, listed_count from public.integration_syncs
                where integration_id = ${id}`)[0];
  Deno.env.set("FATHOM_SYNC_SECRET", SECRET);
  try {
    await setAsideOtherImports();
    await sql`update public.team_integrations set webhook_id = 'already-registered'
               where id in (${ids.outage}, ${ids.revoked})`;
    for (const id of Object.values(ids)) await startSyncFor(id);

    // Fathom answers 503 to the last of MAX_STEP_FAILURES steps in a row (the earlier ones arranged): failed, for now
    await sql`update public.integration_syncs set failure_count = ${MAX_STEP_FAILURES - 1}
               where integration_id = ${ids.outage}`;
    fathom.sandbox.setFailure({ target: "api", mode: "status_503", times: 10 });
    assert.deepEqual(await runSyncStep(ids.outage, { budgetMs: 10_000 }), { state: "failed", error: "fathom_http_503" });
    fathom.sandbox.clearFailures();
    // the grant was revoked at Fathom: the token refresh fails, the user has to reconnect
    fathom.sandbox.revokeGrants({ userEmail: REVOKED });
    const gone = await runSyncStep(ids.revoked, { budgetMs: 10_000 });
    assert.deepEqual(gone, { state: "failed", error: "needs_reauth" });

    let outageRow = await row(ids.outage);
    assert.equal(outageRow.status, "failed");
    assert.ok(outageRow.resume_after > new Date(Date.now() + 4 * 60_000), "resumes in about 5 minutes");
    assert.equal((await row(ids.revoked)).resume_after, null, "never resumed by itself");
    const early = await (await post(`Bearer ${SECRET}`)).json();
    assert.deepEqual([early.driven, early.states], [0, []], "not yet");

    // time passes
    await sql`update public.integration_syncs set resume_after = now() - interval '1 second'
               where integration_id = ${ids.outage}`;
    await sql`update public.integration_syncs set last_error_at = now() - interval '1 day'
               where integration_id = ${ids.revoked}`;
    const again = await (await post(`Bearer ${SECRET}`)).json();
    assert.deepEqual([again.driven, again.states], [1, ["done"]]);
    outageRow = await row(ids.outage);
    assert.deepEqual([outageRow.status, outageRow.last_error, outageRow.listed_count], ["completed", null, 4]);
    const revokedRow = await row(ids.revoked);
    assert.deepEqual([revokedRow.status, revokedRow.last_error], ["failed", "needs_reauth"]);
  } finally {
    Deno.env.delete("FATHOM_SYNC_SECRET");
    for (const t of [outage, revoked]) await dropTeam(t.teamId);
    await fathom.close();
  }
});

addEventListener("unload", () => void closeAll());
