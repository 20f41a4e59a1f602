/**
 * What a run's steps (and the dry run) say they did, read tolerantly from their stored JSON (the engine's shapes:
 * supabase/functions/_shared/automations/engine/messages.ts WebhookDelivery, crm-actions.ts TaskOutcome). A step
 * written before these shapes existed reads as null, and the page shows its raw JSON instead. Also the sentences
 * the re-run dialog uses for what each action does when it runs again.
 */
import type { Action } from "./automationTypes";

const obj = (v: unknown) => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const text = (v: unknown) => (typeof v === "string" && v.trim() ? v : null);
const int = (v: unknown) => (typeof v === "number" && Number.isInteger(v) ? v : null);

/** A send_webhook step: the endpoint by name, whether it was sent, the webhook-id, the JSON body, the answer. */
export interface WebhookDeliveryView {
  endpointName: string | null;
  /** false: not sent (a dry run before "Send test messages", or refused before the POST) */
  sent: boolean;
  webhookId: string | null;
  body: unknown;
  /** HTTP status of the answer; null: no answer (not sent, timed out, network error) */
  status: number | null;
  /** a short scrubbed excerpt of a failed answer's body (owners and admins only) */
  excerpt: string | null;
  /** instead of the excerpt, for a member: the API's sentence that the answer is shown to admins only */
  excerptNote: string | null;
}

export function readWebhookDelivery(value: unknown): WebhookDeliveryView | null {
  const o = obj(value);
  const endpoint = obj(o?.endpoint);
  if (!o || !endpoint || !("body" in o)) return null;
  return {
    endpointName: text(endpoint.name),
    sent: o.sent === true,
    webhookId: text(o.webhook_id),
    body: o.body,
    status: int(o.status),
    excerpt: text(o.response_excerpt),
    excerptNote: text(o.response_excerpt_note),
  };
}

/** A post_slack / post_discord step: where it posted (messages.ts ChatPost), by the names the team sees. */
export interface ChatPostView {
  provider: "slack" | "discord";
  channel: string | null;
  workspace: string | null;
  postedAt: string | null;
}

/** A chat step's output, or null when it is not that shape. The first shape, `{sent: "slack"}`, reads with no names. */
export function readChatPost(value: unknown): ChatPostView | null {
  const o = obj(value);
  if (!o || (o.sent !== "slack" && o.sent !== "discord")) return null;
  return { provider: o.sent, channel: text(o.channel), workspace: text(o.workspace), postedAt: text(o.posted_at) };
}

/** "Posted to #sales in Acme", "Posted to Slack" (no names recorded): where, without the time. */
export function chatPostText(post: ChatPostView): string {
  const provider = post.provider === "slack" ? "Slack" : "Discord";
  if (!post.channel) return `Posted to ${provider}`;
  return `Posted to ${post.channel}${post.workspace ? ` in ${post.workspace}` : ""}`;
}

export type AssigneeReason = "action_item_assignee" | "lead_owner" | "rule_default" | "nobody";

/** Why the engine gave a task its assignee (crm-actions.ts createTasks tries them in this order). */
export const ASSIGNEE_REASONS: Record<AssigneeReason, string> = {
  action_item_assignee: "named in the action item",
  lead_owner: "the lead's owner",
  rule_default: "the rule's default assignee",
  nobody: "no one: the action item names no team member, the lead has no owner in the team and the rule no default",
};

export interface TaskOutcomeView {
  id: string;
  itemIndex: number | null;
  title: string;
  leadId: string | null;
  assignee: { id: string; name: string | null } | null;
  reason: AssigneeReason | null;
  dueOn: string | null;
  /** would_create: the dry run's plan (nothing written) */
  outcome: "created" | "already_existed" | "would_create";
  madeBy: { source: string | null; runId: string | null } | null;
}

/** The tasks of a create_tasks step's output, or null when the output is not that shape (an older step). */
export function readTaskOutcomes(value: unknown): TaskOutcomeView[] | null {
  const tasks = obj(value)?.tasks;
  if (!Array.isArray(tasks)) return null;
  const views: TaskOutcomeView[] = [];
  for (const raw of tasks) {
    const t = obj(raw);
    const id = text(t?.id);
    if (!t || !id || (t.outcome !== "created" && t.outcome !== "already_existed")) return null;
    const assignee = obj(t.assignee);
    const madeBy = obj(t.made_by);
    views.push({
      id,
      itemIndex: int(t.item_index),
      title: text(t.title) ?? "Untitled task",
      leadId: text(t.lead_id),
      assignee: assignee && text(assignee.id) ? { id: assignee.id as string, name: text(assignee.name) } : null,
      reason: typeof t.assignee_reason === "string" && t.assignee_reason in ASSIGNEE_REASONS
        ? (t.assignee_reason as AssigneeReason)
        : null,
      dueOn: text(t.due_on),
      outcome: t.outcome,
      madeBy: madeBy ? { source: text(madeBy.source), runId: text(madeBy.automation_run_id) } : null,
    });
  }
  return views;
}

/**
 * The tasks a dry run's create_tasks would make (dry-run.ts, crm-actions.ts PlannedTask: no id, an assignee picked
 * as a run picks it), as TaskOutcomeView with outcome would_create; null when the value is not that shape.
 */
export function readPlannedTasks(value: unknown): TaskOutcomeView[] | null {
  if (!Array.isArray(value)) return null;
  const views: TaskOutcomeView[] = [];
  for (const raw of value) {
    const t = obj(raw);
    if (!t) return null;
    const assignee = obj(t.assignee);
    const itemIndex = int(t.item_index);
    views.push({
      id: `planned-${itemIndex ?? views.length}`,
      itemIndex,
      title: text(t.title) ?? "Untitled task",
      leadId: text(t.lead_id),
      assignee: assignee && text(assignee.id) ? { id: assignee.id as string, name: text(assignee.name) } : null,
      reason: typeof t.assignee_reason === "string" && t.assignee_reason in ASSIGNEE_REASONS
        ? (t.assignee_reason as AssigneeReason)
        : null,
      dueOn: text(t.due_on),
      outcome: "would_create",
      madeBy: null,
    });
  }
  return views;
}

/** "made by a person", "made by an earlier attempt of this run", ... for a task that already existed. */
export function madeByText(madeBy: TaskOutcomeView["madeBy"], runId: string): string {
  if (!madeBy) return "already existed";
  if (madeBy.runId === runId) return "already existed: made by an earlier attempt of this run";
  if (madeBy.runId) return "already existed: made by another run";
  if (madeBy.source === "person") return "already existed: made by a person";
  if (madeBy.source === "action_item") return "already existed: made from the meeting's action item";
  return "already existed";
}

/** What an action does when a run is run again (the re-run dialog): messages and webhooks go out again. */
export function rerunEffect(action: Action): { again: boolean; text: string } {
  switch (action.type) {
    case "create_tasks":
      return {
        again: false,
        text: "makes a task only for an action item that has none for this lead yet; existing tasks are kept, not made again",
      };
    case "add_note":
      return { again: true, text: "adds the note again: the lead gets a second note" };
    case "set_stage":
      return {
        again: false,
        text: `moves the lead to ${action.stage ?? "the stage"} unless it is there already${action.allow_backwards ? "" : " or it would go backwards"}`,
      };
    case "post_slack":
      return { again: true, text: "posts the message to Slack again" };
    case "post_discord":
      return { again: true, text: "posts the message to Discord again" };
    case "send_webhook":
      return { again: true, text: "sends the webhook again, with a new webhook-id: the receiver sees a new delivery" };
    default:
      return { again: true, text: "runs again" };
  }
}

/**
 * The run header's account of its tries, true to the step cards and to what the engine counts: how many steps ran,
 * which of them took more than one attempt ("3 steps ran, 2 attempts on step 2"), and, once the engine has tried
 * the run more than once by itself or is waiting to, its automatic tries out of the budget (`attempt` of
 * `max_attempts`; counted from 0 again after "Retry failed steps").
 */
export function runAttemptsText(run: {
  status: string;
  attempt: number;
  max_attempts: number | null;
  requested: boolean;
  steps: { step_index: number; attempts: number }[];
}): string {
  const parts: string[] = [];
  if (run.steps.length > 0) {
    const retried = run.steps
      .filter((s) => s.attempts > 1)
      .map((s) => `${s.attempts} attempts on step ${s.step_index + 1}`);
    parts.push(`${run.steps.length} step${run.steps.length === 1 ? "" : "s"} ran${retried.length ? `, ${retried.join(", ")}` : ""}`);
  }
  if (run.attempt > 1 || run.status === "retrying") {
    const of = run.max_attempts ? ` of ${run.max_attempts}` : "";
    parts.push(`automatic try ${run.attempt}${of}${run.requested ? " since it was asked for by hand" : ""}`);
  }
  return parts.join(" · ");
}

/** An add_note step's output (crm-actions.ts addNote): the note, and whether this step added it or found it. */
export function readNoteOutcome(value: unknown): { noteId: string | null; created: boolean } | null {
  const o = obj(value);
  if (!o || typeof o.created !== "boolean") return null;
  return { noteId: text(o.note_id), created: o.created };
}

/** A set_stage step's output (crm-actions.ts setStage): moved from / to, or left where it was and why. */
export function readStageOutcome(
  value: unknown,
): { moved: true; from: string; to: string } | { moved: false; stage: string; reason: string } | null {
  const o = obj(value);
  if (text(o?.from) && text(o?.to)) return { moved: true, from: o!.from as string, to: o!.to as string };
  if (text(o?.unchanged)) return { moved: false, stage: o!.unchanged as string, reason: text(o!.reason) ?? "" };
  return null;
}
