// GET /api/automation-catalog: what the rule editor is built from, as data (any signed-in user; nothing here is a
// team's), in the shape of the API contract (issue 11 brief) the pages are written against. Triggers, actions,
// filters and variables come from _shared/automations/catalog.ts (its automationCatalog() groups them per trigger
// instead); the conditions each trigger offers and each action's parameters are described here, next to the API
// that serves them, and tests/api_automations_test.ts checks both against what parseRuleBody accepts.
import { authenticate } from "../../_shared/auth.ts";
import { ACTIONS, FILTERS, TRIGGER_SUBJECTS, TRIGGERS, variablesFor } from "../../_shared/automations/catalog.ts";
import { EVENT_SOURCES, STAGES, TRIGGER_TYPES, type TriggerType } from "../../_shared/automations/context.ts";
import { MAX_DUE_IN_DAYS } from "../../_shared/automations/rule.ts";
import { MAX_TEMPLATE_LENGTH } from "../../_shared/automations/template.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";

/**
 * A condition the editor offers: `value_type` says which input it takes: "number" (minutes), "boolean", "string"
 * (1..200 characters), "stages" (a non-empty subset of `STAGES`), "member_or_none" (a member's id or "none"),
 * "sources" (a non-empty subset of the event sources).
 */
export interface ConditionSpec {
  field: string;
  label: string;
  ops: string[];
  value_type: "number" | "boolean" | "string" | "stages" | "member_or_none" | "sources";
  subject: "meeting" | "lead" | "event";
}

export const CONDITIONS: ConditionSpec[] = [
  { field: "meeting.duration_minutes", label: "Meeting duration (minutes)", ops: ["gte", "lte"], value_type: "number", subject: "meeting" },
  { field: "meeting.has_external_attendees", label: "Has external attendees", ops: ["is"], value_type: "boolean", subject: "meeting" },
  { field: "meeting.title", label: "Meeting title", ops: ["contains", "not_contains"], value_type: "string", subject: "meeting" },
  { field: "lead.stage", label: "Lead stage", ops: ["in", "not_in"], value_type: "stages", subject: "lead" },
  { field: "lead.owner_id", label: "Lead owner", ops: ["is", "is_not"], value_type: "member_or_none", subject: "lead" },
  { field: "event.source", label: "Where the change came from", ops: ["in"], value_type: "sources", subject: "event" },
];

/** One parameter of an action, for the editor's form. */
export interface ParamSpec {
  name: string;
  type: "template" | "number" | "member" | "stage" | "boolean" | "endpoint";
  required: boolean;
  /** template: its longest; number: bounds; stage: the options */
  max_length?: number;
  min?: number;
  max?: number;
  options?: readonly string[];
}

/** Each action's own parameters besides its template (which catalog.ts's ACTIONS describes). */
const OWN_PARAMS: Record<(typeof ACTIONS)[number]["type"], ParamSpec[]> = {
  create_tasks: [
    { name: "due_in_days", type: "number", required: false, min: 0, max: MAX_DUE_IN_DAYS },
    { name: "fallback_assignee_id", type: "member", required: false },
  ],
  add_note: [],
  set_stage: [
    { name: "stage", type: "stage", required: true, options: STAGES },
    { name: "allow_backwards", type: "boolean", required: false },
  ],
  post_slack: [],
  post_discord: [],
  send_webhook: [{ name: "endpoint_id", type: "endpoint", required: true }],
};

const continueOnFailure: ParamSpec = { name: "continue_on_failure", type: "boolean", required: false };

/** An action's parameters in form order: its own, its template, then continue_on_failure (every action has it). */
export function actionParams(action: (typeof ACTIONS)[number]): ParamSpec[] {
  const template: ParamSpec[] = action.template
    ? [{ name: "template", type: "template", required: action.template.required, max_length: MAX_TEMPLATE_LENGTH }]
    : [];
  return [...OWN_PARAMS[action.type], ...template, continueOnFailure];
}

function conditionsFor(trigger: TriggerType) {
  const has = TRIGGER_SUBJECTS[trigger];
  return CONDITIONS
    .filter((c) => c.subject === "event" || has[c.subject])
    .map(({ subject: _subject, ...c }) => c);
}

/** The catalogue, built once: it is static data. */
export function catalogResponse() {
  const byTrigger = <T>(f: (t: TriggerType) => T) => Object.fromEntries(TRIGGER_TYPES.map((t) => [t, f(t)]));
  return {
    triggers: TRIGGERS.map((t) => ({ id: t.type, label: t.label })),
    actions: ACTIONS.map((a) => ({
      type: a.type,
      label: a.label,
      needs_lead: a.needs.lead,
      needs_meeting: a.needs.meeting,
      params: actionParams(a),
    })),
    filters: Object.entries(FILTERS).map(([name, f]) => ({
      name,
      label: f.label,
      ...(f.arg === "none" ? {} : { arg: f.arg }),
    })),
    variables: byTrigger((t) => variablesFor(t).map(({ path, label, example }) => ({ path, label, example }))),
    conditions: byTrigger(conditionsFor),
    stages: STAGES,
    event_sources: EVENT_SOURCES,
  };
}

const getCatalog = async (req: Request): Promise<Response> => {
  await authenticate(req);
  return jsonResponse(catalogResponse());
};

export const automationCatalogRoutes: Route[] = [
  { method: "GET", path: "/api/automation-catalog", handler: getCatalog },
];
