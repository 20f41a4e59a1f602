// What a step will do, resolved from its action and the run's frozen context, before anything is done: the
// step's resolved_input (stored on automation_run_steps, shown in the run log and the dry run). Templates are
// rendered here with the escape of their destination's TEXT MODEL (see below) and values missing from the context
// are collected for the dry run's warning. Pure: no database, no network.
//
// Escaping: notes render "plain" (the app renders markdown safely). Slack and Discord texts render "markdown": the
// template is Markdown (one syntax for both), each value is backslash-escaped so it stays text (the meeting summary,
// which is markdown, excepted: template.ts MARKDOWN_VALUES), and notify() gets it as markdown: its provider modules
// (chat/slack.ts, chat/discord.ts) write headings, lists and links in their syntax and escape every piece of text
// for their format (Slack & < >, Discord mentions + markdown, allowed_mentions none). Rendering with the "slack" /
// "discord" escapes here would escape twice (a lead named "A & B" would show "A &amp; B").
// send_webhook's message is plain too: the body is built as an object and JSON-encoded.
import { type RunContext, type Stage, stageMove } from "../context.ts";
import type { Action } from "../rule.ts";
import { renderTemplate } from "../template.ts";

export const MAX_NOTE_LENGTH = 20_000;
export const MAX_TASK_TITLE = 500;

export type ResolvedInput =
  | {
    type: "create_tasks";
    due_in_days: number | null;
    fallback_assignee_id: string | null;
    items: { index: number; title: string; assignee_email: string | null }[];
  }
  | { type: "add_note"; body: string }
  | { type: "set_stage"; stage: string; allow_backwards: boolean }
  | { type: "post_slack"; text: string }
  | { type: "post_discord"; text: string }
  | { type: "send_webhook"; endpoint_id: string; message: string | null };

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** `{input, missing}` for one action over the context (see the top). Throws TemplateError on a bad template. */
export function resolveAction(action: Action, context: RunContext): { input: ResolvedInput; missing: string[] } {
  switch (action.type) {
    case "create_tasks": {
      const items = (context.meeting?.action_items ?? [])
        .map((item) => ({ index: item.index, title: cut(item.text.trim(), MAX_TASK_TITLE), assignee_email: item.assignee_email }))
        .filter((item) => item.title.length > 0);
      return {
        input: {
          type: "create_tasks",
          due_in_days: action.due_in_days ?? null,
          fallback_assignee_id: action.fallback_assignee_id ?? null,
          items,
        },
        missing: [],
      };
    }
    case "add_note": {
      const { text, missing } = renderTemplate(action.template, context, "plain");
      return { input: { type: "add_note", body: cut(text, MAX_NOTE_LENGTH) }, missing };
    }
    case "set_stage":
      return { input: { type: "set_stage", stage: action.stage, allow_backwards: action.allow_backwards }, missing: [] };
    case "post_slack":
    case "post_discord": {
      const { text, missing } = renderTemplate(action.template, context, "markdown");
      return { input: { type: action.type, text }, missing };
    }
    case "send_webhook": {
      if (action.template === undefined || action.template === "") {
        return { input: { type: "send_webhook", endpoint_id: action.endpoint_id, message: null }, missing: [] };
      }
      const { text, missing } = renderTemplate(action.template, context, "plain");
      return { input: { type: "send_webhook", endpoint_id: action.endpoint_id, message: text }, missing };
    }
  }
}

/**
 * What set_stage does from `from` to `to` (context.ts stageMove: never backwards unless allowed): move, or stay
 * with the reason shown in the step's output and the dry run.
 */
export function stageDecision(from: Stage, to: Stage, allowBackwards: boolean): { move: true } | { move: false; reason: string } {
  const decision = stageMove(from, to, allowBackwards);
  if (decision === "unchanged") return { move: false, reason: `already ${to}` };
  if (decision === "backwards") return { move: false, reason: `${from} to ${to} would move backwards` };
  return { move: true };
}

/** One line for the dry run: what the step would do with this input. */
export function describe(input: ResolvedInput, context: RunContext): string {
  const lead = context.lead?.name ?? "the lead";
  switch (input.type) {
    case "create_tasks":
      return input.items.length === 0
        ? "Would create no task: the meeting has no open action item."
        // "for Jane Doe" read as if the customer got them: the tasks are the team's, filed on the lead
        : `Would create ${input.items.length} task${input.items.length === 1 ? "" : "s"} for the team on ${lead}'s lead page` +
          (input.due_in_days === null ? "." : `, due in ${input.due_in_days} day${input.due_in_days === 1 ? "" : "s"}.`);
    case "add_note":
      return `Would add a note to ${lead}.`;
    case "set_stage": {
      const from = context.lead?.stage ?? "new";
      const move = stageDecision(from, input.stage as Stage, input.allow_backwards);
      return move.move ? `Would move ${lead} from ${from} to ${input.stage}.` : `Would leave ${lead} as it is (${move.reason}).`;
    }
    case "post_slack":
      return "Would post the message to the team's Slack channel.";
    case "post_discord":
      return "Would post the message to the team's Discord channel.";
    case "send_webhook":
      return "Would send a signed webhook to the endpoint.";
  }
}
