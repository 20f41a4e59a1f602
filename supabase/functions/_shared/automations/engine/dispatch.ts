// Dispatch (issue 11 brief, engine point 2): one pending event -> one run per enabled rule of its team with that
// trigger, pinned to the rule's current version, with the RunContext frozen at this moment. Runs that will not run
// are recorded anyway, with why (the run log explains every silence): skip_reason loop_guard (the event is
// MAX_DEPTH automations deep), subject_gone (the meeting or lead is gone), conditions (conditions_result says which
// failed). A version that cannot be parsed gives a dead run. Then the event is `dispatched`.
//
// Exactly once per (rule, event): the run insert is `on conflict do nothing` on automation_runs_once_idx, and the
// whole dispatch is one transaction that first locks the event and checks it is still pending, so two runners
// holding the same event (one with an expired lease) dispatch it once.
import { asService, type Tx } from "../../db.ts";
import { evaluateConditions } from "../conditions.ts";
import { loopGuard } from "../loop-guard.ts";
import { buildContext } from "./context-loader.ts";
import type { EventRow, SkipReason } from "./types.ts";
import { parseVersion, type RuleVersion } from "./version.ts";

export interface DispatchResult {
  /** runs inserted by this call: queued to run, or recorded as skipped / dead */
  queued: number;
  skipped: number;
  dead: number;
  /** false when the event was already dispatched (by another runner) */
  dispatched: boolean;
}

interface Planned {
  status: "queued" | "skipped" | "dead";
  skip_reason: SkipReason | null;
  conditions_result: unknown;
  error_code: string | null;
  error_message: string | null;
}

/** The enabled rules of the team for this trigger, each with its current version (unparsed). */
async function rulesFor(tx: Tx, teamId: string, trigger: string) {
  return await tx`
    select v.id, v.rule_id, v.team_id, v.version, v.name, v.trigger, v.conditions, v.actions
      from public.automation_rules r
      join public.automation_rule_versions v on v.id = r.current_version_id
     where r.team_id = ${teamId} and r.trigger = ${trigger} and r.enabled
     order by r.created_at, r.id`;
}

/** Inserts the run unless the (rule, event) pair already has one; true when inserted. */
async function insertRun(
  tx: Tx,
  event: EventRow,
  version: { id: string; rule_id: string },
  context: unknown,
  plan: Planned,
): Promise<boolean> {
  const terminal = plan.status !== "queued";
  const rows = await tx`
    insert into public.automation_runs (team_id, rule_id, version_id, event_id, lead_id, meeting_id, status,
                                        skip_reason, context, conditions_result, depth, error_code, error_message,
                                        finished_at)
    values (${event.team_id}, ${version.rule_id}, ${version.id}, ${event.id}, ${event.lead_id}, ${event.meeting_id},
            ${plan.status}, ${plan.skip_reason}, ${tx.json((context ?? {}) as never)},
            ${plan.conditions_result === null ? null : tx.json(plan.conditions_result as never)}, ${event.depth},
            ${plan.error_code}, ${plan.error_message}, ${terminal ? new Date() : null})
    on conflict (rule_id, event_id) where event_id is not null and retry_of is null do nothing
    returning id`;
  return rows.length > 0;
}

/**
 * Dispatches the event `claimed` (see the top). Resolves with the counts; database errors propagate (the event
 * stays pending and its lease expires, so it is dispatched again later: the run inserts are idempotent).
 */
export async function dispatchEvent(claimed: Pick<EventRow, "id">): Promise<DispatchResult> {
  return await asService(async (tx) => {
    const result: DispatchResult = { queued: 0, skipped: 0, dead: 0, dispatched: false };
    const [event] = await tx<EventRow[]>`
      select id::text as id, team_id, type, lead_id, meeting_id, source, depth, payload, status, attempts
        from public.automation_events where id = ${claimed.id} for update`;
    if (!event || event.status !== "pending") return result;

    const rules = await rulesFor(tx, event.team_id, event.type);
    const guard = loopGuard(event.depth);
    const context = rules.length > 0 && guard === "run" ? await buildContext(tx, event) : null;
    for (const row of rules) {
      let plan: Planned = { status: "queued", skip_reason: null, conditions_result: null, error_code: null, error_message: null };
      let version: RuleVersion | null = null;
      try {
        version = parseVersion(row as never);
      } catch (err) {
        plan = { ...plan, status: "dead", error_code: "invalid_rule", error_message: (err as Error).message };
      }
      if (version && guard === "skip") {
        plan = { ...plan, status: "skipped", skip_reason: "loop_guard" };
      } else if (version && !context) {
        plan = { ...plan, status: "skipped", skip_reason: "subject_gone" };
      } else if (version && context) {
        const conditions = evaluateConditions(version.conditions, context);
        plan.conditions_result = conditions;
        if (!conditions.passed) plan = { ...plan, status: "skipped", skip_reason: "conditions" };
      }
      if (await insertRun(tx, event, { id: row.id, rule_id: row.rule_id }, context, plan)) {
        result[plan.status === "queued" ? "queued" : plan.status === "skipped" ? "skipped" : "dead"]++;
      }
    }
    await tx`update public.automation_events
                set status = 'dispatched', dispatched_at = now(), locked_until = null, last_error = null
              where id = ${event.id}`;
    result.dispatched = true;
    return result;
  });
}

/** Records why an event could not be dispatched this time (it stays pending; its lease expires). */
export async function recordDispatchError(eventId: string, message: string): Promise<void> {
  await asService((tx) =>
    tx`update public.automation_events set last_error = ${message.slice(0, 500)} where id = ${eventId} and status = 'pending'`
  );
}
