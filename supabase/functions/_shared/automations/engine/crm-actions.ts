// The CRM actions (create_tasks, add_note, set_stage): each writes its rows in the caller's transaction, which
// also marks the step succeeded (execute.ts), so the write and "done" commit together or not at all. Every row
// carries the key automation:<run>:<step>[:<item>] (tasks.source_key / lead_notes.source_key, unique per team) and
// is inserted `on conflict do nothing`: a step executed again (a reclaimed lease) finds its rows and creates none.
// Before writing, the transaction names its cause (setCause): lead_stage_changes records the run and the outbox
// records the event as source automation with depth + 1, which is what the loop guard reads.
import type { Tx } from "../../db.ts";
import { AppError } from "../../errors.ts";
import type { RunContext } from "../context.ts";
import type { Stage } from "../context.ts";
import { type ResolvedInput, stageDecision } from "./resolve.ts";

export interface StepRef {
  runId: string;
  teamId: string;
  stepIndex: number;
  /** the run's event depth; changes made here are depth + 1 */
  depth: number;
  context: RunContext;
}

export const sourceKey = (ref: Pick<StepRef, "runId" | "stepIndex">, item?: number) =>
  `automation:${ref.runId}:${ref.stepIndex}${item === undefined ? "" : `:${item}`}`;

/** set_config(..., true): local to this transaction, so a pooled connection carries nothing to the next one. */
export async function setCause(tx: Tx, ref: Pick<StepRef, "runId" | "depth">): Promise<void> {
  await tx`select set_config('app.automation_run_id', ${ref.runId}, true),
                  set_config('app.automation_depth', ${String(ref.depth + 1)}, true)`;
}

async function leadExists(tx: Tx, teamId: string, leadId: string | undefined): Promise<string> {
  const rows = leadId ? await tx`select stage from public.leads where id = ${leadId} and team_id = ${teamId} for update` : [];
  if (rows.length === 0) throw new AppError("lead_not_found", "The lead is gone.");
  return rows[0].stage;
}

/** Why a task got its assignee, in the order the engine tries them (createTasks). */
export type AssigneeReason =
  /** the action item names an assignee whose e-mail is a team member's */
  | "action_item_assignee"
  /** the lead's owner (still a member of the team) */
  | "lead_owner"
  /** the rule's fallback_assignee_id (still a member of the team) */
  | "rule_default"
  /** none of the three: the task has no assignee */
  | "nobody";

/** One task of a create_tasks step's output. */
export interface TaskOutcome {
  id: string;
  item_index: number;
  title: string;
  lead_id: string;
  assignee: { id: string; name: string | null } | null;
  /** null for a task that already existed (its assignee is whoever it had) */
  assignee_reason: AssigneeReason | null;
  /** YYYY-MM-DD or null */
  due_on: string | null;
  /** "created" by this step now; "already_existed": the key or the (meeting, item, lead) slot found it */
  outcome: "created" | "already_existed";
  /** already_existed only: who made it (tasks.source) and the run that did, when a run did (maybe this one) */
  made_by?: { source: string; automation_run_id: string | null };
}

/** A task's assignee as the engine picks it: the member (and their display name) and why. */
export interface AssigneePick {
  id: string | null;
  /** the member's full name, else e-mail; null for nobody */
  name: string | null;
  reason: AssigneeReason;
}

/**
 * The engine's assignee rule for create_tasks, with the team's members read once: the member whose e-mail is the
 * action item's assignee's (case-insensitive), else the lead's owner (`ownerId`) if still a member, else
 * `fallbackId` if still a member, else nobody. Used by runs (createTasks) and by the dry run, so both say the same.
 */
export async function assigneePicker(
  tx: Tx,
  teamId: string,
  ownerId: string | null,
  fallbackId: string | null,
): Promise<(email: string | null) => AssigneePick> {
  const members = await tx<{ user_id: string; email: string | null; name: string | null }[]>`
    select tm.user_id, lower(p.email) as email, coalesce(nullif(trim(p.full_name), ''), p.email) as name
      from public.team_members tm left join public.profiles p on p.id = tm.user_id
     where tm.team_id = ${teamId}`;
  const names = new Map(members.map((m) => [m.user_id, m.name]));
  const byEmail = new Map(members.filter((m) => m.email).map((m) => [m.email!, m.user_id]));
  const as = (id: string, reason: AssigneeReason): AssigneePick => ({ id, name: names.get(id) ?? null, reason });
  return (email) => {
    const matched = email ? byEmail.get(email.trim().toLowerCase()) : undefined;
    if (matched) return as(matched, "action_item_assignee");
    if (ownerId && names.has(ownerId)) return as(ownerId, "lead_owner");
    if (fallbackId && names.has(fallbackId)) return as(fallbackId, "rule_default");
    return { id: null, name: null, reason: "nobody" };
  };
}

/** A task the dry run would create: TaskOutcome's fields without an id (nothing is written). */
export interface PlannedTask {
  item_index: number;
  title: string;
  lead_id: string | null;
  assignee: { id: string; name: string | null } | null;
  assignee_reason: AssigneeReason;
  /** YYYY-MM-DD (the database's current_date + due_in_days) or null */
  due_on: string | null;
}

/** The tasks a create_tasks step would make for this context, assignees picked as a run picks them. */
export async function planTasks(
  tx: Tx,
  teamId: string,
  context: RunContext,
  input: Extract<ResolvedInput, { type: "create_tasks" }>,
): Promise<PlannedTask[]> {
  const pick = await assigneePicker(tx, teamId, context.lead?.owner_id ?? null, input.fallback_assignee_id);
  const [due] = input.due_in_days === null
    ? [{ due_on: null }]
    : await tx<{ due_on: string }[]>`select to_char(current_date + ${input.due_in_days}::int, 'YYYY-MM-DD') as due_on`;
  return input.items.map((item) => {
    const a = pick(item.assignee_email);
    return {
      item_index: item.index,
      title: item.title,
      lead_id: context.lead?.id ?? null,
      assignee: a.id ? { id: a.id, name: a.name } : null,
      assignee_reason: a.reason,
      due_on: due.due_on,
    };
  });
}

/**
 * One task per open action item, for the run's lead and meeting. Assignee: the member whose e-mail is the item's
 * assignee's, else the lead's owner, else fallback_assignee_id if still a member, else nobody (AssigneeReason).
 * Output: `{created, tasks: TaskOutcome[]}` (tasks that already existed, by key or as the task of the same
 * (meeting, item, lead) made by a person or another run, are listed as already_existed and not counted in
 * created); a row this run did not write holding one of its keys is also named in
 * `already_there: ["already there: task <id>"]`, present only when there is one.
 */
async function createTasks(tx: Tx, ref: StepRef, input: Extract<ResolvedInput, { type: "create_tasks" }>) {
  const leadId = ref.context.lead?.id;
  const meetingId = ref.context.meeting?.id;
  await leadExists(tx, ref.teamId, leadId);
  const [meeting] = meetingId ? await tx`select 1 from public.meetings where id = ${meetingId} and team_id = ${ref.teamId}` : [];
  if (!meeting) throw new AppError("meeting_not_found", "The meeting is gone.");
  const pick = await assigneePicker(tx, ref.teamId, ref.context.lead?.owner_id ?? null, input.fallback_assignee_id);
  let created = 0;
  const alreadyThere: string[] = [];
  const createdNow = new Map<string, AssigneeReason>();
  for (const item of input.items) {
    const assignee = pick(item.assignee_email);
    const rows = await tx<{ id: string }[]>`
      insert into public.tasks (team_id, lead_id, meeting_id, action_item_index, title, assignee_id, due_on, source,
                                automation_run_id, source_key)
      values (${ref.teamId}, ${leadId!}, ${meetingId!}, ${item.index}, ${item.title}, ${assignee.id},
              ${input.due_in_days === null ? null : tx`current_date + ${input.due_in_days}::int`}, 'automation',
              ${ref.runId}, ${sourceKey(ref, item.index)})
      on conflict do nothing
      returning id`;
    created += rows.length;
    if (rows.length === 1) createdNow.set(rows[0].id, assignee.reason);
    if (rows.length === 0) {
      // not ours: a row this run did not write holds the key or the (meeting, item, lead) slot; say which
      const [other] = await tx<{ id: string }[]>`
        select id from public.tasks
         where team_id = ${ref.teamId}
           and (source_key = ${sourceKey(ref, item.index)}
                or (meeting_id = ${meetingId!} and action_item_index = ${item.index} and lead_id = ${leadId!}))
           and automation_run_id is distinct from ${ref.runId}::uuid
         order by created_at, id
         limit 1`;
      if (other) alreadyThere.push(`already there: task ${other.id}`);
    }
  }
  const indices = input.items.map((i) => i.index);
  const rows = indices.length === 0 ? [] : await tx<{
    id: string;
    item_index: number;
    title: string;
    lead_id: string;
    assignee_id: string | null;
    assignee_name: string | null;
    due_on: string | null;
    source: string;
    automation_run_id: string | null;
  }[]>`
    select t.id, t.action_item_index as item_index, t.title, t.lead_id, t.assignee_id,
           coalesce(nullif(trim(p.full_name), ''), p.email) as assignee_name,
           to_char(t.due_on, 'YYYY-MM-DD') as due_on, t.source, t.automation_run_id
      from public.tasks t left join public.profiles p on p.id = t.assignee_id
     where t.team_id = ${ref.teamId} and t.meeting_id = ${meetingId!} and t.lead_id = ${leadId!}
       and t.action_item_index in ${tx(indices)}
     order by t.action_item_index`;
  const tasks: TaskOutcome[] = rows.map((t) => {
    const reason = createdNow.get(t.id);
    const base = {
      id: t.id,
      item_index: t.item_index,
      title: t.title,
      lead_id: t.lead_id,
      assignee: t.assignee_id ? { id: t.assignee_id, name: t.assignee_name } : null,
      due_on: t.due_on,
    };
    return reason
      ? { ...base, assignee_reason: reason, outcome: "created" }
      : {
        ...base,
        assignee_reason: null,
        outcome: "already_existed",
        made_by: { source: t.source, automation_run_id: t.automation_run_id },
      };
  });
  return { created, tasks, ...(alreadyThere.length ? { already_there: alreadyThere } : {}) };
}

/** A note on the run's lead (source automation). Output `{note_id, created}`. */
async function addNote(tx: Tx, ref: StepRef, input: Extract<ResolvedInput, { type: "add_note" }>) {
  const leadId = ref.context.lead?.id;
  await leadExists(tx, ref.teamId, leadId);
  if (!input.body.trim()) throw new AppError("invalid_request", "The note's text is empty once rendered.");
  const key = sourceKey(ref);
  const inserted = await tx`
    insert into public.lead_notes (team_id, lead_id, body, author_id, source, automation_run_id, source_key)
    values (${ref.teamId}, ${leadId!}, ${input.body}, null, 'automation', ${ref.runId}, ${key})
    on conflict do nothing
    returning id`;
  const [note] = inserted.length ? inserted : await tx`select id from public.lead_notes where team_id = ${ref.teamId} and source_key = ${key}`;
  return { note_id: note?.id ?? null, created: inserted.length > 0 };
}

/** Moves the lead's stage (never backwards unless allowed). Output `{from, to}` or `{unchanged, reason}`. */
async function setStage(tx: Tx, ref: StepRef, input: Extract<ResolvedInput, { type: "set_stage" }>) {
  const leadId = ref.context.lead?.id;
  const from = await leadExists(tx, ref.teamId, leadId);
  const move = stageDecision(from as Stage, input.stage as Stage, input.allow_backwards);
  if (!move.move) return { unchanged: from, reason: move.reason };
  await tx`update public.leads set stage = ${input.stage} where id = ${leadId!} and team_id = ${ref.teamId}`;
  return { from, to: input.stage };
}

export const CRM_ACTIONS = new Set(["create_tasks", "add_note", "set_stage"]);

/** Runs a CRM action in `tx` (its cause set first). Throws AppError lead_not_found / meeting_not_found / invalid_request. */
export async function runCrmAction(tx: Tx, ref: StepRef, input: ResolvedInput): Promise<Record<string, unknown>> {
  await setCause(tx, ref);
  switch (input.type) {
    case "create_tasks":
      return await createTasks(tx, ref, input);
    case "add_note":
      return await addNote(tx, ref, input);
    case "set_stage":
      return await setStage(tx, ref, input);
    default:
      throw new Error(`${input.type} is not a CRM action`);
  }
}
