// Tasks as the caller sees and changes them (migration 20261203000100_tasks_and_timeline.sql): every statement runs
// in the caller's asUser transaction, so RLS decides (members read, create and edit; the creator or an admin
// deletes). The Task shape is the CRM API contract's (docs/architecture.md).
import type { Tx } from "../../_shared/db.ts";

export const TASK_SOURCES = ["person", "action_item", "automation"] as const;
export type TaskSource = typeof TASK_SOURCES[number];

/** A team member as the CRM shows one: `name` is the full name, else the e-mail (null when the profile is gone). */
export interface PersonRef {
  id: string;
  name: string | null;
  email: string | null;
}

export interface Task {
  id: string;
  title: string;
  lead: { id: string; name: string } | null;
  meeting: { id: string; title: string } | null;
  action_item_index: number | null;
  assignee: PersonRef | null;
  /** "YYYY-MM-DD" */
  due_on: string | null;
  done: boolean;
  done_at: Date | null;
  source: TaskSource;
  automation_run_id: string | null;
  created_by: string | null;
  created_at: Date;
}

/** `{id, name, email}` of the user `idColumn` names, from the profile joined as `alias` (SQL), or null. */
export function personJson(tx: Tx, idColumn: ReturnType<Tx>, alias: ReturnType<Tx>) {
  return tx`case when ${idColumn} is null then null else json_build_object(
    'id', ${idColumn},
    'name', coalesce(nullif(btrim(${alias}.full_name), ''), ${alias}.email),
    'email', ${alias}.email) end`;
}

/** The Task columns over `t` (tasks); `extra` adds columns (a page's sort keys) before them. */
function taskSelect(tx: Tx, extra = tx``) {
  return tx`
    select ${extra} t.id, t.title,
           case when l.id is null then null else json_build_object('id', l.id, 'name', l.name) end as lead,
           case when m.id is null then null else json_build_object('id', m.id, 'title', m.title) end as meeting,
           t.action_item_index,
           ${personJson(tx, tx`t.assignee_id`, tx`pa`)} as assignee,
           to_char(t.due_on, 'YYYY-MM-DD') as due_on,
           t.done_at is not null as done, t.done_at, t.source, t.automation_run_id, t.created_by, t.created_at
      from public.tasks t
      left join public.leads l on l.id = t.lead_id
      left join public.meetings m on m.id = t.meeting_id
      left join public.profiles pa on pa.id = t.assignee_id`;
}

const timestampText = (tx: Tx, expr: ReturnType<Tx>) =>
  tx`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Where a page starts. Open tasks are read due soon first (due_on asc, no date last), then created_at, id; done
 * tasks newest done first (done_at desc, id desc). Timestamps as text in UTC with microseconds (to_char).
 */
export type TaskKey =
  | { status: "open"; due_on: string | null; created_at: string; id: string }
  | { status: "done"; done_at: string; id: string };

export interface TaskFilter {
  status: "open" | "done";
  /** a member's user id; undefined: everyone's */
  assignee?: string;
  leadId?: string;
  after?: TaskKey;
  limit: number;
}

type TaskRow = Task & { k_due: string | null; k_created: string; k_done: string | null };

/** One page of the team's tasks plus the key to continue after, or null on the last page (keyset, one query). */
export async function listTasks(
  tx: Tx,
  teamId: string,
  filter: TaskFilter,
): Promise<{ tasks: Task[]; next: TaskKey | null }> {
  const open = filter.status === "open";
  const a = filter.after;
  let keyset = tx``;
  if (a?.status === "open") {
    keyset = a.due_on === null
      ? tx`and t.due_on is null
           and (t.created_at, t.id) > (${a.created_at}::text::timestamptz, ${a.id}::uuid)`
      : tx`and (t.due_on > ${a.due_on}::text::date
                or (t.due_on = ${a.due_on}::text::date
                    and (t.created_at, t.id) > (${a.created_at}::text::timestamptz, ${a.id}::uuid))
                or t.due_on is null)`;
  } else if (a?.status === "done") {
    keyset = tx`and (t.done_at, t.id) < (${a.done_at}::text::timestamptz, ${a.id}::uuid)`;
  }
  const rows = await tx<TaskRow[]>`
    ${
    taskSelect(
      tx,
      tx`to_char(t.due_on, 'YYYY-MM-DD') as k_due, ${timestampText(tx, tx`t.created_at`)} as k_created,
         ${timestampText(tx, tx`t.done_at`)} as k_done,`,
    )
  }
     where t.team_id = ${teamId}
       and ${open ? tx`t.done_at is null` : tx`t.done_at is not null`}
       ${filter.assignee ? tx`and t.assignee_id = ${filter.assignee}::uuid` : tx``}
       ${filter.leadId ? tx`and t.lead_id = ${filter.leadId}::uuid` : tx``}
       ${keyset}
     order by ${
    open ? tx`t.due_on asc nulls last, t.created_at asc, t.id asc` : tx`t.done_at desc, t.id desc`
  }
     limit ${filter.limit + 1}`;
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  let next: TaskKey | null = null;
  if (rows.length > filter.limit && last) {
    next = open
      ? { status: "open", due_on: last.k_due, created_at: last.k_created, id: last.id }
      : { status: "done", done_at: last.k_done!, id: last.id };
  }
  return { tasks: page.map(({ k_due: _d, k_created: _c, k_done: _x, ...task }) => task), next };
}

export async function getTask(tx: Tx, teamId: string, taskId: string): Promise<Task | null> {
  const rows = await tx<Task[]>`${taskSelect(tx)} where t.id = ${taskId} and t.team_id = ${teamId}`;
  return rows[0] ?? null;
}

/** Tasks by id (the timeline), in no particular order. */
export async function getTasks(tx: Tx, teamId: string, ids: string[]): Promise<Task[]> {
  if (ids.length === 0) return [];
  return await tx<Task[]>`
    ${taskSelect(tx)}
     where t.team_id = ${teamId} and t.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::text::jsonb)::uuid)`;
}

export interface NewTask {
  title: string;
  lead_id: string | null;
  meeting_id: string | null;
  action_item_index: number | null;
  assignee_id: string | null;
  due_on: string | null;
  done: boolean;
  source: "person" | "action_item";
  source_key: string | null;
}

/**
 * Inserts the task; with a source_key (or an action item already having a task for this lead) a concurrent twin
 * makes this a no-op: null, and the caller reads the one that won.
 */
export async function insertTask(tx: Tx, teamId: string, task: NewTask): Promise<string | null> {
  const rows = await tx<{ id: string }[]>`
    insert into public.tasks (team_id, title, lead_id, meeting_id, action_item_index, assignee_id, due_on, done_at,
                              source, source_key)
    values (${teamId}, ${task.title}, ${task.lead_id}, ${task.meeting_id}, ${task.action_item_index},
            ${task.assignee_id}, ${task.due_on}::text::date, ${task.done ? tx`now()` : tx`null`}, ${task.source},
            ${task.source_key})
    on conflict do nothing
    returning id`;
  return rows[0]?.id ?? null;
}

/** The first task (by creation) made from this action item of the meeting, for `leadId` when given. */
export async function findActionItemTask(
  tx: Tx,
  teamId: string,
  meetingId: string,
  index: number,
  lead?: { id: string | null },
): Promise<string | null> {
  const rows = await tx<{ id: string }[]>`
    select id from public.tasks
     where team_id = ${teamId} and meeting_id = ${meetingId} and action_item_index = ${index}
       ${lead ? tx`and lead_id is not distinct from ${lead.id}::uuid` : tx``}
     order by created_at, id
     limit 1`;
  return rows[0]?.id ?? null;
}

export interface TaskChanges {
  title?: string;
  lead_id?: string | null;
  assignee_id?: string | null;
  due_on?: string | null;
  done?: boolean;
}

/** Applies the changes (none: only touches updated_at); false when the caller cannot see such a task. */
export async function updateTask(tx: Tx, teamId: string, taskId: string, changes: TaskChanges): Promise<boolean> {
  const parts = [
    ...changes.title === undefined ? [] : [tx`title = ${changes.title}`],
    ...changes.lead_id === undefined ? [] : [tx`lead_id = ${changes.lead_id}::uuid`],
    ...changes.assignee_id === undefined ? [] : [tx`assignee_id = ${changes.assignee_id}::uuid`],
    ...changes.due_on === undefined ? [] : [tx`due_on = ${changes.due_on}::text::date`],
    // ticking again keeps the first done_at (and done_by, trigger tasks_done_by)
    ...changes.done === undefined ? [] : [changes.done ? tx`done_at = coalesce(done_at, now())` : tx`done_at = null`],
  ];
  const assignments = parts.length === 0
    ? tx`title = title`
    : parts.reduce((acc, part) => tx`${acc}, ${part}`);
  const rows = await tx`
    update public.tasks set ${assignments}
     where id = ${taskId} and team_id = ${teamId}
    returning id`;
  return rows.length > 0;
}

/** Deletes the task; false when nothing was deleted (unknown, invisible, or RLS refused). */
export async function deleteTask(tx: Tx, teamId: string, taskId: string): Promise<boolean> {
  const rows = await tx`delete from public.tasks where id = ${taskId} and team_id = ${teamId} returning id`;
  return rows.length > 0;
}

export async function taskVisible(tx: Tx, teamId: string, taskId: string): Promise<boolean> {
  const rows = await tx`select 1 from public.tasks where id = ${taskId} and team_id = ${teamId}`;
  return rows.length > 0;
}

/**
 * For the meeting page: per action item index, the task made from it for this meeting (the first by creation when
 * several leads each got one).
 */
export async function actionItemTasks(
  tx: Tx,
  teamId: string,
  meetingId: string,
): Promise<Map<number, { id: string; done: boolean }>> {
  const rows = await tx<{ id: string; action_item_index: number; done: boolean }[]>`
    select distinct on (action_item_index) id, action_item_index, done_at is not null as done
      from public.tasks
     where team_id = ${teamId} and meeting_id = ${meetingId} and action_item_index is not null
     order by action_item_index, created_at, id`;
  return new Map(rows.map((r) => [r.action_item_index, { id: r.id, done: r.done }]));
}
