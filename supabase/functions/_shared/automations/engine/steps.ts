// automation_run_steps writes, each inside a transaction that holds the run's lease (lease.ts).
import type { Tx } from "../../db.ts";
import type { StepError } from "../errors.ts";
import type { StepRow } from "./types.ts";

export async function loadSteps(tx: Tx, runId: string): Promise<Map<number, StepRow>> {
  const rows = await tx<StepRow[]>`
    select run_id, step_index, action_type, status, resolved_input, output, error_code, error_message, attempts
      from public.automation_run_steps where run_id = ${runId} order by step_index`;
  return new Map(rows.map((r) => [r.step_index, { ...r }]));
}

interface StepKey {
  runId: string;
  teamId: string;
  stepIndex: number;
  actionType: string;
}

/** The step is being tried: running, one more attempt, its resolved input; the last attempt's output is cleared. */
export async function markRunning(tx: Tx, key: StepKey, input: unknown): Promise<void> {
  await tx`
    insert into public.automation_run_steps (run_id, team_id, step_index, action_type, status, resolved_input,
                                             attempts, started_at)
    values (${key.runId}, ${key.teamId}, ${key.stepIndex}, ${key.actionType}, 'running', ${tx.json(input as never)}, 1, now())
    on conflict (run_id, step_index) do update
       set status = 'running', resolved_input = excluded.resolved_input, output = null,
           attempts = public.automation_run_steps.attempts + 1, started_at = now(), finished_at = null,
           error_code = null, error_message = null`;
}

/** The step succeeded with `output`; `countAttempt` when markRunning did not count this attempt (CRM actions). */
export async function markSucceeded(tx: Tx, key: StepKey, input: unknown, output: unknown, countAttempt: boolean): Promise<void> {
  const add = countAttempt ? 1 : 0;
  await tx`
    insert into public.automation_run_steps (run_id, team_id, step_index, action_type, status, resolved_input, output,
                                             attempts, started_at, finished_at)
    values (${key.runId}, ${key.teamId}, ${key.stepIndex}, ${key.actionType}, 'succeeded', ${tx.json(input as never)},
            ${tx.json(output as never)}, 1, now(), now())
    on conflict (run_id, step_index) do update
       set status = 'succeeded', resolved_input = excluded.resolved_input, output = excluded.output,
           attempts = public.automation_run_steps.attempts + ${add}, finished_at = now(), error_code = null,
           error_message = null`;
}

/**
 * The step failed with `error` (its input when it was resolved; `output`: what it did before failing, e.g. the
 * webhook it sent and the answer, messages.ts WebhookDelivery; null when nothing).
 */
export async function markFailed(
  tx: Tx,
  key: StepKey,
  input: unknown,
  error: StepError,
  countAttempt: boolean,
  output: unknown = null,
): Promise<void> {
  const add = countAttempt ? 1 : 0;
  await tx`
    insert into public.automation_run_steps (run_id, team_id, step_index, action_type, status, resolved_input, output,
                                             error_code, error_message, attempts, started_at, finished_at)
    values (${key.runId}, ${key.teamId}, ${key.stepIndex}, ${key.actionType}, 'failed',
            ${input === undefined ? null : tx.json(input as never)}, ${output == null ? null : tx.json(output as never)},
            ${error.code}, ${error.message}, 1, now(), now())
    on conflict (run_id, step_index) do update
       set status = 'failed', resolved_input = coalesce(excluded.resolved_input, public.automation_run_steps.resolved_input),
           output = excluded.output, error_code = excluded.error_code, error_message = excluded.error_message,
           attempts = public.automation_run_steps.attempts + ${add}, finished_at = now()`;
}
