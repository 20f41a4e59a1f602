import { ApiError } from "./apiError";
import type { Action, ActionType, Catalog, RuleBody, RunStatus, StepStatus, TriggerType } from "./automationTypes";

/**
 * Words for the automation pages: triggers, actions, conditions, statuses; the two starter templates; and the
 * mapping from the API's `invalid_rule` message (`actions[1].template: unknown variable {{lead.nmae}}`) to the
 * editor field it names. Labels come from the catalogue when it is loaded; these are the fallbacks and the forms
 * the catalogue has no words for (operators, statuses).
 */

export const TRIGGER_LABELS: Record<TriggerType, string> = {
  "meeting.linked_to_lead": "A meeting is linked to a lead",
  "meeting.imported_unmatched": "A meeting is imported with no lead",
  "lead.created": "A lead is created",
  "lead.stage_changed": "A lead's stage changes",
};

export const ACTION_LABELS: Record<ActionType, string> = {
  create_tasks: "Create tasks from action items",
  add_note: "Add a note to the lead",
  set_stage: "Set the lead's stage",
  post_slack: "Post to Slack",
  post_discord: "Post to Discord",
  send_webhook: "Send a webhook",
};

/** Actions whose test can really send (the "Send test messages" button). */
export const MESSAGE_ACTIONS: readonly string[] = ["post_slack", "post_discord", "send_webhook"];

export function triggerLabel(trigger: string, catalog?: Catalog): string {
  return (
    catalog?.triggers.find((t) => t.id === trigger)?.label ||
    TRIGGER_LABELS[trigger as TriggerType] ||
    trigger ||
    "Unknown trigger"
  );
}

export function actionLabel(type: string, catalog?: Catalog): string {
  return catalog?.actions.find((a) => a.type === type)?.label || ACTION_LABELS[type as ActionType] || type;
}

/** Whether the trigger's events carry a meeting / a lead (rule.ts refuses fields and actions they cannot give). */
export const TRIGGER_SUBJECTS: Record<TriggerType, { meeting: boolean; lead: boolean }> = {
  "meeting.linked_to_lead": { meeting: true, lead: true },
  "meeting.imported_unmatched": { meeting: true, lead: false },
  "lead.created": { meeting: false, lead: true },
  "lead.stage_changed": { meeting: false, lead: true },
};

export function isMeetingTrigger(trigger: string): boolean {
  return TRIGGER_SUBJECTS[trigger as TriggerType]?.meeting ?? false;
}

/** The actions a rule with this trigger may use (catalog.ts's actionsFor). */
export function actionsFor(trigger: string): ActionType[] {
  const has = TRIGGER_SUBJECTS[trigger as TriggerType] ?? { meeting: false, lead: false };
  return (Object.keys(ACTION_LABELS) as ActionType[]).filter((t) => {
    if (t === "create_tasks") return has.meeting && has.lead;
    if (t === "add_note" || t === "set_stage") return has.lead;
    return true;
  });
}

export type ConditionKind = "number" | "boolean" | "text" | "stages" | "owner" | "sources";

/** The condition fields of the rule language, with their operators and the kind of value each takes. */
export const CONDITION_FIELDS: Record<string, { label: string; ops: string[]; kind: ConditionKind }> = {
  "meeting.duration_minutes": { label: "Meeting duration (minutes)", ops: ["gte", "lte"], kind: "number" },
  "meeting.has_external_attendees": { label: "Has external attendees", ops: ["is"], kind: "boolean" },
  "meeting.title": { label: "Meeting title", ops: ["contains", "not_contains"], kind: "text" },
  "lead.stage": { label: "Lead stage", ops: ["in", "not_in"], kind: "stages" },
  "lead.owner_id": { label: "Lead owner", ops: ["is", "is_not"], kind: "owner" },
  "event.source": { label: "Source", ops: ["in"], kind: "sources" },
};

export const OP_LABELS: Record<string, string> = {
  gte: "is at least",
  lte: "is at most",
  is: "is",
  is_not: "is not",
  contains: "contains",
  not_contains: "doesn't contain",
  in: "is one of",
  not_in: "is none of",
};

export const SOURCE_LABELS: Record<string, string> = {
  import: "Import",
  webhook: "Webhook",
  person: "A person",
  automation: "An automation",
  fathom: "Fathom",
  zoom: "Zoom",
  typeform: "Typeform",
};

/** The condition fields a trigger offers: the catalogue's, else the rule language's filtered by subject. */
export function conditionFieldsFor(trigger: string, catalog?: Catalog): { field: string; label: string; ops: string[] }[] {
  const fromCatalog = catalog?.conditions[trigger];
  if (fromCatalog?.length) {
    return fromCatalog.map((c) => ({
      field: c.field,
      label: c.label || CONDITION_FIELDS[c.field]?.label || c.field,
      ops: c.ops.length ? c.ops : (CONDITION_FIELDS[c.field]?.ops ?? []),
    }));
  }
  const has = TRIGGER_SUBJECTS[trigger as TriggerType] ?? { meeting: false, lead: false };
  return Object.entries(CONDITION_FIELDS)
    .filter(([field]) => (field.startsWith("meeting.") ? has.meeting : field.startsWith("lead.") ? has.lead : true))
    .map(([field, f]) => ({ field, label: f.label, ops: f.ops }));
}

/** A new row's value for a field: something the server accepts once the person fills the blanks. */
export function defaultConditionValue(field: string): number | boolean | string | string[] {
  switch (CONDITION_FIELDS[field]?.kind) {
    case "number":
      return 15;
    case "boolean":
      return true;
    case "stages":
      return ["new"];
    case "owner":
      return "none";
    case "sources":
      return ["webhook", "import"];
    default:
      return "";
  }
}

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  queued: "Queued",
  running: "Running",
  retrying: "Retrying",
  succeeded: "Succeeded",
  skipped: "Skipped",
  dead: "Failed",
  cancelled: "Cancelled",
  unknown: "Unknown",
};

/**
 * The one word people see for a run's status (`dead` is "Failed"), wherever a run is shown: the run log, the run
 * page, the rule list's last run, the lead timeline. An unknown status reads "Unknown", never the raw value.
 */
export function runStatusLabel(status: string): string {
  return RUN_STATUS_LABELS[status as RunStatus] ?? RUN_STATUS_LABELS.unknown;
}

export const STEP_STATUS_LABELS: Record<StepStatus, string> = {
  pending: "Pending",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  skipped: "Skipped",
  unknown: "Unknown",
};

export const SKIP_REASONS: Record<string, string> = {
  conditions: "conditions not met",
  loop_guard: "loop guard: caused by too many automations in a row",
  rule_disabled: "the automation was turned off",
  rule_paused: "the automation was paused after its runs failed in a row",
  subject_gone: "the meeting or lead is gone",
};

/** "{{meeting.title}} ..." as the starter Slack message (issue 11). */
export const SLACK_SUMMARY_TEMPLATE = "**{{meeting.title}}** with {{lead.name}}\n{{meeting.summary | truncate: 500}}";

/** The two starter templates offered on first visit; saved turned off until the person enables them. */
export const STARTERS: Record<"tasks" | "slack", { title: string; description: string; body: RuleBody }> = {
  tasks: {
    title: "Tasks from action items",
    description: "When a meeting is linked to a lead, make a task of each action item, due in 3 days.",
    body: {
      name: "Tasks from action items",
      enabled: false,
      trigger: "meeting.linked_to_lead",
      conditions: { match: "all", rules: [] },
      actions: [{ type: "create_tasks", due_in_days: 3 }],
    },
  },
  slack: {
    title: "Post the summary to Slack",
    description: "When a meeting is linked to a lead, post its title and summary to the team's Slack channel.",
    body: {
      name: "Post the summary to Slack",
      enabled: false,
      trigger: "meeting.linked_to_lead",
      conditions: { match: "all", rules: [] },
      actions: [{ type: "post_slack", template: SLACK_SUMMARY_TEMPLATE }],
    },
  },
};

export function isStarter(key: string | null): key is keyof typeof STARTERS {
  return key === "tasks" || key === "slack";
}

/** `{path, message}` of an `invalid_rule` error (the server's message names the path first); null for others. */
export function ruleErrorAt(err: unknown): { path: string; message: string } | null {
  if (!(err instanceof ApiError) || err.code !== "invalid_rule") return null;
  const detail = err.detail ?? "";
  const m = /^([A-Za-z_][\w.[\]]*):\s*(.+)$/s.exec(detail);
  if (m) return { path: m[1], message: m[2] };
  return { path: "", message: detail || "The automation isn't valid." };
}

/** "Then, action 2, template" for `actions[1].template`. */
export function pathLabel(path: string): string {
  const parts: string[] = [];
  const action = /^actions\[(\d+)\](?:\.(\w+))?/.exec(path);
  const condition = /^conditions\.rules\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (action) {
    parts.push("Then", `action ${Number(action[1]) + 1}`);
    if (action[2]) parts.push(action[2].replace(/_/g, " "));
  } else if (condition) {
    parts.push("If", `condition ${Number(condition[1]) + 1}`);
    if (condition[2]) parts.push(condition[2]);
  } else if (path) {
    parts.push(path.replace(/_/g, " "));
  }
  return parts.join(", ");
}

/** The DOM id of the editor's control for a body path (`actions[1].template` -> `rule-actions-1-template`). */
export function fieldId(path: string): string {
  return `rule-${path.replace(/[^A-Za-z0-9]+/g, "-").replace(/-+$/, "")}`;
}

/** A summary of an action's parameters, for a run's "rule as it was". */
export function describeAction(action: Action, catalog?: Catalog): string {
  const label = actionLabel(action.type, catalog);
  switch (action.type) {
    case "create_tasks":
      return action.due_in_days !== undefined ? `${label}, due in ${action.due_in_days} days` : label;
    case "set_stage":
      return `${label} to ${action.stage ?? "?"}${action.allow_backwards ? " (may go backwards)" : ""}`;
    default:
      return label;
  }
}

/** A value of a condition or a resolved input, readable in one line. */
export function showValue(v: unknown): string {
  if (v === null || v === undefined) return "(none)";
  if (Array.isArray(v)) return v.map(showValue).join(", ") || "(empty)";
  if (typeof v === "object") return JSON.stringify(v);
  if (typeof v === "string") return v === "" ? "(empty)" : v;
  return String(v);
}

/**
 * A step's resolved input as people read it (engine/resolve.ts's ResolvedInput): a message's or note's text, the
 * tasks as a list, else the JSON.
 */
export function inputText(input: unknown): string {
  if (typeof input === "string") return input;
  if (input !== null && typeof input === "object" && !Array.isArray(input)) {
    const o = input as Record<string, unknown>;
    if (typeof o.text === "string") return o.text;
    if (typeof o.body === "string") return o.body;
    if (Array.isArray(o.items)) {
      const lines = o.items
        .filter((i): i is Record<string, unknown> => i !== null && typeof i === "object")
        .map((i) => `- ${String(i.title ?? "")}${typeof i.assignee_email === "string" ? ` (${i.assignee_email})` : ""}`);
      return lines.join("\n") || "(no action items)";
    }
  }
  return JSON.stringify(input, null, 2) ?? "";
}
