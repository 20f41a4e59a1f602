// Row shapes the engine reads and writes (migration 20261203000200_automations.sql is the contract) and the engine's
// own errors. Event ids are bigint, which postgres.js hands over as strings.
import type { RunContext } from "../context.ts";

/** A claimed automation_events row (pending, lease taken). */
export interface EventRow {
  id: string;
  team_id: string;
  type: RunContext["event"]["type"];
  lead_id: string | null;
  meeting_id: string | null;
  source: RunContext["event"]["source"];
  depth: number;
  payload: { from_stage?: string; to_stage?: string; [key: string]: unknown };
  status: "pending" | "dispatched";
  attempts: number;
}

export type RunStatus = "queued" | "running" | "retrying" | "succeeded" | "skipped" | "dead" | "cancelled";
export type SkipReason = "conditions" | "loop_guard" | "rule_disabled" | "rule_paused" | "subject_gone";

/** An automation_runs row as the engine needs it. */
export interface RunRow {
  id: string;
  team_id: string;
  rule_id: string;
  version_id: string;
  event_id: string | null;
  lead_id: string | null;
  meeting_id: string | null;
  status: RunStatus;
  skip_reason: SkipReason | null;
  context: RunContext;
  conditions_result: unknown;
  depth: number;
  attempt: number;
  next_attempt_at: Date;
  locked_until: Date | null;
  lease_id: string | null;
  error_code: string | null;
  error_message: string | null;
  retry_of: string | null;
  requested_by: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

/** A run this runner holds: every write it makes is conditional on `lease_id` still being the run's. */
export interface LeasedRun extends RunRow {
  lease_id: string;
}

export type StepStatus = "pending" | "running" | "succeeded" | "failed" | "skipped";

export interface StepRow {
  run_id: string;
  step_index: number;
  action_type: string;
  status: StepStatus;
  resolved_input: unknown;
  output: unknown;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
}

/**
 * The run's lease was taken over (it expired and another runner reclaimed the run) or the run left `running`
 * (cancelled, deleted). The holder stops at once and writes nothing more: the new holder owns the run.
 */
export class LeaseLost extends Error {
  override readonly name = "LeaseLost";
  constructor(runId: string) {
    super(`automation run ${runId}: lease lost`);
  }
}
