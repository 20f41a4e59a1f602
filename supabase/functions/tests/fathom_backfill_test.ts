// "Import past meetings" against the real Fathom sandbox: the state machine end to end, crash/lease resumption
// without duplicates, rate-limit pacing and pauses, and the api sync routes.
import assert from "node:assert/strict";
import { processDueContent } from "../_shared/fathom/content.ts";
import { driveSync, dueSyncs, startSync, startSyncFor } from "../_shared/fathom/backfill.ts";
import { AUTO_RESUME_BASE_SECONDS, MAX_STEP_FAILURES } from "../_shared/fathom/backfill-state.ts";
import { runSyncStep } from "../_shared/fathom/backfill-step.ts";
import { router, withErrorHandling } from "../_shared/http.ts";
import { syncRoutes } from "../api/routes/sync.ts";
import { ADMIN, closeAll, jwtFor, MEMBER, request, sql, test } from "./helpers.ts";
import { connectFathom, createTeam, dropTeam, JANE, SANDY, sandboxTokens, startSandbox } from "./fathom_support.ts";

const admin = { sub: ADMIN, role: "authenticated", aud: "authenticated" };
const api = withErrorHandling(router(syncRoutes));

async function connectedTeam(base: string) {
  const team = await createTeam();
  const integrationId = await connectFathom(team.teamId, await sandboxTokens(base));
  return { ...team, integrationId };
}

async function syncRow(integrationId: string) {
  const [row] = await sql`select * from public.integration_syncs where integration_id = ${integrationId}`;
  return row;
}

async function meetingsOf(teamId: string) {
  return await sql`select provider_meeting_id as recording_id, content_status, source from public.meetings
                    where team_id = ${teamId} order by provider_meeting_id::bigint`;
}

async function linksOf(teamId: string) {
  return await sql<{ recording_id: string; lead_id: string }[]>`select m.provider_meeting_id as recording_id, ml.lead_id
                     from public.meeting_leads ml
                     join public.meetings m on m.id = ml.meeting_id
                    where ml.team_id = ${teamId} order by 1, 2`;
}

test("backfill: 35 sandbox meetings are listed, linked to leads and get their content; routes report it", async () => {
  const fathom = startSandbox({ demoMeetings: false, rateLimit: { limit: 1000, windowMs: 60_000 } });
  fathom.sandbox.generateMeetings({ userEmail: SANDY, count: 35 });
  fathom.sandbox.finishSummaries(); // these tests are about the import's mechanics: every summary is ready
  const t = await connectedTeam(fathom.base);
  try {
    const started = await api(request(`/api/teams/${t.teamId}/integrations/fathom/sync`, {
      method: "POST",
      token: await jwtFor(ADMIN),
    }));
    assert.equal(started.status, 202);
    const { sync } = await started.json();
    assert.deepEqual([sync.status, sync.stage, sync.listed_count], ["running", "list", 0]);

    // the route scheduled a background driver; driving here as well is safe (the lease keeps them apart)
    let result = await driveSync(t.integrationId, { reschedule: false });
    while (result.state === "busy") {
      await new Promise((r) => setTimeout(r, 100));
      result = await driveSync(t.integrationId, { reschedule: false });
    }
    const row = await syncRow(t.integrationId);
    assert.deepEqual(
      [row.status, row.stage, row.listed_count, row.content_total, row.content_done, row.content_failed],
      ["completed", "done", 35, 35, 35, 0],
    );
    assert.ok(row.finished_at && row.last_synced_at && row.locked_until === null);
    const meetings = await meetingsOf(t.teamId);
    assert.equal(meetings.length, 35);
    assert.ok(meetings.every((m) => m.content_status === "complete" && m.source === "backfill"));
    const links = await linksOf(t.teamId);
    assert.ok(links.length > 0, "the generated history includes Jane and Raj");
    assert.equal(row.linked_count, links.length);
    const [events] = await sql`select count(*) filter (where type = 'fathom.meeting.imported')::int as imported,
                                      count(*) filter (where type = 'fathom.meeting.linked_to_lead')::int as linked
                                 from public.integration_events where team_id = ${t.teamId}`;
    assert.deepEqual([events.imported, events.linked], [35, links.length]);

    assert.equal(fathom.requests("/external/v1/meetings").length, 4 + 1, "10 per page, then the final sweep");
    assert.equal(fathom.requests(/\/transcript$/).length, 35);
    assert.equal(fathom.requests(/\/summary$/).length, 35);
    assert.equal(fathom.sandbox.state().webhooks.length, 1, "the sync registered the missing webhook");

    const read = await api(request(`/api/teams/${t.teamId}/integrations/fathom/sync`, { token: await jwtFor(MEMBER) }));
    assert.equal(read.status, 404, "MEMBER is not in this throwaway team");
    const mine = await api(request(`/api/teams/${t.teamId}/integrations/fathom/sync`, { token: await jwtFor(ADMIN) }));
    const body = await mine.json();
    assert.deepEqual([body.sync.status, body.sync.content_done], ["completed", 35]);
    assert.equal("lease_token" in body.sync || "cursor" in body.sync, false);
  } finally {
    await dropTeam(t.teamId);
    await fathom.close();
  }
});

test("backfill routes: members read null before any sync; members may not start; bad body 400; no Fathom 409", async () => {
  const team = await createTeam();
  try {
    await sql`insert into public.team_members (team_id, user_id, role) values (${team.teamId}, ${MEMBER}, 'member')`;
    const path = `/api/teams/${team.teamId}/integrations/fathom/sync`;
    const read = await api(request(path, { token: await jwtFor(MEMBER) }));
    assert.deepEqual(await read.json(), {
      sync: null,
      inbox: { pending: 0, failed: 0, last_error: null, last_error_text: null, last_failed_at: null },
    });
    const member = await api(request(path, { method: "POST", token: await jwtFor(MEMBER) }));
    assert.equal(member.status, 403);
    const notConnected = await api(request(path, { method: "POST", token: await jwtFor(ADMIN) }));
    assert.equal(notConnected.status, 409);
    assert.equal((await notConnected.json()).error.code, "not_connected");
    for (const body of ['{"full":"yes"}', '{"since":"2020-01-01"}', "not json"]) {
      const bad = await api(request(path, { method: "POST", token: await jwtFor(ADMIN), body }));
      assert.equal(bad.status, 400, body);
      assert.equal((await bad.json()).error.code, "invalid_request");
    }
    const full = await api(request(path, { method: "POST", token: await jwtFor(ADMIN), body: '{"full":true}' }));
    assert.equal((await full.json()).error.code, "not_connected", "a valid body reaches the domain");
  } finally {
    await dropTeam(team.teamId);
  }
});

test("backfill: a run killed mid-way (list and content) or holding a dead lease resumes to the same result", async () => {
  const fathom = startSandbox({ demoMeetings: false, rateLimit: { limit: 1000, windowMs: 60_000 } });
  fathom.sandbox.generateMeetings({ userEmail: SANDY, count: 35 });
  fathom.sandbox.finishSummaries(); // these tests are about the import's mechanics: every summary is ready
  const clean = await connectedTeam(fathom.base);
  const crashy = await connectedTeam(fathom.base);
  try {
    await startSync(admin, clean.teamId);
    assert.equal((await driveSync(clean.integrationId, { reschedule: false })).state, "done");

    await startSync(admin, crashy.teamId);
    // crash after two committed pages
    let pages = 0;
    const crashAfterTwoPages = { budgetMs: 60_000, afterCheckpoint: () => {
      if (++pages === 2) throw new Error("worker killed");
    } };
    const first = await runSyncStep(crashy.integrationId, crashAfterTwoPages);
    assert.equal(first.state, "failed");
    let row = await syncRow(crashy.integrationId);
    // two checkpoints: at least two pages (pages that arrived together are stored together); the list stage (its
    // final sweep at least) is not over
    assert.deepEqual([row.stage, row.status], ["list", "failed"]);
    assert.ok(row.listed_count >= 20, `${row.listed_count}`);
    assert.equal((await meetingsOf(crashy.teamId)).length, row.listed_count, "checkpoint and stored meetings agree");

    // an admin resumes: from the cursor, not from scratch; then a dead worker's lease blocks until it expires
    await startSyncFor(crashy.integrationId);
    await sql`update public.integration_syncs set locked_until = now() + interval '1 minute',
                lease_token = gen_random_uuid() where integration_id = ${crashy.integrationId}`;
    assert.equal((await runSyncStep(crashy.integrationId, { budgetMs: 5_000 })).state, "busy");
    await sql`update public.integration_syncs set locked_until = now() - interval '1 second'
               where integration_id = ${crashy.integrationId}`;

    // crash again after 5 content items
    let items = 0;
    const second = await runSyncStep(crashy.integrationId, { budgetMs: 60_000, afterCheckpoint: (stage) => {
      if (stage === "content" && ++items === 5) throw new Error("worker killed");
    } });
    assert.equal(second.state, "failed");
    row = await syncRow(crashy.integrationId);
    assert.deepEqual([row.stage, row.listed_count, row.content_done], ["content", 35, 5]);

    await startSyncFor(crashy.integrationId);
    assert.equal((await driveSync(crashy.integrationId, { reschedule: false })).state, "done");
    row = await syncRow(crashy.integrationId);
    assert.deepEqual(
      [row.status, row.listed_count, row.content_total, row.content_done, row.content_failed],
      ["completed", 35, 35, 35, 0],
    );
    assert.deepEqual(await meetingsOf(crashy.teamId), await meetingsOf(clean.teamId));
    const normalize = (links: { recording_id: string; lead_id: string }[], t: { janeId: string; rajId: string }) =>
      links.map((l) => `${l.recording_id}:${l.lead_id === t.janeId ? "jane" : l.lead_id === t.rajId ? "raj" : "?"}`);
    assert.deepEqual(
      normalize(await linksOf(crashy.teamId), crashy),
      normalize(await linksOf(clean.teamId), clean),
    );
    assert.equal(row.linked_count, (await linksOf(crashy.teamId)).length);
    const [events] = await sql`select count(*)::int as n from public.integration_events
                                where team_id = ${crashy.teamId} and type = 'fathom.meeting.imported'`;
    assert.equal(events.n, 35, "one imported event per meeting, however often it was imported");
  } finally {
    await dropTeam(clean.teamId);
    await dropTeam(crashy.teamId);
    await fathom.close();
  }
});

test("backfill: with the rate window at 5 calls per second the pacer waits, never hits a 429, and finishes", async () => {
  const fathom = startSandbox({ demoMeetings: false, rateLimit: { limit: 5, windowMs: 1000 } });
  fathom.sandbox.generateMeetings({ userEmail: SANDY, count: 12 });
  fathom.sandbox.finishSummaries(); // these tests are about the import's mechanics: every summary is ready
  const t = await connectedTeam(fathom.base);
  try {
    await sql`update public.team_integrations set webhook_id = 'already-registered' where id = ${t.integrationId}`;
    fathom.sandbox.clearRequests();
    await startSync(admin, t.teamId);
    const began = Date.now();
    assert.equal((await driveSync(t.integrationId, { reschedule: false })).state, "done");
    const elapsed = Date.now() - began;
    const row = await syncRow(t.integrationId);
    assert.deepEqual([row.status, row.listed_count, row.content_done, row.content_failed], ["completed", 12, 12, 0]);

    const calls = fathom.requests(/^\/external\/v1\/(meetings|recordings)/);
    assert.equal(calls.length, 2 + 1 + 24, "two pages, the final sweep, two calls per meeting");
    assert.equal(calls.filter((c) => c.status === 429).length, 0, "pacing works: no 429");
    // 27 calls at 5 per fixed window need at least 6 windows, so the pacer must have waited 5 times; how close it
    // runs to the limit is measured in bench/import, not asserted here (no timed assertions)
    assert.ok(elapsed >= 4000, `paced: ${elapsed} ms`);
    // utilisation: the sandbox's windows are fixed and start at the first call after the previous one ended
    const times = calls.map((c) => Date.parse(c.time));
    const windows: number[] = [];
    let start = -Infinity;
    for (const time of times) {
      if (time >= start + 1000) {
        start = time;
        windows.push(0);
      }
      windows[windows.length - 1]++;
    }
    const full = windows.slice(0, -1);
    const utilisation = full.reduce((a, b) => a + b, 0) / (5 * full.length);
    console.log(`27 calls at 5/s in ${elapsed} ms; calls per window ${windows.join(",")}; utilisation ${utilisation}`);
    assert.ok(utilisation >= 0.95);
  } finally {
    await dropTeam(t.teamId);
    await fathom.close();
  }
});

test("backfill: a 429 is waited out and retried; a wait beyond the step budget pauses the sync until Reset", async () => {
  const fathom = startSandbox({ demoMeetings: false, rateLimit: { limit: 5, windowMs: 2000 } });
  fathom.sandbox.generateMeetings({ userEmail: SANDY, count: 3 });
  fathom.sandbox.finishSummaries(); // these tests are about the import's mechanics: every summary is ready
  const t = await connectedTeam(fathom.base);
  try {
    await sql`update public.team_integrations set webhook_id = 'already-registered' where id = ${t.integrationId}`;
    await startSync(admin, t.teamId);
    fathom.sandbox.setFailure({ target: "api", mode: "rate_limited", times: 1 }); // a 429 out of the blue
    const step = await runSyncStep(t.integrationId, { budgetMs: 300 });
    assert.equal(step.state, "paused");
    let row = await syncRow(t.integrationId);
    assert.equal(row.status, "paused_rate_limited");
    assert.ok(row.resume_after.getTime() > Date.now(), "resume_after = RateLimit-Reset");
    const early = await runSyncStep(t.integrationId, { budgetMs: 300 });
    assert.deepEqual(early, { state: "paused", resumeAfter: row.resume_after.getTime() }, "not before resume_after");

    assert.equal((await driveSync(t.integrationId, { reschedule: false })).state, "done");
    row = await syncRow(t.integrationId);
    assert.deepEqual([row.status, row.content_done, row.content_failed], ["completed", 3, 0]);
    const limited = fathom.requests(/^\/external\/v1\//).filter((c) => c.status === 429);
    assert.equal(limited.length, 1, "only the injected one");
  } finally {
    await dropTeam(t.teamId);
    await fathom.close();
    await closeAll();
  }
});

test("backfill: a later import lists only what is new (with action items); full re-lists all; failed content retries", async () => {
  const fathom = startSandbox({ demoMeetings: false, rateLimit: { limit: 1000, windowMs: 60_000 } });
  fathom.sandbox.generateMeetings({ userEmail: SANDY, count: 12 }); // recorded hours to days ago
  fathom.sandbox.finishSummaries(); // these tests are about the import's mechanics: every summary is ready
  const t = await connectedTeam(fathom.base);
  const listQueries = () =>
    (fathom.requests("/external/v1/meetings") as unknown as { query: Record<string, string> }[]).map((r) => r.query);
  try {
    const first = await startSyncFor(t.integrationId);
    assert.equal(first.list_created_after, null, "the first import lists the whole history");
    assert.equal((await driveSync(t.integrationId, { reschedule: false })).state, "done");
    assert.equal((await syncRow(t.integrationId)).listed_count, 12);
    assert.ok(listQueries().every((q) => q.include_action_items === "true"));
    const firstStart = (await syncRow(t.integrationId)).started_at as Date;
    assert.deepEqual(
      listQueries().map((q) => q.created_after),
      [undefined, undefined, new Date(firstStart.getTime() - 3_600_000).toISOString()],
      "the whole history (two pages), then the final sweep: created since this import began, with an hour's overlap",
    );
    const [withItems] = await sql`select count(*)::int as n from public.meetings
                                   where team_id = ${t.teamId} and jsonb_array_length(action_items) > 0`;
    assert.ok(withItems.n > 0, "backfilled meetings carry their action items");

    // two recordings the webhook never delivered, and one meeting whose content had failed
    await fathom.sandbox.addRecording({ userEmail: SANDY, invitees: [JANE], deliver: false });
    await fathom.sandbox.addRecording({
      userEmail: SANDY,
      invitees: [{ name: "Nobody Known", email: "nobody@elsewhere.example" }],
      deliver: false,
    });
    const [failed] = await sql`update public.meetings set content_status = 'failed', content_attempts = 3,
                                  transcript = null
                                where id = (select id from public.meetings where team_id = ${t.teamId}
                                             order by provider_meeting_id::bigint limit 1)
                               returning provider_meeting_id as recording_id`;
    const previousStart = (await syncRow(t.integrationId)).started_at as Date;
    fathom.sandbox.clearRequests();

    const second = await startSyncFor(t.integrationId);
    assert.equal(
      new Date(second.list_created_after!).getTime(),
      previousStart.getTime() - 3_600_000,
      "created since the previous import began, with an hour's overlap",
    );
    assert.equal((await driveSync(t.integrationId, { reschedule: false })).state, "done");
    let row = await syncRow(t.integrationId);
    assert.deepEqual([row.status, row.listed_count, row.linked_count], ["completed", 2, 1]);
    assert.deepEqual(listQueries().map((q) => q.created_after), [
      new Date(second.list_created_after!).toISOString(),
      new Date((row.started_at as Date).getTime() - 3_600_000).toISOString(),
    ]);
    assert.equal((await meetingsOf(t.teamId)).length, 14);
    const [retried] = await sql`select content_status from public.meetings
                                 where team_id = ${t.teamId} and provider_meeting_id = ${failed.recording_id}`;
    assert.equal(retried.content_status, "complete", "a new import gives failed content another chance");
    assert.ok((await meetingsOf(t.teamId)).every((m) => m.content_status === "complete"));

    fathom.sandbox.clearRequests();
    const full = await startSyncFor(t.integrationId, { full: true });
    assert.equal(full.list_created_after, null);
    assert.equal((await driveSync(t.integrationId, { reschedule: false })).state, "done");
    row = await syncRow(t.integrationId);
    assert.deepEqual([row.status, row.listed_count], ["completed", 14]);
    assert.equal((await meetingsOf(t.teamId)).length, 14, "re-listing stores nothing twice");
    assert.equal(fathom.requests(/\/transcript$/).length, 0, "complete content is not fetched again");
  } finally {
    await dropTeam(t.teamId);
    await fathom.close();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// an unstable listing (issue 7, item 10)

/**
 * Until the sandbox has `cursorMode: "page"`: GET /meetings with page-number cursors (`{"page_num": n}`, as in
 * Fathom's docs) in front of the sandbox's keyset listing. Every request reads the CURRENT list from the top and
 * returns the n-th slice of 10, so a meeting recorded meanwhile shifts the pages: the item at a page boundary is read
 * twice and the new meeting, at the top, is never reached.
 */
function withPageNumberListing(fathom: { sandbox: { handler(req: Request): Promise<Response> } }) {
  const keyset = fathom.sandbox.handler.bind(fathom.sandbox);
  fathom.sandbox.handler = async (req: Request) => {
    const url = new URL(req.url);
    if (req.method !== "GET" || url.pathname !== "/external/v1/meetings") return await keyset(req);
    const given = url.searchParams.get("cursor");
    const pageNum: number = given ? JSON.parse(atob(given)).page_num : 1;
    const items: unknown[] = [];
    let cursor: string | null = null;
    let last: Response;
    do {
      const inner = new URL(url);
      if (cursor) inner.searchParams.set("cursor", cursor);
      else inner.searchParams.delete("cursor");
      last = await keyset(new Request(inner, { headers: req.headers }));
      if (!last.ok) return last;
      const body = await last.json();
      items.push(...body.items);
      cursor = body.next_cursor;
    } while (cursor && items.length <= pageNum * 10);
    const more = items.length > pageNum * 10 || cursor !== null;
    return Response.json(
      {
        items: items.slice((pageNum - 1) * 10, pageNum * 10),
        limit: 10,
        next_cursor: more ? btoa(JSON.stringify({ page_num: pageNum + 1 })) : null,
      },
      { headers: [...last.headers].filter(([name]) => name.toLowerCase().startsWith("ratelimit")) },
    );
  };
}

for (const mode of ["keyset", "page"] as const) {
  test(`backfill (${mode} cursors): a meeting recorded while the list pass runs is imported, exactly once`, async () => {
    const fathom = startSandbox({
      demoMeetings: false,
      rateLimit: { limit: 1000, windowMs: 60_000 },
      cursorMode: mode, // the sandbox's own modes, once it has them (FATHOM_SANDBOX_CURSOR_MODE)
    });
    const native = fathom.sandbox.options.cursorMode === mode;
    if (!native && mode === "page") withPageNumberListing(fathom);
    fathom.sandbox.generateMeetings({ userEmail: SANDY, count: 25 }); // recorded hours to days ago: 3 pages
    fathom.sandbox.finishSummaries(); // these tests are about the import's mechanics: every summary is ready
    const t = await connectedTeam(fathom.base);
    try {
      await sql`update public.team_integrations set webhook_id = 'already-registered' where id = ${t.integrationId}`;
      await startSync(admin, t.teamId);
      let recorded: number | null = null;
      let pages = 0;
      const step = await runSyncStep(t.integrationId, {
        budgetMs: 60_000,
        afterCheckpoint: async (stage) => {
          // between the first and the second page of the list pass (the second is already asked for: prefetch)
          if (stage === "list" && ++pages === 1) {
            recorded = (await fathom.sandbox.addRecording({ userEmail: SANDY, invitees: [JANE], deliver: false }))
              .recording_id;
          }
        },
      });
      assert.equal(step.state, "done");
      assert.ok(recorded !== null);
      const row = await syncRow(t.integrationId);
      assert.deepEqual(
        [row.status, row.listed_count, row.content_total, row.content_done, row.content_failed],
        ["completed", 26, 26, 26, 0],
        "listed_count counts distinct meetings, however often a shifting listing shows one",
      );
      const meetings = await meetingsOf(t.teamId);
      assert.equal(meetings.length, 26);
      assert.equal(meetings.filter((m) => m.recording_id === String(recorded)).length, 1);
      assert.ok(meetings.every((m) => m.content_status === "complete"));
      assert.ok(
        (await linksOf(t.teamId)).some((l) => l.recording_id === String(recorded) && l.lead_id === t.janeId),
        "the late meeting is linked to Jane",
      );
      const [events] = await sql`select count(*)::int as n from public.integration_events
                                  where team_id = ${t.teamId} and type = 'fathom.meeting.imported'
                                    and subject_id = (select id::text from public.meetings
                                                       where team_id = ${t.teamId} and provider_meeting_id = ${String(recorded)})`;
      assert.equal(events.n, 1, "one imported event for the late meeting");
      const [listed] = await sql`select count(*)::int as n from public.integration_sync_listed
                                  where integration_id = ${t.integrationId}`;
      assert.equal(listed.n, 0, "the listed ids are dropped once the listing ended");
    } finally {
      await dropTeam(t.teamId);
      await fathom.close();
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// the database goes away (issue 7, item 13)

const onPostgres = Deno.env.get("TEST_DB_KIND") === "postgres";

/**
 * Makes the step's NEXT database query lose its connection. On PostgreSQL for real: a second connection locks
 * public.meetings, the step's next query (the next pending meeting) waits for that lock, and its backend is
 * terminated (pg_terminate_backend: SQLSTATE 57P01, as on a restart or a failover); then the lock is dropped.
 * PGlite serves one connection and cannot terminate it: there the hook throws the error postgres.js raises when
 * the socket closes (CONNECTION_CLOSED).
 */
async function dropTheStepsConnection(): Promise<{ killed: Promise<void> } | never> {
  if (!onPostgres) {
    throw Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:54322"), { code: "CONNECTION_CLOSED", errno: "CONNECTION_CLOSED" });
  }
  const locker = await sql.reserve();
  await locker`begin`;
  await locker`lock table public.meetings in access exclusive mode`;
  const killed = (async () => {
    try {
      for (;;) {
        const waiting = await sql<{ pid: number }[]>`
          select pid from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`;
        if (waiting.length > 0) {
          await sql`select pg_terminate_backend(${waiting[0].pid})`;
          return;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await locker`rollback`;
      locker.release();
    }
  })();
  return { killed };
}

test(`backfill: a dropped database connection in the content pass is retried, then resumed by fathom-sync, and completes (${
  onPostgres ? "PostgreSQL: backend terminated" : "PGlite: connection error simulated"
})`, async () => {
  const fathom = startSandbox({ demoMeetings: false, rateLimit: { limit: 1000, windowMs: 60_000 } });
  fathom.sandbox.generateMeetings({ userEmail: SANDY, count: 6 });
  fathom.sandbox.finishSummaries(); // these tests are about the import's mechanics: every summary is ready
  const t = await connectedTeam(fathom.base);
  try {
    await sql`update public.team_integrations set webhook_id = 'already-registered' where id = ${t.integrationId}`;
    await startSync(admin, t.teamId);
    const kills: Promise<void>[] = [];
    const dropAfterContentItem = (n: number, before?: () => Promise<unknown>) => {
      let items = 0;
      return async (stage: "list" | "content") => {
        if (stage !== "content" || ++items !== n) return;
        await before?.();
        const { killed } = await dropTheStepsConnection();
        kills.push(killed);
      };
    };

    // 1. killed after two meetings' content: a transient failure, retried after a backoff; the UI sees it running
    const first = await runSyncStep(t.integrationId, { budgetMs: 60_000, afterCheckpoint: dropAfterContentItem(2) });
    await Promise.all(kills);
    assert.equal(first.state, "retry", "a dropped connection is transient, not a failure for good");
    let row = await syncRow(t.integrationId);
    assert.deepEqual(
      [row.status, row.stage, row.content_done, row.last_error, row.failure_count, row.locked_until],
      ["running", "content", 2, "database_unavailable", 1, null],
    );
    assert.ok(row.resume_after > new Date(), "backoff");

    // 2. the retry limit: the MAX_STEP_FAILURES-th failure in a row marks it failed, to be resumed in 5 minutes
    await sql`update public.integration_syncs set resume_after = now() - interval '1 second'
               where integration_id = ${t.integrationId}`;
    const second = await runSyncStep(t.integrationId, {
      budgetMs: 60_000,
      afterCheckpoint: dropAfterContentItem(1, () =>
        // as if the steps since had failed the same way (each checkpoint resets the count)
        sql`update public.integration_syncs set failure_count = ${MAX_STEP_FAILURES - 1}
             where integration_id = ${t.integrationId}`),
    });
    await Promise.all(kills);
    assert.deepEqual(second, { state: "failed", error: "database_unavailable" });
    row = await syncRow(t.integrationId);
    assert.deepEqual([row.status, row.content_done, row.last_error], ["failed", 3, "database_unavailable"]);
    const wait = row.resume_after.getTime() - row.last_error_at.getTime();
    assert.equal(Math.round(wait / 1000), AUTO_RESUME_BASE_SECONDS, "fathom-sync resumes it 5 minutes later");

    // what the UI reads meanwhile: failed, with the error and when it resumes
    const read = await (await api(request(`/api/teams/${t.teamId}/integrations/fathom/sync`, {
      token: await jwtFor(ADMIN),
    }))).json();
    assert.deepEqual([read.sync.status, read.sync.last_error], ["failed", "database_unavailable"]);
    assert.ok(read.sync.resume_after);
    assert.ok(!(await dueSyncs()).includes(t.integrationId), "not before resume_after");
    assert.equal((await syncRow(t.integrationId)).status, "failed");

    // 3. five minutes later the every-minute fathom-sync takes it: running again, then completed
    await sql`update public.integration_syncs set resume_after = now() - interval '1 second'
               where integration_id = ${t.integrationId}`;
    assert.ok((await dueSyncs()).includes(t.integrationId));
    row = await syncRow(t.integrationId);
    assert.deepEqual([row.status, row.auto_resumes, row.failure_count, row.resume_after], ["running", 1, 0, null]);
    assert.equal((await driveSync(t.integrationId, { reschedule: false })).state, "done");
    row = await syncRow(t.integrationId);
    assert.deepEqual(
      [row.status, row.content_done, row.content_failed, row.last_error, row.auto_resumes],
      ["completed", 6, 0, null, 0],
    );
    assert.ok((await meetingsOf(t.teamId)).every((m) => m.content_status === "complete"));
  } finally {
    await dropTeam(t.teamId);
    await fathom.close();
  }
});

test("backfill: a summary Fathom has not finished leaves the meeting pending, paused, then the sweep completes it", async () => {
  const fathom = startSandbox({ demoMeetings: false, rateLimit: { limit: 1000, windowMs: 60_000 } });
  fathom.sandbox.generateMeetings({ userEmail: SANDY, count: 40 }); // the sandbox leaves about 1 in 20 unfinished
  const t = await connectedTeam(fathom.base);
  try {
    await sql`update public.team_integrations set webhook_id = 'already-registered' where id = ${t.integrationId}`;
    await startSync(admin, t.teamId);
    assert.equal((await driveSync(t.integrationId, { reschedule: false })).state, "done");
    const waiting = await sql`select provider_meeting_id::int as id, content_status, content_last_error, summary_markdown,
                                     transcript is not null as has_transcript, content_retry_after > now() as paused
                                from public.meetings where team_id = ${t.teamId} and content_status <> 'complete'`;
    assert.ok(waiting.length > 0, "the sandbox has unfinished summaries among 40 meetings");
    for (const m of waiting) {
      assert.deepEqual([m.content_status, m.content_last_error, m.summary_markdown, m.has_transcript, m.paused],
        ["pending", "summary_not_ready", null, true, true], `meeting ${m.id}`);
    }
    const row = await syncRow(t.integrationId);
    assert.deepEqual([row.status, row.content_done + waiting.length], ["completed", 40]);

    // Fathom finishes them; once the pause has passed, the every-minute sweep asks for the summary only
    fathom.sandbox.finishSummaries();
    fathom.sandbox.clearRequests();
    await sql`update public.meetings set content_retry_after = now() - interval '1 second',
                                         imported_at = now() - interval '2 minutes' where team_id = ${t.teamId}`;
    const counts = await processDueContent(100);
    assert.equal(counts.stored, waiting.length);
    const left = await sql`select count(*)::int as n from public.meetings
                            where team_id = ${t.teamId} and content_status <> 'complete'`;
    assert.equal(left[0].n, 0);
    const calls = fathom.requests(/^\/external\/v1\/recordings/).map((r) => r.path);
    assert.ok(calls.length === waiting.length && calls.every((p) => p.endsWith("/summary")), calls.join(" "));
    // the action items come with the summary: found by listing each meeting at its own created_at
    const items = await sql`select provider_meeting_id::int as id, jsonb_array_length(action_items) as n from public.meetings
                             where team_id = ${t.teamId} and provider_meeting_id::int = any(${waiting.map((m) => m.id)}::int[])`;
    assert.ok(items.every((m) => m.n > 0), JSON.stringify(items));
    assert.equal(fathom.requests(/^\/external\/v1\/meetings$/).length, waiting.length, "one windowed listing each");
  } finally {
    await dropTeam(t.teamId);
    await fathom.close();
  }
});
