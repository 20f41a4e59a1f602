// A published rule version as the engine uses it: read by id and parsed with the rule language's own schemas
// (rule.ts), so defaults (continue_on_failure, allow_backwards) are filled exactly as at publish time.
import { z } from "zod";
import type { Tx } from "../../db.ts";
import { AppError } from "../../errors.ts";
import { actionSchema, type Action, type Conditions, conditionsSchema, MAX_ACTIONS } from "../rule.ts";
import type { TriggerType } from "../context.ts";

export interface RuleVersion {
  id: string;
  rule_id: string;
  team_id: string;
  version: number;
  name: string;
  trigger: TriggerType;
  conditions: Conditions;
  actions: Action[];
}

// the rule language's own bounds (1-10 actions, ruleBodySchema): a version written past the API (a direct insert,
// an old row) that breaks them is refused here, before step 11 of 200 would hit the steps table's checks
const actionsSchema = z.array(actionSchema).min(1).max(MAX_ACTIONS);

/**
 * The version's stored JSON, parsed with the rule language's schemas and bounds. Throws AppError invalid_rule (a
 * permanent failure, so the run ends dead with this sentence: the stored rule does not parse, which only a row
 * written past the API can cause).
 */
export function parseVersion(row: Omit<RuleVersion, "conditions" | "actions"> & { conditions: unknown; actions: unknown }): RuleVersion {
  const conditions = conditionsSchema.safeParse(row.conditions);
  const actions = actionsSchema.safeParse(row.actions);
  if (!conditions.success || !actions.success) {
    throw new AppError("invalid_rule", `The rule's version ${row.version} cannot be read; publish it again.`);
  }
  return { ...row, conditions: conditions.data, actions: actions.data };
}

/** The version `versionId` of the team; null when it is gone. */
export async function loadVersion(tx: Tx, teamId: string, versionId: string): Promise<RuleVersion | null> {
  const [row] = await tx`
    select id, rule_id, team_id, version, name, trigger, conditions, actions
      from public.automation_rule_versions where id = ${versionId} and team_id = ${teamId}`;
  return row ? parseVersion(row as never) : null;
}
