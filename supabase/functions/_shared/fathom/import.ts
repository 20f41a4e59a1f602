// One Fathom meeting into the CRM, inside the caller's service transaction (the webhook inbox and the backfill both
// call this): Fathom's cleaned wire meeting (wire.ts) becomes the provider-neutral meeting (toNeutralMeeting), and
// meetings/store.ts stores it: upsert by (team, 'fathom', recording id as decimal text), lead matching, links and
// events. Idempotent: importing the same meeting twice changes nothing the second time.
import type { Tx } from "../db.ts";
import { normalizeEmail } from "../email.ts";
import {
  type MeetingContent as NeutralContent,
  type NeutralMeeting,
  storeMeetingContent,
  storeMeetings,
  type StoreResult,
} from "../meetings/mod.ts";
import type { FathomActionItem, FathomMeeting, FathomSummary, FathomTranscriptItem } from "./wire.ts";

export type ImportSource = "webhook" | "backfill";

export interface ImportInput {
  teamId: string;
  integrationId: string | null;
  meeting: FathomMeeting;
  source: ImportSource;
}

export type ImportResult = StoreResult;

// The one e-mail rule (also the database's: lead_emails.email_normalized, meetings.attendee_emails).
export { normalizeEmail };
export { CONTENT_NOT_READY_ATTEMPTS, recordContentFailure } from "../meetings/mod.ts";

/** The provider slug Fathom's meetings, events and leads carry. */
export const FATHOM = "fathom";

/** Fathom's recording id as the neutral provider_meeting_id: its decimal text (no leading zeros). */
export const fathomMeetingId = (recordingId: number): string => String(recordingId);

/** A meeting's content sections as Fathom delivers them; null = not delivered (yet). */
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

/** Fathom's content sections in the neutral shape (the transcript and action items are stored as Fathom has them). */
export function neutralContent(content: MeetingContent): NeutralContent {
  return {
    transcript: content.transcript,
    summaryMarkdown: content.summary?.markdown_formatted ?? null,
    summaryTemplate: content.summary?.template_name ?? null,
    actionItems: content.actionItems ?? null,
  };
}

/** Fathom's cleaned meeting -> the neutral meeting storeMeeting takes (field for field; nothing is dropped). */
export function toNeutralMeeting(meeting: FathomMeeting): NeutralMeeting {
  const by = meeting.recorded_by;
  return {
    providerMeetingId: fathomMeetingId(meeting.recording_id),
    title: meeting.title,
    meetingTitle: meeting.meeting_title,
    url: meeting.url,
    shareUrl: meeting.share_url,
    providerCreatedAt: meeting.created_at,
    scheduledStart: meeting.scheduled_start_time,
    scheduledEnd: meeting.scheduled_end_time,
    recordingStart: meeting.recording_start_time,
    recordingEnd: meeting.recording_end_time,
    recordedBy: by ? { name: by.name, email: by.email, emailDomain: by.email_domain, team: by.team } : null,
    invitees: meeting.calendar_invitees.map((i) => ({
      name: i.name,
      email: i.email,
      isExternal: i.is_external,
      emailDomain: i.email_domain,
      matchedSpeakerDisplayName: i.matched_speaker_display_name,
    })),
    inviteesDomainsType: meeting.calendar_invitees_domains_type,
    language: meeting.transcript_language,
    content: neutralContent(contentOf(meeting)),
  };
}

/** One meeting (the webhook inbox): importMeetings with a list of one. */
export async function importMeeting(tx: Tx, input: ImportInput): Promise<ImportResult> {
  const [result] = await importMeetings(tx, { ...input, meetings: [input.meeting] });
  return result;
}

/** A page of meetings (the backfill), in the order given: storeMeetings (a constant number of statements). */
export function importMeetings(
  tx: Tx,
  input: { teamId: string; integrationId: string | null; meetings: FathomMeeting[]; source: ImportSource },
): Promise<ImportResult[]> {
  return storeMeetings(
    tx,
    { teamId: input.teamId, integrationId: input.integrationId, provider: FATHOM, source: input.source },
    input.meetings.map(toNeutralMeeting),
  );
}

/** Fetched Fathom content onto a meeting: storeMeetingContent (meetings/content.ts) in the neutral shape. */
export function storeContent(
  tx: Tx,
  meetingId: string,
  content: MeetingContent,
): Promise<"complete" | "pending" | "failed" | null> {
  return storeMeetingContent(tx, meetingId, neutralContent(content));
}
