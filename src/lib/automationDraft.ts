import type { Action, ActionType, Condition, RuleBody, TriggerType } from "./automationTypes";
import { defaultConditionValue } from "./automationText";

/**
 * The editor's working copy of a rule: the body's fields, each list entry with a local `key` (React keeps a card's
 * focus and text when it moves). `toBody` gives what the API receives: keys dropped, empty optional fields left out.
 */
export type Keyed<T> = T & { key: string };

export interface Draft {
  name: string;
  trigger: TriggerType;
  match: "all" | "any";
  conditions: Keyed<Condition>[];
  actions: Keyed<Action>[];
}

let next = 0;
const key = () => `k${++next}`;

export function fromBody(
  body: Pick<RuleBody, "name" | "conditions" | "actions"> & { trigger: TriggerType | string },
): Draft {
  return {
    name: body.name,
    trigger: body.trigger as TriggerType,
    match: body.conditions.match,
    conditions: body.conditions.rules.map((c) => ({ ...c, key: key() })),
    actions: body.actions.map((a) => ({ ...a, key: key() })),
  };
}

function cleanAction({ key: _key, ...a }: Keyed<Action>): Action {
  const out: Action = { type: a.type };
  if (a.continue_on_failure) out.continue_on_failure = true;
  switch (a.type) {
    case "create_tasks":
      if (typeof a.due_in_days === "number" && Number.isFinite(a.due_in_days)) out.due_in_days = a.due_in_days;
      if (a.fallback_assignee_id) out.fallback_assignee_id = a.fallback_assignee_id;
      break;
    case "set_stage":
      out.stage = a.stage;
      if (a.allow_backwards) out.allow_backwards = true;
      break;
    case "send_webhook":
      out.endpoint_id = a.endpoint_id ?? "";
      if (a.template?.trim()) out.template = a.template;
      break;
    default:
      out.template = a.template ?? "";
  }
  return out;
}

export function toBody(draft: Draft, enabled: boolean): RuleBody {
  return {
    name: draft.name.trim(),
    enabled,
    trigger: draft.trigger,
    conditions: { match: draft.match, rules: draft.conditions.map(({ key: _key, ...c }) => c) },
    actions: draft.actions.map(cleanAction),
  };
}

/** Whether two drafts publish the same version (the "unsaved changes" badge). */
export function sameRule(a: Draft, b: Draft): boolean {
  return JSON.stringify(toBody(a, false)) === JSON.stringify(toBody(b, false));
}

export function newAction(type: ActionType): Keyed<Action> {
  switch (type) {
    case "create_tasks":
      return { type, due_in_days: 3, key: key() };
    case "set_stage":
      return { type, stage: "qualified", key: key() };
    case "send_webhook":
      return { type, endpoint_id: "", template: "", key: key() };
    default:
      return { type, template: "", key: key() };
  }
}

export function newCondition(field: string, op: string): Keyed<Condition> {
  return { field, op, value: defaultConditionValue(field), key: key() };
}

/** `list` with the entry at `from` moved to `to` (a new array). */
export function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return list;
  const out = list.slice();
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item);
  return out;
}
