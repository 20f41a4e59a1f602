// Internal meeting record -> Fathom's Meeting object (fathom-api.md §3.2), with only the requested sections.

import { generateContent } from "./generator.ts";
import { emailDomain, type MeetingRecord, type SandboxUser } from "./store.ts";
import type { WireMeeting } from "./wire-types.ts";

export interface IncludeSections {
  transcript: boolean;
  summary: boolean;
  actionItems: boolean;
  crmMatches: boolean;
}

export const NO_SECTIONS: IncludeSections = { transcript: false, summary: false, actionItems: false, crmMatches: false };

export interface WireContext {
  publicUrl: string;
  lookupUser(email: string): SandboxUser | undefined;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function recordingUrl(publicUrl: string, recordingId: number): string {
  return `${publicUrl}/calls/${recordingId}`;
}

/** Share tokens look opaque but are derived from the id, so nothing needs storing. */
export function shareToken(recordingId: number): string {
  return (BigInt(recordingId) * 2654435761n % 9007199254740881n).toString(36);
}

export function isExternalMeeting(meeting: MeetingRecord): boolean {
  const domain = emailDomain(meeting.recorderEmail);
  return meeting.attendees.some((a) => emailDomain(a.email) !== domain);
}

export function toWireMeeting(meeting: MeetingRecord, include: IncludeSections, ctx: WireContext): WireMeeting {
  const recorderDomain = emailDomain(meeting.recorderEmail);
  const recorder = ctx.lookupUser(meeting.recorderEmail);
  const url = recordingUrl(ctx.publicUrl, meeting.recordingId);
  const needsContent = include.transcript || include.summary || include.actionItems;
  const content = needsContent ? generateContent(meeting, ctx.lookupUser, url) : null;
  // Fathom fills matched_speaker_display_name only when the transcript was requested.
  const speakerNames = new Map(
    (include.transcript ? content?.transcript ?? [] : [])
      .filter((t) => t.speaker.matched_calendar_invitee_email)
      .map((t) => [t.speaker.matched_calendar_invitee_email!, t.speaker.display_name]),
  );

  const wire: WireMeeting = {
    title: meeting.title,
    meeting_title: meeting.meetingTitle,
    recording_id: meeting.recordingId,
    url,
    share_url: `${ctx.publicUrl}/share/${shareToken(meeting.recordingId)}`,
    created_at: iso(meeting.createdAtMs),
    scheduled_start_time: iso(meeting.scheduledStartMs),
    scheduled_end_time: iso(meeting.scheduledEndMs),
    recording_start_time: iso(meeting.recordingStartMs),
    recording_end_time: iso(meeting.recordingEndMs),
    calendar_invitees_domains_type: isExternalMeeting(meeting) ? "one_or_more_external" : "only_internal",
    transcript_language: meeting.language,
    calendar_invitees: meeting.attendees.map((a) => ({
      name: a.name,
      email: a.email,
      email_domain: emailDomain(a.email),
      is_external: emailDomain(a.email) !== recorderDomain,
      matched_speaker_display_name: speakerNames.get(a.email) ?? null,
    })),
    recorded_by: {
      name: recorder?.name ?? meeting.recorderEmail,
      email: meeting.recorderEmail,
      email_domain: recorderDomain,
      team: recorder?.team ?? null,
    },
  };
  // Like the recorded real response (fathom-api.md §3.4): transcript and crm_matches are always there, null when not
  // requested; default_summary and action_items only when requested, and then null while the summary is not ready.
  wire.transcript = include.transcript ? content!.transcript : null;
  if (include.summary) wire.default_summary = content!.summary;
  if (include.actionItems) wire.action_items = content!.actionItems;
  // The sandbox has no CRM linked, which Fathom reports in-band rather than as an HTTP error.
  wire.crm_matches = include.crmMatches ? { contacts: [], companies: [], deals: [], error: "no CRM connected" } : null;
  return wire;
}
