// Fathom's wire format (fathom-api.md §3.2): snake_case, recording_id an integer, timestamps ISO 8601.

export interface WireTranscriptItem {
  speaker: { display_name: string; matched_calendar_invitee_email: string | null };
  text: string;
  /** "HH:MM:SS" from the start of the recording. */
  timestamp: string;
}

export interface WireSummary {
  template_name: string;
  markdown_formatted: string;
}

export interface WireActionItem {
  description: string;
  user_generated: boolean;
  completed: boolean;
  recording_timestamp: string;
  recording_playback_url: string;
  assignee: { name: string | null; email: string | null; team: string | null };
}

export interface WireInvitee {
  name: string | null;
  email: string | null;
  email_domain: string | null;
  is_external: boolean;
  matched_speaker_display_name: string | null;
}

export interface WireFathomUser {
  name: string;
  email: string;
  email_domain: string;
  team: string | null;
}

export interface WireCrmMatches {
  contacts: { name: string; email: string; record_url: string }[];
  companies: { name: string; record_url: string }[];
  deals: { name: string; amount: number; record_url: string }[];
  error: string | null;
}

export interface WireMeeting {
  title: string;
  meeting_title: string | null;
  recording_id: number;
  url: string;
  share_url: string;
  created_at: string;
  scheduled_start_time: string;
  scheduled_end_time: string;
  recording_start_time: string;
  recording_end_time: string;
  calendar_invitees_domains_type: "only_internal" | "one_or_more_external";
  transcript_language: string;
  calendar_invitees: WireInvitee[];
  recorded_by: WireFathomUser;
  transcript?: WireTranscriptItem[] | null;
  default_summary?: WireSummary | null;
  action_items?: WireActionItem[] | null;
  crm_matches?: WireCrmMatches | null;
}
