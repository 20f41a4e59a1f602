// Evaluates a rule's conditions against the frozen RunContext (issue 11 design, "Rule language"). Null-safe: a
// field the context does not have (no meeting, no duration, no lead) fails its condition, whatever the operator,
// so "not_contains" / "not_in" / "is_not" never pass on missing data. Empty rules pass (a rule with no "If").
import type { RunContext } from "./context.ts";
import type { Condition, Conditions } from "./rule.ts";
import { lookup } from "./template.ts";

export type ConditionResult = {
  field: Condition["field"];
  op: Condition["op"];
  value: Condition["value"];
  /** what the context held (null when absent), shown in the dry run and stored on the run */
  actual: unknown;
  passed: boolean;
};

function test(condition: Condition, actual: unknown): boolean {
  if (actual === undefined || actual === null) {
    // an unowned lead is the one absent value a condition names: owner "none"
    return condition.field === "lead.owner_id" && unownedPasses(condition);
  }
  switch (condition.field) {
    case "meeting.duration_minutes":
      if (typeof actual !== "number" || !Number.isFinite(actual)) return false;
      return condition.op === "gte" ? actual >= condition.value : actual <= condition.value;
    case "meeting.has_external_attendees":
      return typeof actual === "boolean" && actual === condition.value;
    case "meeting.title": {
      if (typeof actual !== "string") return false;
      const contains = actual.toLowerCase().includes(condition.value.toLowerCase());
      return condition.op === "contains" ? contains : !contains;
    }
    case "lead.stage":
    case "event.source": {
      if (typeof actual !== "string") return false;
      const inList = (condition.value as readonly string[]).includes(actual);
      return condition.op === "in" ? inList : !inList;
    }
    case "lead.owner_id": {
      if (typeof actual !== "string") return false;
      const same = condition.value !== "none" && actual.toLowerCase() === condition.value.toLowerCase();
      return condition.op === "is" ? same : !same;
    }
  }
}

/** owner_id null on a lead that exists: `is none` passes, `is_not none` fails. */
function unownedPasses(condition: Condition & { field: "lead.owner_id" }): boolean {
  return condition.value === "none" ? condition.op === "is" : condition.op === "is_not";
}

/**
 * `{passed, results}`: one result per rule in order; `match: "all"` passes when every rule passes, `"any"` when at
 * least one does; no rules pass. Every rule is evaluated (no short cut) so the dry run can show them all.
 */
export function evaluateConditions(
  conditions: Conditions,
  context: RunContext,
): { passed: boolean; results: ConditionResult[] } {
  const results = conditions.rules.map((condition): ConditionResult => {
    const raw = lookup(context, condition.field);
    // lead.owner_id null is meaningful only when there is a lead
    const leadMissing = condition.field === "lead.owner_id" && context.lead === undefined;
    const passed = leadMissing ? false : test(condition, raw);
    return { field: condition.field, op: condition.op, value: condition.value, actual: raw ?? null, passed };
  });
  if (results.length === 0) return { passed: true, results };
  const passed = conditions.match === "all" ? results.every((r) => r.passed) : results.some((r) => r.passed);
  return { passed, results };
}
