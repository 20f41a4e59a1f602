// Builds the frozen RunContext (context.ts) of a run from the database at dispatch time: the meeting (cleaned
// through fathom/wire.ts like the meeting page), the lead with its owner and e-mails, the team's name. The run
// stores it and never re-reads it, so a retry acts on what the first attempt saw.
import type { Tx } from "../../db.ts";
import { appOrigins } from "../../env.ts";
import { actionItemsSection, inviteesSection } from "../../fathom/wire.ts";
import { STAGES, type EventSource, type RunContext, type RunContextLead, type RunContextMeeting, type Stage, type TriggerType } from "../context.ts";
import { TRIGGER_SUBJECTS } from "../catalog.ts";

/** The event a context is built for: what automation_events holds (or what a dry run stands in with). */
export interface ContextSource {
  team_id: string;
  type: TriggerType;
  source: EventSource;
  lead_id: string | null;
  meeting_id: string | null;
  payload?: { from_stage?: unknown; to_stage?: unknown };
}

const asStage = (value: unknown): Stage | null =>
  typeof value === "string" && (STAGES as readonly string[]).includes(value) ? value as Stage : null;

/** The lead's page in the app (the first APP_ORIGIN), e.g. https://crm.example.com/teams/<team>/leads/<lead>. */
export function leadUrl(teamId: string, leadId: string): string {
  const origin = appOrigins()[0] ?? "";
  return `${origin}/teams/${encodeURIComponent(teamId)}/leads/${encodeURIComponent(leadId)}`;
}

/** The meeting as templates see it; null when it is gone (or belongs to another team). */
export async function loadMeeting(tx: Tx, teamId: string, meetingId: string): Promise<RunContextMeeting | null> {
  const [m] = await tx`
    select id, title, url, share_url, recording_start_time, recording_end_time, scheduled_start_time,
           summary_markdown, invitees, invitees_domains_type, action_items, source, provider
      from public.meetings where id = ${meetingId} and team_id = ${teamId}`;
  if (!m) return null;
  const attendees = inviteesSection.parse(m.invitees).map((i) => ({
    name: i.name ?? null,
    email: i.email ?? null,
    external: i.is_external === true,
  }));
  // indices as the meeting page numbers them (tasks.action_item_index); only open items become tasks or lines
  const items = (actionItemsSection.parse(m.action_items) ?? [])
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => !item.completed)
    .map(({ item, index }) => ({
      index,
      text: item.description,
      assignee_email: item.assignee?.email ?? null,
      assignee_name: item.assignee?.name ?? null,
      timestamp: item.recording_timestamp ?? null,
    }));
  const start = m.recording_start_time ?? m.scheduled_start_time;
  const end = m.recording_end_time;
  const duration = m.recording_start_time && end
    ? Math.max(0, Math.round((new Date(end).getTime() - new Date(m.recording_start_time).getTime()) / 60_000))
    : null;
  return {
    id: m.id,
    title: m.title ?? "",
    url: m.url ?? null,
    share_url: m.share_url ?? null,
    started_at: start ? new Date(start).toISOString() : null,
    duration_minutes: duration,
    summary: m.summary_markdown ?? null,
    has_external_attendees: m.invitees_domains_type === "one_or_more_external" || attendees.some((a) => a.external),
    attendees,
    action_items: items,
    source: m.source === "webhook" ? "webhook" : "import",
    provider: m.provider,
  };
}

/** The lead with its owner's name and e-mail and its e-mails; null when it is gone. */
export async function loadLead(tx: Tx, teamId: string, leadId: string): Promise<RunContextLead | null> {
  const [l] = await tx`
    select l.id, l.name, l.company, l.stage, l.owner_id, p.full_name as owner_name, p.email as owner_email,
           coalesce((select array_agg(e.email order by e.created_at, e.email) from public.lead_emails e
                      where e.lead_id = l.id), '{}') as emails
      from public.leads l
      left join public.profiles p on p.id = l.owner_id
     where l.id = ${leadId} and l.team_id = ${teamId}`;
  if (!l) return null;
  return {
    id: l.id,
    name: l.name,
    company: l.company ?? null,
    stage: asStage(l.stage) ?? "new",
    owner_id: l.owner_id ?? null,
    owner_name: l.owner_name ?? null,
    owner_email: l.owner_email ?? null,
    emails: l.emails ?? [],
    url: leadUrl(teamId, l.id),
  };
}

/**
 * The context of a run for `event`, or null when its subject is gone (the meeting or the lead the trigger is
 * about no longer exists: the run is recorded as skipped, subject_gone).
 */
export async function buildContext(tx: Tx, event: ContextSource): Promise<RunContext | null> {
  const has = TRIGGER_SUBJECTS[event.type];
  const context: RunContext = { event: { type: event.type, source: event.source }, team: { name: "" } };
  if (event.type === "lead.stage_changed") {
    context.event.from_stage = asStage(event.payload?.from_stage);
    context.event.to_stage = asStage(event.payload?.to_stage);
  }
  const [team] = await tx`select name from public.teams where id = ${event.team_id}`;
  if (!team) return null;
  context.team.name = team.name;
  if (has.meeting) {
    const meeting = event.meeting_id ? await loadMeeting(tx, event.team_id, event.meeting_id) : null;
    if (!meeting) return null;
    context.meeting = meeting;
  }
  if (has.lead) {
    const lead = event.lead_id ? await loadLead(tx, event.team_id, event.lead_id) : null;
    if (!lead) return null;
    context.lead = lead;
  }
  return context;
}
