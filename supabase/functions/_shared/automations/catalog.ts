// The catalogue the rule editor is built from (issue 11 design, "Rule language"): which variables each trigger
// offers to templates, the template filters, the triggers and the actions. The API serves these as data so the
// UI's pickers follow the server; template.ts and rule.ts validate against the same lists.
import { TRIGGER_TYPES, type TriggerType } from "./context.ts";

export type VariableKind = "string" | "number" | "boolean" | "date" | "list";

/** One `{{path}}` a template may use; `example` is what the picker previews and the dry run's sample shows. */
export type Variable = { path: string; label: string; kind: VariableKind; example: string };

const EVENT_VARIABLES: Variable[] = [
  { path: "event.type", label: "Event type", kind: "string", example: "meeting.linked_to_lead" },
  { path: "event.source", label: "Event source", kind: "string", example: "webhook" },
];

const STAGE_CHANGE_VARIABLES: Variable[] = [
  { path: "event.from_stage", label: "Previous stage", kind: "string", example: "contacted" },
  { path: "event.to_stage", label: "New stage", kind: "string", example: "qualified" },
];

const MEETING_VARIABLES: Variable[] = [
  { path: "meeting.title", label: "Meeting title", kind: "string", example: "Acme intro call" },
  { path: "meeting.url", label: "Meeting link (Fathom)", kind: "string", example: "https://fathom.video/calls/123" },
  { path: "meeting.share_url", label: "Meeting share link", kind: "string", example: "https://fathom.video/share/abc" },
  { path: "meeting.started_at", label: "Started at", kind: "date", example: "2026-12-01T15:00:00Z" },
  { path: "meeting.duration_minutes", label: "Duration (minutes)", kind: "number", example: "32" },
  { path: "meeting.summary", label: "Summary (markdown)", kind: "string", example: "We agreed on a pilot." },
  { path: "meeting.has_external_attendees", label: "Has external attendees", kind: "boolean", example: "true" },
  { path: "meeting.attendees", label: "Attendees", kind: "list", example: "Jane Doe <jane@acme.com>" },
  { path: "meeting.action_items", label: "Action items", kind: "list", example: "Send the proposal" },
  { path: "meeting.source", label: "Meeting source", kind: "string", example: "webhook" },
  { path: "meeting.provider", label: "Meeting provider", kind: "string", example: "fathom" },
];

const LEAD_VARIABLES: Variable[] = [
  { path: "lead.name", label: "Lead name", kind: "string", example: "Jane Doe" },
  { path: "lead.company", label: "Lead company", kind: "string", example: "Acme" },
  { path: "lead.stage", label: "Lead stage", kind: "string", example: "qualified" },
  { path: "lead.owner_name", label: "Lead owner", kind: "string", example: "Sam Seller" },
  { path: "lead.owner_email", label: "Lead owner e-mail", kind: "string", example: "sam@example.com" },
  { path: "lead.emails", label: "Lead e-mails", kind: "list", example: "jane@acme.com" },
  { path: "lead.url", label: "Lead page", kind: "string", example: "https://crm.example.com/leads/…" },
];

const TEAM_VARIABLES: Variable[] = [{ path: "team.name", label: "Team name", kind: "string", example: "Sales" }];

/** Whether the trigger's events carry a meeting / a lead (what conditions and actions may rely on). */
export const TRIGGER_SUBJECTS: Record<TriggerType, { meeting: boolean; lead: boolean }> = {
  "meeting.linked_to_lead": { meeting: true, lead: true },
  "meeting.imported_unmatched": { meeting: true, lead: false },
  "lead.created": { meeting: false, lead: true },
  "lead.stage_changed": { meeting: false, lead: true },
};

/** The variables a template of a rule with this trigger may use, in picker order. */
export function variablesFor(trigger: TriggerType): Variable[] {
  const { meeting, lead } = TRIGGER_SUBJECTS[trigger];
  return [
    ...(meeting ? MEETING_VARIABLES : []),
    ...(lead ? LEAD_VARIABLES : []),
    ...EVENT_VARIABLES,
    ...(trigger === "lead.stage_changed" ? STAGE_CHANGE_VARIABLES : []),
    ...TEAM_VARIABLES,
  ].map((v) => ({ ...v }));
}

/** Template filters: `arg` is the type of the one argument after `:` ("none" = takes none, "number" = required). */
export const FILTERS = {
  truncate: { arg: "number", label: "Cut to N characters (…)" },
  default: { arg: "string", label: "Use this text when the value is empty" },
  upcase: { arg: "none", label: "UPPER CASE" },
  downcase: { arg: "none", label: "lower case" },
  date: { arg: "none", label: "Date as YYYY-MM-DD (UTC)" },
  list: { arg: "none", label: "One line per item (- a)" },
} as const satisfies Record<string, { arg: "none" | "number" | "string"; label: string }>;
export type FilterName = keyof typeof FILTERS;

/** The triggers with their labels (the editor's "When"). */
export const TRIGGERS: { type: TriggerType; label: string }[] = [
  { type: "meeting.linked_to_lead", label: "A meeting is linked to a lead" },
  { type: "meeting.imported_unmatched", label: "A meeting is imported with no lead" },
  { type: "lead.created", label: "A lead is created" },
  { type: "lead.stage_changed", label: "A lead's stage changes" },
];
if (TRIGGERS.length !== TRIGGER_TYPES.length) throw new Error("catalog: TRIGGERS and TRIGGER_TYPES differ");

export const ACTION_TYPES = ["create_tasks", "add_note", "set_stage", "post_slack", "post_discord", "send_webhook"] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/**
 * The actions (the editor's "Then"). `needs`: what the event must carry for the action to make sense; rule.ts
 * refuses an action whose trigger cannot give it. `template`: whether the action needs one (optional for
 * send_webhook) and the `escape` to render it with. post_slack / post_discord render "plain" because they post
 * through notify() (_shared/chat/notify.ts), whose ChatMessage is plain text that slack.ts / discord.ts escape
 * whole for their format: escaping the values here as well would show `&amp;` in Slack and `\*` in Discord.
 */
export const ACTIONS: {
  type: ActionType;
  label: string;
  needs: { meeting: boolean; lead: boolean };
  template: { required: boolean; escape: "slack" | "discord" | "plain" } | null;
}[] = [
  { type: "create_tasks", label: "Create tasks from action items", needs: { meeting: true, lead: true }, template: null },
  { type: "add_note", label: "Add a note to the lead", needs: { meeting: false, lead: true }, template: { required: true, escape: "plain" } },
  { type: "set_stage", label: "Set the lead's stage", needs: { meeting: false, lead: true }, template: null },
  { type: "post_slack", label: "Post to Slack", needs: { meeting: false, lead: false }, template: { required: true, escape: "plain" } },
  { type: "post_discord", label: "Post to Discord", needs: { meeting: false, lead: false }, template: { required: true, escape: "plain" } },
  { type: "send_webhook", label: "Send a webhook", needs: { meeting: false, lead: false }, template: { required: false, escape: "plain" } },
];

/** The actions a rule with this trigger may use. */
export function actionsFor(trigger: TriggerType): ActionType[] {
  const has = TRIGGER_SUBJECTS[trigger];
  return ACTIONS.filter((a) => (!a.needs.meeting || has.meeting) && (!a.needs.lead || has.lead)).map((a) => a.type);
}

/**
 * Everything above as one JSON-able value, for the API to serve to the editor:
 * `{triggers: [{type, label, actions: ActionType[], variables: Variable[]}], actions, filters: [{name, arg, label}]}`.
 */
export function automationCatalog() {
  return {
    triggers: TRIGGERS.map((t) => ({ ...t, actions: actionsFor(t.type), variables: variablesFor(t.type) })),
    actions: ACTIONS.map((a) => ({ ...a, needs: { ...a.needs }, template: a.template && { ...a.template } })),
    filters: Object.entries(FILTERS).map(([name, f]) => ({ name: name as FilterName, arg: f.arg, label: f.label })),
  };
}
