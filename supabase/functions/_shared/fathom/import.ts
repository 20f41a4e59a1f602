// One Fathom meeting into the CRM, inside the caller's service transaction (the webhook handler and the backfill
// both call this): upsert the meeting by (team_id, recording_id), match its invitees to leads by e-mail, optionally
// create leads for unknown external attendees, link, and append the events. Idempotent: importing the same
// meeting twice (webhook + backfill, a retried delivery, a resumed step) changes nothing the second time.
import type { Tx } from "../db.ts";
import { normalizeEmail } from "../email.ts";
import { autoLeadName } from "./lead-name.ts";
import type { FathomActionItem, FathomInvitee, FathomMeeting, FathomSummary, FathomTranscriptItem } from "./wire.ts";

export type ImportSource = "webhook" | "backfill";

export interface ImportInput {
  teamId: string;
  integrationId: string | null;
  meeting: FathomMeeting;
  source: ImportSource;
}

export interface ImportResult {
  meetingId: string;
  /** a new row (false: an existing meeting was updated) */
  inserted: boolean;
  contentComplete: boolean;
  /** leads linked by this import (links that already existed are not repeated) */
  linkedLeadIds: string[];
  createdLeadIds: string[];
}

// The one e-mail rule (also the database's: lead_emails.email_normalized, meetings.attendee_emails), so an invitee
// matches its lead whatever the Unicode form or case, and a strange invitee e-mail is skipped, never an abort.
export { normalizeEmail };

/** "newco.example" -> "Newco": a readable company label for a lead created from an e-mail alone. */
function companyFromDomain(domain: string): string | null {
  const label = domain.split(".")[0];
  return label ? (label[0].toUpperCase() + label.slice(1)).slice(0, 200) : null;
}

/** A meeting's content sections; null = not delivered (yet). */
export interface MeetingContent {
  transcript: FathomTranscriptItem[] | null;
  summary: FathomSummary | null;
  actionItems?: FathomActionItem[] | null;
}

/**
 * The content the meeting object itself carries (a webhook with include_transcript/include_summary). Only a
 * non-null, well-formed section counts (wire.ts has already turned everything else into null): Fathom's list
 * items carry unrequested sections as explicit null (fathom-api.md §3.4), and a summary that is not ready yet is
 * null too. The meeting is complete when it has both a transcript and a summary; whatever is missing is fetched
 * later (content.ts).
 */
export function contentOf(meeting: FathomMeeting): MeetingContent {
  return { transcript: meeting.transcript, summary: meeting.default_summary, actionItems: meeting.action_items };
}

export function isComplete(content: MeetingContent): boolean {
  return content.transcript !== null && content.summary !== null;
}

interface EventRow {
  type: string;
  subject_type: string;
  subject_id: string;
  payload: Record<string, unknown>;
  idempotency_key: string;
}

/** Append events in one statement; one already recorded (same idempotency key) is not repeated. */
async function appendEvents(tx: Tx, teamId: string, integrationId: string | null, rows: EventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx`
    insert into public.integration_events (team_id, integration_id, provider, type, subject_type, subject_id, payload,
                                           idempotency_key)
    select ${teamId}, ${integrationId}, 'fathom', e.type, e.subject_type, e.subject_id, e.payload, e.idempotency_key
      from jsonb_to_recordset(${tx.json(rows as never)}) as e(type text, subject_type text, subject_id text,
                                                              payload jsonb, idempotency_key text)
    on conflict (team_id, idempotency_key) where idempotency_key is not null do nothing`;
}

/** One meeting (the webhook inbox): importMeetings with a list of one. */
export async function importMeeting(tx: Tx, input: ImportInput): Promise<ImportResult> {
  const [result] = await importMeetings(tx, { ...input, meetings: [input.meeting] });
  return result;
}

/** The columns of one meetings row, as jsonb_to_recordset reads them (see the upsert below). */
function meetingRow(meeting: FathomMeeting, source: ImportSource) {
  const content = contentOf(meeting);
  const complete = isComplete(content);
  return {
    recording_id: meeting.recording_id,
    title: meeting.title || meeting.meeting_title || "",
    meeting_title: meeting.meeting_title,
    url: meeting.url,
    share_url: meeting.share_url,
    fathom_created_at: meeting.created_at,
    scheduled_start_time: meeting.scheduled_start_time,
    scheduled_end_time: meeting.scheduled_end_time,
    recording_start_time: meeting.recording_start_time,
    recording_end_time: meeting.recording_end_time,
    recorded_by: meeting.recorded_by,
    invitees: meeting.calendar_invitees,
    invitees_domains_type: meeting.calendar_invitees_domains_type,
    language: meeting.transcript_language,
    transcript: content.transcript,
    summary_markdown: content.summary?.markdown_formatted ?? null,
    summary_template: content.summary?.template_name ?? null,
    action_items: content.actionItems,
    content_status: complete ? "complete" : "pending",
    source,
  };
}

/**
 * A page of meetings in a constant number of statements, whatever its size (the import's pace is Fathom's rate
 * limit, not our round trips: bench/import): one upsert, one lead lookup, one link insert, one event insert, plus
 * one statement per lead created for an unknown attendee. Results are in the order of `meetings`; a recording listed
 * twice in one page is imported once (the later copy wins), and both entries get its result.
 */
export async function importMeetings(
  tx: Tx,
  input: { teamId: string; integrationId: string | null; meetings: FathomMeeting[]; source: ImportSource },
): Promise<ImportResult[]> {
  const { teamId, integrationId, source } = input;
  if (input.meetings.length === 0) return [];
  const byRecording = new Map<number, FathomMeeting>();
  for (const meeting of input.meetings) byRecording.set(meeting.recording_id, meeting);
  const meetings = [...byRecording.values()];

  // Never clobber stored content with nulls; content only ever upgrades pending/failed -> complete.
  const rows = await tx<{ id: string; recording_id: string; inserted: boolean; content_status: string }[]>`
    insert into public.meetings as m (
      team_id, integration_id, recording_id, title, meeting_title, url, share_url, fathom_created_at,
      scheduled_start_time, scheduled_end_time, recording_start_time, recording_end_time, recorded_by, invitees,
      invitees_domains_type, language, transcript, summary_markdown, summary_template, action_items, content_status,
      content_fetched_at, source)
    select ${teamId}, ${integrationId}, x.recording_id, x.title, x.meeting_title, x.url, x.share_url,
           x.fathom_created_at, x.scheduled_start_time, x.scheduled_end_time, x.recording_start_time,
           x.recording_end_time, x.recorded_by, coalesce(x.invitees, '[]'::jsonb), x.invitees_domains_type, x.language,
           x.transcript, x.summary_markdown, x.summary_template, x.action_items, x.content_status,
           case when x.content_status = 'complete' then now() end, x.source
      from jsonb_to_recordset(${tx.json(meetings.map((m) => meetingRow(m, source)) as never)}) as x(
             recording_id bigint, title text, meeting_title text, url text, share_url text,
             fathom_created_at timestamptz, scheduled_start_time timestamptz, scheduled_end_time timestamptz,
             recording_start_time timestamptz, recording_end_time timestamptz, recorded_by jsonb, invitees jsonb,
             invitees_domains_type text, language text, transcript jsonb, summary_markdown text,
             summary_template text, action_items jsonb, content_status text, source text)
    on conflict (team_id, recording_id) do update set
      integration_id = coalesce(excluded.integration_id, m.integration_id),
      title = excluded.title,
      meeting_title = coalesce(excluded.meeting_title, m.meeting_title),
      url = coalesce(excluded.url, m.url),
      share_url = coalesce(excluded.share_url, m.share_url),
      fathom_created_at = coalesce(excluded.fathom_created_at, m.fathom_created_at),
      scheduled_start_time = coalesce(excluded.scheduled_start_time, m.scheduled_start_time),
      scheduled_end_time = coalesce(excluded.scheduled_end_time, m.scheduled_end_time),
      recording_start_time = coalesce(excluded.recording_start_time, m.recording_start_time),
      recording_end_time = coalesce(excluded.recording_end_time, m.recording_end_time),
      recorded_by = coalesce(excluded.recorded_by, m.recorded_by),
      invitees = case when jsonb_array_length(excluded.invitees) > 0 then excluded.invitees else m.invitees end,
      invitees_domains_type = coalesce(excluded.invitees_domains_type, m.invitees_domains_type),
      language = coalesce(excluded.language, m.language),
      transcript = coalesce(excluded.transcript, m.transcript),
      summary_markdown = coalesce(excluded.summary_markdown, m.summary_markdown),
      summary_template = coalesce(excluded.summary_template, m.summary_template),
      action_items = coalesce(excluded.action_items, m.action_items),
      -- complete once both sections are known, whichever delivery brought which
      content_status = case when coalesce(excluded.transcript, m.transcript) is not null
                              and coalesce(excluded.summary_markdown, m.summary_markdown) is not null
                            then 'complete' else m.content_status end,
      content_fetched_at = case when m.content_status <> 'complete'
                                 and coalesce(excluded.transcript, m.transcript) is not null
                                 and coalesce(excluded.summary_markdown, m.summary_markdown) is not null
                                then now() else m.content_fetched_at end,
      content_last_error = case when coalesce(excluded.transcript, m.transcript) is not null
                                 and coalesce(excluded.summary_markdown, m.summary_markdown) is not null
                                then null else m.content_last_error end
    returning m.id, m.recording_id::text, (xmax = 0) as inserted, m.content_status`;
  const stored = new Map(rows.map((r) => [Number(r.recording_id), r]));

  // Attendees by normalised e-mail, per meeting; the recorder is never a lead of their own meeting.
  const attendees = new Map<number, Map<string, FathomInvitee>>();
  const allEmails = new Set<string>();
  for (const meeting of meetings) {
    const host = normalizeEmail(meeting.recorded_by?.email);
    const byEmail = new Map<string, FathomInvitee>();
    for (const invitee of meeting.calendar_invitees) {
      const email = normalizeEmail(invitee.email);
      if (email && email !== host && !byEmail.has(email)) byEmail.set(email, invitee);
    }
    attendees.set(meeting.recording_id, byEmail);
    for (const email of byEmail.keys()) allEmails.add(email);
  }

  const known = allEmails.size === 0 ? [] : await tx<{ lead_id: string; email: string }[]>`
    select lead_id, email_normalized as email from public.lead_emails
     where team_id = ${teamId} and email_normalized = any(${[...allEmails]}::text[])`;
  const leadOf = new Map(known.map((k) => [k.email, k.lead_id]));

  // Unknown external attendees become leads when the team asks for it (rare: one statement per new lead is fine).
  const unknownExternal = new Map<string, FathomInvitee>();
  for (const byEmail of attendees.values()) {
    for (const [email, invitee] of byEmail) {
      if (!leadOf.has(email) && invitee.is_external === true && !unknownExternal.has(email)) {
        unknownExternal.set(email, invitee);
      }
    }
  }
  const created = new Map<string, string>(); // email -> lead created by this import
  if (unknownExternal.size > 0) {
    const [settings] = await tx<{ create_leads_from_unknown_attendees: boolean }[]>`
      select create_leads_from_unknown_attendees from public.team_settings where team_id = ${teamId}`;
    if (settings?.create_leads_from_unknown_attendees) {
      for (const [email, invitee] of unknownExternal) {
        const lead = await createLead(tx, teamId, email, invitee);
        leadOf.set(email, lead.id);
        if (lead.created) created.set(email, lead.id);
      }
    }
  }

  const wanted: { meeting_id: string; lead_id: string; matched_email: string }[] = [];
  for (const meeting of meetings) {
    const row = stored.get(meeting.recording_id)!;
    for (const email of attendees.get(meeting.recording_id)!.keys()) {
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
  const results = new Map<number, ImportResult>();
  for (const meeting of meetings) {
    const row = stored.get(meeting.recording_id)!;
    const mine = wanted.filter((w) => w.meeting_id === row.id);
    // A lead created just now was linked by the lead_emails trigger (with its event) as its e-mail was added.
    const linkedLeadIds = [...new Set(mine.filter((w) => linkedKeys.has(`${row.id}:${w.lead_id}`) ||
      createdLeads.has(w.lead_id)).map((w) => w.lead_id))];
    const createdLeadIds = [...new Set(mine.map((w) => w.lead_id).filter((id) => createdLeads.has(id)))]
      .filter((id) => [...created.entries()].some(([email, lead]) => lead === id &&
        attendees.get(meeting.recording_id)!.has(email)));
    events.push({
      type: "fathom.meeting.imported",
      subject_type: "meeting",
      subject_id: row.id,
      payload: { recording_id: meeting.recording_id, source, title: meeting.title },
      idempotency_key: `fathom.meeting.imported:${teamId}:${meeting.recording_id}`,
    });
    for (const leadId of createdLeadIds) {
      events.push({
        type: "lead.created_from_meeting",
        subject_type: "lead",
        subject_id: leadId,
        payload: { meeting_id: row.id, recording_id: meeting.recording_id },
        idempotency_key: `lead.created_from_meeting:${leadId}`,
      });
    }
    for (const leadId of linkedLeadIds) {
      events.push({
        type: "fathom.meeting.linked_to_lead",
        subject_type: "meeting",
        subject_id: row.id,
        payload: { meeting_id: row.id, lead_id: leadId, recording_id: meeting.recording_id },
        idempotency_key: `fathom.meeting.linked_to_lead:${row.id}:${leadId}`,
      });
    }
    results.set(meeting.recording_id, {
      meetingId: row.id,
      inserted: row.inserted,
      contentComplete: row.content_status === "complete",
      linkedLeadIds,
      createdLeadIds,
    });
  }
  await appendEvents(tx, teamId, integrationId, events);
  return input.meetings.map((m) => results.get(m.recording_id)!);
}

/**
 * A lead (source 'fathom') for an unknown external attendee. Two imports racing for the same e-mail: the loser's
 * lead_emails insert conflicts (it waits for the winner's commit), so it drops its own lead and uses the winner's.
 */
async function createLead(
  tx: Tx,
  teamId: string,
  email: string,
  invitee: FathomInvitee,
): Promise<{ id: string; created: boolean }> {
  const domain = email.split("@")[1];
  const [lead] = await tx<{ id: string }[]>`
    insert into public.leads (team_id, name, company, source, created_by)
    values (${teamId}, ${autoLeadName(invitee.name, email)}, ${companyFromDomain(domain)}, 'fathom', null)
    returning id`;
  const added = await tx`
    insert into public.lead_emails (lead_id, team_id, email) values (${lead.id}, ${teamId}, ${email})
    on conflict (team_id, email_normalized) do nothing
    returning lead_id`;
  if (added.length > 0) return { id: lead.id, created: true };
  await tx`delete from public.leads where id = ${lead.id}`;
  const [owner] = await tx<{ lead_id: string }[]>`
    select lead_id from public.lead_emails where team_id = ${teamId} and email_normalized = ${email}`;
  return { id: owner.lead_id, created: false };
}

/** Fetches of a meeting's content that find a section still missing, before the meeting is marked failed. */
export const CONTENT_NOT_READY_ATTEMPTS = 5;

/**
 * Store fetched content on a meeting that is not complete yet (a webhook may have won the race: then null). A
 * section that is still null (Fathom's summary not ready yet) keeps the meeting pending, retried after a growing
 * pause (`content_retry_after`: 1, 4, 16, 64 minutes), and failed after CONTENT_NOT_READY_ATTEMPTS such fetches.
 * Returns the meeting's content status afterwards, or null when it was already complete.
 */
export async function storeContent(
  tx: Tx,
  meetingId: string,
  content: MeetingContent,
): Promise<"complete" | "pending" | "failed" | null> {
  const transcript = content.transcript ? tx.json(content.transcript as never) : null;
  const actionItems = content.actionItems ? tx.json(content.actionItems as never) : null;
  const [row] = await tx<{ content_status: "complete" | "pending" | "failed" }[]>`
    with next as (
      select m.id,
             coalesce(${transcript}::jsonb, m.transcript) is not null
               and coalesce(${content.summary?.markdown_formatted ?? null}::text, m.summary_markdown) is not null
               as complete
        from public.meetings m
       where m.id = ${meetingId} and m.content_status <> 'complete'
         for update
    )
    update public.meetings m set
      transcript = coalesce(${transcript}::jsonb, m.transcript),
      summary_markdown = coalesce(${content.summary?.markdown_formatted ?? null}, m.summary_markdown),
      summary_template = coalesce(${content.summary?.template_name ?? null}, m.summary_template),
      action_items = coalesce(${actionItems}::jsonb, m.action_items),
      content_status = case when next.complete then 'complete'
                            when m.content_attempts + 1 >= ${CONTENT_NOT_READY_ATTEMPTS} then 'failed'
                            else m.content_status end,
      content_attempts = case when next.complete then m.content_attempts else m.content_attempts + 1 end,
      content_last_error = case
        when next.complete then null
        when coalesce(${transcript}::jsonb, m.transcript) is null then 'transcript_not_ready'
        else 'summary_not_ready' end,
      content_retry_after = case when next.complete then null
                                 else now() + make_interval(mins => power(4, least(m.content_attempts, 4))::int) end,
      content_fetched_at = now()
      from next
     where m.id = next.id
    returning m.content_status`;
  return row?.content_status ?? null;
}

/** A failed content fetch: count the attempt; after `maxAttempts` (or a permanent error) the meeting is failed. */
export async function recordContentFailure(
  tx: Tx,
  meetingId: string,
  error: string,
  opts: { maxAttempts: number; permanent: boolean },
): Promise<"pending" | "failed"> {
  const [row] = await tx<{ content_status: "pending" | "failed" }[]>`
    update public.meetings set
      content_attempts = content_attempts + 1,
      content_last_error = ${error},
      content_status = case when ${opts.permanent} or content_attempts + 1 >= ${opts.maxAttempts} then 'failed'
                            else content_status end,
      content_retry_after = now() + make_interval(mins => power(4, least(content_attempts, 4))::int)
    where id = ${meetingId} and content_status = 'pending'
    returning content_status`;
  return row?.content_status ?? "pending";
}
