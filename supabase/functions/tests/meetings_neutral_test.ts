// Provider-neutral meetings (issue 12): migration 20261204000300 keeps every Fathom meeting, link and task, keyed
// by (team_id, provider, provider_meeting_id); storeMeeting/storeMeetingContent (_shared/meetings/) store any
// provider's meeting with the lead matching, links and events Fathom's import had. Runs on PGlite and PostgreSQL.
import assert from "node:assert/strict";
import { asService } from "../_shared/db.ts";
import { type NeutralMeeting, storeMeeting, storeMeetingContent } from "../_shared/meetings/mod.ts";
import { fetchMeetingContentNow, processDueContent } from "../_shared/fathom/content.ts";
import { connectFathom, createTeam, dropTeam, JANE, RAJ, SANDY } from "./fathom_support.ts";
import { closeAll, sql, test } from "./helpers.ts";

const migration = await Deno.readTextFile(
  new URL("../../migrations/20261204000300_provider_neutral_meetings.sql", import.meta.url),
);

class Rollback extends Error {}

/** fn in one transaction that is always rolled back (the schema changes in it too). */
async function rolledBack(fn: (tx: typeof sql) => Promise<void>): Promise<void> {
  try {
    await sql.begin(async (tx) => {
      await fn(tx as unknown as typeof sql);
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
}

/** The meetings table (and leads.source) as they were before 20261204000300. Only Fathom's meetings existed. */
async function schemaBefore(tx: typeof sql) {
  await tx.unsafe(`
    delete from public.meetings where provider <> 'fathom';
    delete from public.leads where source not in ('manual', 'fathom');
    alter table public.leads drop constraint leads_source_check;
    alter table public.leads add constraint leads_source_check check (source in ('manual', 'fathom'));
    alter table public.meetings drop constraint meetings_provider_check;
    alter table public.meetings add constraint meetings_provider_check check (provider in ('fathom'));
    alter table public.meetings add column recording_id bigint;
    update public.meetings set recording_id = provider_meeting_id::bigint;
    alter table public.meetings alter column recording_id set not null;
    alter table public.meetings drop constraint meetings_team_provider_meeting_key;
    alter table public.meetings drop column provider_meeting_id;
    alter table public.meetings add constraint meetings_team_id_recording_id_key unique (team_id, recording_id);
    alter table public.meetings rename column provider_created_at to fathom_created_at;
  `).simple();
}

async function fails(tx: typeof sql, statement: string, code: string) {
  await tx.unsafe("savepoint probe").simple();
  await assert.rejects(tx.unsafe(statement).simple(), (err: { code?: string }) => err.code === code);
  await tx.unsafe("rollback to savepoint probe").simple();
}

test("migration: Fathom meetings, their links and tasks survive, keyed by provider and provider_meeting_id", async () => {
  const t = await createTeam();
  try {
    await rolledBack(async (tx) => {
      await schemaBefore(tx);
      const [m1] = await tx`
        insert into public.meetings (team_id, recording_id, title, fathom_created_at, invitees, source)
        values (${t.teamId}, 4242, 'Acme call', '2026-01-10T16:31:00Z',
                ${tx.json([{ name: "Jane Doe", email: JANE.email, is_external: true }, { name: "Ann", email: "ann@acme.example", is_external: true }])}, 'webhook')
        returning id`;
      const [m2] = await tx`insert into public.meetings (team_id, recording_id, title, source)
                            values (${t.teamId}, 9007199254740991, 'Largest id', 'backfill') returning id`;
      await tx`insert into public.meeting_leads (meeting_id, lead_id, team_id, matched_email)
               values (${m1.id}, ${t.janeId}, ${t.teamId}, ${JANE.email})`;
      const [task] = await tx`insert into public.tasks (team_id, lead_id, meeting_id, title, created_by)
                              values (${t.teamId}, ${t.janeId}, ${m1.id}, 'Send the proposal', null) returning id`;

      // the deferred automation trigger on meetings fires now, as at the commit that ends a real import
      await tx.unsafe("set constraints all immediate").simple();
      await tx.unsafe(migration).simple();

      const rows = await tx`select id, provider, provider_meeting_id, provider_created_at, title from public.meetings
                             where team_id = ${t.teamId} order by title`;
      assert.deepEqual(rows.map((r) => [r.id, r.provider, r.provider_meeting_id, r.title]), [
        [m1.id, "fathom", "4242", "Acme call"],
        [m2.id, "fathom", "9007199254740991", "Largest id"],
      ]);
      assert.equal(new Date(rows[0].provider_created_at).toISOString(), "2026-01-10T16:31:00.000Z");
      assert.deepEqual(
        (await tx`select meeting_id, lead_id from public.meeting_leads where team_id = ${t.teamId}`).map((r) => ({ ...r })),
        [{ meeting_id: m1.id, lead_id: t.janeId }],
      );
      assert.equal((await tx`select meeting_id from public.tasks where id = ${task.id}`)[0].meeting_id, m1.id);
      const columns = (await tx`select column_name from information_schema.columns
                                 where table_schema = 'public' and table_name = 'meetings'`).map((c) => c.column_name);
      assert.ok(!columns.includes("recording_id") && !columns.includes("fathom_created_at"), columns.join());

      // the key: the same provider id twice is one meeting; the same id under two providers is two
      await fails(tx, `insert into public.meetings (team_id, provider, provider_meeting_id, title, source)
                       values ('${t.teamId}', 'fathom', '4242', 'again', 'backfill')`, "23505");
      await tx`insert into public.meetings (team_id, provider, provider_meeting_id, title, source)
               values (${t.teamId}, 'zoom', '4242', 'Zoom call with the same id', 'webhook')`;
      const [{ n }] = await tx`select count(*)::int as n from public.meetings
                                where team_id = ${t.teamId} and provider_meeting_id = '4242'`;
      assert.equal(n, 2);
      await fails(tx, `insert into public.meetings (team_id, provider, provider_meeting_id, title, source)
                       values ('${t.teamId}', 'Not a slug', '1', 'x', 'webhook')`, "23514");
      await fails(tx, `insert into public.meetings (team_id, provider, provider_meeting_id, title, source)
                       values ('${t.teamId}', 'zoom', '', 'x', 'webhook')`, "23514");

      // the re-created link function (a lead's new e-mail links its earlier meetings) reads the new columns
      await tx`insert into public.lead_emails (lead_id, team_id, email) values (${t.rajId}, ${t.teamId}, 'ann@acme.example')`;
      const [linked] = await tx`select type, payload from public.integration_events
                                 where team_id = ${t.teamId} and payload->>'lead_id' = ${t.rajId}`;
      assert.deepEqual({ ...linked }, {
        type: "fathom.meeting.linked_to_lead",
        payload: { meeting_id: m1.id, lead_id: t.rajId, provider: "fathom", provider_meeting_id: "4242" },
      });
    });
  } finally {
    await dropTeam(t.teamId);
  }
});

/** A cleaned meeting as a provider's importer hands it over. */
function neutral(id: string, overrides: Partial<NeutralMeeting> = {}): NeutralMeeting {
  return {
    providerMeetingId: id,
    title: "Acme discovery call",
    meetingTitle: "Acme x Sandbox",
    url: "https://example.test/rec/1",
    providerCreatedAt: "2026-01-10T16:31:00Z",
    recordingStart: "2026-01-10T16:01:00Z",
    recordingEnd: "2026-01-10T16:29:00Z",
    recordedBy: { name: "Sandy Sandbox", email: SANDY },
    invitees: [
      { name: "Sandy Sandbox", email: SANDY, isExternal: false },
      { name: "Jane Doe", email: JANE.email.toUpperCase(), isExternal: true },
    ],
    ...overrides,
  };
}

async function eventsOf(teamId: string) {
  return (await sql`select provider, type, payload, idempotency_key from public.integration_events
                     where team_id = ${teamId} order by id`).map((e) => ({ ...e }));
}

test("storeMeeting: the same provider id twice is one meeting; the same id under two providers is two", async () => {
  const t = await createTeam();
  try {
    const ctx = { teamId: t.teamId, integrationId: null, source: "webhook" as const };
    const first = await asService((tx) => storeMeeting(tx, { ...ctx, provider: "fathom" }, neutral("4242")));
    const again = await asService((tx) =>
      storeMeeting(tx, { ...ctx, provider: "fathom", source: "backfill" }, neutral("4242", { title: "Renamed" }))
    );
    assert.equal(first.inserted, true);
    assert.equal(again.inserted, false);
    assert.equal(again.meetingId, first.meetingId);
    assert.deepEqual(first.linkedLeadIds, [t.janeId]); // the recorder (Sandy) is internal, never a lead
    assert.deepEqual(again.linkedLeadIds, []);

    const uuid = "4Fq1+abc/DEF==";
    const zoom = await asService((tx) => storeMeeting(tx, { ...ctx, provider: "zoom" }, neutral(uuid)));
    const sameId = await asService((tx) => storeMeeting(tx, { ...ctx, provider: "zoom" }, neutral("4242")));
    assert.notEqual(zoom.meetingId, first.meetingId);
    assert.notEqual(sameId.meetingId, first.meetingId);
    assert.deepEqual(zoom.linkedLeadIds, [t.janeId]);

    const rows = await sql`select provider, provider_meeting_id, title, source, recorded_by, invitees
                             from public.meetings where team_id = ${t.teamId} order by provider, provider_meeting_id`;
    assert.deepEqual(rows.map((r) => [r.provider, r.provider_meeting_id, r.title]), [
      ["fathom", "4242", "Renamed"],
      ["zoom", "4242", "Acme discovery call"],
      ["zoom", uuid, "Acme discovery call"],
    ]);
    // stored in the one shape the app renders (email_domain from the e-mail when the provider gives none)
    assert.deepEqual(rows[0].recorded_by, { name: "Sandy Sandbox", email: SANDY, email_domain: "sandbox.fathom.test", team: null });
    assert.deepEqual(rows[0].invitees[1], {
      name: "Jane Doe", email: JANE.email.toUpperCase(), email_domain: "ACME.EXAMPLE", is_external: true,
      matched_speaker_display_name: null,
    });

    const events = await eventsOf(t.teamId);
    const imported = events.filter((e) => e.type.endsWith(".meeting.imported"));
    assert.deepEqual(imported.map((e) => [e.provider, e.type, e.idempotency_key]), [
      ["fathom", "fathom.meeting.imported", `fathom.meeting.imported:${t.teamId}:4242`],
      ["zoom", "zoom.meeting.imported", `zoom.meeting.imported:${t.teamId}:${uuid}`],
      ["zoom", "zoom.meeting.imported", `zoom.meeting.imported:${t.teamId}:4242`],
    ]);
    assert.deepEqual(imported[1].payload, { provider: "zoom", provider_meeting_id: uuid, source: "webhook", title: "Acme discovery call" });
    assert.equal(events.filter((e) => e.type === "zoom.meeting.linked_to_lead").length, 2);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("storeMeeting: an unknown external attendee becomes a lead whose source is the provider", async () => {
  const t = await createTeam({ createLeadsFromUnknown: true });
  try {
    const meeting = neutral("z-1", {
      invitees: [{ name: "Nina New", email: "nina@newco.example", isExternal: true }, { name: RAJ.name, email: RAJ.email, isExternal: null }],
    });
    const result = await asService((tx) =>
      storeMeeting(tx, { teamId: t.teamId, integrationId: null, provider: "zoom", source: "backfill" }, meeting)
    );
    assert.equal(result.createdLeadIds.length, 1);
    const [lead] = await sql`select name, company, source from public.leads where id = ${result.createdLeadIds[0]}`;
    assert.deepEqual({ ...lead }, { name: "Nina New", company: "Newco", source: "zoom" });
    assert.deepEqual([...result.linkedLeadIds].sort(), [result.createdLeadIds[0], t.rajId].sort());
  } finally {
    await dropTeam(t.teamId);
  }
});

test("storeMeetingContent: sections arrive in any order; complete once transcript and summary are stored", async () => {
  const t = await createTeam();
  try {
    const ctx = { teamId: t.teamId, integrationId: null, provider: "zoom", source: "webhook" as const };
    const transcript = [{ speaker: { display_name: "Jane Doe", matched_calendar_invitee_email: JANE.email }, text: "Hello", timestamp: "00:00:05" }];
    const { meetingId, contentComplete } = await asService((tx) =>
      storeMeeting(tx, ctx, neutral("z-2", { content: { transcript } }))
    );
    assert.equal(contentComplete, false);
    assert.equal(await asService((tx) => storeMeetingContent(tx, meetingId, { summaryMarkdown: null })), "pending");
    assert.equal(await asService((tx) => storeMeetingContent(tx, meetingId, { summaryMarkdown: "## Done" })), "complete");
    assert.equal(await asService((tx) => storeMeetingContent(tx, meetingId, { summaryMarkdown: "later" })), null);
    const [row] = await sql`select transcript, summary_markdown, content_status from public.meetings where id = ${meetingId}`;
    assert.deepEqual({ ...row }, { transcript, summary_markdown: "## Done", content_status: "complete" });
  } finally {
    await dropTeam(t.teamId);
  }
});

test("storeMeeting: a provider id the table refuses aborts the statement, not half a meeting", async () => {
  const t = await createTeam();
  try {
    await assert.rejects(
      asService((tx) =>
        storeMeeting(tx, { teamId: t.teamId, integrationId: null, provider: "zoom", source: "webhook" }, neutral(""))
      ),
      (err: { code?: string }) => err.code === "23514",
    );
    const [{ n }] = await sql`select count(*)::int as n from public.meetings where team_id = ${t.teamId}`;
    assert.equal(n, 0);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("Fathom's content pass and the meeting page's fetch leave another provider's meetings alone", async () => {
  const t = await createTeam();
  try {
    const integrationId = await connectFathom(t.teamId, { access_token: "at", refresh_token: "rt" });
    // a pending Zoom meeting that the Fathom sweep's query would otherwise pick (connected integration, due, old)
    const { meetingId } = await asService((tx) =>
      storeMeeting(tx, { teamId: t.teamId, integrationId, provider: "zoom", source: "backfill" }, neutral("aB3/xyz=="))
    );
    await sql`update public.meetings set imported_at = now() - interval '1 hour' where id = ${meetingId}`;
    await processDueContent(50);
    const [row] = await sql`select content_status, content_attempts, content_last_error from public.meetings
                             where id = ${meetingId}`;
    assert.deepEqual({ ...row }, { content_status: "pending", content_attempts: 0, content_last_error: null });
    await fetchMeetingContentNow(t.teamId, meetingId); // the meeting page's fetch: nothing to ask Fathom, no error
    assert.equal((await sql`select content_attempts from public.meetings where id = ${meetingId}`)[0].content_attempts, 0);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("meetings neutral: close", async () => {
  await closeAll();
});
