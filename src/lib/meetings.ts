import { isProviderId, type MeetingsProviderFacts, providerEntry } from "./providers";
import { isHttpUrl } from "./utils";
import type { ActionItem, MeetingSummary, TranscriptItem } from "./types";

/** Seconds from a Fathom "HH:MM:SS" (or "MM:SS") timestamp; null when it is not one. */
export function timestampToSeconds(ts: string | null | undefined): number | null {
  if (!ts) return null;
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:\.\d+)?$/.exec(ts.trim());
  if (!m) return null;
  const [, h, min, s] = m;
  return Number(h ?? 0) * 3600 + Number(min) * 60 + Number(s);
}

/**
 * `<url>#t=<seconds>`: the recording at that moment, in the one form Fathom documents (an action item's
 * `recording_playback_url`, e.g. `https://fathom.video/xyz123#t=645`: /work/shared/fathom-api.md §3.3). Every
 * link to a moment (transcript lines, action items) is built here. Null without an http(s) URL or a time.
 */
export function recordingUrlAt(url: string | null | undefined, seconds: number | null): string | null {
  if (!isHttpUrl(url) || seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  const u = new URL(url);
  u.hash = `t=${Math.floor(seconds)}`;
  return u.toString();
}

/**
 * Where an action item's timestamp points: the meeting's recording at the item's time (the same form as the
 * transcript's links); the item's own playback URL only when that cannot be built, and only if it is http(s).
 */
export function actionItemUrl(
  item: Pick<ActionItem, "recording_playback_url" | "recording_timestamp">,
  meetingUrl: string | null | undefined): string | null {
  const atTime = recordingUrlAt(meetingUrl, timestampToSeconds(item.recording_timestamp));
  if (atTime) return atTime;
  return isHttpUrl(item.recording_playback_url) ? item.recording_playback_url : null;
}

export function meetingTitle(m: Pick<MeetingSummary, "title" | "meeting_title">): string {
  return m.title?.trim() || m.meeting_title?.trim() || "Untitled meeting";
}

/** The meeting's start: the recording's, else the scheduled one. */
export function meetingStart(m: Pick<MeetingSummary, "recording_start_time" | "scheduled_start_time">): string | null {
  return m.recording_start_time ?? m.scheduled_start_time ?? null;
}

/** "42 min", "1 h", "1 h 05 min"; null when a bound is missing. */
export function formatDuration(startIso: string | null | undefined, endIso: string | null | undefined): string | null {
  if (!startIso || !endIso) return null;
  const ms = new Date(endIso).getTime() - new Date(startIso).getTime();
  if (!Number.isFinite(ms) || ms <= 0) return null;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${Math.max(minutes, 1)} min`;
  const rest = minutes % 60;
  return rest ? `${Math.floor(minutes / 60)} h ${String(rest).padStart(2, "0")} min` : `${minutes / 60} h`;
}

/** The part of a transcript line that grouping and filtering read. */
type Line = Pick<TranscriptItem, "text"> & {
  speaker: { display_name: string | null; matched_calendar_invitee_email?: string | null } | null;
};

export interface TranscriptGroup<T extends Line = TranscriptItem> {
  speaker: string;
  email: string | null;
  items: T[];
}

/** Consecutive lines by the same speaker, as one block. */
export function groupTranscript<T extends Line>(items: T[]): TranscriptGroup<T>[] {
  const groups: TranscriptGroup<T>[] = [];
  for (const item of items) {
    const speaker = item.speaker?.display_name?.trim() || "Unknown speaker";
    const last = groups[groups.length - 1];
    if (last && last.speaker === speaker) last.items.push(item);
    else groups.push({ speaker, email: item.speaker?.matched_calendar_invitee_email ?? null, items: [item] });
  }
  return groups;
}

/** Lines whose text or speaker contains the query (case-insensitive). */
export function filterTranscript<T extends Line>(items: T[], q: string): T[] {
  const needle = q.trim().toLowerCase();
  if (!needle) return items;
  return items.filter(
    (i) => i.text.toLowerCase().includes(needle) || (i.speaker?.display_name ?? "").toLowerCase().includes(needle),
  );
}

/**
 * The BCP 47 tag for an HTML `lang` attribute from Fathom's `language` ("en", "de-AT"), canonicalised by
 * Intl.getCanonicalLocales; null when it is missing, "unknown"/"und", or not a well-formed tag.
 */
export function languageTag(language: string | null | undefined): string | null {
  const s = language?.trim();
  if (!s || /^(unknown|und)$/i.test(s)) return null;
  try {
    return Intl.getCanonicalLocales(s)[0] ?? null;
  } catch {
    return null; // RangeError: not a structurally valid language tag
  }
}

/**
 * The name of a meeting's source for text ("Fathom", "Zoom"): the front-end catalog's name, the slug itself for a
 * provider this build does not know, null when the meeting names none.
 */
export function meetingProviderName(provider: string | null | undefined): string | null {
  if (!provider) return null;
  return isProviderId(provider) ? providerEntry(provider).name : provider;
}

/** What the meeting page may say and show for a meeting's provider (providers.ts MeetingsProviderFacts + its name). */
export interface MeetingProviderFacts extends MeetingsProviderFacts {
  /** "Fathom", "Zoom"; the slug for a provider this build does not know; null when the meeting names none */
  name: string | null;
}

/**
 * The catalog's facts for a meeting's provider. A provider this build does not know may send anything: its summary
 * and action items are shown when they come (never promised), and nothing is fetched on open. A meeting naming no
 * provider comes from a server older than neutral meetings, which had Fathom's alone: its sections are Fathom's, but
 * no name is put in its text.
 */
export function meetingProviderFacts(provider: string | null | undefined): MeetingProviderFacts {
  if (!provider) return { name: null, summaries: true, actionItems: true, fetchesOnOpen: false };
  const entry = isProviderId(provider) ? providerEntry(provider) : null;
  const { summaries, actionItems, fetchesOnOpen } = entry?.meetings ?? { summaries: false, actionItems: false, fetchesOnOpen: false };
  return { name: meetingProviderName(provider), summaries, actionItems, fetchesOnOpen };
}
