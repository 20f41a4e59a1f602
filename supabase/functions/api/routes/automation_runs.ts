// The run log (issue 11): one rule's runs and the team's, newest first, in keyset pages; one run with its steps and
// the version it ran; one published version of a rule (read-only); and the two ways an admin acts on a run, both done by the engine: retry (a dead run's failed
// steps again, same run) and re-run (a new run of the same event on the rule's current version).
import { z } from "zod";
import { AppError } from "../../_shared/errors.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { decodeJsonCursor, encodeJsonCursor, isSortKeyTimestamp, parseQuery } from "./common.ts";
import { rerun, retryRun } from "../../_shared/automations/engine/index.ts";
import { getRunDetail, getRunSummary, getVersion, listRuns, RUN_STATUSES, type RunKey } from "./automation_runs_store.ts";
import { ruleNotFound } from "./automations.ts";
import { outputForRole } from "./automation_excerpt.ts";
import { teamRoute } from "./team_route.ts";

export const RUNS_PAGE_SIZE = 50;

const cursorSchema = z.tuple([z.string().refine(isSortKeyTimestamp), z.uuid()]);

export function encodeRunCursor(key: RunKey): string {
  return encodeJsonCursor([key.sortKey, key.id]);
}

function decodeRunCursor(cursor: string): RunKey {
  const [sortKey, id] = decodeJsonCursor(cursor, cursorSchema);
  return { sortKey, id: id.toLowerCase() };
}

const listQuery = z.object({
  status: z.enum(RUN_STATUSES).optional(),
  cursor: z.string().max(500).optional().transform((v) => v || undefined),
});

export function runNotFound(): AppError {
  return new AppError("run_not_found", "Run not found.");
}

// --- handlers ----------------------------------------------------------------------------------------------------

const listRuleRuns = teamRoute(async ({ req, teamId, uuid, asMember }) => {
  const ruleId = uuid("ruleId");
  const query = parseQuery(req, listQuery);
  const after = query.cursor ? decodeRunCursor(query.cursor) : undefined;
  const page = await asMember(async (tx) => {
    const [rule] = await tx`select 1 from public.automation_rules where id = ${ruleId} and team_id = ${teamId}`;
    if (!rule) throw ruleNotFound();
    return await listRuns(tx, teamId, { ruleId, status: query.status, after, limit: RUNS_PAGE_SIZE });
  });
  return jsonResponse({ runs: page.runs, next_cursor: page.next ? encodeRunCursor(page.next) : null });
});

const listTeamRuns = teamRoute(async ({ req, teamId, asMember }) => {
  const query = parseQuery(req, listQuery);
  const after = query.cursor ? decodeRunCursor(query.cursor) : undefined;
  const page = await asMember((tx) => listRuns(tx, teamId, { status: query.status, after, limit: RUNS_PAGE_SIZE }));
  return jsonResponse({ runs: page.runs, next_cursor: page.next ? encodeRunCursor(page.next) : null });
});

// a member reads each step's output without the endpoint's answer (automation_excerpt.ts)
const getTeamRun = teamRoute(async ({ teamId, uuid, asMember }) => {
  const runId = uuid("runId");
  const run = await asMember(async (tx, role) => {
    const detail = await getRunDetail(tx, teamId, runId);
    return detail && { ...detail, steps: detail.steps.map((s) => ({ ...s, output: outputForRole(s.output, role) })) };
  });
  if (!run) throw runNotFound();
  return jsonResponse({ run });
});

const versionNumber = z.coerce.number().int().min(1).max(2_147_483_647);

/**
 * One published version of a rule, read-only: `{version: VersionDetail}` (members read). 404 rule_not_found when
 * the rule is not the team's, version_not_found when it has no such version (or the number is not one).
 */
const getRuleVersion = teamRoute(async ({ params, teamId, uuid, asMember }) => {
  const ruleId = uuid("ruleId");
  const number = versionNumber.safeParse(params.version);
  const version = await asMember(async (tx) => {
    const [rule] = await tx`select 1 from public.automation_rules where id = ${ruleId} and team_id = ${teamId}`;
    if (!rule) throw ruleNotFound();
    return number.success ? await getVersion(tx, teamId, ruleId, number.data) : null;
  });
  if (!version) throw new AppError("version_not_found", "This automation has no such version.");
  return jsonResponse({ version });
});

const REFUSAL = "Only a team owner or admin can retry or re-run automations.";

/**
 * Retry / re-run: the admin gate as the caller first (the engine then works as the service role, and checks the
 * run is the team's and in a state it may act on: 404 run_not_found, 409 not_retryable), then the run as the log
 * shows it.
 */
function actOnRun(act: typeof retryRun, status: number) {
  return teamRoute(async ({ teamId, uuid, claims, asAdmin, asUser }) => {
    const runId = uuid("runId");
    await asAdmin(async () => {}, REFUSAL);
    const row = await act({ teamId, runId, userId: claims.sub });
    const run = await asUser((tx) => getRunSummary(tx, teamId, row.id));
    if (!run) throw runNotFound();
    return jsonResponse({ run }, status);
  });
}

export const automationRunRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/automations/:ruleId/runs", handler: listRuleRuns },
  { method: "GET", path: "/api/teams/:teamId/automations/:ruleId/versions/:version", handler: getRuleVersion },
  { method: "GET", path: "/api/teams/:teamId/automation-runs", handler: listTeamRuns },
  { method: "GET", path: "/api/teams/:teamId/automation-runs/:runId", handler: getTeamRun },
  { method: "POST", path: "/api/teams/:teamId/automation-runs/:runId/retry", handler: actOnRun(retryRun, 200) },
  { method: "POST", path: "/api/teams/:teamId/automation-runs/:runId/rerun", handler: actOnRun(rerun, 201) },
];
