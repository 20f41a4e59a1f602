// Automation runs as a team member sees them (RLS: members read, only the engine writes): the run log, newest
// first, keyset-paginated over (created_at, id) like the meetings list, and one run with the version it was pinned
// to, its steps, the run it re-ran and the re-runs made of it; and one published version of a rule (read-only).
import type { Tx } from "../../_shared/db.ts";
import { MAX_ATTEMPTS } from "../../_shared/automations/backoff.ts";

export const RUN_STATUSES = ["queued", "running", "retrying", "succeeded", "skipped", "dead", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunSummary {
  id: string;
  rule_id: string;
  /** the rule's name now */
  rule_name: string;
  version: number;
  /** the name of the version the run is pinned to (what the rule was called when it ran), from automation_rule_versions */
  version_name: string;
  status: RunStatus;
  skip_reason: string | null;
  /** the subject, named as it is now, else as it was when the run started (a deleted lead keeps its name here) */
  lead: { id: string; name: string | null } | null;
  meeting: { id: string; title: string | null } | null;
  attempt: number;
  next_attempt_at: Date;
  error_code: string | null;
  error_message: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  retry_of: string | null;
  /**
   * succeeded runs only (else null): what each step did, in one small object per succeeded step for the run log's
   * one-line summary ("3 tasks created · posted to #sales"): `created` (tasks: a count; note: a boolean), `to` (a
   * stage), `sent`/`channel`/`workspace` (a chat post), `endpoint` (a webhook's endpoint name). Never a body.
   */
  outcomes: StepBrief[] | null;
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

export interface RunStep {
  step_index: number;
  action_type: string;
  status: string;
  resolved_input: unknown;
  output: unknown;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  started_at: Date | null;
  finished_at: Date | null;
}

/** Another run named from this one: the run it re-ran, or a re-run of it. */
export interface RunRef {
  id: string;
  status: string;
  created_at: Date;
  /** the rule version it ran */
  version: number;
}

export interface RunDetail extends Omit<RunSummary, "version"> {
  context: unknown;
  conditions_result: unknown;
  /** the rule AS IT WAS when the run was dispatched */
  version: { id: string; version: number; name: string; trigger: string; conditions: unknown; actions: unknown };
  steps: RunStep[];
  /** the re-runs made of this run, newest first */
  retries: RunRef[];
  /** the run this one re-ran (retry_of), null when it is not a re-run or that run is gone */
  retry_of_run: RunRef | null;
  /** true when someone asked for this run or its last retry by hand (requested_by): it does not count towards pausing the rule */
  requested: boolean;
  /** automatic tries of a run before it ends dead (backoff.ts MAX_ATTEMPTS); `attempt` counts them, from 0 again after a retry by hand */
  max_attempts: number;
}

/** One published version of a rule, read-only (the version page). */
export interface VersionDetail {
  id: string;
  rule_id: string;
  version: number;
  name: string;
  trigger: string;
  conditions: unknown;
  actions: unknown;
  created_at: Date;
  created_by: { id: string; name: string | null; email: string } | null;
  /** the rule's current version number: "this is the current version" or not */
  current_version: number;
}

/** Position after which a page starts: the last row's created_at (UTC, microseconds, as text) and id. */
export interface RunKey {
  sortKey: string;
  id: string;
}

export interface RunFilter {
  ruleId?: string;
  status?: RunStatus;
  after?: RunKey;
  limit: number;
}

type SummaryRow = RunSummary & { sort_key: string };

function summaryColumns(tx: Tx) {
  return tx`
    r.id, r.rule_id, rl.name as rule_name, v.version, v.name as version_name, r.status, r.skip_reason,
    case when r.lead_id is null then null
         else json_build_object('id', r.lead_id, 'name', coalesce(l.name, r.context #>> '{lead,name}')) end as lead,
    case when r.meeting_id is null then null
         else json_build_object('id', r.meeting_id, 'title', coalesce(m.title, r.context #>> '{meeting,title}'))
    end as meeting,
    r.attempt, r.next_attempt_at, r.error_code, r.error_message, r.created_at, r.started_at, r.finished_at,
    r.retry_of,
    case when r.status = 'succeeded' then coalesce((
      select json_agg(json_build_object(
               'action_type', s.action_type, 'created', s.output -> 'created', 'to', s.output ->> 'to',
               'sent', s.output ->> 'sent', 'channel', s.output ->> 'channel', 'workspace', s.output ->> 'workspace',
               'endpoint', s.output #>> '{endpoint,name}') order by s.step_index)
        from public.automation_run_steps s
       where s.run_id = r.id and s.team_id = r.team_id and s.status = 'succeeded'), '[]'::json)
    end as outcomes,
    to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as sort_key`;
}

function summaryJoins(tx: Tx) {
  return tx`
      from public.automation_runs r
      join public.automation_rules rl on rl.id = r.rule_id
      join public.automation_rule_versions v on v.id = r.version_id
      left join public.leads l on l.id = r.lead_id and l.team_id = r.team_id
      left join public.meetings m on m.id = r.meeting_id and m.team_id = r.team_id`;
}

/** One page (limit rows) of the team's runs (or one rule's), newest first, plus the key to continue after. */
export async function listRuns(
  tx: Tx,
  teamId: string,
  filter: RunFilter,
): Promise<{ runs: RunSummary[]; next: RunKey | null }> {
  const rows = await tx<SummaryRow[]>`
    select ${summaryColumns(tx)}
    ${summaryJoins(tx)}
     where r.team_id = ${teamId}
       ${filter.ruleId ? tx`and r.rule_id = ${filter.ruleId}` : tx``}
       ${filter.status ? tx`and r.status = ${filter.status}` : tx``}
       ${
    filter.after
      ? tx`and (r.created_at, r.id) < (${filter.after.sortKey}::text::timestamptz, ${filter.after.id}::uuid)`
      : tx``
  }
     order by r.created_at desc, r.id desc
     limit ${filter.limit + 1}`;
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  const next = rows.length > filter.limit && last ? { sortKey: last.sort_key, id: last.id } : null;
  return { runs: page.map(stripKey), next };
}

function stripKey({ sort_key: _key, ...run }: SummaryRow): RunSummary {
  return run;
}

/** One run as RunSummary, or null when the caller cannot see it. */
export async function getRunSummary(tx: Tx, teamId: string, runId: string): Promise<RunSummary | null> {
  const [row] = await tx<SummaryRow[]>`
    select ${summaryColumns(tx)} ${summaryJoins(tx)} where r.id = ${runId} and r.team_id = ${teamId}`;
  return row ? stripKey(row) : null;
}

/** One run with its pinned version, its steps in order and the re-runs made of it (newest first), or null. */
export async function getRunDetail(tx: Tx, teamId: string, runId: string): Promise<RunDetail | null> {
  const [row] = await tx<(SummaryRow & Omit<RunDetail, keyof RunSummary>)[]>`
    select ${summaryColumns(tx)}, r.context, r.conditions_result,
           json_build_object('id', v.id, 'version', v.version, 'name', v.name, 'trigger', v.trigger,
                             'conditions', v.conditions, 'actions', v.actions) as version_row,
           coalesce((select json_agg(json_build_object(
                              'step_index', s.step_index, 'action_type', s.action_type, 'status', s.status,
                              'resolved_input', s.resolved_input, 'output', s.output, 'error_code', s.error_code,
                              'error_message', s.error_message, 'attempts', s.attempts,
                              'started_at', s.started_at, 'finished_at', s.finished_at) order by s.step_index)
                       from public.automation_run_steps s
                      where s.run_id = r.id and s.team_id = r.team_id), '[]'::json) as steps,
           coalesce((select json_agg(json_build_object('id', x.id, 'status', x.status, 'created_at', x.created_at,
                                                       'version', xv.version)
                                     order by x.created_at desc, x.id desc)
                       from public.automation_runs x
                       join public.automation_rule_versions xv on xv.id = x.version_id
                      where x.retry_of = r.id and x.team_id = r.team_id), '[]'::json) as retries,
           (select json_build_object('id', o.id, 'status', o.status, 'created_at', o.created_at, 'version', ov.version)
              from public.automation_runs o
              join public.automation_rule_versions ov on ov.id = o.version_id
             where o.id = r.retry_of and o.team_id = r.team_id) as retry_of_run,
           r.requested_by is not null as requested
    ${summaryJoins(tx)}
     where r.id = ${runId} and r.team_id = ${teamId}`;
  if (!row) return null;
  const { version_row, version: _number, ...rest } = row as typeof row & { version_row: RunDetail["version"] };
  return { ...stripKey(rest as unknown as SummaryRow), version: version_row, max_attempts: MAX_ATTEMPTS } as RunDetail;
}

/** The published version number `version` of the team's rule `ruleId`, or null (no such rule or version). */
export async function getVersion(tx: Tx, teamId: string, ruleId: string, version: number): Promise<VersionDetail | null> {
  const [row] = await tx<VersionDetail[]>`
    select v.id, v.rule_id, v.version, v.name, v.trigger, v.conditions, v.actions, v.created_at,
           case when v.created_by is null then null
                else json_build_object('id', v.created_by, 'name', p.full_name, 'email', coalesce(p.email, ''))
           end as created_by,
           rl.version as current_version
      from public.automation_rule_versions v
      join public.automation_rules rl on rl.id = v.rule_id and rl.team_id = v.team_id
      left join public.profiles p on p.id = v.created_by
     where v.rule_id = ${ruleId} and v.team_id = ${teamId} and v.version = ${version}`;
  return row ? { ...row } : null;
}
