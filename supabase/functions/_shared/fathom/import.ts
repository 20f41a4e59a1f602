// One Fathom meeting into the CRM, inside the caller's service transaction (the webhook handler and the backfill
// both call this): upsert the meeting by (team_id, recording_id), match its invitees to leads by e-mail, optionally
// create leads for unknown external attendees, link, and append the events. Idempotent: importing the same
// meeting twice (webhook + backfill, a retried delivery, a resumed step) changes nothing the second time.
import type { Tx } from "../db.ts";
import { normalizeEmail } from "../email.ts";
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

function leadName(invitee: FathomInvitee, email: string): string {
  const name = invitee.name?.trim();
  return (name || email.split("@")[0]).slice(0, 200);
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

async function event(
  tx: Tx,
  e: { teamId: string; integrationId: string | null; type: string; subjectType: string; subjectId: string;
    payload: Record<string, unknown>; key: string },
): Promise<void> {
  await tx`
    insert into public.integration_events (team_id, integration_id, provider, type, subject_type, subject_id, payload,
                                           idempotency_key)
    values (${e.teamId}, ${e.integrationId}, 'fathom', ${e.type}, ${e.subjectType}, ${e.subjectId},
            ${tx.json(e.payload as never)}, ${e.key})
    on conflict (team_id, idempotency_key) where idempotency_key is not null do nothing`;
}

export async function importMeeting(tx: Tx, input: ImportInput): Promise<ImportResult> {
  const { teamId, integrationId, meeting, source } = input;
  const content = contentOf(meeting);
  const invitees = meeting.calendar_invitees;
  const complete = isComplete(content);

  // Never clobber stored content with nulls; content only ever upgrades pending/failed -> complete.
  const [row] = await tx<{ id: string; inserted: boolean; content_status: string }[]>`
    insert into public.meetings as m (
      team_id, integration_id, recording_id, title, meeting_title, url, share_url, fathom_created_at,
      scheduled_start_time, scheduled_end_time, recording_start_time, recording_end_time, recorded_by, invitees,
      invitees_domains_type, language, transcript, summary_markdown, summary_template, action_items, content_status,
      content_fetched_at, source)
    values (
      ${teamId}, ${integrationId}, ${meeting.recording_id}, ${(meeting.title || meeting.meeting_title || "").slice(0, 1000)},
      ${meeting.meeting_title}, ${meeting.url}, ${meeting.share_url},
      ${meeting.created_at}, ${meeting.scheduled_start_time},
      ${meeting.scheduled_end_time}, ${meeting.recording_start_time},
      ${meeting.recording_end_time}, ${meeting.recorded_by ? tx.json(meeting.recorded_by as never) : null},
      ${tx.json(invitees as never)},
      ${meeting.calendar_invitees_domains_type},
      ${meeting.transcript_language},
      ${content.transcript ? tx.json(content.transcript as never) : null},
      ${content.summary?.markdown_formatted ?? null}, ${content.summary?.template_name ?? null},
      ${content.actionItems ? tx.json(content.actionItems as never) : null},
      ${complete ? "complete" : "pending"}, ${complete ? new Date().toISOString() : null}, ${source})
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
    returning m.id, (xmax = 0) as inserted, m.content_status`;

  const host = normalizeEmail(meeting.recorded_by?.email);
  const byEmail = new Map<string, FathomInvitee>();
  for (const invitee of invitees) {
    const email = normalizeEmail(invitee.email);
    if (email && email !== host && !byEmail.has(email)) byEmail.set(email, invitee);
  }
  const emails = [...byEmail.keys()];

  const known = emails.length === 0 ? [] : await tx<{ lead_id: string; email: string }[]>`
    select lead_id, email_normalized as email from public.lead_emails
     where team_id = ${teamId} and email_normalized = any(${emails}::text[])`;
  const matches = new Map(known.map((k) => [k.email, k.lead_id]));

  const createdLeadIds: string[] = [];
  const unknownExternal = emails.filter((e) => !matches.has(e) && byEmail.get(e)!.is_external === true);
  if (unknownExternal.length > 0) {
    const [settings] = await tx<{ create_leads_from_unknown_attendees: boolean }[]>`
      select create_leads_from_unknown_attendees from public.team_settings where team_id = ${teamId}`;
    if (settings?.create_leads_from_unknown_attendees) {
      for (const email of unknownExternal) {
        const leadId = await createLead(tx, teamId, email, byEmail.get(email)!);
        matches.set(email, leadId.id);
        if (leadId.created) createdLeadIds.push(leadId.id);
      }
    }
  }

  const linkedLeadIds: string[] = [];
  for (const [email, leadId] of matches) {
    const linked = await tx`
      insert into public.meeting_leads (meeting_id, lead_id, team_id, matched_email)
      values (${row.id}, ${leadId}, ${teamId}, ${email})
      on conflict (meeting_id, lead_id) do nothing
      returning lead_id`;
    // A lead created just now was linked by the lead_emails trigger (with its event) as its e-mail was added.
    if (linked.length > 0 || createdLeadIds.includes(leadId)) linkedLeadIds.push(leadId);
  }

  await event(tx, {
    teamId,
    integrationId,
    type: "fathom.meeting.imported",
    subjectType: "meeting",
    subjectId: row.id,
    payload: { recording_id: meeting.recording_id, source, title: meeting.title },
    key: `fathom.meeting.imported:${teamId}:${meeting.recording_id}`,
  });
  for (const leadId of createdLeadIds) {
    await event(tx, {
      teamId,
      integrationId,
      type: "lead.created_from_meeting",
      subjectType: "lead",
      subjectId: leadId,
      payload: { meeting_id: row.id, recording_id: meeting.recording_id },
      key: `lead.created_from_meeting:${leadId}`,
    });
  }
  for (const leadId of linkedLeadIds) {
    await event(tx, {
      teamId,
      integrationId,
      type: "fathom.meeting.linked_to_lead",
      subjectType: "meeting",
      subjectId: row.id,
      payload: { meeting_id: row.id, lead_id: leadId, recording_id: meeting.recording_id },
      key: `fathom.meeting.linked_to_lead:${row.id}:${leadId}`,
    });
  }

  return {
    meetingId: row.id,
    inserted: row.inserted,
    contentComplete: row.content_status === "complete",
    linkedLeadIds,
    createdLeadIds,
  };
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
    values (${teamId}, ${leadName(invitee, email)}, ${companyFromDomain(domain)}, 'fathom', null)
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
