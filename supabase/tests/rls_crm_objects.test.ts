// Row-level security, privileges and triggers of the CRM objects (migration 20261203000100_tasks_and_timeline.sql):
// tasks, lead_notes, lead_stage_changes and manual meeting links (meeting_leads), for anon, an outsider, a member,
// an admin (the seeded owner) and another team's owner. Every test runs in a transaction that is rolled back.
//
// SUPABASE_DB_URL=postgres://postgres:postgres@127.0.0.1:5432/crm_objects \
//   ./node_modules/.bin/deno test -A --config supabase/functions/deno.json supabase/tests/rls_crm_objects.test.ts
import assert from "node:assert/strict";
import { actAs, actAsOwner, affected, type Claims, dbTest, type DbRole, failure, inRollbackTx, type Tx } from "./_db.ts";

const TEAM_A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"; // seed: "Demo Team"
const TEAM_B = "c5cccccc-cccc-4ccc-8ccc-cccccccccccc"; // fixture

const OWNER = { id: "11111111-1111-4111-8111-111111111111", email: "demo-admin@example.com" };
const MEMBER = { id: "22222222-2222-4222-8222-222222222222", email: "demo-member@example.com" };
const OUTSIDER = { id: "33333333-3333-4333-8333-333333333333", email: "demo-outsider@example.com" };
const OTHER_OWNER = { id: "c5666666-6666-4666-8666-666666666666", email: "crm-objects-other@example.com" };

const LEAD_JANE = "c0000000-0000-4000-8000-000000000001"; // seed, team A
const LEAD_TOM = "c0000000-0000-4000-8000-000000000005"; // seed, team A
const LEAD_B = "c5000000-0000-4000-8000-00000000000b";
const MEETING_A = "c5300000-0000-4000-8000-00000000000a";
const MEETING_B = "c5300000-0000-4000-8000-00000000000b";
const TASK_A_OWNER = "c5400000-0000-4000-8000-00000000000a"; // team A, created by the owner
const TASK_B = "c5400000-0000-4000-8000-00000000000b";
const NOTE_A_OWNER = "c5500000-0000-4000-8000-00000000000a"; // team A, written by the owner
const NOTE_B = "c5500000-0000-4000-8000-00000000000b";

const TABLES = ["tasks", "lead_notes", "lead_stage_changes"] as const;

type Actor = { name: string; role: DbRole; claims: Claims };
const user = (u: { id: string; email: string }): Claims => ({
  sub: u.id, email: u.email, role: "authenticated", aud: "authenticated", aal: "aal1", is_anonymous: false,
});
const ANON: Actor = { name: "anon", role: "anon", claims: { role: "anon" } };
const AS_OUTSIDER: Actor = { name: "outsider", role: "authenticated", claims: user(OUTSIDER) };
const AS_MEMBER: Actor = { name: "member", role: "authenticated", claims: user(MEMBER) };
const AS_OWNER: Actor = { name: "admin (owner)", role: "authenticated", claims: user(OWNER) };
const AS_OTHER_OWNER: Actor = { name: "other team's owner", role: "authenticated", claims: user(OTHER_OWNER) };
const SERVICE: Actor = { name: "service_role", role: "service_role", claims: { role: "service_role" } };

/** Team B with a lead, meeting, task, note and stage change; in team A a meeting, an owner's task, note and change. */
async function setup(tx: Tx): Promise<void> {
  await actAsOwner(tx);
  await tx`insert into auth.users (id, aud, role, email)
           values (${OTHER_OWNER.id}, 'authenticated', 'authenticated', ${OTHER_OWNER.email})`;
  await actAs(tx, "service_role", SERVICE.claims);
  await tx`insert into public.teams (id, name) values (${TEAM_B}, 'Objects Team')`;
  await tx`insert into public.team_members (team_id, user_id, role) values (${TEAM_B}, ${OTHER_OWNER.id}, 'owner')`;
  await tx`insert into public.leads (id, team_id, name) values (${LEAD_B}, ${TEAM_B}, 'Bea Other')`;
  await tx`
    insert into public.meetings (id, team_id, provider_meeting_id, title, source)
    values (${MEETING_A}, ${TEAM_A}, 555001, 'Objects call A', 'webhook'),
           (${MEETING_B}, ${TEAM_B}, 555001, 'Objects call B', 'webhook')`;
  await tx`
    insert into public.tasks (id, team_id, lead_id, title, created_by)
    values (${TASK_A_OWNER}, ${TEAM_A}, ${LEAD_JANE}, 'Send the contract', ${OWNER.id}),
           (${TASK_B}, ${TEAM_B}, ${LEAD_B}, 'Other team task', ${OTHER_OWNER.id})`;
  await tx`
    insert into public.lead_notes (id, team_id, lead_id, body, author_id)
    values (${NOTE_A_OWNER}, ${TEAM_A}, ${LEAD_JANE}, 'Owner note', ${OWNER.id}),
           (${NOTE_B}, ${TEAM_B}, ${LEAD_B}, 'Other note', ${OTHER_OWNER.id})`;
  // one stage change per team, through the trigger
  await tx`update public.leads set stage = 'contacted' where id in (${LEAD_TOM}, ${LEAD_B})`;
}

function scenario(actor: Actor, fn: (tx: Tx) => Promise<void>): Promise<void> {
  return inRollbackTx(async (tx) => {
    await setup(tx);
    await actAs(tx, actor.role, actor.claims);
    await fn(tx);
  });
}

async function assertFails(tx: Tx, query: string, code: string, why: string): Promise<void> {
  const f = await failure(tx, query);
  assert.ok(f, `${why}: expected SQLSTATE ${code}, but it succeeded\n  ${query}`);
  assert.equal(f.code, code, `${why}: expected SQLSTATE ${code}, got ${f.code} ${f.message}\n  ${query}`);
}
const assertDenied = (tx: Tx, q: string, why: string) => assertFails(tx, q, "42501", why);

/** Rows of each table visible to the actor, by team (team A, team B): fixtures only (the seed may add tasks later). */
async function visible(tx: Tx): Promise<Record<string, [number, number]>> {
  const out: Record<string, [number, number]> = {};
  for (const t of TABLES) {
    const [r] = await tx.unsafe(
      `select count(*) filter (where team_id = $1)::int as a, count(*) filter (where team_id = $2)::int as b
         from public.${t}`,
      [TEAM_A, TEAM_B],
    );
    out[t] = [r.a, r.b];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Catalog

dbTest("crm objects: RLS on, anon holds nothing, clients hold exactly the intended privileges", async () => {
  await inRollbackTx(async (tx) => {
    const rls = await tx`select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                          where n.nspname = 'public' and relname = any(${[...TABLES]}) and relrowsecurity`;
    assert.equal(rls.length, TABLES.length);
    const priv = async (role: string, table: string) => {
      const [r] = await tx.unsafe(
        `select has_table_privilege($1, $2, 'SELECT') as s, has_table_privilege($1, $2, 'INSERT') as i,
                has_table_privilege($1, $2, 'UPDATE') as u, has_table_privilege($1, $2, 'DELETE') as d,
                has_table_privilege($1, $2, 'TRUNCATE') as t,
                has_any_column_privilege($1, $2, 'SELECT, INSERT, UPDATE, REFERENCES') as c`,
        [role, `public.${table}`],
      );
      return `${r.s ? "S" : "-"}${r.i ? "I" : "-"}${r.u ? "U" : "-"}${r.d ? "D" : "-"}${r.t ? "T" : "-"}${r.c ? "c" : "-"}`;
    };
    const expected: Record<string, [string, string, string]> = {
      // table: [anon, authenticated (whole table; columns below), service_role]
      tasks: ["------", "S--D-c", "SIUD-c"],
      lead_notes: ["------", "S--D-c", "SIUD-c"],
      lead_stage_changes: ["------", "S----c", "SI-D-c"],
    };
    for (const [table, [anon, auth, service]] of Object.entries(expected)) {
      assert.equal(await priv("anon", table), anon, `anon on ${table}`);
      assert.equal(await priv("authenticated", table), auth, `authenticated on ${table}`);
      assert.equal(await priv("service_role", table), service, `service_role on ${table}`);
    }
    const cols = async (table: string, p: string) =>
      (await tx.unsafe(
        `select a.attname from pg_attribute a
          where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped
            and has_column_privilege('authenticated', a.attrelid, a.attnum, $2)
          order by 1`,
        [`public.${table}`, p],
      )).map((r) => r.attname);
    assert.deepEqual(await cols("tasks", "INSERT"), [
      "action_item_index", "assignee_id", "done_at", "due_on", "id", "lead_id", "meeting_id", "source", "source_key",
      "team_id", "title",
    ]);
    assert.deepEqual(await cols("tasks", "UPDATE"), ["assignee_id", "done_at", "due_on", "lead_id", "title"]);
    assert.deepEqual(await cols("lead_notes", "INSERT"), ["body", "id", "lead_id", "team_id"]);
    assert.deepEqual(await cols("lead_notes", "UPDATE"), ["body"]);
    assert.deepEqual(await cols("lead_stage_changes", "INSERT"), []);
    assert.deepEqual(await cols("lead_stage_changes", "UPDATE"), []);
    const leadColumns = (await tx`select attname from pg_attribute where attrelid = 'public.leads'::regclass
                                    and attnum > 0 and not attisdropped`).map((r) => r.attname);
    assert.ok(!leadColumns.includes("notes"), "leads.notes is gone");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Reading

dbTest("crm objects: anon reads nothing; each client reads its own team's rows only", async () => {
  await scenario(ANON, async (tx) => {
    for (const t of TABLES) await assertDenied(tx, `select count(*) from public.${t}`, `anon reads ${t}`);
  });
  const expected: [Actor, Record<string, [number, number]>][] = [
    [AS_OUTSIDER, { tasks: [0, 0], lead_notes: [0, 0], lead_stage_changes: [0, 0] }],
    [AS_OTHER_OWNER, { tasks: [0, 1], lead_notes: [0, 1], lead_stage_changes: [0, 1] }],
  ];
  for (const [actor, counts] of expected) {
    await scenario(actor, async (tx) => assert.deepEqual(await visible(tx), counts, actor.name));
  }
  for (const actor of [AS_MEMBER, AS_OWNER]) {
    await scenario(actor, async (tx) => {
      const seen = await visible(tx);
      for (const t of TABLES) {
        assert.ok(seen[t][0] >= 1, `${actor.name} reads team A's ${t}`);
        assert.equal(seen[t][1], 0, `${actor.name} reads team B's ${t}`);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Tasks

dbTest("crm objects: a member creates and edits tasks in their team; the server's columns stay the server's", async () => {
  await scenario(AS_MEMBER, async (tx) => {
    const [task] = await tx`
      insert into public.tasks (team_id, lead_id, title, assignee_id, due_on)
      values (${TEAM_A}, ${LEAD_JANE}, 'Call back', ${OWNER.id}, '2026-12-24') returning created_by, source, done_by`;
    assert.deepEqual({ ...task }, { created_by: MEMBER.id, source: "person", done_by: null });
    // the owner's task: any member edits it, and ticking it records who did
    const done = (await tx`update public.tasks set title = 'Send it', done_at = now() where id = ${TASK_A_OWNER}
                            returning done_by`)[0];
    assert.equal(done.done_by, MEMBER.id);
    await assertDenied(tx, `update public.tasks set done_by = '${OWNER.id}'`, "done_by is the server's");
    await assertDenied(tx, `update public.tasks set created_by = '${MEMBER.id}'`, "created_by");
    await assertDenied(tx, `update public.tasks set team_id = '${TEAM_B}'`, "move a task");
    await assertDenied(tx, `update public.tasks set automation_run_id = gen_random_uuid()`, "automation_run_id");
    await assertDenied(tx, `update public.tasks set source = 'automation'`, "source");
    await assertDenied(
      tx, `insert into public.tasks (team_id, title, source) values ('${TEAM_A}', 'x', 'automation')`, "automation source");
    await assertDenied(
      tx, `insert into public.tasks (team_id, title, created_by) values ('${TEAM_A}', 'x', '${OWNER.id}')`, "created_by");
    await assertDenied(
      tx, `insert into public.tasks (team_id, title, automation_run_id) values ('${TEAM_A}', 'x', gen_random_uuid())`,
      "automation_run_id");
    // composite keys: a lead, meeting or assignee of another team is refused
    await assertFails(tx, `insert into public.tasks (team_id, title, lead_id) values ('${TEAM_A}', 'x', '${LEAD_B}')`,
      "23503", "another team's lead");
    await assertFails(tx, `insert into public.tasks (team_id, title, meeting_id) values ('${TEAM_A}', 'x', '${MEETING_B}')`,
      "23503", "another team's meeting");
    await assertFails(tx, `insert into public.tasks (team_id, title, assignee_id) values ('${TEAM_A}', 'x', '${OUTSIDER.id}')`,
      "23503", "an assignee outside the team");
    await assertFails(tx, `update public.tasks set assignee_id = '${OTHER_OWNER.id}' where id = '${TASK_A_OWNER}'`,
      "23503", "reassigned outside the team");
    await assertFails(tx, `insert into public.tasks (team_id, title) values ('${TEAM_A}', '   ')`, "23514", "blank title");
    await assertFails(tx, `insert into public.tasks (team_id, title) values ('${TEAM_A}', repeat('x', 501))`,
      "23514", "title over 500");
  });
});

dbTest("crm objects: the creator or an admin deletes a task; nobody touches another team's", async () => {
  await scenario(AS_MEMBER, async (tx) => {
    assert.equal(await affected(tx, `delete from public.tasks where id = '${TASK_A_OWNER}'`), 0, "not the creator");
    const [own] = await tx`insert into public.tasks (team_id, title) values (${TEAM_A}, 'mine') returning id`;
    assert.equal(await affected(tx, `delete from public.tasks where id = '${own.id}'`), 1, "own task");
  });
  await scenario(AS_OWNER, async (tx) => {
    const [theirs] = await tx`select id from public.tasks where id = ${TASK_A_OWNER}`;
    assert.ok(theirs);
    await actAs(tx, "authenticated", AS_MEMBER.claims);
    const [memberTask] = await tx`insert into public.tasks (team_id, title) values (${TEAM_A}, 'member''s') returning id`;
    await actAs(tx, "authenticated", AS_OWNER.claims);
    assert.equal(await affected(tx, `delete from public.tasks where id = '${memberTask.id}'`), 1, "admin deletes any");
  });
  for (const actor of [AS_OUTSIDER, AS_MEMBER, AS_OWNER]) {
    await scenario(actor, async (tx) => {
      await assertDenied(tx, `insert into public.tasks (team_id, title) values ('${TEAM_B}', 'x')`, `${actor.name} in B`);
      assert.equal(await affected(tx, `update public.tasks set title = 'x' where id = '${TASK_B}'`), 0, actor.name);
      assert.equal(await affected(tx, `delete from public.tasks where id = '${TASK_B}'`), 0, actor.name);
    });
  }
  await scenario(AS_OUTSIDER, async (tx) => {
    await assertDenied(tx, `insert into public.tasks (team_id, title) values ('${TEAM_A}', 'x')`, "outsider in A");
    assert.equal(await affected(tx, `update public.tasks set title = 'x'`), 0);
  });
  await scenario(ANON, async (tx) => {
    await assertDenied(tx, `insert into public.tasks (team_id, title) values ('${TEAM_A}', 'x')`, "anon insert");
    await assertDenied(tx, `update public.tasks set title = 'x'`, "anon update");
    await assertDenied(tx, `delete from public.tasks`, "anon delete");
  });
});

dbTest("crm objects: one task per (meeting, action item, lead); a source key once per team", async () => {
  await scenario(AS_MEMBER, async (tx) => {
    await tx`insert into public.tasks (team_id, title, meeting_id, action_item_index, lead_id, source, source_key)
             values (${TEAM_A}, 'Item', ${MEETING_A}, 0, ${LEAD_JANE}, 'action_item', ${`action_item:${MEETING_A}:0:${LEAD_JANE}`})`;
    await assertFails(tx,
      `insert into public.tasks (team_id, title, meeting_id, action_item_index, lead_id, source)
       values ('${TEAM_A}', 'Item', '${MEETING_A}', 0, '${LEAD_JANE}', 'action_item')`, "23505", "same item, lead");
    await assertFails(tx,
      `insert into public.tasks (team_id, title, meeting_id, action_item_index, lead_id, source, source_key)
       values ('${TEAM_A}', 'x', '${MEETING_A}', 0, '${LEAD_JANE}', 'action_item', 'action_item:${MEETING_A}:0:${LEAD_JANE}')`,
      "23505", "same source key");
    // another lead's task for the same item is fine; deleting a lead keeps its tasks, without the lead
    assert.equal(await affected(tx,
      `insert into public.tasks (team_id, title, meeting_id, action_item_index, lead_id, source)
       values ('${TEAM_A}', 'Item', '${MEETING_A}', 0, '${LEAD_TOM}', 'action_item')`), 1);
  });
  await scenario(SERVICE, async (tx) => {
    await tx`insert into public.tasks (team_id, title, meeting_id, action_item_index, lead_id, source)
             values (${TEAM_A}, 'Item', ${MEETING_A}, 0, ${LEAD_JANE}, 'action_item'),
                    (${TEAM_A}, 'Item', ${MEETING_A}, 0, null, 'action_item')`;
    await tx`delete from public.leads where id = ${LEAD_JANE}`;
    const rows = await tx`select lead_id from public.tasks where meeting_id = ${MEETING_A}`;
    assert.deepEqual(rows.map((r) => r.lead_id), [null, null]);
    // a departing assignee leaves the task unassigned
    await tx`update public.tasks set assignee_id = ${MEMBER.id} where id = ${TASK_A_OWNER}`;
    await tx`delete from public.team_members where team_id = ${TEAM_A} and user_id = ${MEMBER.id}`;
    const [t] = await tx`select assignee_id from public.tasks where id = ${TASK_A_OWNER}`;
    assert.equal(t.assignee_id, null);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Notes

dbTest("crm objects: a member writes notes as themselves; the author or an admin edits and deletes", async () => {
  await scenario(AS_MEMBER, async (tx) => {
    const [note] = await tx`insert into public.lead_notes (team_id, lead_id, body) values (${TEAM_A}, ${LEAD_JANE}, 'Mine')
                            returning id, author_id, source`;
    assert.deepEqual({ author_id: note.author_id, source: note.source }, { author_id: MEMBER.id, source: "person" });
    assert.equal(await affected(tx, `update public.lead_notes set body = 'Mine, edited' where id = '${note.id}'`), 1);
    assert.equal(await affected(tx, `update public.lead_notes set body = 'x' where id = '${NOTE_A_OWNER}'`), 0, "another's");
    assert.equal(await affected(tx, `delete from public.lead_notes where id = '${NOTE_A_OWNER}'`), 0, "another's");
    assert.equal(await affected(tx, `delete from public.lead_notes where id = '${note.id}'`), 1, "own");
    await assertDenied(tx,
      `insert into public.lead_notes (team_id, lead_id, body, author_id) values ('${TEAM_A}', '${LEAD_JANE}', 'x', '${OWNER.id}')`,
      "write as someone else");
    await assertDenied(tx,
      `insert into public.lead_notes (team_id, lead_id, body, source) values ('${TEAM_A}', '${LEAD_JANE}', 'x', 'automation')`,
      "automation source");
    await assertDenied(tx, `update public.lead_notes set author_id = '${MEMBER.id}'`, "take authorship");
    await assertDenied(tx, `update public.lead_notes set lead_id = '${LEAD_TOM}'`, "move a note");
    await assertFails(tx,
      `insert into public.lead_notes (team_id, lead_id, body) values ('${TEAM_A}', '${LEAD_B}', 'x')`, "23503",
      "another team's lead");
    await assertFails(tx, `insert into public.lead_notes (team_id, lead_id, body) values ('${TEAM_A}', '${LEAD_JANE}', ' ')`,
      "23514", "blank note");
    await assertFails(tx,
      `insert into public.lead_notes (team_id, lead_id, body) values ('${TEAM_A}', '${LEAD_JANE}', repeat('x', 20001))`,
      "23514", "note over 20,000");
  });
  await scenario(AS_OWNER, async (tx) => {
    await actAs(tx, "authenticated", AS_MEMBER.claims);
    const [note] = await tx`insert into public.lead_notes (team_id, lead_id, body) values (${TEAM_A}, ${LEAD_JANE}, 'M')
                            returning id`;
    await actAs(tx, "authenticated", AS_OWNER.claims);
    assert.equal(await affected(tx, `update public.lead_notes set body = 'fixed' where id = '${note.id}'`), 1);
    assert.equal(await affected(tx, `delete from public.lead_notes where id = '${note.id}'`), 1);
    assert.equal(await affected(tx, `delete from public.lead_notes where id = '${NOTE_B}'`), 0, "team B's");
  });
  for (const actor of [AS_OUTSIDER, AS_MEMBER, AS_OWNER]) {
    await scenario(actor, async (tx) => {
      await assertDenied(tx, `insert into public.lead_notes (team_id, lead_id, body) values ('${TEAM_B}', '${LEAD_B}', 'x')`,
        `${actor.name} writes in B`);
      assert.equal(await affected(tx, `update public.lead_notes set body = 'x' where id = '${NOTE_B}'`), 0, actor.name);
    });
  }
  await scenario(ANON, async (tx) => {
    await assertDenied(tx, `insert into public.lead_notes (team_id, lead_id, body) values ('${TEAM_A}', '${LEAD_JANE}', 'x')`,
      "anon");
    await assertDenied(tx, `delete from public.lead_notes`, "anon delete");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Stage history

dbTest("crm objects: a stage change is recorded with who made it (and the automation run), read-only to clients", async () => {
  await scenario(AS_MEMBER, async (tx) => {
    await tx`update public.leads set stage = 'won' where id = ${LEAD_JANE}`;
    await tx`update public.leads set name = 'Jane D.' where id = ${LEAD_JANE}`; // no stage change, no row
    await tx`update public.leads set stage = 'won' where id = ${LEAD_JANE}`; // same stage, no row
    const rows = await tx`select from_stage, to_stage, changed_by, automation_run_id from public.lead_stage_changes
                           where lead_id = ${LEAD_JANE}`;
    assert.deepEqual(rows.map((r) => ({ ...r })), [
      { from_stage: "qualified", to_stage: "won", changed_by: MEMBER.id, automation_run_id: null },
    ]);
    await assertDenied(tx,
      `insert into public.lead_stage_changes (team_id, lead_id, from_stage, to_stage) values ('${TEAM_A}', '${LEAD_JANE}', 'new', 'won')`,
      "insert history");
    await assertDenied(tx, `update public.lead_stage_changes set to_stage = 'lost'`, "rewrite history");
    await assertDenied(tx, `delete from public.lead_stage_changes`, "delete history");
  });
  await scenario(SERVICE, async (tx) => {
    const run = "c5900000-0000-4000-8000-000000000001";
    await tx`select set_config('app.automation_run_id', ${run}, true)`;
    await tx`update public.leads set stage = 'proposal' where id = ${LEAD_JANE}`;
    const [row] = await tx`select changed_by, automation_run_id from public.lead_stage_changes
                            where lead_id = ${LEAD_JANE}`;
    assert.deepEqual({ ...row }, { changed_by: null, automation_run_id: run });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Manual meeting links

dbTest("crm objects: members link and unlink a meeting and a lead of their team (matched_email null)", async () => {
  for (const actor of [AS_MEMBER, AS_OWNER]) {
    await scenario(actor, async (tx) => {
      await tx`insert into public.meeting_leads (meeting_id, lead_id, team_id) values (${MEETING_A}, ${LEAD_TOM}, ${TEAM_A})`;
      const [link] = await tx`select matched_email from public.meeting_leads where meeting_id = ${MEETING_A}`;
      assert.equal(link.matched_email, null);
      await assertDenied(tx,
        `insert into public.meeting_leads (meeting_id, lead_id, team_id, matched_email) values ('${MEETING_A}', '${LEAD_JANE}', '${TEAM_A}', 'x@y.example')`,
        "matched_email is the import's");
      await assertFails(tx,
        `insert into public.meeting_leads (meeting_id, lead_id, team_id) values ('${MEETING_A}', '${LEAD_B}', '${TEAM_A}')`,
        "23503", "another team's lead");
      await assertDenied(tx,
        `insert into public.meeting_leads (meeting_id, lead_id, team_id) values ('${MEETING_B}', '${LEAD_B}', '${TEAM_B}')`,
        "a link in another team");
      assert.equal(await affected(tx, `delete from public.meeting_leads where meeting_id = '${MEETING_A}'`), 1);
    });
  }
  for (const actor of [ANON, AS_OUTSIDER]) {
    await scenario(actor, async (tx) => {
      await assertDenied(tx,
        `insert into public.meeting_leads (meeting_id, lead_id, team_id) values ('${MEETING_A}', '${LEAD_TOM}', '${TEAM_A}')`,
        `${actor.name} links`);
      if (actor === ANON) await assertDenied(tx, `delete from public.meeting_leads`, "anon unlinks");
      else assert.equal(await affected(tx, `delete from public.meeting_leads`), 0);
    });
  }
});
