// storeMeeting: one provider-neutral meeting into the CRM, inside the caller's service transaction (Fathom's
// webhook inbox and backfill call it through fathom/import.ts; Zoom's importer the same way). Upserts the meeting by
// (team_id, provider, provider_meeting_id), matches its invitees to leads by e-mail (the one e-mail rule; the
// recorder is internal, never a lead of their own meeting), optionally creates leads for unknown external
// attendees (team_settings.create_leads_from_unknown_attendees), links, and appends the events
// `<provider>.meeting.imported`, `<provider>.meeting.linked_to_lead` and `lead.created_from_meeting`. The automation
// triggers (meeting.linked_to_lead, meeting.imported_unmatched, lead.created) fire from the database triggers on the
// rows written here. Idempotent: storing the same meeting twice (webhook + backfill, a retried delivery, a resumed
// step) changes nothing the second time.
import type { Tx } from "../db.ts";
import { cleanDisplayName } from "../display-name.ts";
import { normalizeEmail } from "../email.ts";
import { createLeadForEmail } from "../leads/create.ts";
import { autoLeadName } from "./lead-name.ts";
import type { MeetingInvitee, NeutralMeeting, StoreContext, StoreResult } from "./types.ts";

/** content_last_error of a meeting whose recording the provider deleted (meetings.provider_deleted_at set). */
export const DELETED_AT_PROVIDER = "deleted_at_provider";

/**
 * Serialise, per meeting, the writers of one (team, provider, provider meeting id): this upsert and a deletion at the
 * provider (zoom/retention.ts). Transaction-scoped advisory locks, taken in hash order (so two pages that share
 * meetings cannot deadlock). Without it a deletion could commit between the upsert's read of provider_deletions
 * and its commit, and find no meeting row to clear (attacker review 12b, finding 1).
 */
export async function lockMeetingKeys(tx: Tx, teamId: string, provider: string, providerMeetingIds: string[]): Promise<void> {
  if (providerMeetingIds.length === 0) return;
  const keys = providerMeetingIds.map((id) => `meeting:${teamId}:${provider}:${id}`);
  await tx`select pg_advisory_xact_lock(s.h)
             from (select distinct hashtextextended(k, 0) as h from unnest(${keys}::text[]) as k order by 1) as s`;
}

/** "newco.example" -> "Newco": a readable company label for a lead created from an e-mail alone. */
function companyFromDomain(domain: string): string | null {
  const label = domain.split(".")[0];
  return label ? (label[0].toUpperCase() + label.slice(1)).slice(0, 200) : null;
}

const domainOf = (email: string | null | undefined) => {
  const at = email?.lastIndexOf("@") ?? -1;
  return email && at > 0 ? email.slice(at + 1) : null;
};

interface EventRow {
  type: string;
  subject_type: string;
  subject_id: string;
  payload: Record<string, unknown>;
  idempotency_key: string;
}

/** Append events in one statement; one already recorded (same idempotency key) is not repeated. */
async function appendEvents(tx: Tx, ctx: StoreContext, rows: EventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx`
    insert into public.integration_events (team_id, integration_id, provider, type, subject_type, subject_id, payload,
                                           idempotency_key)
    select ${ctx.teamId}, ${ctx.integrationId}, ${ctx.provider}, e.type, e.subject_type, e.subject_id, e.payload,
           e.idempotency_key
      from jsonb_to_recordset(${tx.json(rows as never)}) as e(type text, subject_type text, subject_id text,
                                                              payload jsonb, idempotency_key text)
    on conflict (team_id, idempotency_key) where idempotency_key is not null do nothing`;
}

/** The columns of one meetings row, as jsonb_to_recordset reads them (see the upsert below). */
function meetingRow(meeting: NeutralMeeting, source: StoreContext["source"]) {
  const content = meeting.content ?? {};
  const complete = !!content.transcript && content.summaryMarkdown != null;
  const person = meeting.recordedBy;
  return {
    provider_meeting_id: meeting.providerMeetingId,
    // one cleaning for every provider's titles (display-name.ts), as for names (attacker review 12c, finding 2)
    title: cleanDisplayName(meeting.title) ?? cleanDisplayName(meeting.meetingTitle) ?? "",
    meeting_title: cleanDisplayName(meeting.meetingTitle),
    url: meeting.url ?? null,
    share_url: meeting.shareUrl ?? null,
    provider_created_at: meeting.providerCreatedAt ?? null,
    scheduled_start_time: meeting.scheduledStart ?? null,
    scheduled_end_time: meeting.scheduledEnd ?? null,
    recording_start_time: meeting.recordingStart ?? null,
    recording_end_time: meeting.recordingEnd ?? null,
    recorded_by: person
      ? {
        name: person.name,
        email: person.email,
        email_domain: person.emailDomain !== undefined ? person.emailDomain : domainOf(person.email),
        team: person.team ?? null,
      }
      : null,
    invitees: meeting.invitees.map((i) => ({
      name: i.name,
      email: i.email,
      email_domain: i.emailDomain !== undefined ? i.emailDomain : domainOf(i.email),
      is_external: i.isExternal,
      matched_speaker_display_name: i.matchedSpeakerDisplayName ?? null,
    })),
    invitees_domains_type: meeting.inviteesDomainsType ?? null,
    language: meeting.language ?? null,
    transcript: content.transcript ?? null,
    summary_markdown: content.summaryMarkdown ?? null,
    summary_template: content.summaryTemplate ?? null,
    action_items: content.actionItems ?? null,
    content_status: complete ? "complete" : "pending",
    source,
  };
}

/** One meeting: storeMeetings with a list of one. */
export async function storeMeeting(tx: Tx, ctx: StoreContext, meeting: NeutralMeeting): Promise<StoreResult> {
  const [result] = await storeMeetings(tx, ctx, [meeting]);
  return result;
}

/**
 * A page of meetings in a constant number of statements, whatever its size (the import's pace is the provider's
 * rate limit, not our round trips: bench/import): one lock statement (lockMeetingKeys), one upsert, one lead lookup,
 * one link insert, one event insert, plus one statement per lead created for an unknown attendee. Results are in
 * the order of `meetings`; a meeting listed twice in one page is stored once (the later copy wins), and both entries
 * get its result. Stored content is never clobbered with nulls; content only ever upgrades pending/failed ->
 * complete. A meeting whose recording the provider deleted (meetings.provider_deleted_at, or a provider_deletions
 * row with deleted = true recorded before the meeting was stored) keeps no content and no links to the provider whatever this call
 * brings: its content stays failed with DELETED_AT_PROVIDER (until the provider says it was recovered:
 * zoom/retention.ts).
 */
export async function storeMeetings(tx: Tx, ctx: StoreContext, input: NeutralMeeting[]): Promise<StoreResult[]> {
  const { teamId, integrationId, provider, source } = ctx;
  if (input.length === 0) return [];
  const byId = new Map<string, NeutralMeeting>();
  for (const meeting of input) byId.set(meeting.providerMeetingId, meeting);
  const meetings = [...byId.values()];
  await lockMeetingKeys(tx, teamId, provider, meetings.map((m) => m.providerMeetingId));

  const rows = await tx<{ id: string; provider_meeting_id: string; inserted: boolean; content_status: string }[]>`
    insert into public.meetings as m (
      team_id, integration_id, provider, provider_meeting_id, title, meeting_title, url, share_url,
      provider_created_at, scheduled_start_time, scheduled_end_time, recording_start_time, recording_end_time,
      recorded_by, invitees, invitees_domains_type, language, transcript, summary_markdown, summary_template,
      action_items, content_status, content_fetched_at, source, provider_deleted_at, content_last_error)
    select ${teamId}, ${integrationId}, ${provider}, x.provider_meeting_id, x.title, x.meeting_title,
           case when d.deleted_at is null then x.url end, case when d.deleted_at is null then x.share_url end,
           x.provider_created_at, x.scheduled_start_time, x.scheduled_end_time, x.recording_start_time,
           x.recording_end_time, x.recorded_by, coalesce(x.invitees, '[]'::jsonb), x.invitees_domains_type, x.language,
           case when d.deleted_at is null then x.transcript end, case when d.deleted_at is null then x.summary_markdown end,
           case when d.deleted_at is null then x.summary_template end, case when d.deleted_at is null then x.action_items end,
           case when d.deleted_at is null then x.content_status else 'failed' end,
           case when d.deleted_at is null and x.content_status = 'complete' then now() end, x.source,
           d.deleted_at, case when d.deleted_at is not null then ${DELETED_AT_PROVIDER} end
      from jsonb_to_recordset(${tx.json(meetings.map((m) => meetingRow(m, source)) as never)}) as x(
             provider_meeting_id text, title text, meeting_title text, url text, share_url text,
             provider_created_at timestamptz, scheduled_start_time timestamptz, scheduled_end_time timestamptz,
             recording_start_time timestamptz, recording_end_time timestamptz, recorded_by jsonb, invitees jsonb,
             invitees_domains_type text, language text, transcript jsonb, summary_markdown text,
             summary_template text, action_items jsonb, content_status text, source text)
      -- only a recording whose newest lifecycle event is a deletion (a recovered one keeps its row: deleted false)
      left join public.provider_deletions d
        on d.team_id = ${teamId} and d.provider = ${provider} and d.provider_meeting_id = x.provider_meeting_id
       and d.deleted
    on conflict (team_id, provider, provider_meeting_id) do update set
      integration_id = coalesce(excluded.integration_id, m.integration_id),
      title = excluded.title,
      meeting_title = coalesce(excluded.meeting_title, m.meeting_title),
      -- a deletion at the provider (on the row, or recorded before the row existed: excluded) keeps content and links
      -- null whatever this delivery brings; the row itself, its participants and lead links stay
      provider_deleted_at = coalesce(m.provider_deleted_at, excluded.provider_deleted_at),
      url = case when coalesce(m.provider_deleted_at, excluded.provider_deleted_at) is null then coalesce(excluded.url, m.url) end,
      share_url = case when coalesce(m.provider_deleted_at, excluded.provider_deleted_at) is null
                       then coalesce(excluded.share_url, m.share_url) end,
      provider_created_at = coalesce(excluded.provider_created_at, m.provider_created_at),
      scheduled_start_time = coalesce(excluded.scheduled_start_time, m.scheduled_start_time),
      scheduled_end_time = coalesce(excluded.scheduled_end_time, m.scheduled_end_time),
      recording_start_time = coalesce(excluded.recording_start_time, m.recording_start_time),
      recording_end_time = coalesce(excluded.recording_end_time, m.recording_end_time),
      recorded_by = coalesce(excluded.recorded_by, m.recorded_by),
      invitees = case when jsonb_array_length(excluded.invitees) > 0 then excluded.invitees else m.invitees end,
      invitees_domains_type = coalesce(excluded.invitees_domains_type, m.invitees_domains_type),
      language = coalesce(excluded.language, m.language),
      transcript = case when coalesce(m.provider_deleted_at, excluded.provider_deleted_at) is null
                        then coalesce(excluded.transcript, m.transcript) end,
      summary_markdown = case when coalesce(m.provider_deleted_at, excluded.provider_deleted_at) is null
                              then coalesce(excluded.summary_markdown, m.summary_markdown) end,
      summary_template = case when coalesce(m.provider_deleted_at, excluded.provider_deleted_at) is null
                              then coalesce(excluded.summary_template, m.summary_template) end,
      action_items = case when coalesce(m.provider_deleted_at, excluded.provider_deleted_at) is null
                          then coalesce(excluded.action_items, m.action_items) end,
      -- complete once both sections are known, whichever delivery brought which
      content_status = case when coalesce(m.provider_deleted_at, excluded.provider_deleted_at) is not null then 'failed'
                            when coalesce(excluded.transcript, m.transcript) is not null
                              and coalesce(excluded.summary_markdown, m.summary_markdown) is not null
                            then 'complete' else m.content_status end,
      content_fetched_at = case when coalesce(m.provider_deleted_at, excluded.provider_deleted_at) is null
                                 and m.content_status <> 'complete'
                                 and coalesce(excluded.transcript, m.transcript) is not null
                                 and coalesce(excluded.summary_markdown, m.summary_markdown) is not null
                                then now() else m.content_fetched_at end,
      content_last_error = case when coalesce(m.provider_deleted_at, excluded.provider_deleted_at) is not null
                                then ${DELETED_AT_PROVIDER}
                                when coalesce(excluded.transcript, m.transcript) is not null
                                 and coalesce(excluded.summary_markdown, m.summary_markdown) is not null
                                then null else m.content_last_error end
    returning m.id, m.provider_meeting_id, (xmax = 0) as inserted, m.content_status`;
  const stored = new Map(rows.map((r) => [r.provider_meeting_id, r]));

  // Attendees by normalised e-mail, per meeting; the recorder is never a lead of their own meeting.
  const attendees = new Map<string, Map<string, MeetingInvitee>>();
  const allEmails = new Set<string>();
  for (const meeting of meetings) {
    const host = normalizeEmail(meeting.recordedBy?.email);
    const byEmail = new Map<string, MeetingInvitee>();
    for (const invitee of meeting.invitees) {
      const email = normalizeEmail(invitee.email);
      if (email && email !== host && !byEmail.has(email)) byEmail.set(email, invitee);
    }
    attendees.set(meeting.providerMeetingId, byEmail);
    for (const email of byEmail.keys()) allEmails.add(email);
  }

  const known = allEmails.size === 0 ? [] : await tx<{ lead_id: string; email: string }[]>`
    select lead_id, email_normalized as email from public.lead_emails
     where team_id = ${teamId} and email_normalized = any(${[...allEmails]}::text[])`;
  const leadOf = new Map(known.map((k) => [k.email, k.lead_id]));

  // Unknown external attendees become leads when the team asks for it (rare: one statement per new lead is fine).
  const unknownExternal = new Map<string, MeetingInvitee>();
  for (const byEmail of attendees.values()) {
    for (const [email, invitee] of byEmail) {
      if (!leadOf.has(email) && invitee.isExternal === true && !unknownExternal.has(email)) {
        unknownExternal.set(email, invitee);
      }
    }
  }
  const created = new Map<string, string>(); // email -> lead created by this call
  if (unknownExternal.size > 0) {
    const [settings] = await tx<{ create_leads_from_unknown_attendees: boolean }[]>`
      select create_leads_from_unknown_attendees from public.team_settings where team_id = ${teamId}`;
    if (settings?.create_leads_from_unknown_attendees) {
      for (const [email, invitee] of unknownExternal) {
        const lead = await createLead(tx, ctx, email, invitee);
        leadOf.set(email, lead.id);
        if (lead.created) created.set(email, lead.id);
      }
    }
  }

  const wanted: { meeting_id: string; lead_id: string; matched_email: string }[] = [];
  for (const meeting of meetings) {
    const row = stored.get(meeting.providerMeetingId)!;
    for (const email of attendees.get(meeting.providerMeetingId)!.keys()) {
      const leadId = leadOf.get(email);
      if (leadId) wanted.push({ meeting_id: row.id, lead_id: leadId, matched_email: email });
    }
  }
  const linkedNow = wanted.length === 0 ? [] : await tx<{ meeting_id: string; lead_id: string }[]>`
    insert into public.meeting_leads (meeting_id, lead_id, team_id, matched_email)
    select l.meeting_id, l.lead_id, ${teamId}, l.matched_email
      from jsonb_to_recordset(${tx.json(wanted as never)}) as l(meeting_id uuid, lead_id uuid, matched_email text)
    on conflict (meeting_id, lead_id) do nothing
    returning meeting_id, lead_id`;
  const linkedKeys = new Set(linkedNow.map((l) => `${l.meeting_id}:${l.lead_id}`));
  const createdLeads = new Set(created.values());

  const events: EventRow[] = [];
  const results = new Map<string, StoreResult>();
  for (const meeting of meetings) {
    const id = meeting.providerMeetingId;
    const row = stored.get(id)!;
    const ref = { provider, provider_meeting_id: id };
    const mine = wanted.filter((w) => w.meeting_id === row.id);
    // A lead created just now was linked by the lead_emails trigger (with its event) as its e-mail was added.
    const linkedLeadIds = [...new Set(mine.filter((w) => linkedKeys.has(`${row.id}:${w.lead_id}`) ||
      createdLeads.has(w.lead_id)).map((w) => w.lead_id))];
    const createdLeadIds = [...new Set(mine.map((w) => w.lead_id).filter((l) => createdLeads.has(l)))]
      .filter((l) => [...created.entries()].some(([email, lead]) => lead === l && attendees.get(id)!.has(email)));
    events.push({
      type: `${provider}.meeting.imported`,
      subject_type: "meeting",
      subject_id: row.id,
      payload: { ...ref, source, title: cleanDisplayName(meeting.title) ?? cleanDisplayName(meeting.meetingTitle) ?? "" },
      idempotency_key: `${provider}.meeting.imported:${teamId}:${id}`,
    });
    for (const leadId of createdLeadIds) {
      events.push({
        type: "lead.created_from_meeting",
        subject_type: "lead",
        subject_id: leadId,
        payload: { meeting_id: row.id, ...ref },
        idempotency_key: `lead.created_from_meeting:${leadId}`,
      });
    }
    for (const leadId of linkedLeadIds) {
      events.push({
        type: `${provider}.meeting.linked_to_lead`,
        subject_type: "meeting",
        subject_id: row.id,
        payload: { meeting_id: row.id, lead_id: leadId, ...ref },
        idempotency_key: `${provider}.meeting.linked_to_lead:${row.id}:${leadId}`,
      });
    }
    results.set(id, {
      meetingId: row.id,
      inserted: row.inserted,
      contentComplete: row.content_status === "complete",
      linkedLeadIds,
      createdLeadIds,
    });
  }
  await appendEvents(tx, ctx, events);
  return input.map((m) => results.get(m.providerMeetingId)!);
}

/**
 * A lead (source = the provider) for an unknown external attendee. Two imports racing for the same e-mail: the
 * loser's lead_emails insert conflicts (it waits for the winner's commit), so it drops its own lead and uses the
 * winner's.
 */
async function createLead(
  tx: Tx,
  ctx: StoreContext,
  email: string,
  invitee: MeetingInvitee,
): Promise<{ id: string; created: boolean }> {
  const domain = email.split("@")[1];
  return await createLeadForEmail(tx, {
    teamId: ctx.teamId,
    name: autoLeadName(invitee.name, email),
    company: companyFromDomain(domain),
    source: ctx.provider,
    email,
  });
}
