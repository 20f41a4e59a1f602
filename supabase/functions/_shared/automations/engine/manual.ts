// What an admin asks of a run from the run log (i11 API contract): "Retry failed steps" (retryRun) and "Re-run"
// (rerun). Both only queue: the runner executes (within a second locally, within the cron's period in production).
import { asService, type Tx } from "../../db.ts";
import { AppError } from "../../errors.ts";
import { evaluateConditions } from "../conditions.ts";
import { buildContext } from "./context-loader.ts";
import type { EventRow, RunRow } from "./types.ts";
import { loadVersion } from "./version.ts";

const RUN_COLUMNS = `id, team_id, rule_id, version_id, event_id::text as event_id, lead_id, meeting_id, status,
  skip_reason, context, conditions_result, depth, attempt, next_attempt_at, locked_until, lease_id, error_code,
  error_message, retry_of, requested_by, created_at, started_at, finished_at`;

async function lockRun(tx: Tx, teamId: string, runId: string): Promise<RunRow> {
  const [run] = await tx.unsafe<RunRow[]>(
    `select ${RUN_COLUMNS} from public.automation_runs where id = $1 and team_id = $2 for update`,
    [runId, teamId],
  );
  if (!run) throw new AppError("run_not_found", "No such automation run in this team.");
  return run;
}

/**
 * Throws not_retryable (409) while another run of the same rule and event is queued, running or retrying (a
 * re-run of this run, a sibling re-run, a retried original: the two would repeat the same side effects side by
 * side). Takes a transaction-scoped advisory lock on (rule, event) first, so two requests about different runs of
 * one event (Retry of a dead re-run, Re-run of its original) are serialised and the second sees the first; the
 * unique index automation_runs_one_open_manual_idx (migration 20261204000600) is the backstop (onConflict).
 * A run with no event has no siblings: only its own re-runs are checked.
 */
async function refuseWhileEventOpen(tx: Tx, run: RunRow): Promise<void> {
  const [open] = run.event_id
    ? await (async () => {
      await tx`select pg_advisory_xact_lock(hashtextextended(${`automation_manual_run:${run.rule_id}:${run.event_id}`}, 0))`;
      return await tx`select status from public.automation_runs
                       where rule_id = ${run.rule_id} and event_id = ${run.event_id} and id <> ${run.id}
                         and status in ('queued', 'running', 'retrying') limit 1`;
    })()
    : await tx`select status from public.automation_runs where retry_of = ${run.id} and status in ('queued', 'running', 'retrying') limit 1`;
  if (open) {
    throw new AppError(
      "not_retryable",
      `Another run of this event (a retry or re-run) is still ${open.status}; wait for it to finish.`,
    );
  }
}

/** `err` as not_retryable (409) when it is a unique violation (23505: the one-open-run indexes); else itself. */
function onConflict(err: unknown): never {
  if ((err as { code?: string }).code === "23505") {
    throw new AppError("not_retryable", "Another run of this event (a retry or re-run) is already open; wait for it to finish.");
  }
  throw err;
}

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/**
 * A dead run again, in place: its failed steps run again (succeeded steps are kept and skipped), attempt counter
 * back to 0, due now. Resolves the run row (queued). Throws AppError run_not_found (404), not_retryable (409)
 * unless the run is dead, or while another run of its event is unfinished (refuseWhileEventOpen: at most one open
 * run asked for by hand per rule and event; a unique violation maps to the same 409).
 */
export async function retryRun(input: { teamId: string; runId: string; userId: string | null }): Promise<RunRow> {
  if (!isUuid(input.runId)) throw new AppError("run_not_found", "No such automation run in this team.");
  return await asService(async (tx) => {
    const run = await lockRun(tx, input.teamId, input.runId);
    if (run.status !== "dead") {
      throw new AppError("not_retryable", `Only a failed (dead) run can be retried; this one is ${run.status}.`);
    }
    await refuseWhileEventOpen(tx, run);
    const [updated] = await tx.unsafe<RunRow[]>(
      `update public.automation_runs
          set status = 'queued', attempt = 0, next_attempt_at = now(), error_code = null, error_message = null,
              finished_at = null, lease_id = null, locked_until = null, requested_by = $2
        where id = $1
      returning ${RUN_COLUMNS}`,
      [run.id, input.userId],
    ).catch(onConflict);
    return updated;
  });
}

/**
 * A new run of the same event on the rule's CURRENT version, retry_of = the old run, queued now. Its context is
 * built afresh from the event (what the meeting and lead are now); when the subject is gone, the old run's
 * context is reused. Conditions are evaluated and recorded but do not stop it: a re-run is an explicit request.
 * Throws AppError run_not_found (404), not_retryable (409: the run is still queued, running or retrying (a Retry
 * of it too), another run of its event is unfinished (a re-run of it or of its original, a retry: one at a time,
 * refuseWhileEventOpen; the unique indexes automation_runs_one_open_rerun_idx and
 * automation_runs_one_open_manual_idx back it, mapped to the same 409), it was skipped by the loop guard, the rule
 * has no published version, or the run has no event).
 */
export async function rerun(input: { teamId: string; runId: string; userId: string | null }): Promise<RunRow> {
  if (!isUuid(input.runId)) throw new AppError("run_not_found", "No such automation run in this team.");
  return await asService(async (tx) => {
    const old = await lockRun(tx, input.teamId, input.runId);
    if (["queued", "running", "retrying"].includes(old.status)) {
      throw new AppError("not_retryable", `This run is still ${old.status}; wait for it to finish.`);
    }
    // the loop guard stopped a chain of automations triggering each other: running it by hand would continue it
    if (old.status === "skipped" && old.skip_reason === "loop_guard") {
      throw new AppError("not_retryable", "This run was skipped by the loop guard (automations triggering each other); it cannot be re-run.");
    }
    await refuseWhileEventOpen(tx, old);
    const [rule] = await tx`select current_version_id from public.automation_rules where id = ${old.rule_id}`;
    const version = rule?.current_version_id ? await loadVersion(tx, input.teamId, rule.current_version_id) : null;
    if (!version) throw new AppError("not_retryable", "The rule has no published version to run.");
    const [event] = old.event_id
      ? await tx<EventRow[]>`select id::text as id, team_id, type, lead_id, meeting_id, source, depth, payload, status, attempts
                               from public.automation_events where id = ${old.event_id}`
      : [];
    if (!event) throw new AppError("not_retryable", "The event this run answered is gone.");
    const context = (await buildContext(tx, event)) ?? old.context;
    const conditions = evaluateConditions(version.conditions, context);
    const [created] = await tx<RunRow[]>`
      insert into public.automation_runs (team_id, rule_id, version_id, event_id, lead_id, meeting_id, status,
                                          context, conditions_result, depth, retry_of, requested_by)
      values (${input.teamId}, ${old.rule_id}, ${version.id}, ${event.id}, ${old.lead_id}, ${old.meeting_id}, 'queued',
              ${tx.json(context as never)}, ${tx.json(conditions as never)}, ${old.depth}, ${old.id}, ${input.userId})
      returning ${tx.unsafe(RUN_COLUMNS)}`.catch(onConflict);
    return created;
  });
}
