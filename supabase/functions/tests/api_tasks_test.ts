// The `api` function's task routes against the real DB (migration 20261203000100): create (a person's task, and the
// idempotent task of a meeting's action item, also under two requests at once), the Tasks page's list (mine / all /
// a member's, open / done, due soon first, keyset pages visiting every task once), edit, delete (creator or admin),
// the meeting page's action items carrying their task, and every error of the contract.
import assert from "node:assert/strict";
import { handler } from "../api/handler.ts";
import { ADMIN, callAs, closeAll, MEMBER, OTHER_TEAM, OUTSIDER, resetDb, sql, TEAM, test } from "./helpers.ts";

const JANE = "c0000000-0000-4000-8000-000000000001";
const RAJ = "c0000000-0000-4000-8000-000000000002";
const OTHER_LEAD = "d1000000-0000-4000-8000-000000000001";
const MEETING = "d1300000-0000-4000-8000-000000000001"; // two action items (one blank one in between), linked to Jane
const MEETING_TWO_LEADS = "d1300000-0000-4000-8000-000000000002"; // one item, linked to Jane and Raj
const OTHER_MEETING = "d1300000-0000-4000-8000-000000000003"; // the outsider's team
const TASKS = `/api/teams/${TEAM}/tasks`;

const call = (user: string | null, method: string, path: string, body?: unknown) =>
  callAs(handler, user, method, path, body);

const TASK_KEYS = [
  "action_item_index", "assignee", "automation_run_id", "created_at", "created_by", "done", "done_at", "due_on", "id",
  "lead", "meeting", "source", "title",
];

async function reset() {
  await resetDb();
  await sql`delete from public.tasks where team_id in (${TEAM}, ${OTHER_TEAM})`;
  await sql`delete from public.meetings where id in (${MEETING}, ${MEETING_TWO_LEADS}, ${OTHER_MEETING})`;
  await sql`delete from public.leads where id = ${OTHER_LEAD}`;
  await sql`insert into public.leads (id, team_id, name) values (${OTHER_LEAD}, ${OTHER_TEAM}, 'Other Team Lead')`;
  const items = [
    { description: "Send the proposal to Jane" },
    { description: "   " }, // not shown by the meeting page (wire.ts), so not an index either
    { description: { text: "Book the follow-up" } },
  ];
  await sql`
    insert into public.meetings (id, team_id, provider_meeting_id, title, action_items, source, content_status)
    values (${MEETING}, ${TEAM}, 771001, 'Acme QBR', ${JSON.stringify(items)}::text::jsonb, 'webhook', 'complete'),
           (${MEETING_TWO_LEADS}, ${TEAM}, 771002, 'Joint call', '[{"description":"Share the deck"}]', 'webhook',
            'complete'),
           (${OTHER_MEETING}, ${OTHER_TEAM}, 771003, 'Other', '[{"description":"x"}]', 'webhook', 'complete')`;
  await sql`insert into public.meeting_leads (meeting_id, lead_id, team_id)
            values (${MEETING}, ${JANE}, ${TEAM}), (${MEETING_TWO_LEADS}, ${JANE}, ${TEAM}),
                   (${MEETING_TWO_LEADS}, ${RAJ}, ${TEAM})`;
}

const taskCount = async () => (await sql`select count(*)::int as n from public.tasks where team_id = ${TEAM}`)[0].n;

// --- create --------------------------------------------------------------------------------------------------------

test("tasks create: a member creates a task for a lead, assigned to a member, due on a day -> 201 Task", async () => {
  await reset();
  const res = await call(MEMBER, "POST", TASKS, {
    title: "  Call Jane back ",
    lead_id: JANE,
    assignee_id: ADMIN,
    due_on: "2026-12-24",
  });
  assert.equal(res.status, 201);
  const { task } = res.body;
  assert.deepEqual(Object.keys(task).sort(), TASK_KEYS);
  assert.equal(task.title, "Call Jane back");
  assert.deepEqual(task.lead, { id: JANE, name: "Jane Doe" });
  assert.equal(task.meeting, null);
  assert.equal(task.action_item_index, null);
  assert.deepEqual(task.assignee, { id: ADMIN, name: "Ada Admin", email: "demo-admin@example.com" });
  assert.equal(task.due_on, "2026-12-24");
  assert.equal(task.done, false);
  assert.equal(task.done_at, null);
  assert.equal(task.source, "person");
  assert.equal(task.automation_run_id, null);
  assert.equal(task.created_by, MEMBER);
  // done at creation; no lead, no assignee
  const done = await call(ADMIN, "POST", TASKS, { title: "Done already", done: true });
  assert.equal(done.status, 201);
  assert.equal(done.body.task.done, true);
  assert.ok(done.body.task.done_at);
  const [row] = await sql`select done_by from public.tasks where id = ${done.body.task.id}`;
  assert.equal(row.done_by, ADMIN);
});

test("tasks create: invalid input is 400 invalid_task / invalid_request / not_a_member, 404 for another team's lead or meeting; nothing written", async () => {
  await reset();
  const cases: [unknown, number, string][] = [
    [{}, 400, "invalid_task"],
    [{ title: "   " }, 400, "invalid_task"],
    [{ title: "x".repeat(501) }, 400, "invalid_task"],
    [{ title: "x", due_on: "2026-02-30" }, 400, "invalid_task"],
    [{ title: "x", due_on: "2026-2-3" }, 400, "invalid_task"],
    [{ title: "x", due_on: "0000-01-01" }, 400, "invalid_task"],
    [{ title: "x", action_item_index: 0 }, 400, "invalid_task"], // no meeting
    [{ meeting_id: MEETING, action_item_index: 2 }, 400, "invalid_task"], // two items shown: 0 and 1
    [{ meeting_id: MEETING, action_item_index: -1 }, 400, "invalid_task"],
    [{ meeting_id: MEETING, action_item_index: 0.5 }, 400, "invalid_task"],
    [{ title: 5 }, 400, "invalid_request"],
    [{ title: "x", lead_id: "nope" }, 400, "invalid_request"],
    [{ title: "x", done: "yes" }, 400, "invalid_request"],
    [[], 400, "invalid_request"],
    [{ title: "x", assignee_id: OUTSIDER }, 400, "not_a_member"],
    [{ title: "x", assignee_id: crypto.randomUUID() }, 400, "not_a_member"],
    [{ title: "x", lead_id: OTHER_LEAD }, 404, "lead_not_found"],
    [{ title: "x", meeting_id: OTHER_MEETING }, 404, "meeting_not_found"],
    [{ meeting_id: crypto.randomUUID(), action_item_index: 0 }, 404, "meeting_not_found"],
  ];
  for (const [body, status, code] of cases) {
    const res = await call(MEMBER, "POST", TASKS, body);
    assert.equal(res.status, status, JSON.stringify(body).slice(0, 80));
    assert.equal(res.body.error.code, code, JSON.stringify(body).slice(0, 80));
  }
  assert.equal(await taskCount(), 0);
  // outsiders and strangers learn nothing
  const outsider = await call(OUTSIDER, "POST", TASKS, { title: "x" });
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "team_not_found");
  assert.equal((await call(OUTSIDER, "GET", TASKS)).status, 404);
  assert.equal((await call(null, "GET", TASKS)).status, 401);
  assert.equal(await taskCount(), 0);
});

test("tasks create: ticking an action item makes its task once (title and lead from the meeting), then answers it with done", async () => {
  await reset();
  const first = await call(MEMBER, "POST", TASKS, { meeting_id: MEETING, action_item_index: 1, done: true });
  assert.equal(first.status, 201);
  const { task } = first.body;
  assert.equal(task.title, "Book the follow-up"); // index 1 as the meeting page shows it (the blank item skipped)
  assert.deepEqual(task.lead, { id: JANE, name: "Jane Doe" }); // the meeting's only linked lead
  assert.deepEqual(task.meeting, { id: MEETING, title: "Acme QBR" });
  assert.equal(task.action_item_index, 1);
  assert.equal(task.source, "action_item");
  assert.equal(task.done, true);
  // again: the same task (200), unticked
  const again = await call(ADMIN, "POST", TASKS, { meeting_id: MEETING, action_item_index: 1, done: false });
  assert.equal(again.status, 200);
  assert.equal(again.body.task.id, task.id);
  assert.equal(again.body.task.done, false);
  // without done: returned as it is
  const third = await call(MEMBER, "POST", TASKS, { meeting_id: MEETING, action_item_index: 1 });
  assert.equal(third.status, 200);
  assert.equal(third.body.task.done, false);
  assert.equal(await taskCount(), 1);
  // a meeting with two leads: no lead by default
  const joint = await call(MEMBER, "POST", TASKS, { meeting_id: MEETING_TWO_LEADS, action_item_index: 0 });
  assert.equal(joint.status, 201);
  assert.equal(joint.body.task.lead, null);
  assert.equal(joint.body.task.title, "Share the deck");
  // the meeting page: each item carries its task
  const page = await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings/${MEETING}`);
  assert.equal(page.status, 200);
  assert.deepEqual(page.body.meeting.action_items.map((i: { task: unknown }) => i.task), [
    null,
    { id: task.id, done: false, assignee: null, due_on: null },
  ]);
  // with an assignee and a due date, the meeting page shows them without asking the tasks list
  await call(ADMIN, "PATCH", `${TASKS}/${task.id}`, { assignee_id: MEMBER, due_on: "2026-12-24" });
  const after = await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings/${MEETING}`);
  const shown = after.body.meeting.action_items[1].task;
  assert.equal(shown.due_on, "2026-12-24");
  assert.equal(shown.assignee.id, MEMBER);
});

test("tasks create: two requests ticking the same action item at once make one task", async () => {
  await reset();
  for (let round = 0; round < 3; round++) {
    await sql`delete from public.tasks where meeting_id = ${MEETING}`;
    const [a, b] = await Promise.all([
      call(MEMBER, "POST", TASKS, { meeting_id: MEETING, action_item_index: 0, done: true }),
      call(ADMIN, "POST", TASKS, { meeting_id: MEETING, action_item_index: 0, done: true }),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [200, 201], JSON.stringify([a.body, b.body]));
    assert.equal(a.body.task.id, b.body.task.id);
    const rows = await sql`select id from public.tasks where meeting_id = ${MEETING} and action_item_index = 0`;
    assert.equal(rows.length, 1);
  }
});

// --- list ------------------------------------------------------------------------------------------------------------

test("tasks list: mine by default, open, due soon first (no date last); all, a member's, done, by lead", async () => {
  await reset();
  const make = async (user: string, body: Record<string, unknown>) => {
    const res = await call(user, "POST", TASKS, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.task.id as string;
  };
  const late = await make(MEMBER, { title: "late", assignee_id: MEMBER, due_on: "2027-01-10" });
  const none = await make(MEMBER, { title: "no date", assignee_id: MEMBER });
  const soon = await make(ADMIN, { title: "soon", assignee_id: MEMBER, due_on: "2026-12-01", lead_id: JANE });
  const admins = await make(ADMIN, { title: "admin's", assignee_id: ADMIN, due_on: "2026-11-01" });
  const unassigned = await make(ADMIN, { title: "nobody's" });
  const doneOld = await make(MEMBER, { title: "done 1", assignee_id: MEMBER, done: true });
  const doneNew = await make(MEMBER, { title: "done 2", assignee_id: ADMIN, done: true, lead_id: JANE });
  const ids = async (user: string, query = "") => {
    const res = await call(user, "GET", `${TASKS}${query}`);
    assert.equal(res.status, 200, query);
    return res.body.tasks.map((t: { id: string }) => t.id);
  };
  assert.deepEqual(await ids(MEMBER), [soon, late, none]);
  assert.deepEqual(await ids(MEMBER, "?assignee=me&status=open"), [soon, late, none]);
  assert.deepEqual(await ids(ADMIN), [admins]);
  assert.deepEqual(await ids(MEMBER, "?assignee=all"), [admins, soon, late, none, unassigned]);
  assert.deepEqual(await ids(ADMIN, `?assignee=${MEMBER}`), [soon, late, none]);
  assert.deepEqual(await ids(MEMBER, "?assignee=all&status=done"), [doneNew, doneOld]);
  assert.deepEqual(await ids(MEMBER, "?status=done"), [doneOld]);
  assert.deepEqual(await ids(MEMBER, `?assignee=all&lead_id=${JANE}`), [soon]);
  assert.deepEqual(await ids(MEMBER, `?assignee=all&status=done&lead_id=${JANE}`), [doneNew]);
  for (const bad of ["?assignee=nobody", "?status=all", "?limit=0", "?limit=201", "?lead_id=x", "?cursor=bm9wZQ"]) {
    const res = await call(MEMBER, "GET", `${TASKS}${bad}`);
    assert.equal(res.status, 400, bad);
    assert.equal(res.body.error.code, "invalid_request", bad);
  }
});

test("tasks list: keyset pages visit every task exactly once, in order, ties and no-date tasks included", async () => {
  await reset();
  // 23 open tasks: days with ties, created in one statement (equal created_at: the id decides), some without a day
  await sql`
    insert into public.tasks (team_id, title, due_on, created_by, created_at)
    select ${TEAM}, 'open ' || i, case when i % 5 = 0 then null else date '2026-12-01' + (i % 3) end, ${ADMIN},
           timestamptz '2026-11-01 10:00:00+00' + (i % 2) * interval '1 microsecond'
      from generate_series(1, 23) i`;
  await sql`
    insert into public.tasks (team_id, title, done_at, created_by)
    select ${TEAM}, 'done ' || i, timestamptz '2026-11-20 10:00:00+00' + (i % 4) * interval '1 second', ${ADMIN}
      from generate_series(1, 11) i`;
  for (const status of ["open", "done"] as const) {
    const expected = (await sql`
      select id from public.tasks where team_id = ${TEAM} and (done_at is null) = ${status === "open"}
       order by ${
      status === "open" ? sql`due_on asc nulls last, created_at, id` : sql`done_at desc, id desc`
    }`).map((r) => r.id);
    for (const limit of [1, 4, 7, 50]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { status: number; body: { tasks: { id: string }[]; next_cursor: string | null } } = await call(
          MEMBER,
          "GET",
          `${TASKS}?assignee=all&status=${status}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
        );
        assert.equal(res.status, 200);
        assert.ok(res.body.tasks.length <= limit);
        seen.push(...res.body.tasks.map((t) => t.id));
        cursor = res.body.next_cursor;
        pages++;
        assert.ok(pages < 100, "paging terminates");
      } while (cursor);
      assert.deepEqual(seen, expected, `${status} limit ${limit}`);
    }
  }
  // a cursor of the open list does not page the done list
  const open = await call(MEMBER, "GET", `${TASKS}?assignee=all&limit=1`);
  const wrong = await call(MEMBER, "GET", `${TASKS}?assignee=all&status=done&cursor=${open.body.next_cursor}`);
  assert.equal(wrong.status, 400);
});

// --- edit and delete ---------------------------------------------------------------------------------------------------

test("tasks patch: title, assignee and due date set and cleared, done and undone (who and when), lead changed", async () => {
  await reset();
  const created = await call(ADMIN, "POST", TASKS, { title: "Edit me", assignee_id: ADMIN, due_on: "2026-12-01" });
  const path = `${TASKS}/${created.body.task.id}`;
  const edited = await call(MEMBER, "PATCH", path, { title: " Edited ", assignee_id: MEMBER, lead_id: RAJ, done: true });
  assert.equal(edited.status, 200);
  assert.equal(edited.body.task.title, "Edited");
  assert.equal(edited.body.task.assignee.id, MEMBER);
  assert.deepEqual(edited.body.task.lead, { id: RAJ, name: "Raj Patel" });
  assert.equal(edited.body.task.done, true);
  const [row] = await sql`select done_by, done_at from public.tasks where id = ${created.body.task.id}`;
  assert.equal(row.done_by, MEMBER);
  // ticking again keeps the first time
  const again = await call(ADMIN, "PATCH", path, { done: true });
  assert.equal(new Date(again.body.task.done_at).getTime(), row.done_at.getTime());
  const [still] = await sql`select done_by from public.tasks where id = ${created.body.task.id}`;
  assert.equal(still.done_by, MEMBER);
  const cleared = await call(MEMBER, "PATCH", path, { assignee_id: null, due_on: null, lead_id: null, done: false });
  assert.equal(cleared.status, 200);
  assert.deepEqual(
    [cleared.body.task.assignee, cleared.body.task.due_on, cleared.body.task.lead, cleared.body.task.done_at],
    [null, null, null, null],
  );
  const cases: [unknown, number, string][] = [
    [{ title: "" }, 400, "invalid_task"],
    [{ due_on: "2026-13-01" }, 400, "invalid_task"],
    [{ assignee_id: OUTSIDER }, 400, "not_a_member"],
    [{ lead_id: OTHER_LEAD }, 404, "lead_not_found"],
    [{ done: 1 }, 400, "invalid_request"],
  ];
  for (const [body, status, code] of cases) {
    const res = await call(MEMBER, "PATCH", path, body);
    assert.equal(res.status, status, JSON.stringify(body));
    assert.equal(res.body.error.code, code, JSON.stringify(body));
  }
  const [unchanged] = await sql`select title from public.tasks where id = ${created.body.task.id}`;
  assert.equal(unchanged.title, "Edited");
  const missing = await call(MEMBER, "PATCH", `${TASKS}/${crypto.randomUUID()}`, { title: "x" });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, "task_not_found");
});

test("tasks delete: its creator or an admin (204); another member 403 forbidden; unknown 404 task_not_found", async () => {
  await reset();
  const admins = (await call(ADMIN, "POST", TASKS, { title: "Admin's" })).body.task.id;
  const members = (await call(MEMBER, "POST", TASKS, { title: "Member's" })).body.task.id;
  const forbidden = await call(MEMBER, "DELETE", `${TASKS}/${admins}`);
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.body.error.code, "forbidden");
  assert.equal((await call(MEMBER, "DELETE", `${TASKS}/${members}`)).status, 204);
  const again = await call(MEMBER, "DELETE", `${TASKS}/${members}`);
  assert.equal(again.status, 404);
  assert.equal(again.body.error.code, "task_not_found");
  const other = (await call(MEMBER, "POST", TASKS, { title: "Member's 2" })).body.task.id;
  assert.equal((await call(ADMIN, "DELETE", `${TASKS}/${other}`)).status, 204);
  assert.equal((await call(ADMIN, "DELETE", `${TASKS}/${admins}`)).status, 204);
  assert.equal(await taskCount(), 0);
});

test("tasks: cleanup", async () => {
  await sql`delete from public.tasks where team_id in (${TEAM}, ${OTHER_TEAM})`;
  await sql`delete from public.meetings where id in (${MEETING}, ${MEETING_TWO_LEADS}, ${OTHER_MEETING})`;
  await sql`delete from public.leads where id = ${OTHER_LEAD}`;
  await resetDb({ dropOtherTeam: true });
  await closeAll();
});
