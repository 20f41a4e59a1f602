// The provider-neutral meeting: what a provider's importer (Fathom, Zoom, ...) hands to storeMeeting once it has
// cleaned its own wire format. Shapes only; store.ts writes them, content.ts writes the content sections.

/** Where a meeting came from in this import: a provider's push (webhook) or our paced listing (backfill). */
export type MeetingSource = "webhook" | "backfill";

/** Who storeMeeting writes for. `provider` is a slug (`^[a-z][a-z0-9]{1,30}$`, the meetings_provider_check). */
export interface StoreContext {
  teamId: string;
  integrationId: string | null;
  provider: string;
  source: MeetingSource;
}

/** A person as the meeting page shows them. Stored as `{name, email, email_domain, team}` (recorded_by jsonb). */
export interface MeetingPerson {
  name: string | null;
  email: string | null;
  /** defaults to the part of `email` after "@" */
  emailDomain?: string | null;
  team?: string | null;
}

/**
 * One invitee. `isExternal` true = outside the team's domains (only external unknown attendees become leads);
 * null = the provider does not say. Stored as `{name, email, email_domain, is_external, matched_speaker_display_name}`
 * (meetings.invitees jsonb, the shape Fathom's import stored before meetings were neutral).
 */
export interface MeetingInvitee {
  name: string | null;
  email: string | null;
  isExternal: boolean | null;
  emailDomain?: string | null;
  matchedSpeakerDisplayName?: string | null;
}

/**
 * One transcript line, exactly as meetings.transcript stores it (an array of these) and the meeting page renders it:
 * `timestamp` is "HH:MM:SS" from the start of the recording (null when unknown); `speaker` null when unknown;
 * `matched_calendar_invitee_email` the invitee the provider matched the speaker to, if any. Lines with empty text
 * are dropped by the provider's cleaning, not here.
 */
export interface TranscriptLine {
  speaker: { display_name: string | null; matched_calendar_invitee_email?: string | null } | null;
  text: string;
  timestamp: string | null;
}

/**
 * One action item, as meetings.action_items stores it (tasks are made from them by index): `description` non-empty;
 * `recording_timestamp` "HH:MM:SS" or null; `recording_playback_url` http(s) or null.
 */
export interface ActionItem {
  description: string;
  user_generated: boolean;
  completed: boolean;
  recording_timestamp: string | null;
  recording_playback_url: string | null;
  assignee: { name: string | null; email: string | null; team: string | null } | null;
}

/**
 * A meeting's content sections; an absent or null section = not delivered (yet), never "empty". The meeting's
 * content is complete once it has a transcript and a summary (summaryMarkdown).
 */
export interface MeetingContent {
  transcript?: TranscriptLine[] | null;
  summaryMarkdown?: string | null;
  /** the provider's name for the summary's template (Fathom: default_summary.template_name) */
  summaryTemplate?: string | null;
  actionItems?: ActionItem[] | null;
}

/**
 * A meeting, cleaned and provider-neutral. Dates are Date or ISO-8601 strings (null/absent = unknown); urls http(s).
 * `providerMeetingId`: the provider's id, as text (Fathom: the recording id in decimal; Zoom: the recording's
 * meeting uuid), 1..200 characters. `title` falls back to `meetingTitle`, then "".
 */
export interface NeutralMeeting {
  providerMeetingId: string;
  title: string | null;
  meetingTitle?: string | null;
  url?: string | null;
  shareUrl?: string | null;
  providerCreatedAt?: Date | string | null;
  scheduledStart?: Date | string | null;
  scheduledEnd?: Date | string | null;
  recordingStart?: Date | string | null;
  recordingEnd?: Date | string | null;
  recordedBy?: MeetingPerson | null;
  invitees: MeetingInvitee[];
  /** Fathom's calendar_invitees_domains_type; null when the provider does not say */
  inviteesDomainsType?: "only_internal" | "one_or_more_external" | null;
  language?: string | null;
  /** content the meeting arrives with (a webhook that includes the transcript); the rest comes later */
  content?: MeetingContent;
}

export interface StoreResult {
  meetingId: string;
  /** a new row (false: an existing meeting was updated) */
  inserted: boolean;
  contentComplete: boolean;
  /** leads linked by this call (links that already existed are not repeated) */
  linkedLeadIds: string[];
  createdLeadIds: string[];
}
