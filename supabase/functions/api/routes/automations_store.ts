// Automation rules, versions, runs and steps as a team member sees them (every query runs in the caller's asUser
// transaction, so row-level security decides; writes are the admin's, by the policies of migration
// 20261203000200_automations.sql, whose header is the contract followed here).
//
// Publishing (migration header, point 1): the next automation_rule_versions row and the rule's pointer to it, in
// the caller's one transaction; the rule row is locked first, so two admins editing at once publish N+1 and N+2,
// never two N+1s. A published version is never updated (the database refuses it).
import type { Tx } from "../../_shared/db.ts";
import type { RuleBody } from "../../_shared/automations/rule.ts";

/** How many rules a team may have (409 rule_limit beyond). */
export const MAX_RULES_PER_TEAM = 50;

export interface RunRef {
  id: string;
  status: string;
  created_at: string;
}

/** A rule in the list: its switch, its current version number, and what its runs did lately. */
export interface RuleSummary {
  id: string;
  name: string;
  trigger: string;
  enabled: boolean;
  version: number;
  paused_reason: string | null;
  paused_at: Date | null;
  created_at: Date;
  updated_at: Date;
  last_run: RunRef | null;
  /** the last 7 days' runs: succeeded, failed (= dead) and skipped */
  stats_7d: { succeeded: number; failed: number; skipped: number };
  /** dead runs nobody re-ran since (the red badge); a retried run is no longer dead */
  dead_count: number;
  /** runs waiting for their next automatic attempt, and the newest one's error ("HTTP 500"), so a rule whose
   * runs keep retrying does not look harmless next to ✓0 ✗0 */
  retrying: { count: number; last_error: string | null };
}

/** A rule with its current version's conditions and actions. */
export interface Rule extends RuleSummary {
  conditions: RuleBody["conditions"];
  actions: RuleBody["actions"];
}

export interface VersionSummary {
  id: string;
  version: number;
  name: string;
  created_at: Date;
  created_by: { id: string; name: string | null; email: string } | null;
}

// One statement for the whole list: the stats are correlated subqueries over the rule's own index
// (automation_runs_rule_idx), not a query per rule.
function ruleColumns(tx: Tx) {
  return tx`
    r.id, r.name, r.trigger, r.enabled, r.version, r.paused_reason, r.paused_at, r.created_at, r.updated_at,
    (select json_build_object('id', lr.id, 'status', lr.status, 'created_at', lr.created_at)
       from public.automation_runs lr
      -- the runs a pause ended never ran: the last run is the one that did (the failures that paused the rule)
      where lr.rule_id = r.id and lr.skip_reason is distinct from 'rule_paused'
      order by lr.created_at desc, lr.id desc
      limit 1) as last_run,
    (select json_build_object('succeeded', count(*) filter (where s.status = 'succeeded'),
                              'failed', count(*) filter (where s.status = 'dead'),
                              'skipped', count(*) filter (where s.status = 'skipped'))
       from public.automation_runs s
      where s.rule_id = r.id and s.created_at > now() - interval '7 days') as stats_7d,
    (select count(*)::int
       from public.automation_runs d
      where d.rule_id = r.id and d.status = 'dead'
        and not exists (select 1 from public.automation_runs x where x.retry_of = d.id)) as dead_count,
    json_build_object(
      'count', (select count(*)::int from public.automation_runs w where w.rule_id = r.id and w.status = 'retrying'),
      'last_error', (select coalesce(w.error_message, w.error_code) from public.automation_runs w
                      where w.rule_id = r.id and w.status = 'retrying'
                      order by w.created_at desc, w.id desc limit 1)) as retrying`;
}

export async function listRules(tx: Tx, teamId: string): Promise<RuleSummary[]> {
  return await tx<RuleSummary[]>`
    select ${ruleColumns(tx)}
      from public.automation_rules r
     where r.team_id = ${teamId}
     order by r.created_at, r.id`;
}

/** The rule with its current version's body, or null when the caller cannot see it. */
export async function getRule(tx: Tx, teamId: string, ruleId: string): Promise<Rule | null> {
  const [row] = await tx<Rule[]>`
    select ${ruleColumns(tx)}, v.conditions, v.actions
      from public.automation_rules r
      join public.automation_rule_versions v on v.id = r.current_version_id
     where r.id = ${ruleId} and r.team_id = ${teamId}`;
  return row ?? null;
}

/** Every published version, newest first, with who published it. */
export async function listVersions(tx: Tx, teamId: string, ruleId: string): Promise<VersionSummary[]> {
  return await tx<VersionSummary[]>`
    select v.id, v.version, v.name, v.created_at,
           case when v.created_by is null then null
                else json_build_object('id', v.created_by, 'name', p.full_name, 'email', coalesce(p.email, ''))
           end as created_by
      from public.automation_rule_versions v
      left join public.profiles p on p.id = v.created_by
     where v.rule_id = ${ruleId} and v.team_id = ${teamId}
     order by v.version desc`;
}

/**
 * A new rule and its version 1, as the caller (an admin, by RLS), after the team's rules are counted under a
 * transaction-scoped lock on the team's rule list (two creates at once cannot both be the 50th).
 * Returns the rule id, or null when the team is at MAX_RULES_PER_TEAM.
 */
export async function createRule(tx: Tx, teamId: string, body: RuleBody): Promise<string | null> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${`automation_rules:${teamId}`}, 0))`;
  const [{ n }] = await tx<{ n: number }[]>`
    select count(*)::int as n from public.automation_rules where team_id = ${teamId}`;
  if (n >= MAX_RULES_PER_TEAM) return null;
  const ruleId = crypto.randomUUID();
  const versionId = crypto.randomUUID();
  // the rule points at its version before the version exists: that foreign key is deferred to COMMIT
  await tx`
    insert into public.automation_rules (id, team_id, name, trigger, enabled, current_version_id, version)
    values (${ruleId}, ${teamId}, ${body.name}, ${body.trigger}, ${body.enabled}, ${versionId}, 1)`;
  await insertVersion(tx, { id: versionId, ruleId, teamId, version: 1, body });
  return ruleId;
}

async function insertVersion(
  tx: Tx,
  v: { id: string; ruleId: string; teamId: string; version: number; body: RuleBody },
): Promise<void> {
  await tx`
    insert into public.automation_rule_versions (id, rule_id, team_id, version, name, trigger, conditions, actions)
    values (${v.id}, ${v.ruleId}, ${v.teamId}, ${v.version}, ${v.body.name}, ${v.body.trigger},
            ${tx.json(v.body.conditions as never)}, ${tx.json(v.body.actions as never)})`;
}

/**
 * The rule's current body, its row locked for the rest of the transaction (FOR UPDATE), or null. The lock is taken
 * on the rule alone and the version read by a second statement: joined in one locking statement, a rule that
 * another admin re-pointed while this one waited would fail the join's re-check and look deleted (404).
 */
export async function lockRuleBody(
  tx: Tx,
  teamId: string,
  ruleId: string,
): Promise<{ body: RuleBody; version: number } | null> {
  const [rule] = await tx<{ name: string; trigger: RuleBody["trigger"]; enabled: boolean; version: number; current_version_id: string }[]>`
    select name, trigger, enabled, version, current_version_id
      from public.automation_rules
     where id = ${ruleId} and team_id = ${teamId}
       for update`;
  if (!rule) return null;
  const [v] = await tx<Pick<RuleBody, "conditions" | "actions">[]>`
    select conditions, actions from public.automation_rule_versions where id = ${rule.current_version_id}`;
  if (!v) return null;
  const { name, trigger, enabled, version } = rule;
  return { body: { name, trigger, enabled, conditions: v.conditions, actions: v.actions }, version };
}

/**
 * Applies an edit to a locked rule: `publish` inserts version `version + 1` with `body` and points the rule at it;
 * otherwise only the switch changes. Enabling clears an auto-pause's reason.
 */
export async function updateRule(
  tx: Tx,
  teamId: string,
  ruleId: string,
  edit: { body: RuleBody; publish: boolean; currentVersion: number; enabling: boolean },
): Promise<void> {
  const { body } = edit;
  const pauseCleared = edit.enabling ? tx`, paused_reason = null, paused_at = null` : tx``;
  if (!edit.publish) {
    await tx`update public.automation_rules set enabled = ${body.enabled} ${pauseCleared}
              where id = ${ruleId} and team_id = ${teamId}`;
    return;
  }
  const versionId = crypto.randomUUID();
  const version = edit.currentVersion + 1;
  await insertVersion(tx, { id: versionId, ruleId, teamId, version, body });
  await tx`
    update public.automation_rules
       set name = ${body.name}, trigger = ${body.trigger}, enabled = ${body.enabled},
           current_version_id = ${versionId}, version = ${version} ${pauseCleared}
     where id = ${ruleId} and team_id = ${teamId}`;
}

/** Deletes the rule (its versions, runs and steps go with it); false when there was none to delete. */
export async function deleteRule(tx: Tx, teamId: string, ruleId: string): Promise<boolean> {
  const rows = await tx`delete from public.automation_rules where id = ${ruleId} and team_id = ${teamId} returning id`;
  return rows.length > 0;
}

/** The published version's body of a rule (for a test run of what is live), or null. */
export async function currentBody(tx: Tx, teamId: string, ruleId: string): Promise<RuleBody | null> {
  const [row] = await tx<RuleBody[]>`
    select v.name, r.enabled, v.trigger, v.conditions, v.actions
      from public.automation_rules r
      join public.automation_rule_versions v on v.id = r.current_version_id
     where r.id = ${ruleId} and r.team_id = ${teamId}`;
  return row ?? null;
}

/**
 * Serialises "is this endpoint used / does it exist" between removing an endpoint and saving or switching on a rule
 * that sends to it (transaction-scoped advisory lock on the team's endpoint list; no row lock is possible: clients
 * have no UPDATE on automation_endpoints). Without it, a removal that found the endpoint unused and a switch-on that
 * found it present could both commit: an enabled rule sending to nothing.
 */
export async function lockTeamEndpoints(tx: Tx, teamId: string): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${`automation_endpoints:${teamId}`}, 0))`;
}

/**
 * Which of `endpointIds` are NOT endpoints of the team, and which of `memberIds` are NOT its members (a rule may
 * only name its own team's endpoints and people).
 */
export async function unknownReferences(
  tx: Tx,
  teamId: string,
  endpointIds: string[],
  memberIds: string[],
): Promise<{ endpoints: Set<string>; members: Set<string> }> {
  const [row] = await tx<{ endpoints: string[]; members: string[] }[]>`
    select
      array(select e.id::text from public.automation_endpoints e
             where e.team_id = ${teamId} and e.id = any(${endpointIds}::uuid[])) as endpoints,
      array(select m.user_id::text from public.team_members m
             where m.team_id = ${teamId} and m.user_id = any(${memberIds}::uuid[])) as members`;
  const known = { endpoints: new Set(row.endpoints), members: new Set(row.members) };
  return {
    endpoints: new Set(endpointIds.filter((id) => !known.endpoints.has(id))),
    members: new Set(memberIds.filter((id) => !known.members.has(id))),
  };
}
