// A team's tasks: the Tasks page's list (mine / all / one member's, open / done, keyset pages), create (also by
// ticking a meeting's action item: idempotent), edit, delete. Any member creates and edits; the creator or an admin
// deletes (RLS decides; the handlers only explain a refusal). Shapes and errors: the CRM API contract in
// docs/architecture.md.
//
// Errors: 400 invalid_request (a body or query of the wrong shape), 400 invalid_task (title not 1-500 characters
// after trim, due_on not a real YYYY-MM-DD date, action_item_index not an item of the meeting, or given without
// meeting_id), 400 not_a_member (assignee_id), 404 lead_not_found / meeting_not_found / task_not_found, 403 forbidden.
import { z } from "zod";
import type { Tx } from "../../_shared/db.ts";
import { AppError } from "../../_shared/errors.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { decodeJsonCursor, encodeJsonCursor, isSortKeyTimestamp, parseQuery } from "./common.ts";
import { isTeamMember, leadVisible } from "./leads_store.ts";
import { meetingForTasks } from "./meetings_store.ts";
import {
  deleteTask,
  findActionItemTask,
  getTask,
  insertTask,
  listTasks,
  type Task,
  type TaskChanges,
  type TaskKey,
  taskVisible,
  updateTask,
} from "./tasks_store.ts";
import { teamRoute } from "./team_route.ts";

export const TASKS_PAGE_SIZE = 50;
export const TASKS_PAGE_MAX = 200;
export const TASK_TITLE_MAX = 500;

// --- validation --------------------------------------------------------------------------------------------------

/** "YYYY-MM-DD" naming a day that exists (years 0001-9999): the rule of the cursors' timestamps, at midnight. */
export function isDateOnly(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && isSortKeyTimestamp(`${value}T00:00:00.000000Z`);
}

const lowerUuid = z.uuid().transform((v) => v.toLowerCase());

// Types only: the value rules (title length, real dates, the item's index) are invalid_task, checked below.
const createSchema = z.object({
  title: z.string().optional(),
  lead_id: lowerUuid.nullable().optional(),
  meeting_id: lowerUuid.nullable().optional(),
  action_item_index: z.number().nullable().optional(),
  assignee_id: lowerUuid.nullable().optional(),
  due_on: z.string().nullable().optional(),
  done: z.boolean().optional(),
});

const patchSchema = z.object({
  title: z.string().optional(),
  lead_id: lowerUuid.nullable().optional(),
  assignee_id: lowerUuid.nullable().optional(),
  due_on: z.string().nullable().optional(),
  done: z.boolean().optional(),
});

function checkTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed.length < 1 || trimmed.length > TASK_TITLE_MAX) {
    throw new AppError("invalid_task", `title must be 1-${TASK_TITLE_MAX} characters.`);
  }
  return trimmed;
}

function checkDueOn(dueOn: string | null | undefined): string | null | undefined {
  if (dueOn === null || dueOn === undefined) return dueOn;
  if (!isDateOnly(dueOn)) throw new AppError("invalid_task", "due_on must be a date (YYYY-MM-DD).");
  return dueOn;
}

/** An action item's text as a task title: its first 500 characters, whitespace folded. */
function titleFromItem(text: string): string {
  return [...text.replace(/\s+/g, " ").trim()].slice(0, TASK_TITLE_MAX).join("");
}

const ASSIGNEES = z.union([z.enum(["me", "all"]), lowerUuid]);

const listQuery = z.object({
  assignee: ASSIGNEES.default("me"),
  status: z.enum(["open", "done"]).default("open"),
  lead_id: lowerUuid.optional(),
  limit: z.string().regex(/^\d{1,3}$/).transform(Number).pipe(z.number().int().min(1).max(TASKS_PAGE_MAX))
    .default(TASKS_PAGE_SIZE),
  cursor: z.string().max(1000).optional().transform((v) => v || undefined),
});

const timestamp = z.string().refine(isSortKeyTimestamp);
/** base64url(JSON ["open", due_on | null, created_at, id] or ["done", done_at, id]) */
const cursorSchema = z.union([
  z.tuple([z.literal("open"), z.string().refine(isDateOnly).nullable(), timestamp, z.uuid()]),
  z.tuple([z.literal("done"), timestamp, z.uuid()]),
]);

export function encodeTaskCursor(key: TaskKey): string {
  return encodeJsonCursor(
    key.status === "open" ? ["open", key.due_on, key.created_at, key.id] : ["done", key.done_at, key.id],
  );
}

export function decodeTaskCursor(cursor: string): TaskKey {
  const value = decodeJsonCursor(cursor, cursorSchema);
  return value[0] === "open"
    ? { status: "open", due_on: value[1], created_at: value[2], id: value[3].toLowerCase() }
    : { status: "done", done_at: value[1], id: value[2].toLowerCase() };
}

// --- domain steps (inside the caller's transaction) ----------------------------------------------------------------

async function checkAssignee(tx: Tx, teamId: string, assigneeId: string | null | undefined): Promise<void> {
  if (assigneeId && !await isTeamMember(tx, teamId, assigneeId)) {
    throw new AppError("not_a_member", "assignee_id must be a member of this team.");
  }
}

async function checkLead(tx: Tx, teamId: string, leadId: string | null | undefined): Promise<void> {
  if (leadId && !await leadVisible(tx, teamId, leadId)) throw new AppError("lead_not_found", "Lead not found.");
}

async function mustGetTask(tx: Tx, teamId: string, taskId: string): Promise<Task> {
  const task = await getTask(tx, teamId, taskId);
  if (!task) throw new AppError("task_not_found", "Task not found.");
  return task;
}

/**
 * The assignee removed from the team between checkAssignee and the write (foreign key tasks_assignee_is_member,
 * 23503) is the same 400 not_a_member; a lead deleted meanwhile (tasks_lead_of_team) 404 lead_not_found.
 */
async function mappingTaskConflicts<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const e = err as { code?: string; constraint_name?: string };
    if (e.code === "23503" && e.constraint_name === "tasks_assignee_is_member") {
      throw new AppError("not_a_member", "assignee_id must be a member of this team.");
    }
    if (e.code === "23503" && e.constraint_name === "tasks_lead_of_team") {
      throw new AppError("lead_not_found", "Lead not found.");
    }
    throw err;
  }
}

// --- handlers ----------------------------------------------------------------------------------------------------

const listTeamTasks = teamRoute(async ({ req, teamId, claims, asMember }) => {
  const query = parseQuery(req, listQuery);
  const after = query.cursor ? decodeTaskCursor(query.cursor) : undefined;
  if (after && after.status !== query.status) throw new AppError("invalid_request", "cursor belongs to another list.");
  const assignee = query.assignee === "me" ? claims.sub : query.assignee === "all" ? undefined : query.assignee;
  const page = await asMember((tx) =>
    listTasks(tx, teamId, { status: query.status, assignee, leadId: query.lead_id, after, limit: query.limit })
  );
  return jsonResponse({ tasks: page.tasks, next_cursor: page.next ? encodeTaskCursor(page.next) : null });
});

/**
 * Create. With meeting_id + action_item_index (ticking an action item): the title defaults to the item's text and
 * the lead to the meeting's only linked lead; a task already made from that item (for that lead when lead_id is
 * given) is answered 200 instead, updated with `done` when given. Two such requests at once make one task: the
 * insert is keyed (`action_item:<meeting>:<index>:<lead>`, on conflict do nothing) and the loser reads the winner's.
 */
const createTask = teamRoute(async ({ teamId, body, asMember }) => {
  const input = await body(createSchema);
  if (input.action_item_index != null && !input.meeting_id) {
    throw new AppError("invalid_task", "action_item_index needs meeting_id.");
  }
  const title = input.title === undefined ? undefined : checkTitle(input.title);
  const dueOn = checkDueOn(input.due_on) ?? null;
  const { task, created } = await mappingTaskConflicts(() =>
    asMember(async (tx) => {
      await checkAssignee(tx, teamId, input.assignee_id);
      await checkLead(tx, teamId, input.lead_id);
      const meeting = input.meeting_id ? await meetingForTasks(tx, teamId, input.meeting_id) : null;
      if (input.meeting_id && !meeting) throw new AppError("meeting_not_found", "Meeting not found.");
      const index = input.action_item_index;
      if (meeting && index != null) {
        if (!Number.isInteger(index) || index < 0 || index >= meeting.action_items.length) {
          throw new AppError("invalid_task", "action_item_index is not an action item of this meeting.");
        }
        const leadId = input.lead_id !== undefined ? input.lead_id : meeting.lead_ids.length === 1
          ? meeting.lead_ids[0]
          : null;
        const explicitLead = input.lead_id !== undefined ? { id: input.lead_id } : undefined;
        const existing = await findActionItemTask(tx, teamId, meeting.id, index, explicitLead);
        if (existing) {
          if (input.done !== undefined) await updateTask(tx, teamId, existing, { done: input.done });
          return { task: await mustGetTask(tx, teamId, existing), created: false };
        }
        const id = await insertTask(tx, teamId, {
          title: title ?? (titleFromItem(meeting.action_items[index]) || `Action item ${index + 1}`),
          lead_id: leadId,
          meeting_id: meeting.id,
          action_item_index: index,
          assignee_id: input.assignee_id ?? null,
          due_on: dueOn,
          done: input.done ?? false,
          source: "action_item",
          source_key: `action_item:${meeting.id}:${index}:${leadId ?? "none"}`,
        });
        if (id) return { task: await mustGetTask(tx, teamId, id), created: true };
        // a concurrent request made it first (its insert committed before ours gave way)
        const winner = await findActionItemTask(tx, teamId, meeting.id, index, explicitLead);
        if (!winner) throw new AppError("concurrent_change", "The task changed meanwhile; try again.");
        if (input.done !== undefined) await updateTask(tx, teamId, winner, { done: input.done });
        return { task: await mustGetTask(tx, teamId, winner), created: false };
      }
      if (title === undefined) throw new AppError("invalid_task", "title must be 1-500 characters.");
      const id = await insertTask(tx, teamId, {
        title,
        lead_id: input.lead_id ?? null,
        meeting_id: meeting?.id ?? null,
        action_item_index: null,
        assignee_id: input.assignee_id ?? null,
        due_on: dueOn,
        done: input.done ?? false,
        source: "person",
        source_key: null,
      });
      return { task: await mustGetTask(tx, teamId, id!), created: true };
    })
  );
  return jsonResponse({ task }, created ? 201 : 200);
});

const patchTask = teamRoute(async ({ teamId, uuid, body, asMember }) => {
  const taskId = uuid("taskId");
  const input = await body(patchSchema);
  const changes: TaskChanges = {
    title: input.title === undefined ? undefined : checkTitle(input.title),
    lead_id: input.lead_id,
    assignee_id: input.assignee_id,
    due_on: checkDueOn(input.due_on),
    done: input.done,
  };
  const task = await mappingTaskConflicts(() =>
    asMember(async (tx) => {
      if (!await taskVisible(tx, teamId, taskId)) throw new AppError("task_not_found", "Task not found.");
      await checkAssignee(tx, teamId, input.assignee_id);
      await checkLead(tx, teamId, input.lead_id);
      if (!await updateTask(tx, teamId, taskId, changes)) throw new AppError("task_not_found", "Task not found.");
      return await mustGetTask(tx, teamId, taskId);
    })
  );
  return jsonResponse({ task });
});

// The creator or an admin, by RLS; the member gate keeps "no such task" a 404 for everyone in the team.
const removeTask = teamRoute(async ({ teamId, uuid, asMember }) => {
  const taskId = uuid("taskId");
  await asMember(async (tx) => {
    if (await deleteTask(tx, teamId, taskId)) return;
    if (await taskVisible(tx, teamId, taskId)) {
      throw new AppError("forbidden", "Only the task's creator or a team admin can delete it.");
    }
    throw new AppError("task_not_found", "Task not found.");
  });
  return new Response(null, { status: 204 });
});

export const taskRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/tasks", handler: listTeamTasks },
  { method: "POST", path: "/api/teams/:teamId/tasks", handler: createTask },
  { method: "PATCH", path: "/api/teams/:teamId/tasks/:taskId", handler: patchTask },
  { method: "DELETE", path: "/api/teams/:teamId/tasks/:taskId", handler: removeTask },
];
