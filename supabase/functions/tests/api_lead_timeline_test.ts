// The lead timeline against the real DB (migration 20261203000100): notes (add, edit and delete by their author or
// an admin), the timeline of notes, meetings, stage changes (with who made them) and tasks, newest first in keyset
// pages; `notes` leaving the lead (PATCH refuses it, POST makes it the first note); the migration of leads.notes
// into notes; manual meeting links.
import assert from "node:assert/strict";
import { handler } from "../api/handler.ts";
import { ADMIN, callAs, closeAll, MEMBER, OTHER_TEAM, OUTSIDER, resetDb, sql, TEAM, test } from "./helpers.ts";

const JANE = "c0000000-0000-4000-8000-000000000001";
const TOM = "c0000000-0000-4000-8000-000000000005"; // seed: no meetings, no notes
const OTHER_LEAD = "d2000000-0000-4000-8000-000000000001";
const MEETING = "d2300000-0000-4000-8000-000000000001";
const OTHER_MEETING = "d2300000-0000-4000-8000-000000000002";
const seed = await Deno.readTextFile(new URL("../../seed.sql", import.meta.url));
const migration = await Deno.readTextFile(
  new URL("../../migrations/20261203000100_tasks_and_timeline.sql", import.meta.url),
);

const call = (user: string | null, method: string, path: string, body?: unknown) =>
  callAs(handler, user, method, path, body);
const lead = (id: string) => `/api/teams/${TEAM}/leads/${id}`;

async function reset() {
  await resetDb();
  await sql`delete from public.meetings where id in (${MEETING}, ${OTHER_MEETING})`;
  await sql`delete from public.tasks where team_id in (${TEAM}, ${OTHER_TEAM})`;
  await sql`delete from public.leads where team_id in (${TEAM}, ${OTHER_TEAM})`;
  await sql.unsafe(seed).simple();
  await sql`insert into public.leads (id, team_id, name) values (${OTHER_LEAD}, ${OTHER_TEAM}, 'Other Team Lead')`;
  await sql`
    insert into public.meetings (id, team_id, provider_meeting_id, title, recording_start_time, source)
    values (${MEETING}, ${TEAM}, 772001, 'Discovery call', '2026-01-05T10:00:00Z', 'webhook'),
           (${OTHER_MEETING}, ${OTHER_TEAM}, 772002, 'Other', '2026-01-05T10:00:00Z', 'webhook')`;
}

type Item = { id: string; kind: string; at: string; [key: string]: unknown };

async function timeline(user: string, leadId: string, query = ""): Promise<Item[]> {
  const res = await call(user, "GET", `${lead(leadId)}/timeline${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items;
}

// --- notes -------------------------------------------------------------------------------------------------------------

test("notes: a member adds a note (trimmed markdown) -> 201 Note; invalid bodies 400; unknown lead 404; outsiders 404", async () => {
  await reset();
  const res = await call(MEMBER, "POST", `${lead(TOM)}/notes`, { body: "  **Called** Tom.\n\n- next: demo  " });
  assert.equal(res.status, 201);
  const { note } = res.body;
  assert.deepEqual(Object.keys(note).sort(), [
    "author", "automation_run_id", "body", "can_edit", "created_at", "id", "source", "updated_at",
  ]);
  assert.equal(note.body, "**Called** Tom.\n\n- next: demo");
  assert.deepEqual(note.author, { id: MEMBER, name: "Max Member", email: "demo-member@example.com" });
  assert.equal(note.source, "person");
  assert.equal(note.automation_run_id, null);
  assert.equal(note.can_edit, true);
  assert.equal((await call(MEMBER, "POST", `${lead(TOM)}/notes`, { body: "é".repeat(20_000) })).status, 201);
  for (const body of [{}, { body: "   " }, { body: "x".repeat(20_001) }, { body: 5 }, { body: "a\u0000b" }, []]) {
    const bad = await call(MEMBER, "POST", `${lead(TOM)}/notes`, body);
    assert.equal(bad.status, 400, JSON.stringify(body).slice(0, 60));
    assert.equal(bad.body.error.code, "invalid_request");
  }
  for (const leadId of [OTHER_LEAD, crypto.randomUUID()]) {
    const missing = await call(MEMBER, "POST", `${lead(leadId)}/notes`, { body: "x" });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "lead_not_found");
  }
  const outsider = await call(OUTSIDER, "POST", `${lead(TOM)}/notes`, { body: "x" });
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "team_not_found");
  assert.equal((await call(null, "POST", `${lead(TOM)}/notes`, { body: "x" })).status, 401);
  const [{ n }] = await sql`select count(*)::int as n from public.lead_notes where lead_id = ${TOM}`;
  assert.equal(n, 2);
});

test("notes: the author or an admin edits and deletes; another member 403 forbidden; unknown or another lead's 404", async () => {
  await reset();
  const mine = (await call(MEMBER, "POST", `${lead(TOM)}/notes`, { body: "Member's" })).body.note;
  const admins = (await call(ADMIN, "POST", `${lead(TOM)}/notes`, { body: "Admin's" })).body.note;
  const edited = await call(MEMBER, "PATCH", `${lead(TOM)}/notes/${mine.id}`, { body: " Edited " });
  assert.equal(edited.status, 200);
  assert.equal(edited.body.note.body, "Edited");
  assert.ok(new Date(edited.body.note.updated_at) >= new Date(mine.updated_at));
  for (const [method, body] of [["PATCH", { body: "x" }], ["DELETE", undefined]] as const) {
    const refused = await call(MEMBER, method, `${lead(TOM)}/notes/${admins.id}`, body);
    assert.equal(refused.status, 403, method);
    assert.equal(refused.body.error.code, "forbidden");
    for (const path of [`${lead(TOM)}/notes/${crypto.randomUUID()}`, `${lead(JANE)}/notes/${mine.id}`]) {
      const missing = await call(MEMBER, method, path, body);
      assert.equal(missing.status, 404, `${method} ${path}`);
      assert.equal(missing.body.error.code, "note_not_found");
    }
  }
  // a member sees the admin's note as not editable; the admin may edit the member's
  const items = await timeline(MEMBER, TOM);
  const canEdit = Object.fromEntries(items.map((i) => [(i.note as { id: string }).id, (i.note as { can_edit: boolean }).can_edit]));
  assert.deepEqual(canEdit, { [mine.id]: true, [admins.id]: false });
  assert.equal((await call(ADMIN, "PATCH", `${lead(TOM)}/notes/${mine.id}`, { body: "Fixed by admin" })).status, 200);
  assert.equal((await call(ADMIN, "DELETE", `${lead(TOM)}/notes/${mine.id}`)).status, 204);
  assert.equal((await call(ADMIN, "DELETE", `${lead(TOM)}/notes/${admins.id}`)).status, 204);
  assert.deepEqual(await timeline(MEMBER, TOM), []);
});

// --- notes leave the lead ------------------------------------------------------------------------------------------------

test("leads: notes leave the Lead shape; PATCH naming notes is 400 invalid_request (nothing written); POST makes it the first note", async () => {
  await reset();
  const got = await call(MEMBER, "GET", lead(JANE));
  assert.equal(got.status, 200);
  assert.ok(!("notes" in got.body.lead));
  const refused = await call(MEMBER, "PATCH", lead(JANE), { stage: "won", notes: "new notes" });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.code, "invalid_request");
  assert.match(refused.body.error.message, /notes/);
  const [jane] = await sql`select stage from public.leads where id = ${JANE}`;
  assert.equal(jane.stage, "qualified");
  const created = await call(MEMBER, "POST", `/api/teams/${TEAM}/leads`, {
    name: "Ann Lee",
    notes: "  Met at the conference.  ",
    emails: ["ann@wayne.example"],
  });
  assert.equal(created.status, 201);
  assert.ok(!("notes" in created.body.lead));
  const items = await timeline(ADMIN, created.body.lead.id);
  assert.equal(items.length, 1);
  assert.equal(items[0].kind, "note");
  const note = items[0].note as { body: string; author: { id: string }; source: string; can_edit: boolean };
  assert.equal(note.body, "Met at the conference.");
  assert.equal(note.author.id, MEMBER);
  assert.equal(note.source, "person");
  assert.equal(note.can_edit, true); // the admin may edit it
  // no notes, or blank notes: no note
  const plain = await call(MEMBER, "POST", `/api/teams/${TEAM}/leads`, { name: "Bo", notes: "  ", emails: ["bo@x.example"] });
  assert.deepEqual(await timeline(MEMBER, plain.body.lead.id), []);
});

test("migration: a lead with notes before 20261203000100 has exactly one note after it (blank notes none)", async () => {
  await reset();
  const section = /-- notes migration: begin[^\n]*\n([\s\S]*?)-- notes migration: end/.exec(migration)?.[1];
  assert.ok(section, "the migration marks its notes section");
  const [withNotes, blank, none] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  class Rollback extends Error {}
  let after: { lead_id: string; body: string; source: string; author_id: string | null; created_at: Date }[] = [];
  let updatedAt: Date | null = null;
  let columnLeft = true;
  try {
    await sql.begin(async (tx) => {
      // the schema before: leads.notes back, three leads written with it
      await tx`alter table public.leads add column notes text`;
      await tx`insert into public.leads (id, team_id, name, notes, updated_at)
               values (${withNotes}, ${TEAM}, 'Had notes', ${"Budget approved.\n\nCall in May."}, '2026-03-01T08:00:00Z'),
                      (${blank}, ${TEAM}, 'Blank notes', '   ', now()),
                      (${none}, ${TEAM}, 'No notes', null, now())`;
      [{ updated_at: updatedAt }] = await tx`select updated_at from public.leads where id = ${withNotes}`;
      await tx.unsafe(section);
      after = await tx`select lead_id, body, source, author_id, created_at from public.lead_notes
                        where lead_id in (${withNotes}, ${blank}, ${none})`;
      [{ exists: columnLeft }] = await tx`select exists (select 1 from pg_attribute where attrelid = 'public.leads'::regclass
                                                           and attname = 'notes' and not attisdropped)`;
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  assert.deepEqual(after.map((n) => ({ ...n })), [{
    lead_id: withNotes,
    body: "Budget approved.\n\nCall in May.",
    source: "migrated",
    author_id: null,
    created_at: updatedAt,
  }]);
  assert.equal(columnLeft, false);
});

// --- the timeline ------------------------------------------------------------------------------------------------------

test("timeline: notes, meetings, stage changes (who made them) and tasks, newest first; outsiders and unknown leads 404", async () => {
  await reset();
  const linked = await call(MEMBER, "POST", `/api/teams/${TEAM}/meetings/${MEETING}/leads`, { lead_id: TOM });
  assert.equal(linked.status, 201);
  assert.equal((await call(MEMBER, "PATCH", lead(TOM), { stage: "contacted" })).status, 200);
  const note = (await call(ADMIN, "POST", `${lead(TOM)}/notes`, { body: "Hello" })).body.note;
  const task = (await call(MEMBER, "POST", `/api/teams/${TEAM}/tasks`, { title: "Demo", lead_id: TOM, done: true }))
    .body.task;
  const items = await timeline(MEMBER, TOM);
  assert.deepEqual(items.map((i) => i.kind), ["task", "note", "stage_change", "meeting"]);
  assert.deepEqual(items.map((i) => i.id), [`task:${task.id}`, `note:${note.id}`, items[2].id, `meeting:${MEETING}`]);
  assert.match(items[2].id, /^stage_change:\d+$/);
  assert.equal((items[0].task as { id: string; done: boolean }).id, task.id);
  assert.equal((items[0].task as { done: boolean }).done, true);
  assert.equal((items[1].note as { body: string }).body, "Hello");
  assert.equal((items[1].note as { can_edit: boolean }).can_edit, false);
  const { id: _id, at: _at, ...change } = items[2];
  assert.deepEqual(change, {
    kind: "stage_change",
    from: "new",
    to: "contacted",
    by: { id: MEMBER, name: "Max Member", email: "demo-member@example.com" },
    automation_run_id: null,
  });
  assert.deepEqual(items[3].meeting, { id: MEETING, title: "Discovery call", recording_start_time: "2026-01-05T10:00:00.000Z" });
  assert.equal(items[3].at, "2026-01-05T10:00:00.000Z");
  // a stage change by a service writer (an automation) has no person
  await sql.begin(async (tx) => {
    await tx`select set_config('app.automation_run_id', ${"d2900000-0000-4000-8000-000000000001"}, true)`;
    await tx`update public.leads set stage = 'qualified' where id = ${TOM}`;
  });
  const [latest] = await timeline(MEMBER, TOM, "?limit=1");
  assert.equal(latest.kind, "stage_change");
  assert.equal(latest.by, null);
  assert.equal(latest.automation_run_id, "d2900000-0000-4000-8000-000000000001");
  for (const [user, path, status, code] of [
    [OUTSIDER, lead(TOM), 404, "team_not_found"],
    [MEMBER, lead(OTHER_LEAD), 404, "lead_not_found"],
    [MEMBER, lead(crypto.randomUUID()), 404, "lead_not_found"],
  ] as const) {
    const res = await call(user, "GET", `${path}/timeline`);
    assert.equal(res.status, status);
    assert.equal(res.body.error.code, code);
  }
  for (const bad of ["?limit=0", "?limit=201", "?cursor=bm9wZQ", "?cursor=WyJ4IiwieSJd"]) {
    const res = await call(MEMBER, "GET", `${lead(TOM)}/timeline${bad}`);
    assert.equal(res.status, 400, bad);
  }
});

test("timeline: keyset pages visit every item exactly once, in order, across kinds with equal times", async () => {
  await reset();
  const at = "2026-02-01T12:00:00Z";
  await sql`insert into public.lead_notes (team_id, lead_id, body, author_id, created_at)
            select ${TEAM}, ${TOM}, 'note ' || i, ${ADMIN}, ${at}::timestamptz - (i % 3) * interval '1 microsecond'
              from generate_series(1, 14) i`;
  await sql`insert into public.lead_stage_changes (team_id, lead_id, from_stage, to_stage, changed_at)
            select ${TEAM}, ${TOM}, 'new', 'won', ${at}::timestamptz - (i % 2) * interval '1 microsecond'
              from generate_series(1, 9) i`;
  await sql`insert into public.tasks (team_id, lead_id, title, created_at)
            select ${TEAM}, ${TOM}, 'task ' || i, ${at}::timestamptz from generate_series(1, 6) i`;
  await sql`insert into public.meeting_leads (meeting_id, lead_id, team_id) values (${MEETING}, ${TOM}, ${TEAM})`;
  const all = await timeline(MEMBER, TOM, "?limit=200");
  assert.equal(all.length, 14 + 9 + 6 + 1);
  assert.equal(new Set(all.map((i) => i.id)).size, all.length);
  for (let i = 1; i < all.length; i++) {
    assert.ok(all[i - 1].at >= all[i].at, "newest first");
  }
  for (const limit of [1, 4, 7]) {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: Item[]; next_cursor: string | null } } = await call(
        MEMBER,
        "GET",
        `${lead(TOM)}/timeline?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
      );
      assert.equal(res.status, 200);
      seen.push(...res.body.items.map((i) => i.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, all.map((i) => i.id), `limit ${limit}`);
  }
});

test("timeline: automation runs about the lead (rule name, status, error), not those skipped by their conditions; their tasks and notes keep a link to the run", async () => {
  await reset();
  const [rule, version, otherRule, otherVersion] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(),
    crypto.randomUUID()];
  const [dead, skipped, done, otherTeamRun] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(),
    crypto.randomUUID()];
  await sql.begin(async (tx) => {
    await tx`insert into public.automation_rules (id, team_id, name, trigger) values
               (${rule}, ${TEAM}, 'Tasks from action items', 'meeting.linked_to_lead'),
               (${otherRule}, ${OTHER_TEAM}, 'Other', 'lead.created')`;
    await tx`insert into public.automation_rule_versions (id, rule_id, team_id, version, name, trigger, conditions, actions)
             values (${version}, ${rule}, ${TEAM}, 1, 'Tasks from action items', 'meeting.linked_to_lead',
                     '{"match":"all","rules":[]}', '[{"type":"add_note","template":"x"}]'),
                    (${otherVersion}, ${otherRule}, ${OTHER_TEAM}, 1, 'Other', 'lead.created', '{}',
                     '[{"type":"add_note","template":"x"}]')`;
    await tx`update public.automation_rules set current_version_id = ${version}, version = 1 where id = ${rule}`;
    await tx`insert into public.automation_runs (id, team_id, rule_id, version_id, lead_id, status, skip_reason,
                                                 error_message, created_at)
             values (${dead}, ${TEAM}, ${rule}, ${version}, ${TOM}, 'dead', null, 'Slack said 404: channel gone.',
                     '2026-03-02T10:00:00Z'),
                    (${skipped}, ${TEAM}, ${rule}, ${version}, ${TOM}, 'skipped', 'conditions', null,
                     '2026-03-03T10:00:00Z'),
                    (${done}, ${TEAM}, ${rule}, ${version}, ${TOM}, 'succeeded', null, null, '2026-03-01T10:00:00Z'),
                    (${otherTeamRun}, ${OTHER_TEAM}, ${otherRule}, ${otherVersion}, ${OTHER_LEAD}, 'succeeded', null,
                     null, '2026-03-01T10:00:00Z')`;
  });
  const [task] = await sql`insert into public.tasks (team_id, lead_id, title, source, automation_run_id, created_at)
                           values (${TEAM}, ${TOM}, 'From the run', 'automation', ${done}, '2026-03-01T10:00:01Z')
                           returning id`;
  const [note] = await sql`insert into public.lead_notes (team_id, lead_id, body, author_id, source, automation_run_id,
                                                          created_at)
                           values (${TEAM}, ${TOM}, 'Summary', null, 'automation', ${done}, '2026-03-01T10:00:02Z')
                           returning id`;
  const items = await timeline(MEMBER, TOM);
  assert.deepEqual(items.map((i) => i.id), [
    `automation_run:${dead}`, `note:${note.id}`, `task:${task.id}`, `automation_run:${done}`,
  ]);
  assert.deepEqual(items[0].run, {
    id: dead, rule_id: rule, rule_name: "Tasks from action items", status: "dead",
    error_message: "Slack said 404: channel gone.",
  });
  assert.equal((items[1].note as { automation_run_id: string; author: null }).automation_run_id, done);
  assert.equal((items[1].note as { author: null }).author, null);
  assert.equal((items[1].note as { can_edit: boolean }).can_edit, false); // no author: admins only
  assert.equal((items[2].task as { source: string; automation_run_id: string }).source, "automation");
  assert.equal((items[2].task as { automation_run_id: string }).automation_run_id, done);
  // a task or note can only point at a run of its own team (20261203000300_crm_automation_links.sql)
  for (const insert of [
    sql`insert into public.tasks (team_id, title, automation_run_id) values (${TEAM}, 'x', ${otherTeamRun})`,
    sql`insert into public.lead_notes (team_id, lead_id, body, automation_run_id) values (${TEAM}, ${TOM}, 'x', ${otherTeamRun})`,
  ]) {
    await assert.rejects(insert, (err: { code?: string }) => err.code === "23503");
  }
  // the rule deleted (its runs with it): the task and the note stay, without the link
  await sql`delete from public.automation_rules where id in (${rule}, ${otherRule})`;
  const [t] = await sql`select automation_run_id from public.tasks where id = ${task.id}`;
  const [n] = await sql`select automation_run_id from public.lead_notes where id = ${note.id}`;
  assert.deepEqual([t.automation_run_id, n.automation_run_id], [null, null]);
  assert.deepEqual((await timeline(MEMBER, TOM)).map((i) => i.kind), ["note", "task"]);
});

// --- manual links ----------------------------------------------------------------------------------------------------------

test("meeting links: a member links a lead by hand (201, then 200), matched_email null; unlinks (204); errors 404", async () => {
  await reset();
  const path = `/api/teams/${TEAM}/meetings/${MEETING}/leads`;
  const first = await call(MEMBER, "POST", path, { lead_id: TOM });
  assert.equal(first.status, 201);
  assert.deepEqual(first.body.leads, [{ id: TOM, name: "Tom Baker" }]);
  const second = await call(MEMBER, "POST", path, { lead_id: JANE.toUpperCase() });
  assert.equal(second.status, 201);
  assert.deepEqual(second.body.leads, [{ id: JANE, name: "Jane Doe" }, { id: TOM, name: "Tom Baker" }]);
  const again = await call(ADMIN, "POST", path, { lead_id: TOM });
  assert.equal(again.status, 200);
  assert.equal(again.body.leads.length, 2);
  const rows = await sql`select lead_id, matched_email from public.meeting_leads where meeting_id = ${MEETING}
                          order by lead_id`;
  assert.deepEqual(rows.map((r) => ({ ...r })), [
    { lead_id: JANE, matched_email: null },
    { lead_id: TOM, matched_email: null },
  ]);
  const summary = await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings/${MEETING}`);
  assert.deepEqual(summary.body.meeting.leads.map((l: { id: string }) => l.id), [JANE, TOM]);
  assert.equal((await call(MEMBER, "DELETE", `${path}/${TOM}`)).status, 204);
  assert.equal((await call(MEMBER, "DELETE", `${path}/${TOM}`)).status, 204); // not linked: the state holds
  const left = await sql`select lead_id from public.meeting_leads where meeting_id = ${MEETING}`;
  assert.deepEqual(left.map((r) => r.lead_id), [JANE]);
  const cases: [string, string, unknown, number, string][] = [
    ["POST", path, { lead_id: OTHER_LEAD }, 404, "lead_not_found"],
    ["POST", path, { lead_id: "x" }, 400, "invalid_request"],
    ["POST", path, {}, 400, "invalid_request"],
    ["POST", `/api/teams/${TEAM}/meetings/${OTHER_MEETING}/leads`, { lead_id: TOM }, 404, "meeting_not_found"],
    ["DELETE", `/api/teams/${TEAM}/meetings/${OTHER_MEETING}/leads/${TOM}`, undefined, 404, "meeting_not_found"],
    ["DELETE", `${path}/${OTHER_LEAD}`, undefined, 404, "lead_not_found"],
  ];
  for (const [method, p, body, status, code] of cases) {
    const res = await call(MEMBER, method, p, body);
    assert.equal(res.status, status, `${method} ${p} ${JSON.stringify(body)}`);
    assert.equal(res.body.error.code, code);
  }
  const outsider = await call(OUTSIDER, "POST", path, { lead_id: TOM });
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "team_not_found");
  const [{ n }] = await sql`select count(*)::int as n from public.meeting_leads where meeting_id = ${MEETING}`;
  assert.equal(n, 1);
});

test("timeline: cleanup", async () => {
  await sql`delete from public.meetings where id in (${MEETING}, ${OTHER_MEETING})`;
  await sql`delete from public.tasks where team_id in (${TEAM}, ${OTHER_TEAM})`;
  await sql`delete from public.leads where team_id in (${TEAM}, ${OTHER_TEAM})`;
  await sql.unsafe(seed).simple();
  await resetDb({ dropOtherTeam: true });
  await closeAll();
});
