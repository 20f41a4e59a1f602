// What is wrong with a rule's settings now, per action (issue 11 follow-up 5): a "Send a webhook" whose endpoint
// was deleted, a "Create tasks" whose fallback assignee left the team, a "Post to Slack / Discord" whose provider
// is not connected (or has no channel). A rule paused or switched off keeps such a setting silently; the rule list
// names it ("Step 2 (Send a webhook): its endpoint was deleted") and links to the editor at that action, instead of
// a "Turn on again" that fails with `actions[1].endpoint_id`. Read as the caller (RLS): members see their team's
// rules, endpoints, members and the integrations' public view.
import type { Tx } from "../../_shared/db.ts";

/**
 * One broken setting: the action (0-based), the field the editor should open, and a sentence naming both.
 * `destination`: the chat is not connected to a channel; `reconnect`: it is, but the channel is gone and the
 * integration needs a reconnect (status needs_reauth, last_error destination_gone: chat/store.ts
 * markDestinationGone); both are fixed under Integrations, `provider` names which (the "Reconnect Slack" link).
 */
export interface RuleProblem {
  action_index: number;
  field: "endpoint_id" | "fallback_assignee_id" | "destination" | "reconnect";
  message: string;
  provider?: "slack" | "discord";
}

const CHAT = { post_slack: "Slack", post_discord: "Discord" } as const;

/** `Step 2 (Send a webhook): …` for each problem kind. */
export function problemMessage(actionIndex: number, type: string, field: RuleProblem["field"]): string {
  const step = `Step ${actionIndex + 1}`;
  if (field === "endpoint_id") return `${step} (Send a webhook): its webhook endpoint was deleted. Pick another endpoint.`;
  if (field === "fallback_assignee_id") {
    return `${step} (Create tasks): the fallback assignee is no longer a member of the team. Pick someone else.`;
  }
  const name = CHAT[type as keyof typeof CHAT] ?? type;
  if (field === "reconnect") {
    return `${step} (Post to ${name}): ${name} needs reconnecting: its channel is gone (deleted, archived, or the app was removed). Reconnect ${name} under Integrations.`;
  }
  return `${step} (Post to ${name}): ${name} is not connected to a channel. Connect it under Integrations.`;
}

/** Each of the team's rules with a problem in its current version -> its problems, in action order. */
export async function ruleProblems(tx: Tx, teamId: string, ruleId?: string): Promise<Map<string, RuleProblem[]>> {
  const rows = await tx<{ rule_id: string; action_index: number; type: string; field: RuleProblem["field"] }[]>`
    select r.id as rule_id, (a.ord - 1)::int as action_index, a.value ->> 'type' as type, p.field
      from public.automation_rules r
      join public.automation_rule_versions v on v.id = r.current_version_id
      cross join lateral jsonb_array_elements(v.actions) with ordinality as a(value, ord)
      cross join lateral (
        select case
          when a.value ->> 'type' = 'send_webhook' and not exists (
                 select 1 from public.automation_endpoints e
                  where e.team_id = r.team_id and e.id::text = lower(a.value ->> 'endpoint_id'))
            then 'endpoint_id'
          when a.value ->> 'type' = 'create_tasks' and a.value ->> 'fallback_assignee_id' is not null and not exists (
                 select 1 from public.team_members m
                  where m.team_id = r.team_id and m.user_id::text = lower(a.value ->> 'fallback_assignee_id'))
            then 'fallback_assignee_id'
          when a.value ->> 'type' in ('post_slack', 'post_discord') and not exists (
                 select 1 from public.team_integrations_public i
                  where i.team_id = r.team_id and i.provider = replace(a.value ->> 'type', 'post_', '')
                    and i.status in ('connected', 'needs_reauth') and i.destination is not null)
            then 'destination'
          when a.value ->> 'type' in ('post_slack', 'post_discord') and exists (
                 select 1 from public.team_integrations_public i
                  where i.team_id = r.team_id and i.provider = replace(a.value ->> 'type', 'post_', '')
                    and i.status = 'needs_reauth' and i.last_error = 'destination_gone')
            then 'reconnect'
        end as field) p
     where r.team_id = ${teamId} and p.field is not null
       ${ruleId ? tx`and r.id = ${ruleId}` : tx``}
     order by r.id, a.ord`;
  const problems = new Map<string, RuleProblem[]>();
  for (const row of rows) {
    const list = problems.get(row.rule_id) ?? [];
    const problem: RuleProblem = {
      action_index: row.action_index,
      field: row.field,
      message: problemMessage(row.action_index, row.type, row.field),
    };
    if (row.field === "reconnect") problem.provider = row.type === "post_slack" ? "slack" : "discord";
    list.push(problem);
    problems.set(row.rule_id, list);
  }
  return problems;
}

/** Ids of the team's rules whose current version has an action of `type` (as the caller, RLS). */
export async function rulesWithAction(tx: Tx, teamId: string, type: string): Promise<Set<string>> {
  const rows = await tx<{ id: string }[]>`
    select r.id
      from public.automation_rules r
      join public.automation_rule_versions v on v.id = r.current_version_id
     where r.team_id = ${teamId}
       and exists (select 1 from jsonb_array_elements(v.actions) a where a ->> 'type' = ${type})`;
  return new Set(rows.map((r) => r.id));
}
