/**
 * Shapes of the automations API (docs/architecture.md "Automations"; the contract of issue 11): rules and their
 * versions, runs and their steps, the dry run's result, webhook endpoints and the editor's catalogue. The rule body
 * mirrors supabase/functions/_shared/automations/rule.ts (the server validates it; the editor only builds it).
 */

export const TRIGGER_TYPES = [
  "meeting.linked_to_lead",
  "meeting.imported_unmatched",
  "lead.created",
  "lead.stage_changed",
] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const ACTION_TYPES = ["create_tasks", "add_note", "set_stage", "post_slack", "post_discord", "send_webhook"] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const EVENT_SOURCES = ["import", "webhook", "person", "automation", "fathom", "zoom", "typeform"] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/** One condition row: `value` is a number, boolean, string or list of strings depending on the field. */
export interface Condition {
  field: string;
  op: string;
  value: number | boolean | string | string[];
}

export interface Conditions {
  match: "all" | "any";
  rules: Condition[];
}

/** An action of a rule: `type` and its parameters (rule.ts's actionSchema). */
export interface Action {
  type: ActionType;
  continue_on_failure?: boolean;
  due_in_days?: number;
  fallback_assignee_id?: string;
  template?: string;
  stage?: string;
  allow_backwards?: boolean;
  endpoint_id?: string;
}

/** POST / PATCH body of a rule. */
export interface RuleBody {
  name: string;
  enabled: boolean;
  trigger: TriggerType;
  conditions: Conditions;
  actions: Action[];
}

export type RunStatus = "queued" | "running" | "retrying" | "succeeded" | "skipped" | "dead" | "cancelled" | "unknown";
export type StepStatus = "pending" | "running" | "succeeded" | "failed" | "skipped" | "unknown";

export interface RunRef {
  id: string;
  status: RunStatus;
  created_at: string | null;
  /** the rule version that run ran (run detail's retry_of_run and retries; null elsewhere) */
  version?: number | null;
}

export interface RuleSummary {
  id: string;
  name: string;
  trigger: TriggerType | string;
  enabled: boolean;
  version: number;
  paused_reason: string | null;
  paused_at: string | null;
  created_at: string | null;
  updated_at: string | null;
  last_run: RunRef | null;
  stats_7d: { succeeded: number; failed: number; skipped: number };
  /** dead runs not retried since: the red "N failed" badge */
  dead_count: number;
  /** runs waiting for their next automatic attempt and the newest one's error */
  retrying: { count: number; last_error: string | null };
  /** broken settings of the current version ("Step 2 (Send a webhook): its webhook endpoint was deleted. …") */
  problems: RuleProblem[];
}

/** A setting of a rule's action that no longer works: which action (0-based), which field, and a sentence. */
export interface RuleProblem {
  action_index: number;
  /** endpoint_id / fallback_assignee_id (fixed in the editor), destination / reconnect (fixed under Integrations) */
  field: string;
  message: string;
  /** reconnect only: the chat to reconnect */
  provider?: "slack" | "discord";
}

export interface Rule extends RuleSummary {
  conditions: Conditions;
  actions: Action[];
}

export interface RuleVersion {
  id: string;
  version: number;
  name: string;
  created_at: string | null;
  created_by: { id: string; name: string | null; email: string | null } | null;
}

export interface RunSummary {
  id: string;
  rule_id: string | null;
  /** the rule's name now */
  rule_name: string;
  version: number | null;
  /** the name of the version the run is pinned to ("" when the API did not say) */
  version_name: string;
  status: RunStatus;
  skip_reason: string | null;
  lead: { id: string; name: string } | null;
  meeting: { id: string; title: string } | null;
  attempt: number;
  next_attempt_at: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  retry_of: string | null;
  /** succeeded runs: what each succeeded step did (the API's StepBrief), for the log's one-line summary; else null */
  outcomes?: StepBrief[] | null;
}

export interface StepBrief {
  action_type: string;
  created: number | boolean | null;
  to: string | null;
  sent: string | null;
  channel: string | null;
  workspace: string | null;
  endpoint: string | null;
}

export interface RunsPage {
  runs: RunSummary[];
  next_cursor: string | null;
}

export interface RunStep {
  step_index: number;
  action_type: string;
  status: StepStatus;
  resolved_input: unknown;
  output: unknown;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
}

export interface RunDetail extends RunSummary {
  context: Record<string, unknown> | null;
  conditions_result: ConditionsResult | null;
  /** the rule as it was at the run's version */
  version_rule: { id: string; version: number; name: string; trigger: string; conditions: Conditions; actions: Action[] } | null;
  steps: RunStep[];
  /** the re-runs made of this run, newest first */
  retries: RunRef[];
  /** the run this one re-ran (null when it is not a re-run, or that run is gone) */
  retry_of_run: RunRef | null;
  /** asked for by hand (a retry or a re-run): does not count towards pausing the rule */
  requested: boolean;
  /** automatic tries before a run ends dead; `attempt` counts them (from 0 again after a retry by hand) */
  max_attempts: number | null;
}

/** One published version of a rule, read-only (GET .../automations/:ruleId/versions/:version). */
export interface RuleVersionDetail {
  id: string;
  rule_id: string;
  version: number;
  name: string;
  trigger: string;
  conditions: Conditions;
  actions: Action[];
  created_at: string | null;
  created_by: { id: string; name: string | null; email: string | null } | null;
  /** the rule's current version number */
  current_version: number;
}

export interface ConditionResult {
  field: string;
  op: string;
  value: unknown;
  actual: unknown;
  passed: boolean;
}

export interface ConditionsResult {
  passed: boolean;
  results: ConditionResult[];
}

export interface DryRunAction {
  index: number;
  type: string;
  input: unknown;
  would: string;
  sent?: { ok: boolean; error?: string };
  /** send_webhook: what it would send, or what it sent and what came back (automationOutputs.ts reads it) */
  delivery?: unknown;
  /** create_tasks: each task it would create with its assignee and why (automationOutputs.ts readPlannedTasks) */
  tasks?: unknown;
  /** post_slack / post_discord once sent: where it posted (automationOutputs.ts readChatPost) */
  posted?: unknown;
}

export interface DryRunResult {
  conditions: ConditionsResult;
  actions: DryRunAction[];
  missing: string[];
}

export interface TestInput {
  meetingId?: string;
  leadId?: string;
  send?: boolean;
  rule?: RuleBody;
}

export interface Endpoint {
  id: string;
  name: string;
  url_host: string;
  /** host + path with anything token-like as "…" (never the query): tells endpoints on one host apart */
  path_hint: string;
  /** the rules whose current version sends here */
  used_by: { id: string; name: string; enabled: boolean }[];
  created_at: string | null;
}

export interface CatalogVariable {
  path: string;
  label: string;
  example: string;
}

export interface CatalogCondition {
  field: string;
  label: string;
  ops: string[];
  value_type: string;
}

export interface Catalog {
  triggers: { id: string; label: string }[];
  actions: { type: string; label: string; needs_lead: boolean }[];
  filters: { name: string; label: string; arg: string | null }[];
  variables: Record<string, CatalogVariable[]>;
  conditions: Record<string, CatalogCondition[]>;
}
