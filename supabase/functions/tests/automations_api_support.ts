// Fixtures for the automations API tests: rule bodies, a reset, and runs / steps / endpoints written by the
// superuser the way the engine would write them (the API only reads those).
import { handler } from "../api/handler.ts";
import { ADMIN, callAs, OTHER_TEAM, resetDb, sql, TEAM } from "./helpers.ts";

export const JANE = "c0000000-0000-4000-8000-000000000001";
export const RAJ = "c0000000-0000-4000-8000-000000000002";

export const call = (user: string | null, method: string, path: string, body?: unknown) =>
  callAs(handler, user, method, path, body);

export const rulesPath = (team = TEAM) => `/api/teams/${team}/automations`;

/** A valid body: "Tasks from action items" with a Slack post. */
export function taskRule(overrides: Record<string, unknown> = {}) {
  return {
    name: "Tasks from action items",
    trigger: "meeting.linked_to_lead",
    conditions: { match: "all", rules: [{ field: "meeting.duration_minutes", op: "gte", value: 5 }] },
    actions: [
      { type: "create_tasks", due_in_days: 3 },
      { type: "post_slack", template: "New call with {{lead.name}}: {{meeting.title}}" },
    ],
    ...overrides,
  };
}

export async function reset(): Promise<void> {
  await resetDb();
  await sql`delete from public.automation_rules where team_id in (${TEAM}, ${OTHER_TEAM})`;
  await sql`delete from public.automation_endpoints where team_id in (${TEAM}, ${OTHER_TEAM})`;
  await sql`delete from public.automation_events where team_id in (${TEAM}, ${OTHER_TEAM})`;
  await sql`delete from public.meetings where id = ${MEETING}`;
}

/** Creates a rule through the API as the admin; returns its id. */
export async function createRule(body: Record<string, unknown> = taskRule()): Promise<string> {
  const res = await call(ADMIN, "POST", rulesPath(), body);
  if (res.status !== 201) throw new Error(`create rule: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.rule.id;
}

/** A rule (and its version 1) written by the superuser, in any team. */
export async function insertRule(team: string, name = "Elsewhere"): Promise<{ ruleId: string; versionId: string }> {
  const ruleId = crypto.randomUUID();
  const versionId = crypto.randomUUID();
  await sql.begin(async (tx) => {
    await tx`insert into public.automation_rules (id, team_id, name, trigger, current_version_id, version)
             values (${ruleId}, ${team}, ${name}, 'lead.created', ${versionId}, 1)`;
    await tx`insert into public.automation_rule_versions (id, rule_id, team_id, version, name, trigger, conditions,
               actions)
             values (${versionId}, ${ruleId}, ${team}, 1, ${name}, 'lead.created', '{"match":"all","rules":[]}',
               '[{"type":"add_note","template":"hi"}]')`;
  });
  return { ruleId, versionId };
}

export async function currentVersionId(ruleId: string): Promise<string> {
  const [row] = await sql`select current_version_id from public.automation_rules where id = ${ruleId}`;
  return row.current_version_id;
}

export interface RunFixture {
  status?: string;
  createdAt?: string;
  retryOf?: string;
  leadId?: string | null;
  meetingId?: string | null;
  versionId?: string;
  context?: Record<string, unknown>;
  team?: string;
  eventId?: string | null;
}

/** A run as the engine writes it; returns its id. */
export async function insertRun(ruleId: string, f: RunFixture = {}): Promise<string> {
  const id = crypto.randomUUID();
  const versionId = f.versionId ?? await currentVersionId(ruleId);
  await sql`
    insert into public.automation_runs (id, team_id, rule_id, version_id, lead_id, meeting_id, status, skip_reason,
      context, attempt, error_code, error_message, retry_of, created_at, event_id)
    values (${id}, ${f.team ?? TEAM}, ${ruleId}, ${versionId}, ${f.leadId === undefined ? JANE : f.leadId},
      ${f.meetingId ?? null}, ${f.status ?? "succeeded"}, ${f.status === "skipped" ? "conditions" : null},
      ${sql.json((f.context ?? { lead: { name: "Jane Doe" } }) as never)}, 1,
      ${f.status === "dead" ? "slack_gone" : null}, ${f.status === "dead" ? "The Slack channel is gone." : null},
      ${f.retryOf ?? null}, ${f.createdAt ?? new Date().toISOString()}, ${f.eventId ?? null})`;
  return id;
}

export async function insertStep(runId: string, index: number, status: string, type = "post_slack"): Promise<void> {
  await sql`
    insert into public.automation_run_steps (run_id, team_id, step_index, action_type, status, resolved_input,
      output, attempts)
    values (${runId}, ${TEAM}, ${index}, ${type}, ${status}, ${sql.json({ text: `step ${index}` })},
      ${status === "succeeded" ? sql.json({ ok: true }) : null}, 1)`;
}

/** An endpoint row with placeholder ciphertext (the list and the rule check never decrypt). */
export async function insertEndpoint(team = TEAM, name = "Zapier"): Promise<string> {
  const [row] = await sql`
    insert into public.automation_endpoints (team_id, name, url_host, url_encrypted, secret_encrypted)
    values (${team}, ${name}, 'hooks.example.com', 'v1:x', 'v1:y') returning id`;
  return row.id;
}

export const MEETING = "d0000000-0000-4000-8000-0000000000a1";

/** A recorded meeting with one action item, linked to Jane (the dry run's and the re-run's sample). */
export async function insertMeeting(): Promise<string> {
  await sql`
    insert into public.meetings (id, team_id, provider_meeting_id, title, recording_start_time, recording_end_time,
      invitees, content_status, summary_markdown, action_items, source)
    values (${MEETING}, ${TEAM}, 777001, 'Acme pilot call', now() - interval '1 hour', now() - interval '30 minutes',
      ${sql.json([{ name: "Jane Doe", email: "jane.doe@acme.example", is_external: true }])}, 'complete',
      'We agreed on a pilot.', ${sql.json([{ description: "Send the proposal" }])}, 'webhook')
    on conflict (id) do nothing`;
  await sql`insert into public.meeting_leads (meeting_id, lead_id, team_id, matched_email)
            values (${MEETING}, ${JANE}, ${TEAM}, 'jane.doe@acme.example') on conflict do nothing`;
  return MEETING;
}

/** An outbox event as the triggers write it (already dispatched); returns its id. */
export async function insertEvent(type = "meeting.linked_to_lead", meetingId: string | null = MEETING): Promise<string> {
  const [row] = await sql`
    insert into public.automation_events (team_id, type, lead_id, meeting_id, source, dedupe_key, status)
    values (${TEAM}, ${type}, ${JANE}, ${meetingId}, 'webhook', ${`test:${crypto.randomUUID()}`}, 'dispatched')
    returning id::text as id`;
  return row.id;
}
