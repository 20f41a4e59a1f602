// fathom-sync: the cron entry point that resumes imports whose driver died. Closed unless FATHOM_SYNC_SECRET is set;
// with the right bearer it drives every due import (and only due ones) to the end.
import assert from "node:assert/strict";
import { startSyncFor } from "../_shared/fathom/backfill.ts";
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
    // fathom-sync drives every due import in the database: an import left running by an earlier test file (whose
    // fake Fathom is gone) must not be driven here
    await sql`update public.integration_syncs set status = 'failed'
               where status in ('running', 'paused_rate_limited')`;
    for (const id of Object.values(ids)) await startSyncFor(id); // running, but nobody drives them
    await sql`update public.integration_syncs set locked_until = now() + interval '1 minute',
                lease_token = gen_random_uuid() where integration_id = ${ids.leased}`;
    await sql`update public.integration_syncs set status = 'paused_rate_limited',
                resume_after = now() + interval '1 minute' where integration_id = ${ids.paused}`;

    const response = await post(`Bearer ${SECRET}`);
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.deepEqual(body, { driven: 1, states: ["done"] });

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
    assert.deepEqual(again, { driven: 0, states: [] }, "nothing is due once it completed");
  } finally {
    Deno.env.delete("FATHOM_SYNC_SECRET");
    for (const t of [orphaned, leased, paused]) await dropTeam(t.teamId);
    await fathom.close();
  }
});

addEventListener("unload", () => void closeAll());
