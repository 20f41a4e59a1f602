// The rule body (issue 11 design, "Rule language"): `{name, enabled, trigger, conditions, actions}` as the API
// receives it and a rule version stores it. parseRuleBody is the one gate: shapes and bounds (zod), then what
// depends on the trigger (condition fields, actions that need a lead or a meeting, template variables).
import { z } from "zod";
import { AppError } from "../errors.ts";
import { ACTION_TYPES, type ActionType, TRIGGER_SUBJECTS } from "./catalog.ts";
import { EVENT_SOURCES, STAGES, TRIGGER_TYPES } from "./context.ts";
import { compileTemplate, MAX_TEMPLATE_LENGTH, TemplateError } from "./template.ts";

export { ACTION_TYPES, type ActionType };

export const MAX_CONDITIONS = 20;
export const MAX_ACTIONS = 10;
export const MAX_NAME_LENGTH = 120;
export const MAX_DUE_IN_DAYS = 365;

const uuid = z.uuid().transform((v) => v.toLowerCase());
const template = z.string().max(MAX_TEMPLATE_LENGTH);
const requiredTemplate = template.refine((t) => t.trim().length > 0, "must not be empty");

export const triggerSchema = z.enum(TRIGGER_TYPES);

export const conditionSchema = z.discriminatedUnion("field", [
  z.strictObject({ field: z.literal("meeting.duration_minutes"), op: z.enum(["gte", "lte"]), value: z.number().finite().min(0) }),
  z.strictObject({ field: z.literal("meeting.has_external_attendees"), op: z.literal("is"), value: z.boolean() }),
  z.strictObject({
    field: z.literal("meeting.title"),
    op: z.enum(["contains", "not_contains"]),
    value: z.string().min(1).max(200),
  }),
  z.strictObject({ field: z.literal("lead.stage"), op: z.enum(["in", "not_in"]), value: z.array(z.enum(STAGES)).min(1).max(STAGES.length) }),
  z.strictObject({ field: z.literal("lead.owner_id"), op: z.enum(["is", "is_not"]), value: z.union([z.literal("none"), uuid]) }),
  z.strictObject({ field: z.literal("event.source"), op: z.literal("in"), value: z.array(z.enum(EVENT_SOURCES)).min(1).max(EVENT_SOURCES.length) }),
]);

export const conditionsSchema = z.strictObject({
  match: z.enum(["all", "any"]),
  rules: z.array(conditionSchema).max(MAX_CONDITIONS),
});

const common = { continue_on_failure: z.boolean().default(false) };

export const actionSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("create_tasks"),
    ...common,
    due_in_days: z.number().int().min(0).max(MAX_DUE_IN_DAYS).optional(),
    fallback_assignee_id: uuid.optional(),
  }),
  z.strictObject({ type: z.literal("add_note"), ...common, template: requiredTemplate }),
  z.strictObject({ type: z.literal("set_stage"), ...common, stage: z.enum(STAGES), allow_backwards: z.boolean().default(false) }),
  z.strictObject({ type: z.literal("post_slack"), ...common, template: requiredTemplate }),
  z.strictObject({ type: z.literal("post_discord"), ...common, template: requiredTemplate }),
  z.strictObject({ type: z.literal("send_webhook"), ...common, endpoint_id: uuid, template: template.optional() }),
]);

export const ruleBodySchema = z.object({
  name: z.string().trim().min(1).max(MAX_NAME_LENGTH),
  enabled: z.boolean().default(false),
  trigger: triggerSchema,
  conditions: conditionsSchema.default({ match: "all", rules: [] }),
  actions: z.array(actionSchema).min(1).max(MAX_ACTIONS),
});

export type Trigger = z.infer<typeof triggerSchema>;
export type Condition = z.infer<typeof conditionSchema>;
export type Conditions = z.infer<typeof conditionsSchema>;
export type Action = z.infer<typeof actionSchema>;
export type RuleBody = z.infer<typeof ruleBodySchema>;

/** `actions[1].template` from zod's path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : `${out ? "." : ""}${String(key)}`;
  return out;
}

/** The trigger-dependent problems of a well-shaped body, first one first: `[path, message]`. */
function triggerProblems(body: RuleBody): [string, string][] {
  const has = TRIGGER_SUBJECTS[body.trigger];
  const problems: [string, string][] = [];
  body.conditions.rules.forEach((condition, i) => {
    const subject = condition.field.split(".")[0];
    if ((subject === "meeting" && !has.meeting) || (subject === "lead" && !has.lead)) {
      problems.push([`conditions.rules[${i}].field`, `${condition.field} is not available for ${body.trigger}`]);
    }
  });
  body.actions.forEach((action, i) => {
    if (action.type === "create_tasks" && !(has.meeting && has.lead)) {
      problems.push([`actions[${i}].type`, `create_tasks needs a meeting linked to a lead, ${body.trigger} has none`]);
    } else if ((action.type === "add_note" || action.type === "set_stage") && !has.lead) {
      problems.push([`actions[${i}].type`, `${action.type} needs a lead, ${body.trigger} has none`]);
    }
    if ("template" in action && action.template !== undefined) {
      try {
        compileTemplate(action.template, body.trigger);
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        problems.push([`actions[${i}].template`, err.message]);
      }
    }
  });
  return problems;
}

/**
 * Validates and normalises a rule body (defaults filled, uuids lower-cased, name trimmed). Throws AppError
 * `invalid_rule` (400) whose message names the first problem with its path, e.g.
 * `actions[1].template: unknown variable {{lead.nmae}}` or `conditions.rules[0].field: meeting.title is not
 * available for lead.created`.
 */
export function parseRuleBody(input: unknown): RuleBody {
  const parsed = ruleBodySchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = formatPath(issue.path);
    throw new AppError("invalid_rule", path ? `${path}: ${issue.message}` : issue.message);
  }
  const [problem] = triggerProblems(parsed.data);
  if (problem) throw new AppError("invalid_rule", `${problem[0]}: ${problem[1]}`);
  return parsed.data;
}
