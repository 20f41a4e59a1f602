// The `api` function's meeting routes against the real DB: 30 meetings (inserted as service_role, removed after)
// searched by title and attendee, filtered by lead, and paged with the opaque keyset cursor so that every meeting is
// visited exactly once, in order; one meeting with its content; admin / member / outsider / no JWT.
import assert from "node:assert/strict";
import { handler } from "../api/handler.ts";
import { ADMIN, callAs, closeAll, MEETING_SUMMARY_KEYS, MEMBER, OTHER_TEAM, OUTSIDER, resetDb, sql, TEAM, test } from "./helpers.ts";

const JANE = "c0000000-0000-4000-8000-000000000001";
const RAJ = "c0000000-0000-4000-8000-000000000002";
const COUNT = 30;
const id = (i: number) => `e0000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
const OTHER_TEAM_MEETING = "e0000000-0000-4000-8000-999999999999";

const call = (user: string | null, method: string, path: string) => callAs(handler, user, method, path);

/**
 * 30 meetings of the demo team. Sort keys on purpose: ten share one recording_start_time (the page boundary at 25
 * falls inside that tie), two differ by one microsecond, some have only a scheduled time, one only imported_at.
 * Every 3rd is a "Kickoff" ("ACME kickoff #i"); every 4th has Jane as an invitee; Jane is linked to every 4th and
 * Raj to every 5th. Meeting 1 has its content; meeting 2 is pending. One meeting belongs to the outsider's team.
 */
async function arrange() {
  await resetDb();
  await sql`delete from public.meetings where team_id in (${TEAM}, ${OTHER_TEAM})`;
  await sql.begin(async (tx) => {
    await tx`set local role service_role`;
    for (let i = 1; i <= COUNT; i++) {
      const title = i % 3 === 0 ? `ACME kickoff #${i}` : `Weekly sync #${i}`;
      const invitees = [
        { name: "Ada Admin", email: "demo-admin@example.com", is_external: false },
        ...(i % 4 === 0 ? [{ name: "Jane Doe", email: "Jane.Doe@acme.example", is_external: true }] : []),
        ...(i === 17 ? [{ name: "Zelda Zimmer", email: "zz@zimmer.example", is_external: true }] : []),
      ];
      let start: string | null = `2026-02-${String(i).padStart(2, "0")}T09:00:00Z`;
      let scheduled: string | null = null;
      if (i <= 10) start = "2026-01-15T09:00:00Z"; // the tie
      if (i === 11) start = "2026-01-20T09:00:00.000001Z";
      if (i === 12) start = "2026-01-20T09:00:00.000002Z";
      if (i === 13 || i === 14) [start, scheduled] = [null, `2026-01-${i + 5}T12:00:00Z`];
      if (i === 15) [start, scheduled] = [null, null]; // imported_at (now): the newest
      await tx`
        insert into public.meetings (id, team_id, provider_meeting_id, title, meeting_title, recording_start_time,
          scheduled_start_time, invitees, content_status, transcript, summary_markdown, action_items, language, source)
        values (${id(i)}, ${TEAM}, ${900000 + i}, ${title}, ${i === 16 ? "Quarterly Business Review" : null},
          ${start}, ${scheduled}, ${JSON.stringify(invitees)}::text::jsonb,
          ${i === 2 ? "pending" : "complete"},
          ${
        i === 1 ? JSON.stringify([{ speaker: { display_name: "Ada" }, text: "Hello", timestamp: "00:00:01" }]) : null
      }::text::jsonb,
          ${i === 1 ? "## Summary\nAll good." : null},
          ${i === 1 ? JSON.stringify([{ description: "Send the proposal" }]) : null}::text::jsonb,
          ${i === 1 ? "en" : null}, 'backfill')`;
      if (i % 4 === 0) {
        await tx`insert into public.meeting_leads (meeting_id, lead_id, team_id, matched_email)
                 values (${id(i)}, ${JANE}, ${TEAM}, 'jane.doe@acme.example')`;
      }
      if (i % 5 === 0) {
        await tx`insert into public.meeting_leads (meeting_id, lead_id, team_id) values (${id(i)}, ${RAJ}, ${TEAM})`;
      }
    }
    await tx`insert into public.meetings (id, team_id, provider_meeting_id, title, source)
             values (${OTHER_TEAM_MEETING}, ${OTHER_TEAM}, 900001, 'ACME kickoff elsewhere', 'webhook')`;
  });
}

/** The order the API promises, computed independently by the superuser. */
async function expectedOrder(where = sql``): Promise<string[]> {
  const rows = await sql`
    select id from public.meetings m where team_id = ${TEAM} ${where}
     order by coalesce(recording_start_time, scheduled_start_time, imported_at) desc, id desc`;
  return rows.map((r) => r.id);
}

async function allPages(user: string, query = ""): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = query ? "&" : "";
    const res = await call(
      user,
      "GET",
      `/api/teams/${TEAM}/meetings?${query}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    assert.equal(res.status, 200);
    assert.ok(res.body.meetings.length <= 25);
    ids.push(...res.body.meetings.map((m: { id: string }) => m.id));
    cursor = res.body.next_cursor;
    pages++;
    assert.ok(pages < 10, "runaway pagination");
  } while (cursor);
  return { ids, pages };
}

test("meetings list: admin and member get the newest 25 with a cursor; outsider 404; no JWT 401", async () => {
  await arrange();
  for (const user of [ADMIN, MEMBER]) {
    const res = await call(user, "GET", `/api/teams/${TEAM}/meetings`);
    assert.equal(res.status, 200);
    assert.equal(res.body.meetings.length, 25);
    assert.equal(typeof res.body.next_cursor, "string");
    assert.match(res.body.next_cursor, /^[A-Za-z0-9_-]+$/); // base64url, opaque
    const first = res.body.meetings[0];
    assert.equal(first.id, id(15)); // only imported_at (now): newest
    assert.deepEqual(Object.keys(first).sort(), MEETING_SUMMARY_KEYS);
    const m20 = res.body.meetings.find((m: { id: string }) => m.id === id(20));
    assert.equal(m20.provider, "fathom");
    assert.equal(m20.provider_meeting_id, "900020");
    assert.deepEqual(m20.leads, [{ id: JANE, name: "Jane Doe" }, { id: RAJ, name: "Raj Patel" }]);
  }
  const outsider = await call(OUTSIDER, "GET", `/api/teams/${TEAM}/meetings`);
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "team_not_found");
  assert.equal((await call(null, "GET", `/api/teams/${TEAM}/meetings`)).status, 401);
  // the outsider sees only their own team's meeting
  const own = await call(OUTSIDER, "GET", `/api/teams/${OTHER_TEAM}/meetings`);
  assert.deepEqual(own.body.meetings.map((m: { id: string }) => m.id), [OTHER_TEAM_MEETING]);
  assert.equal(own.body.next_cursor, null);
});

test("meetings list: following next_cursor visits every meeting exactly once, in order (ties, microseconds)", async () => {
  await arrange();
  const { ids, pages } = await allPages(MEMBER);
  assert.equal(pages, 2);
  assert.equal(ids.length, COUNT);
  assert.equal(new Set(ids).size, COUNT);
  assert.deepEqual(ids, await expectedOrder());
  assert.ok(!ids.includes(OTHER_TEAM_MEETING));
  // microsecond neighbours keep their order
  assert.ok(ids.indexOf(id(12)) < ids.indexOf(id(11)));
});

test("meetings list: q matches title / meeting_title / attendee name or e-mail, case-insensitively", async () => {
  await arrange();
  const kickoffs = await allPages(ADMIN, "q=kickOFF");
  assert.deepEqual(kickoffs.ids, await expectedOrder(sql`and title ilike '%kickoff%'`));
  assert.equal(kickoffs.ids.length, 10);
  assert.ok(!kickoffs.ids.includes(OTHER_TEAM_MEETING));
  const byEmail = await allPages(ADMIN, `q=${encodeURIComponent("JANE.DOE@ACME")}`);
  assert.deepEqual(byEmail.ids, await expectedOrder(sql`and id in ${sql([4, 8, 12, 16, 20, 24, 28].map(id))}`));
  const byName = await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings?q=zelda`);
  assert.deepEqual(byName.body.meetings.map((m: { id: string }) => m.id), [id(17)]);
  const byMeetingTitle = await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings?q=business%20review`);
  assert.deepEqual(byMeetingTitle.body.meetings.map((m: { id: string }) => m.id), [id(16)]);
  const none = await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings?q=${encodeURIComponent("%")}`);
  assert.deepEqual(none.body, { meetings: [], next_cursor: null });
});

test("meetings list: leadId keeps the lead's meetings; junk leadId or cursor is 400", async () => {
  await arrange();
  const raj = await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings?leadId=${RAJ}`);
  assert.equal(raj.status, 200);
  assert.deepEqual(
    raj.body.meetings.map((m: { id: string }) => m.id),
    await expectedOrder(sql`and id in ${sql([5, 10, 15, 20, 25, 30].map(id))}`),
  );
  assert.equal(raj.body.next_cursor, null);
  const janeKickoffs = await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings?leadId=${JANE}&q=kickoff`);
  assert.deepEqual(
    janeKickoffs.body.meetings.map((m: { id: string }) => m.id),
    await expectedOrder(sql`and id in ${sql([12, 24].map(id))}`),
  );
  const unknownLead = await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings?leadId=${crypto.randomUUID()}`);
  assert.deepEqual(unknownLead.body.meetings, []);
  for (const query of ["leadId=nope", "cursor=not-a-cursor", `cursor=${btoa('["x","y"]')}`]) {
    const res = await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings?${query}`);
    assert.equal(res.status, 400, query);
    assert.equal(res.body.error.code, "invalid_request");
    assert.match(res.body.error.message, /leadId|cursor/);
  }
});

test("meeting get: content, leads and the summary fields; other team's or unknown meeting 404; junk id 400", async () => {
  await arrange();
  await sql`insert into public.meeting_leads (meeting_id, lead_id, team_id) values (${id(1)}, ${JANE}, ${TEAM})`;
  for (const user of [ADMIN, MEMBER]) {
    const res = await call(user, "GET", `/api/teams/${TEAM}/meetings/${id(1)}`);
    assert.equal(res.status, 200);
    const { meeting } = res.body;
    assert.equal(meeting.id, id(1));
    assert.equal(meeting.provider, "fathom");
    assert.equal(meeting.provider_meeting_id, "900001");
    assert.equal(meeting.content_status, "complete");
    assert.equal(meeting.summary_markdown, "## Summary\nAll good.");
    // content reaches the app in the one shape it renders (wire.ts), whatever was stored
    assert.deepEqual(meeting.action_items, [{
      description: "Send the proposal", user_generated: false, completed: false, recording_timestamp: null,
      recording_playback_url: null, assignee: null, task: null, // no task made from it (api_tasks_test.ts)
    }]);
    assert.equal(meeting.transcript[0].text, "Hello");
    assert.equal(meeting.language, "en");
    assert.equal(meeting.source, "backfill");
    assert.ok(meeting.imported_at);
    assert.deepEqual(meeting.leads, [{ id: JANE, name: "Jane Doe" }]);
  }
  for (const meetingId of [OTHER_TEAM_MEETING, crypto.randomUUID()]) {
    const res = await call(ADMIN, "GET", `/api/teams/${TEAM}/meetings/${meetingId}`);
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "meeting_not_found");
  }
  const junk = await call(ADMIN, "GET", `/api/teams/${TEAM}/meetings/123`);
  assert.equal(junk.status, 400);
  assert.match(junk.body.error.message, /meetingId/);
  const outsider = await call(OUTSIDER, "GET", `/api/teams/${TEAM}/meetings/${id(1)}`);
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "team_not_found");
  assert.equal((await call(null, "GET", `/api/teams/${TEAM}/meetings/${id(1)}`)).status, 401);
});

test("meeting get: pending content that cannot be fetched now (no Fathom connection) still shows the meeting", async () => {
  await arrange();
  // the failed fetch is logged (and only tried for a pending meeting)
  const logged: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
  let res, complete;
  try {
    complete = await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings/${id(1)}`);
    assert.deepEqual(logged, []);
    res = await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings/${id(2)}`);
  } finally {
    console.error = original;
  }
  assert.equal(complete.status, 200);
  assert.equal(logged.length, 1);
  assert.match(logged[0], /fetch meeting content now/);
  assert.equal(res.status, 200);
  assert.equal(res.body.meeting.id, id(2));
  assert.equal(res.body.meeting.content_status, "pending");
  assert.equal(res.body.meeting.transcript, null);
});

test("meeting read: a Zoom transcript that has not come a day after the recording ended is reported unavailable", async () => {
  await arrange();
  const zoom = (n: number) => `e0000000-0000-4000-8000-77777777777${n}`;
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  await sql.begin(async (tx) => {
    await tx`set local role service_role`;
    const rows: [string, string, string, string | null][] = [
      // [id, provider, recording end, transcript]
      [zoom(1), "zoom", hoursAgo(25), null], // past the wait: no transcript from Zoom
      [zoom(2), "zoom", hoursAgo(2), null], // within the wait: still pending
      [zoom(3), "fathom", hoursAgo(72), null], // Fathom's content pass ends its own wait (marks failed)
    ];
    for (const [mid, provider, end, transcript] of rows) {
      await tx`insert into public.meetings (id, team_id, provider, provider_meeting_id, title, recording_start_time,
                 recording_end_time, content_status, transcript, source)
               values (${mid}, ${TEAM}, ${provider}, ${String(880000 + Number(mid.slice(-1)))}, ${"Quick sync " + mid.slice(-1)},
                 ${end}::timestamptz - interval '30 minutes', ${end}, 'pending', ${transcript}::jsonb, 'webhook')`;
    }
  });
  const status = async (mid: string) => {
    const res = await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings/${mid}`);
    assert.equal(res.status, 200);
    return [res.body.meeting.content_status, res.body.meeting.content_reason];
  };
  assert.deepEqual(await status(zoom(1)), ["unavailable", "no_transcript"]);
  assert.deepEqual(await status(zoom(2)), ["pending", null]);
  const listed = (await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings?q=Quick%20sync`)).body.meetings;
  const byId = new Map(listed.map((m: { id: string }) => [m.id, m]));
  assert.deepEqual(
    [zoom(1), zoom(2)].map((mid) => {
      const m = byId.get(mid) as { content_status: string; content_reason: string | null };
      return [m.content_status, m.content_reason];
    }),
    [["unavailable", "no_transcript"], ["pending", null]],
  );
  // a Fathom meeting is never ended by this rule (the fetch logs its failure: no Fathom connection here)
  const original = console.error;
  console.error = () => {};
  try {
    assert.deepEqual(await status(zoom(3)), ["pending", null]);
  } finally {
    console.error = original;
  }
  // the stored row stays pending: a late recording.transcript_completed still completes it
  const [stored] = await sql`select content_status from public.meetings where id = ${zoom(1)}`;
  assert.equal(stored.content_status, "pending");
  await sql`update public.meetings set content_status = 'complete',
              transcript = '[{"speaker":{"display_name":"Li"},"text":"Hi","timestamp":"00:00:01"}]'::jsonb
             where id = ${zoom(1)}`;
  assert.deepEqual(await status(zoom(1)), ["complete", null]);
});

test("meeting read: a recording deleted at the provider reads as unavailable with when, on the page and the list", async () => {
  await arrange();
  const mid = "e0000000-0000-4000-8000-777777777781";
  await sql.begin(async (tx) => {
    await tx`set local role service_role`;
    // as zoom/retention.ts leaves it: content failed, transcript and links gone, the deletion's time kept
    await tx`insert into public.meetings (id, team_id, provider, provider_meeting_id, title, content_status,
               content_last_error, provider_deleted_at, source)
             values (${mid}, ${TEAM}, 'zoom', 'DeletedUuid==', 'Deleted call', 'failed', 'deleted_at_provider',
               '2026-11-29T10:00:00Z', 'webhook')`;
  });
  const res = await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings/${mid}`);
  assert.equal(res.status, 200);
  const m = res.body.meeting;
  assert.deepEqual([m.content_status, m.content_reason, new Date(m.provider_deleted_at).toISOString()],
    ["unavailable", "deleted_at_provider", "2026-11-29T10:00:00.000Z"]);
  const listed = (await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings?q=Deleted%20call`)).body.meetings;
  assert.deepEqual(listed.map((x: { content_status: string; content_reason: string }) => [x.content_status, x.content_reason]),
    [["unavailable", "deleted_at_provider"]]);
  await sql`delete from public.meetings where id = ${mid}`;
});

test("cleanup: meeting tests leave the database as seeded", async () => {
  await sql`delete from public.meetings where team_id in (${TEAM}, ${OTHER_TEAM})`;
  await resetDb({ dropOtherTeam: true });
  await closeAll();
});
