import { request } from "./api";
import type { RuleBody, RunStatus, TestInput } from "./automationTypes";
import {
  parseCatalog,
  parseCreatedEndpoint,
  parseDryRun,
  parseEndpoints,
  parseRule,
  parseRules,
  parseRun,
  parseRunsPage,
  parseRunSummary,
  parseVersionDetail,
} from "./automationSchema";

/**
 * The automations API (docs/architecture.md "Automations"), through api.ts's one `request`. Only the automation
 * pages import this module, so it and its parsers load with their routes, never with the Integrations page.
 * Members read; writes answer 403 `not_team_admin` to members (the pages show read-only instead of trying).
 */

const enc = encodeURIComponent;
const team = (teamId: string) => `api/teams/${enc(teamId)}`;

function qs(params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}

export interface RunsQuery {
  status?: RunStatus | "";
  cursor?: string | null;
}

export const automationsApi = {
  /** GET api/automation-catalog: triggers, actions, filters, variables and condition fields per trigger. */
  getCatalog: () => request<unknown>("api/automation-catalog", "GET").then(parseCatalog),

  listRules: (teamId: string) => request<unknown>(`${team(teamId)}/automations`, "GET").then(parseRules),

  /** 201 `{rule}`; 400 invalid_rule (the ApiError's `detail` names the path), 409 rule_limit. */
  createRule: (teamId: string, body: RuleBody) =>
    request<unknown>(`${team(teamId)}/automations`, "POST", body).then((d) => parseRule(d).rule),

  /** The rule with its published versions (newest first). 404 rule_not_found. */
  getRule: (teamId: string, ruleId: string) =>
    request<unknown>(`${team(teamId)}/automations/${enc(ruleId)}`, "GET").then(parseRule),

  /** One published version, read-only. 404 rule_not_found, version_not_found. */
  getVersion: (teamId: string, ruleId: string, version: number) =>
    request<unknown>(`${team(teamId)}/automations/${enc(ruleId)}/versions/${version}`, "GET").then(parseVersionDetail),

  /** A change of name, trigger, conditions or actions publishes version N+1; `enabled` alone publishes nothing. */
  updateRule: (teamId: string, ruleId: string, patch: Partial<RuleBody>) =>
    request<unknown>(`${team(teamId)}/automations/${enc(ruleId)}`, "PATCH", patch).then((d) => parseRule(d).rule),

  deleteRule: (teamId: string, ruleId: string) =>
    request<unknown>(`${team(teamId)}/automations/${enc(ruleId)}`, "DELETE").then(() => undefined),

  /** A dry run of `rule` (the draft) or of the published version; `send` really sends the message actions. */
  testRule: (teamId: string, ruleId: string, input: TestInput) =>
    request<unknown>(`${team(teamId)}/automations/${enc(ruleId)}/test`, "POST", input).then(parseDryRun),

  listRuleRuns: (teamId: string, ruleId: string, q: RunsQuery = {}) =>
    request<unknown>(
      `${team(teamId)}/automations/${enc(ruleId)}/runs${qs({ status: q.status, cursor: q.cursor })}`,
      "GET",
    ).then(parseRunsPage),

  listRuns: (teamId: string, q: RunsQuery = {}) =>
    request<unknown>(`${team(teamId)}/automation-runs${qs({ status: q.status, cursor: q.cursor })}`, "GET").then(
      parseRunsPage,
    ),

  getRun: (teamId: string, runId: string) =>
    request<unknown>(`${team(teamId)}/automation-runs/${enc(runId)}`, "GET").then(parseRun),

  /** Admins: a dead run's failed steps again (same run). 409 not_retryable unless dead. */
  retryRun: (teamId: string, runId: string) =>
    request<unknown>(`${team(teamId)}/automation-runs/${enc(runId)}/retry`, "POST").then(parseRunSummary),

  /** Admins: a new run of the same event on the rule's current version (`retry_of` = this run). */
  rerunRun: (teamId: string, runId: string) =>
    request<unknown>(`${team(teamId)}/automation-runs/${enc(runId)}/rerun`, "POST").then(parseRunSummary),

  listEndpoints: (teamId: string) =>
    request<unknown>(`${team(teamId)}/automation-endpoints`, "GET").then(parseEndpoints),

  /** 201 `{endpoint, secret}`: the signing secret is shown once. 400 invalid_url. */
  createEndpoint: (teamId: string, input: { name: string; url: string }) =>
    request<unknown>(`${team(teamId)}/automation-endpoints`, "POST", input).then(parseCreatedEndpoint),

  /** 409 endpoint_in_use while an enabled rule's current version sends to it. */
  deleteEndpoint: (teamId: string, endpointId: string) =>
    request<unknown>(`${team(teamId)}/automation-endpoints/${enc(endpointId)}`, "DELETE").then(() => undefined),
};

export type AutomationsApi = typeof automationsApi;
