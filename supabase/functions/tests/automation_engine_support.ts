// Fixtures for the automations engine tests: a team (ADMIN owner, MEMBER member, leads Jane and Raj), rules
// published as the API publishes them (rule + version in one transaction), meetings imported through the real
// importer (so the outbox triggers write the events), and a fake Slack (chat_support.ts) wired through notify().
import { importMeeting } from "../_shared/fathom/import.ts";
import type { FathomMeeting } from "../_shared/fathom/client.ts";
import { asService } from "../_shared/db.ts";
import { parseRuleBody } from "../_shared/automations/rule.ts";
import { runDue } from "../_shared/automations/engine/index.ts";
import { connectChat, startFakeChat } from "./chat_support.ts";
import { createTeam, dropTeam, JANE, SANDY, wireMeeting } from "./fathom_support.ts";
import { ADMIN, MEMBER, sql } from "./helpers.ts";

export const fakeChat = startFakeChat();
Deno.env.set("SLACK_API_BASE_URL", `${fakeChat.base}/slack/api`);
Deno.env.set("SLACK_WEBHOOK_BASE_URL", `${fakeChat.base}/slack/hooks/services/`);
Deno.env.set("DISCORD_API_BASE_URL", `${fakeChat.base}/discord/api/v10`);
Deno.env.set("CHAT_RETRY_DELAY_MS", "1");
Deno.env.set("AUTOMATION_ALLOW_HTTP_WEBHOOKS", "1");

export const SLACK_PATH = "/slack/hooks/services/T0AUTO/B0AUTO/xoxautomation";

export { ADMIN, JANE, MEMBER };
export const ADMIN_EMAIL = "demo-admin@example.com";

export interface Team {
  teamId: string;
  janeId: string;
  rajId: string;
}

/** A team with ADMIN (owner) and MEMBER, leads Jane and Raj (no owner). */
export async function setupTeam(opts: { slack?: boolean } = {}): Promise<Team> {
  const team = await createTeam();
  await sql`insert into public.team_members (team_id, user_id, role) values (${team.teamId}, ${MEMBER}, 'member')`;
  if (opts.slack) await connectChat(team.teamId, "slack", { url: `${fakeChat.base}${SLACK_PATH}` });
  return team;
}

export { dropTeam };

/** Publishes an enabled rule (version 1) from a rule body; returns its ids. */
export async function publishRule(
  teamId: string,
  body: Record<string, unknown>,
): Promise<{ ruleId: string; versionId: string }> {
  const rule = parseRuleBody({ name: "Rule", enabled: true, ...body });
  const ruleId = crypto.randomUUID();
  const versionId = crypto.randomUUID();
  await sql.begin(async (tx) => {
    await tx`insert into public.automation_rules (id, team_id, name, trigger, enabled, current_version_id, version)
             values (${ruleId}, ${teamId}, ${rule.name}, ${rule.trigger}, ${rule.enabled}, ${versionId}, 1)`;
    await tx`insert into public.automation_rule_versions (id, rule_id, team_id, version, name, trigger, conditions, actions)
             values (${versionId}, ${ruleId}, ${teamId}, 1, ${rule.name}, ${rule.trigger},
                     ${sql.json(rule.conditions as never)}, ${sql.json(rule.actions as never)})`;
  });
  return { ruleId, versionId };
}

/** Publishes version N+1 of a rule (as PATCH does) and points the rule at it. */
export async function publishVersion(teamId: string, ruleId: string, body: Record<string, unknown>): Promise<string> {
  const rule = parseRuleBody({ name: "Rule", enabled: true, ...body });
  const versionId = crypto.randomUUID();
  await sql.begin(async (tx) => {
    const [{ version }] = await tx`select version from public.automation_rules where id = ${ruleId} for update`;
    await tx`insert into public.automation_rule_versions (id, rule_id, team_id, version, name, trigger, conditions, actions)
             values (${versionId}, ${ruleId}, ${teamId}, ${version + 1}, ${rule.name}, ${rule.trigger},
                     ${sql.json(rule.conditions as never)}, ${sql.json(rule.actions as never)})`;
    await tx`update public.automation_rules set current_version_id = ${versionId}, version = ${version + 1},
                    name = ${rule.name} where id = ${ruleId}`;
  });
  return versionId;
}

/** Action items as Fathom sends them. */
export function actionItems(...items: { text: string; assignee?: string; completed?: boolean }[]) {
  return items.map((i) => ({
    description: i.text,
    user_generated: false,
    completed: i.completed ?? false,
    recording_timestamp: "00:01:00",
    recording_playback_url: null,
    assignee: i.assignee ? { name: null, email: i.assignee, team: null } : null,
  }));
}

/** Imports a meeting with Jane as attendee (linked to her by the importer); returns the meeting id. */
export async function importLinkedMeeting(teamId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const meeting = wireMeeting({
    calendar_invitees: [
      { name: "Sandy Sandbox", email: SANDY, email_domain: "sandbox.fathom.test", is_external: false },
      { name: "Jane Doe", email: JANE.email, email_domain: "acme.example", is_external: true },
    ],
    ...overrides,
  }) as unknown as FathomMeeting;
  await asService((tx) => importMeeting(tx, { teamId, integrationId: null, meeting, source: "webhook" }));
  const [row] = await sql`select id from public.meetings where team_id = ${teamId} and provider_meeting_id = ${String(meeting.recording_id)}`;
  return row.id;
}

export async function runsOf(teamId: string) {
  return (await sql`select * from public.automation_runs where team_id = ${teamId} order by created_at, id`).map((r) => ({ ...r }));
}

export async function stepsOf(runId: string) {
  return (await sql`select * from public.automation_run_steps where run_id = ${runId} order by step_index`).map((r) => ({ ...r }));
}

export async function eventsOf(teamId: string) {
  return (await sql<{ id: string; type: string; status: string; depth: number; source: string; lead_id: string | null; meeting_id: string | null }[]>`select id::text as id, type, status, depth, source, lead_id, meeting_id from public.automation_events
                     where team_id = ${teamId} order by id`).map((r) => ({ ...r }));
}

export async function tasksOf(teamId: string) {
  return (await sql`select * from public.tasks where team_id = ${teamId} order by action_item_index, created_at`).map((r) => ({ ...r }));
}

/** Makes every retrying run of the team due now (tests do not wait out the backoff). */
export async function makeDue(teamId: string): Promise<void> {
  await sql`update public.automation_runs set next_attempt_at = now() where team_id = ${teamId} and status = 'retrying'`;
}

/** runDue until a pass finds nothing to do; a deterministic jitter (0.5). */
export async function drain(runners = 1) {
  return await runDue({ budgetMs: 30_000, runners, random: () => 0.5 });
}
