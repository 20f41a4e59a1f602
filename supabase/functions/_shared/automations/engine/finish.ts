// How a run pass ends (issue 11 brief, engine point 4), in one transaction holding the lease:
// - no failure: succeeded; the rule's consecutive_failures back to 0;
// - only transient failures and attempts left (backoff.ts MAX_ATTEMPTS): retrying at now + retryDelayMs(attempt)
//   (never before the longest Retry-After); the failed steps run again then, the succeeded ones never;
// - ... unless a provider asked to wait longer than the backoff cap (MAX_DELAY_MS: a Retry-After of years, or
//   one too large to read): then dead at once, its sentence saying so ("It asked to wait 3 years: longer than
//   6 hours"), so no run is parked out of reach of Retry and Re-run and no interval overflows;
// - otherwise dead, with the first failure's code and a sentence naming the step; the rule's
//   consecutive_failures + 1, and at PAUSE_AFTER_DEAD_RUNS the rule is paused (enabled false, paused_reason,
//   paused_at) so it stops failing silently (n8n's silent deactivation is what users hate: the reason is shown);
// - the rule was turned off meanwhile (and nobody asked for this run by hand): skipped, rule_disabled, with
//   RULE_DISABLED_MESSAGE, never retrying (the database ends the runs that wait the same way, migration
//   20261204000200; docs/architecture.md "Turning a rule off"); paused by the engine (paused_reason set):
//   skipped, rule_paused, with RULE_PAUSED_MESSAGE, so the run does not read as if a person turned the rule off.
// What counts (the paused banner says exactly this, pausedReason): runs the rule made itself from its events.
// A run someone asked for by hand (requested_by set: "Retry failed steps" on a dead run, or a "Re-run") that ends
// dead neither counts nor pauses the rule by itself: the person sees the failure on the page they are on, and one
// retry must not turn a rule off for everyone (nor make "N failed runs in a row" count the same event twice). A
// run that succeeds, by hand or not, resets the count: the rule works again. Pausing resets it too, so after
// "Turn on again" the rule gets PAUSE_AFTER_DEAD_RUNS fresh runs before it is paused again.
// By design (docs/architecture.md "Automations: the engine"): a run by hand that succeeds resets the count like
// any other; runs by hand execute while the rule is off; and a member can make an admin's rule fail through data
// (leads without the field a template needs), so its runs die and the rule pauses: that is the pause doing its
// job, and the banner says why.
import { asService, type Tx } from "../../db.ts";
import { canRetry, MAX_ATTEMPTS, retryDelayMs, tooLongSentence, waitTooLong } from "../backoff.ts";
import type { StepError } from "../errors.ts";
import { PAUSE_AFTER_DEAD_RUNS } from "./config.ts";
import { holdLease } from "./lease.ts";
import type { LeasedRun } from "./types.ts";

export interface StepFailure extends StepError {
  stepIndex: number;
  actionType: string;
}

export type RunOutcome = "succeeded" | "retrying" | "dead" | "skipped" | "lease_lost";

const LABEL: Record<string, string> = {
  create_tasks: "Create tasks",
  add_note: "Add a note",
  set_stage: "Set the stage",
  post_slack: "Post to Slack",
  post_discord: "Post to Discord",
  send_webhook: "Send a webhook",
};

/** "Step 2 (Post to Slack) failed after 6 attempts: Slack is not answering." (at most 2,000 characters) */
export function deadMessage(failure: StepFailure, attempt: number, exhausted: boolean): string {
  const label = LABEL[failure.actionType] ?? failure.actionType;
  const after = exhausted ? ` after ${attempt} attempt${attempt === 1 ? "" : "s"}` : "";
  return `Step ${failure.stepIndex + 1} (${label}) failed${after}: ${failure.message}`.slice(0, 2000);
}

/**
 * What a run of a rule that was turned off says (skip_reason rule_disabled). The same sentence is written by the
 * database when the switch goes off (migration 20261204000200): keep the two equal.
 */
export const RULE_DISABLED_MESSAGE =
  "The automation was turned off before this run finished; it was not run again, and turning the automation on does not resume it.";

/**
 * What a run of a rule the engine PAUSED says (skip_reason rule_paused; paused_reason set). Written by the
 * database too (migration 20261204000200, which spells the count out): keep the two equal.
 */
export const RULE_PAUSED_MESSAGE =
  `The automation was paused after ${PAUSE_AFTER_DEAD_RUNS} failed runs in a row before this run finished; it was not run again, and turning the automation on does not resume it.`;

/** The paused banner's text (see the top for what is counted); at most 500 characters. */
export function pausedReason(lastError: string): string {
  return `Paused after ${PAUSE_AFTER_DEAD_RUNS} of its runs failed in a row (retries and re-runs by hand are not counted). Last error: ${lastError}`
    .slice(0, 500);
}

/** Ends the pass (see the top). Resolves "lease_lost" when another runner holds the run now (nothing written). */
export async function finishRun(run: LeasedRun, failures: StepFailure[], random?: () => number): Promise<RunOutcome> {
  return await asService(async (tx) => {
    try {
      await holdLease(tx, run);
    } catch {
      return "lease_lost";
    }
    if (failures.length === 0) {
      await tx`update public.automation_runs
                  set status = 'succeeded', finished_at = now(), error_code = null, error_message = null,
                      lease_id = null, locked_until = null
                where id = ${run.id}`;
      await tx`update public.automation_rules set consecutive_failures = 0
                where id = ${run.rule_id} and consecutive_failures <> 0`;
      return "succeeded";
    }
    const first = failures[0];
    const transient = failures.every((f) => f.kind === "transient");
    if (transient && canRetry(run.attempt)) {
      // turned off during this pass: end it as the database ends the waiting ones (migration 20261204000200)
      // rather than schedule a retry that would silently skip. FOR SHARE orders this read against the switch's
      // transaction: either the switch commits first and is seen here, or it waits and its trigger ends the retry
      // written here. A retry or re-run someone asked for goes on (it was asked for while the rule was off).
      const [rule] = await tx`select enabled from public.automation_rules where id = ${run.rule_id} for share`;
      if (rule && !rule.enabled && run.requested_by === null) {
        await endDisabled(tx, run, first.code);
        return "skipped";
      }
      const asking = failures.filter((f) => f.retryAfterMs !== undefined);
      const longest = asking.find((f) => waitTooLong(f.retryAfterMs));
      if (longest) {
        const message = `${deadMessage(longest, run.attempt, false)} ${tooLongSentence(longest.retryAfterMs!)}`;
        await endDead(tx, run, longest.code, message.slice(0, 2000));
        return "dead";
      }
      const retryAfterMs = Math.max(0, ...asking.map((f) => f.retryAfterMs!));
      const delay = retryDelayMs(run.attempt, { random, retryAfterMs: retryAfterMs || undefined });
      await tx`update public.automation_runs
                  set status = 'retrying', next_attempt_at = now() + make_interval(secs => ${delay / 1000}),
                      error_code = ${first.code}, error_message = ${first.message}, lease_id = null, locked_until = null
                where id = ${run.id}`;
      return "retrying";
    }
    const message = deadMessage(first, run.attempt, transient && run.attempt >= MAX_ATTEMPTS);
    await endDead(tx, run, first.code, message);
    return "dead";
  });
}

/** The run dead with `code` and `message`; counted towards pausing the rule unless asked for by hand (see the top). */
async function endDead(tx: Tx, run: LeasedRun, code: string, message: string): Promise<void> {
  await tx`update public.automation_runs
                set status = 'dead', finished_at = now(), error_code = ${code}, error_message = ${message},
                    lease_id = null, locked_until = null
              where id = ${run.id}`;
  if (run.requested_by !== null) return; // asked for by hand: not counted (see the top)
  const [rule] = await tx`update public.automation_rules set consecutive_failures = consecutive_failures + 1
                             where id = ${run.rule_id} returning consecutive_failures, enabled`;
  if (rule && rule.enabled && rule.consecutive_failures >= PAUSE_AFTER_DEAD_RUNS) {
    await tx`update public.automation_rules
                  set enabled = false, paused_reason = ${pausedReason(message)}, paused_at = now(),
                      consecutive_failures = 0
                where id = ${run.rule_id}`;
  }
}

/**
 * Ends the run as skipped without running anything more (rule_disabled / rule_paused: the rule was switched off or
 * paused after the run was queued). Resolves "lease_lost" when another runner holds the run now.
 */
export async function skipRun(run: LeasedRun): Promise<"skipped" | "lease_lost"> {
  return await asService(async (tx) => {
    try {
      await holdLease(tx, run);
    } catch {
      return "lease_lost";
    }
    await endDisabled(tx, run, run.error_code);
    return "skipped";
  });
}

/**
 * skipped / rule_disabled with RULE_DISABLED_MESSAGE, or rule_paused with RULE_PAUSED_MESSAGE when the engine
 * paused the rule (paused_reason set); `errorCode` keeps what failed last, if anything did.
 */
async function endDisabled(tx: Tx, run: Pick<LeasedRun, "id" | "rule_id">, errorCode: string | null): Promise<void> {
  const [rule] = await tx`select paused_reason is not null as paused from public.automation_rules where id = ${run.rule_id}`;
  const paused = rule?.paused === true;
  await tx`update public.automation_runs
              set status = 'skipped', skip_reason = ${paused ? "rule_paused" : "rule_disabled"}, finished_at = now(),
                  error_code = ${errorCode}, error_message = ${paused ? RULE_PAUSED_MESSAGE : RULE_DISABLED_MESSAGE},
                  lease_id = null, locked_until = null
            where id = ${run.id}`;
}
