// Executing a claimed run (issue 11 brief, engine point 3): its version's actions in order, one
// automation_run_steps row each; a succeeded step is never executed again (a retry resumes at the failed step).
// - CRM actions write their rows AND mark the step succeeded in ONE transaction that holds the lease and names
//   its cause (crm-actions.ts): the write and "done" commit together, and their keys make a repeat harmless.
// - Message actions: mark running (one transaction), send with NO transaction open and no connection held (a slow
//   provider must not pin a pooled connection), record the outcome (another transaction); a failed send keeps what
//   it sent and what came back as the step's output (messages.ts MessageTrace: a webhook's body, id, status).
// A failure stops the run unless the action has continue_on_failure; finish.ts decides succeeded / retrying /
// dead. A lost lease (another runner took the run) stops everything at once, writing nothing more. A step whose
// failure cannot be recorded ends the run dead (it is never left to loop through re-claims).
import { asService } from "../../db.ts";
import { classifyStepError, type StepError } from "../errors.ts";
import { CRM_ACTIONS, runCrmAction } from "./crm-actions.ts";
import { finishRun, type RunOutcome, skipRun, type StepFailure } from "./finish.ts";
import { holdLease } from "./lease.ts";
import { type MessageTrace, sendMessage } from "./messages.ts";
import { resolveAction, type ResolvedInput } from "./resolve.ts";
import { loadSteps, markFailed, markRunning, markSucceeded } from "./steps.ts";
import { type LeasedRun, LeaseLost } from "./types.ts";
import { loadVersion, type RuleVersion } from "./version.ts";

/** Runs `run` (claimed by claims.ts) one pass; resolves how the pass ended. */
export async function executeRun(run: LeasedRun, options: { random?: () => number } = {}): Promise<RunOutcome> {
  let version: RuleVersion | null;
  let steps;
  let enabled: boolean;
  try {
    [version, steps, enabled] = await asService(async (tx) => {
      const [rule] = await tx`select enabled from public.automation_rules where id = ${run.rule_id}`;
      return [await loadVersion(tx, run.team_id, run.version_id), await loadSteps(tx, run.id), rule?.enabled === true] as const;
    });
  } catch (err) {
    const error = classifyStepError(err);
    return await finishRun(run, [{ ...error, stepIndex: 0, actionType: "rule" }], options.random);
  }
  if (!version) return "lease_lost"; // the rule (and with it this run) was deleted meanwhile
  // switched off or paused since the run was queued: it does not run (a retry or re-run someone asked for does)
  if (!enabled && run.requested_by === null) return await skipRun(run, "rule_disabled");
  const failures: StepFailure[] = [];
  const rule = { id: version.rule_id, name: version.name, version: version.version };
  for (const [stepIndex, action] of version.actions.entries()) {
    if (steps.get(stepIndex)?.status === "succeeded") continue;
    const key = { runId: run.id, teamId: run.team_id, stepIndex, actionType: action.type };
    const crm = CRM_ACTIONS.has(action.type);
    let input: ResolvedInput | undefined;
    let counted = false;
    const trace: MessageTrace = {};
    try {
      input = resolveAction(action, run.context).input;
      if (crm) {
        await asService(async (tx) => {
          await holdLease(tx, run);
          const output = await runCrmAction(tx, { runId: run.id, teamId: run.team_id, stepIndex, depth: run.depth, context: run.context }, input!);
          await markSucceeded(tx, key, input, output, true);
        });
      } else {
        await asService(async (tx) => {
          await holdLease(tx, run);
          await markRunning(tx, key, input);
        });
        counted = true;
        const output = await sendMessage(
          { teamId: run.team_id, runId: run.id, stepIndex, createdAt: run.created_at, rule, context: run.context },
          input,
          trace,
        );
        await asService(async (tx) => {
          await holdLease(tx, run);
          await markSucceeded(tx, key, input, output, false);
        });
      }
    } catch (err) {
      if (err instanceof LeaseLost) return "lease_lost";
      const error: StepError = classifyStepError(err);
      try {
        await asService(async (tx) => {
          await holdLease(tx, run);
          await markFailed(tx, key, input, error, !counted, trace.output);
        });
      } catch (recordErr) {
        if (recordErr instanceof LeaseLost) return "lease_lost";
        // the failure cannot even be written down (a step the steps table refuses): end the run dead with both
        // reasons rather than throw and leave it to be re-claimed (claims.ts bounds that path too)
        const recorded = classifyStepError(recordErr);
        const message = `${error.message} (the step's outcome could not be recorded: ${recorded.message})`;
        return await finishRun(run, [{ ...error, kind: "permanent", message, stepIndex, actionType: action.type }], options.random);
      }
      failures.push({ ...error, stepIndex, actionType: action.type });
      if (!action.continue_on_failure) break;
    }
  }
  return await finishRun(run, failures, options.random);
}
