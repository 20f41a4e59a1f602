// Fathom data as it really arrives (issue 7, items 1-3): explicit null sections, values PostgreSQL cannot store,
// odd shapes. wire.ts's rules one by one, then a whole import against a fake Fathom that answers like the recorded
// real response (fathom-api.md §3.4): every item is stored but the one without a recording_id, which is skipped
// with an event, and the content pass fetches what the list left null.
import assert from "node:assert/strict";
import { driveSync, startSyncFor } from "../_shared/fathom/backfill.ts";
import { cleanDate, cleanOffset, cleanText, cleanUrl, meetingSchema, parseMeetings } from "../_shared/fathom/wire.ts";
import { importMeetings } from "../_shared/fathom/import.ts";
import { listMeetings as listStoredMeetings } from "../api/routes/meetings_store.ts";
import { asService } from "../_shared/db.ts";
import { closeAll, sql, test, withEnv } from "./helpers.ts";
import { connectFathom, createTeam, dropTeam, JANE, SANDY } from "./fathom_support.ts";

test("wire: text loses NUL, lone surrogates become U+FFFD, non-strings become null or their string", async () => {
  assert.equal(cleanText("a\u0000b"), "ab");
  assert.equal(cleanText("x\ud800y"), "x\ufffdy");
  assert.equal(cleanText("\udfff"), "\ufffd");
  assert.equal(cleanText("😀"), "😀", "a proper pair is kept");
  assert.equal(cleanText("ab😀", 3), "ab\ufffd", "a cap never leaves half a pair");
  assert.equal(cleanText(42), "42");
  assert.equal(cleanText({ a: 1 }), null);
  assert.equal(cleanText(null), null);
  assert.equal(cleanText(Number.NaN), null);
});

test("wire: dates PostgreSQL cannot hold, or no meeting can have, are null", async () => {
  assert.equal(cleanDate("2025-03-01T16:01:12Z"), "2025-03-01T16:01:12.000Z");
  for (const bad of ["0000-01-01T00:00:00Z", "+275760-09-13T00:00:00Z", "-000001-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
    "10000-01-01T00:00:00Z", "2026-13-45T99:00:00Z", "", "yesterday", 1700000000]) {
    assert.equal(cleanDate(bad), null, String(bad));
  }
});

test("wire: offsets are HH:MM:SS whatever arrives; links are http(s) only", async () => {
  assert.equal(cleanOffset("00:10:45"), "00:10:45");
  assert.equal(cleanOffset("1:02"), "00:01:02");
  assert.equal(cleanOffset(645), "00:10:45");
  assert.equal(cleanOffset("645"), "00:10:45");
  assert.equal(cleanOffset({}), null);
  assert.equal(cleanOffset(-1), null);
  assert.equal(cleanUrl("https://fathom.video/calls/1#t=645"), "https://fathom.video/calls/1#t=645");
  assert.equal(cleanUrl("javascript:alert(1)"), null);
  assert.equal(cleanUrl("/relative"), null);
});

test("wire: only a non-null, well-formed section is content; odd shapes become the rendered ones", async () => {
  const listed = meetingSchema.parse({ recording_id: 1, transcript: null, crm_matches: null });
  assert.deepEqual([listed.transcript, listed.default_summary, listed.action_items], [null, null, null]);
  const odd = meetingSchema.parse({
    recording_id: "2",
    transcript: [{ speaker: null, text: null, timestamp: 42 }, { speaker: { display_name: 7 }, text: "Hi", timestamp: 3 }, 5],
    default_summary: { template_name: "general", markdown_formatted: null },
    action_items: [{ description: { text: "Send it" }, recording_timestamp: 760, completed: "yes" }, { description: {} }],
    calendar_invitees: "nobody",
    recorded_by: "someone",
  });
  assert.deepEqual(odd.transcript, [
    { speaker: { display_name: "7", matched_calendar_invitee_email: null }, text: "Hi", timestamp: "00:00:03" },
  ]);
  assert.equal(odd.default_summary, null, "a summary without its markdown is not content");
  assert.deepEqual(odd.action_items, [{
    description: "Send it", user_generated: false, completed: false, recording_timestamp: "00:12:40",
    recording_playback_url: null, assignee: null,
  }]);
  assert.deepEqual([odd.calendar_invitees, odd.recorded_by], [[], null]);
  const { items, skipped } = parseMeetings([{ recording_id: 3 }, { recording_id: "x" }, null, { recording_id: 2 ** 60 }]);
  assert.deepEqual(items.map((m) => m.recording_id), [3]);
  assert.deepEqual(skipped.map((s) => s.recording_id), [null, null, null]);
});

// ---------------------------------------------------------------------------------------------------------------

/** A page like the recorded real one: unrequested sections null or absent, and every kind of bad value. */
function listItems() {
  const base = (id: number, extra: Record<string, unknown> = {}) => ({
    title: `Call ${id}`,
    meeting_title: null,
    recording_id: id,
    url: `https://fathom.video/calls/${id}`,
    share_url: `https://fathom.video/share/${id}`,
    created_at: "2026-02-01T10:30:00Z",
    scheduled_start_time: "2026-02-01T10:00:00Z",
    scheduled_end_time: "2026-02-01T10:30:00Z",
    recording_start_time: `2026-02-01T10:${String(id % 60).padStart(2, "0")}:00Z`,
    recording_end_time: "2026-02-01T10:29:00Z",
    calendar_invitees_domains_type: "one_or_more_external",
    transcript_language: "en",
    calendar_invitees: [{ name: "Jane Doe", email: JANE.email, email_domain: "acme.example", is_external: true }],
    recorded_by: { name: "Sandy", email: SANDY, email_domain: "sandbox.fathom.test", team: null },
    transcript: null,
    crm_matches: null,
    ...extra,
  });
  return [
    base(101),
    base(102, { title: "NUL\u0000 in title" }),
    base(103, { title: "lone \ud800 surrogate" }),
    base(104, { recording_start_time: "0000-01-01T00:00:00Z" }),
    base(105, { scheduled_start_time: "+275760-09-13T00:00:00Z" }),
    base(106, { action_items: [{ description: { text: "odd" }, recording_timestamp: 640 }] }),
    base(107, { calendar_invitees: null, recorded_by: null }),
    base(108, { default_summary: null, action_items: null }),
    { ...base(0), recording_id: "not-a-number" },
    base(110),
  ];
}

/** A fake Fathom: one page of list items, and content for every recording. */
function fakeFathom() {
  const calls: string[] = [];
  const controller = new AbortController();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} }, (req) => {
    const url = new URL(req.url);
    calls.push(url.pathname);
    const headers = { "ratelimit-limit": "60", "ratelimit-remaining": "59", "ratelimit-reset": "60" };
    // JSON text with the escapes a real response carries (JSON.stringify would turn \u0000 back into an escape
    // anyway; the lone surrogate is written as an escape too)
    if (url.pathname.endsWith("/meetings")) {
      return new Response(JSON.stringify({ items: listItems(), limit: 10, next_cursor: null }), { headers });
    }
    const transcript = /\/recordings\/(\d+)\/transcript$/.exec(url.pathname);
    if (transcript) {
      return Response.json({ transcript: [{ speaker: { display_name: "Jane Doe" }, text: `Line of ${transcript[1]}`,
                                            timestamp: "00:00:05" }] }, { headers });
    }
    if (/\/recordings\/\d+\/summary$/.test(url.pathname)) {
      return Response.json({ summary: { template_name: "general", markdown_formatted: "## Summary" } }, { headers });
    }
    return new Response("not found", { status: 404, headers });
  });
  return {
    base: `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`,
    calls,
    async close() {
      controller.abort();
      await server.finished;
    },
  };
}

test("import: null sections are fetched by the content pass; bad values are cleaned; one bad item is skipped", async () => {
  const fathom = fakeFathom();
  const team = await createTeam();
  try {
    const integrationId = await connectFathom(team.teamId, { access_token: "fake", refresh_token: "fake" });
    await sql`update public.team_integrations set webhook_id = 'already-registered' where id = ${integrationId}`;
    await withEnv({ FATHOM_API_BASE_URL: `${fathom.base}/external/v1` }, async () => {
      await startSyncFor(integrationId);
      const result = await driveSync(integrationId, { reschedule: false });
      assert.equal(result.state, "done");
    });
    const meetings = await sql`select provider_meeting_id::int as id, title, recording_start_time, scheduled_start_time,
                                      content_status, summary_markdown, jsonb_array_length(transcript) as lines,
                                      action_items
                                 from public.meetings where team_id = ${team.teamId} order by provider_meeting_id::bigint`;
    assert.deepEqual(meetings.map((m) => m.id), [101, 102, 103, 104, 105, 106, 107, 108, 110]);
    assert.ok(meetings.every((m) => m.content_status === "complete" && m.summary_markdown === "## Summary" && m.lines === 1),
      "the list's null sections were not taken for content: the content pass fetched them");
    const byId = new Map(meetings.map((m) => [m.id, m]));
    assert.equal(byId.get(102)!.title, "NUL in title");
    assert.equal(byId.get(103)!.title, "lone \ufffd surrogate");
    assert.equal(byId.get(104)!.recording_start_time, null);
    assert.equal(byId.get(105)!.scheduled_start_time, null);
    assert.deepEqual(byId.get(106)!.action_items.map((a: { description: string; recording_timestamp: string }) =>
      [a.description, a.recording_timestamp]), [["odd", "00:10:40"]]);
    const [skipped] = await sql`select payload from public.integration_events
                                 where team_id = ${team.teamId} and type = 'fathom.meeting.skipped'`;
    assert.deepEqual(skipped.payload, { recording_id: null, reason: "recording_id missing or invalid", source: "backfill" });
    const links = await sql`select count(*)::int as n from public.meeting_leads where lead_id = ${team.janeId}`;
    assert.equal(links[0].n, 8, "every meeting with Jane among its invitees is on her page");
    assert.equal(fathom.calls.filter((p) => p.includes("/recordings/")).length, 18, "two content calls per meeting");
  } finally {
    await dropTeam(team.teamId);
    await fathom.close();
    await closeAll();
  }
});

test("import: a page is stored in a few statements; a recording listed twice in it is stored once, the later copy wins", async () => {
  const team = await createTeam();
  try {
    const integrationId = await connectFathom(team.teamId, { access_token: "fake", refresh_token: "fake" });
    const page = parseMeetings(listItems().slice(0, 8)).items;
    const again = { ...page[0], title: "Call 101, renamed" };
    const results = await asService((tx) =>
      importMeetings(tx, { teamId: team.teamId, integrationId, meetings: [...page, again], source: "backfill" })
    );
    assert.equal(results.length, 9);
    assert.equal(results[0].meetingId, results[8].meetingId);
    const rows = await sql`select title from public.meetings where team_id = ${team.teamId} and provider_meeting_id = '101'`;
    assert.deepEqual(rows.map((r) => r.title), ["Call 101, renamed"]);
    assert.equal(results.filter((r) => r.linkedLeadIds.includes(team.janeId)).length, 8, "jane on each, 107 excepted");
    const [events] = await sql`select count(*)::int as n from public.integration_events
                                where team_id = ${team.teamId} and type = 'fathom.meeting.linked_to_lead'`;
    assert.equal(events.n, 7, "one link event per meeting linked");
  } finally {
    await dropTeam(team.teamId);
  }
});

test("import: a title the database cannot index (1000 CJK characters) is cut to fit; a refused meeting never fails the page", async () => {
  const team = await createTeam();
  try {
    const integrationId = await connectFathom(team.teamId, { access_token: "fake", refresh_token: "fake" });
    const cjk = "會議".repeat(500);
    const page = parseMeetings([
      { recording_id: 301, title: cjk, meeting_title: cjk },
      { recording_id: 302, title: "Fine" },
    ]).items;
    assert.equal(page[0].title!.length, 500, "wire.ts keeps what a btree entry can hold");
    const results = await asService((tx) =>
      importMeetings(tx, { teamId: team.teamId, integrationId, meetings: page, source: "backfill" })
    );
    assert.equal(results.length, 2);
    const rows = await sql`select provider_meeting_id::int as id, char_length(title) as n, octet_length(title) as bytes
                             from public.meetings where team_id = ${team.teamId} order by 1`;
    assert.deepEqual(rows.map((r) => [r.id, r.n]), [[301, 500], [302, 4]]);
    assert.ok(rows[0].bytes <= 2704);
  } finally {
    await dropTeam(team.teamId);
  }
});

test("import: a meeting the database refuses anyway is skipped with its reason; the rest of the batch is stored", async () => {
  const fathom = fakeFathom();
  const team = await createTeam();
  try {
    const integrationId = await connectFathom(team.teamId, { access_token: "fake", refresh_token: "fake" });
    await sql`update public.team_integrations set webhook_id = 'already-registered' where id = ${integrationId}`;
    // a rule the wire cleaning does not know about: the database refuses recording 105 (as it would any value it
    // cannot hold: class 22, 23 or 54)
    await sql.unsafe(`alter table public.meetings add constraint test_refuse_105
                        check (team_id <> '${team.teamId}' or provider_meeting_id <> '105')`);
    try {
      await withEnv({ FATHOM_API_BASE_URL: `${fathom.base}/external/v1` }, async () => {
        await startSyncFor(integrationId);
        assert.equal((await driveSync(integrationId, { reschedule: false })).state, "done");
      });
    } finally {
      await sql`alter table public.meetings drop constraint test_refuse_105`;
    }
    const ids = await sql`select provider_meeting_id::int as id from public.meetings where team_id = ${team.teamId} order by 1`;
    assert.deepEqual(ids.map((r) => r.id), [101, 102, 103, 104, 106, 107, 108, 110]);
    const skipped = await sql`select payload from public.integration_events
                               where team_id = ${team.teamId} and type = 'fathom.meeting.skipped' order by id`;
    const reasons = skipped.map((s) => s.payload.reason);
    assert.deepEqual([...new Set(reasons)], ["recording_id missing or invalid", "refused by the database (23514)"]);
    assert.equal(reasons.filter((r) => r.startsWith("refused")).length, 1, "once, though the sweep listed it again");
  } finally {
    await dropTeam(team.teamId);
    await fathom.close();
  }
});

test("meetings API: rows stored before the cleaning are served clean (javascript: links, odd recorded_by and invitees)", async () => {
  const team = await createTeam();
  try {
    await sql`insert into public.meetings (team_id, provider_meeting_id, title, url, share_url, recorded_by, invitees, source)
              values (${team.teamId}, 909, 'Old row', 'javascript:alert(document.cookie)', 'javascript:alert(2)',
                      ${sql.json({ name: ["x"], email: { a: 1 } })}, ${sql.json([{ name: 5, email: "a@b.example" }, 7])},
                      'webhook')`;
    const meetings = await asService((tx) => listStoredMeetings(tx, team.teamId, { limit: 10 }));
    const [m] = meetings.meetings;
    assert.deepEqual([m.url, m.share_url], [null, null]);
    assert.deepEqual(m.recorded_by, { name: null, email: null, email_domain: null, team: null });
    assert.deepEqual(m.invitees, [{ name: "5", email: "a@b.example", email_domain: null, is_external: null,
                                    matched_speaker_display_name: null }]);
  } finally {
    await dropTeam(team.teamId);
  }
});
