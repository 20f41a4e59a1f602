// A team's automation rules (issue 11): members read, admins write (RLS decides; teamRoute's gate explains a
// refusal first). A rule's body is validated by the rule language's one gate (parseRuleBody: 400 invalid_rule
// naming the path), then what only the database knows: the endpoints and people it names must be the team's.
// Editing publishes version N+1 in one transaction as the admin (automations_store.ts); the switch alone does not.
import { z } from "zod";
import type { Tx } from "../../_shared/db.ts";
import { AppError } from "../../_shared/errors.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { parseRuleBody, type RuleBody } from "../../_shared/automations/rule.ts";
import { dryRun } from "../../_shared/automations/engine/index.ts";
import type { DryRunResult } from "../../_shared/automations/engine/dry-run.ts";
import { outputForRole } from "./automation_excerpt.ts";
import {
  createRule,
  currentBody,
  deleteRule,
  getRule,
  listRules,
  listVersions,
  lockRuleBody,
  lockTeamEndpoints,
  MAX_RULES_PER_TEAM,
  type Rule,
  unknownReferences,
  updateRule,
} from "./automations_store.ts";
import { ruleProblems, rulesWithAction } from "./automation_problems.ts";
import { teamRoute } from "./team_route.ts";

const REFUSAL = "Only a team owner or admin can change automations.";

/** Any JSON: the rule language reports what is wrong with it, with its path (400 invalid_rule). */
const anyBody = z.unknown();
/** The fields of a rule body PATCH may carry; anything else in the body is ignored, as on create. */
const PATCHABLE = ["name", "enabled", "trigger", "conditions", "actions"] as const;

export function ruleNotFound(): AppError {
  return new AppError("rule_not_found", "Automation not found.");
}

/**
 * 400 invalid_rule when the body names an endpoint that is not the team's, or a fallback assignee who is not a
 * member (path first, as parseRuleBody's messages).
 */
async function checkReferences(tx: Tx, teamId: string, body: RuleBody): Promise<void> {
  const endpoints = new Map<string, number>();
  const members = new Map<string, number>();
  body.actions.forEach((action, i) => {
    if (action.type === "send_webhook" && !endpoints.has(action.endpoint_id)) endpoints.set(action.endpoint_id, i);
    if (action.type === "create_tasks" && action.fallback_assignee_id && !members.has(action.fallback_assignee_id)) {
      members.set(action.fallback_assignee_id, i);
    }
  });
  if (endpoints.size === 0 && members.size === 0) return;
  if (endpoints.size > 0) await lockTeamEndpoints(tx, teamId);
  const unknown = await unknownReferences(tx, teamId, [...endpoints.keys()], [...members.keys()]);
  const problems: [number, string][] = [
    ...[...unknown.endpoints].map((id): [number, string] => [
      endpoints.get(id)!,
      `actions[${endpoints.get(id)}].endpoint_id: no such webhook endpoint in this team`,
    ]),
    ...[...unknown.members].map((id): [number, string] => [
      members.get(id)!,
      `actions[${members.get(id)}].fallback_assignee_id: not a member of this team`,
    ]),
  ].sort((a, b) => a[0] - b[0]);
  if (problems.length > 0) throw new AppError("invalid_rule", problems[0][1]);
}

/** JSON with object keys sorted: two bodies that mean the same compare equal whatever order jsonb kept. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v);
}

const published = (b: RuleBody) => canonical({ name: b.name, trigger: b.trigger, conditions: b.conditions, actions: b.actions });

// --- handlers ----------------------------------------------------------------------------------------------------

/** The rule (or rules) with `problems`: the broken settings of its current version (automation_problems.ts). */
async function withProblems<T extends { id: string }>(tx: Tx, teamId: string, rules: T[], ruleId?: string) {
  const problems = rules.length > 0 ? await ruleProblems(tx, teamId, ruleId) : new Map();
  return rules.map((rule) => ({ ...rule, problems: problems.get(rule.id) ?? [] }));
}

const POSTS_TO = { slack: "post_slack", discord: "post_discord" } as const;

/**
 * `?posts_to=slack|discord`: only the rules whose current version posts there (the Integrations page's disconnect
 * dialog names them); anything else there is 400 invalid_request.
 */
function postsTo(req: Request): (typeof POSTS_TO)[keyof typeof POSTS_TO] | null {
  const value = new URL(req.url).searchParams.get("posts_to");
  if (value === null) return null;
  if (!Object.hasOwn(POSTS_TO, value)) throw new AppError("invalid_request", "posts_to must be slack or discord.");
  return POSTS_TO[value as keyof typeof POSTS_TO];
}

const listTeamRules = teamRoute(async ({ req, teamId, asMember }) => {
  const action = postsTo(req);
  const rules = await asMember(async (tx) => {
    const all = await listRules(tx, teamId);
    const posting = action ? await rulesWithAction(tx, teamId, action) : null;
    return await withProblems(tx, teamId, posting ? all.filter((r) => posting.has(r.id)) : all);
  });
  return jsonResponse({ rules });
});

const createTeamRule = teamRoute(async ({ teamId, body, asAdmin }) => {
  const rule = parseRuleBody(await body(anyBody, { gate: "admin", refusal: REFUSAL }));
  const created = await asAdmin(async (tx) => {
    await checkReferences(tx, teamId, rule);
    const id = await createRule(tx, teamId, rule);
    if (!id) {
      throw new AppError("rule_limit", `A team can have at most ${MAX_RULES_PER_TEAM} automations. Delete one first.`);
    }
    const saved = await getRule(tx, teamId, id);
    return saved && (await withProblems(tx, teamId, [saved], id))[0];
  }, REFUSAL);
  return jsonResponse({ rule: created }, 201);
});

const getTeamRule = teamRoute(async ({ teamId, uuid, asMember }) => {
  const ruleId = uuid("ruleId");
  const answer = await asMember(async (tx) => {
    const rule = await getRule(tx, teamId, ruleId);
    if (!rule) throw ruleNotFound();
    const [withProblem] = await withProblems(tx, teamId, [rule], ruleId);
    return { rule: withProblem, versions: await listVersions(tx, teamId, ruleId) };
  });
  return jsonResponse(answer);
});

const patchTeamRule = teamRoute(async ({ teamId, uuid, body, asAdmin }) => {
  const ruleId = uuid("ruleId");
  const input = await body(anyBody, { gate: "admin", refusal: REFUSAL });
  if (!input || typeof input !== "object" || Array.isArray(input)) {
    throw new AppError("invalid_rule", "The body must be an object with the fields to change.");
  }
  const patch = Object.fromEntries(PATCHABLE.filter((k) => Object.hasOwn(input, k)).map((k) => [k, (input as Record<string, unknown>)[k]]));
  const rule = await asAdmin(async (tx) => {
    const current = await lockRuleBody(tx, teamId, ruleId);
    if (!current) throw ruleNotFound();
    const next = parseRuleBody({ ...current.body, ...patch });
    const publish = published(next) !== published(current.body);
    const enabling = next.enabled && patch.enabled === true;
    // an endpoint may have been deleted while the rule was off: switching it on checks again
    if (publish || enabling) await checkReferences(tx, teamId, next);
    await updateRule(tx, teamId, ruleId, {
      body: next,
      publish,
      currentVersion: current.version,
      enabling,
    });
    const updated = await getRule(tx, teamId, ruleId);
    return updated && (await withProblems(tx, teamId, [updated], ruleId))[0];
  }, REFUSAL);
  return jsonResponse({ rule });
});

/** The test panel's request: a sample (meeting and / or lead), whether to really send, and the draft if any. */
const testBody = z.strictObject({
  meetingId: z.uuid().optional(),
  leadId: z.uuid().optional(),
  send: z.boolean().optional(),
  rule: z.unknown().optional(),
});

// A dry run writes nothing, so members may run one; really sending (send: true) posts to the team's channels and
// endpoints, an admin's act. The rule must exist either way (the draft is a draft OF it). Only a send has an
// endpoint's answer, and only an admin sends; a member's result goes through forMember all the same
// (automation_excerpt.ts: the answer is for admins).
const testTeamRule = teamRoute(async ({ teamId, uuid, body, asMember, asAdmin }) => {
  const ruleId = uuid("ruleId");
  const input = await body(testBody, { emptyAs: {} });
  const read = (tx: Tx) => currentBody(tx, teamId, ruleId);
  const published = await (input.send ? asAdmin(read, REFUSAL) : asMember(read));
  if (!published) throw ruleNotFound();
  const result = await dryRun({
    teamId,
    ruleId,
    rule: input.rule === undefined ? published : input.rule,
    meetingId: input.meetingId?.toLowerCase(),
    leadId: input.leadId?.toLowerCase(),
    send: input.send === true,
  });
  return jsonResponse({ result: input.send ? result : forMember(result) });
});

// The editor's Test before the first save: the same dry run of the draft in `rule`, with no rule behind it (a
// webhook it sends names the rule "draft"). A member's dry run, an admin's send, as above.
const testDraftRule = teamRoute(async ({ teamId, body, asAdmin }) => {
  const input = await body(testBody, { emptyAs: {} });
  if (input.rule === undefined) throw new AppError("invalid_rule", "Send the draft to test as `rule`.");
  if (input.send) await asAdmin(async () => {}, REFUSAL);
  const result = await dryRun({
    teamId,
    rule: input.rule,
    meetingId: input.meetingId?.toLowerCase(),
    leadId: input.leadId?.toLowerCase(),
    send: input.send === true,
  });
  return jsonResponse({ result: input.send ? result : forMember(result) });
});

/** `result` without any endpoint answer (a member's dry run; see automation_excerpt.ts). */
function forMember(result: DryRunResult): DryRunResult {
  return { ...result, actions: result.actions.map((a) => (a.delivery ? { ...a, delivery: outputForRole(a.delivery, "member") } : a)) };
}

const deleteTeamRule = teamRoute(async ({ teamId, uuid, asAdmin }) => {
  const ruleId = uuid("ruleId");
  await asAdmin(async (tx) => {
    if (!(await deleteRule(tx, teamId, ruleId))) throw ruleNotFound();
  }, REFUSAL);
  return new Response(null, { status: 204 });
});

export const automationRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/automations", handler: listTeamRules },
  { method: "POST", path: "/api/teams/:teamId/automations", handler: createTeamRule },
  { method: "GET", path: "/api/teams/:teamId/automations/:ruleId", handler: getTeamRule },
  { method: "PATCH", path: "/api/teams/:teamId/automations/:ruleId", handler: patchTeamRule },
  { method: "DELETE", path: "/api/teams/:teamId/automations/:ruleId", handler: deleteTeamRule },
  { method: "POST", path: "/api/teams/:teamId/automations/test", handler: testDraftRule },
  { method: "POST", path: "/api/teams/:teamId/automations/:ruleId/test", handler: testTeamRule },
];
