// Fathom's wire format (fathom-api.md §3.2) as untrusted input: every value is cleaned into the one shape the CRM
// stores and renders, whatever arrived. Real traffic carries sections as explicit `null` when they were not
// requested (§3.4), strings with NUL or lone surrogates that PostgreSQL cannot store, dates outside what
// `timestamptz` holds, numbers where the docs say "HH:MM:SS", objects where they say string. The rules:
//   - a text position keeps a string (NUL stripped, lone surrogates replaced by U+FFFD, capped), a finite number or
//     boolean as its string, and anything else becomes null;
//   - a date is an ISO 8601 instant between 1970 and 9999 (anything else is null: no meeting happened in year 0);
//   - a link is http(s) only (a `javascript:` URL never reaches an href);
//   - a section (transcript, default_summary, action_items) is CONTENT only when it is non-null and well formed;
//     null or absent means "not delivered", to be fetched later (import.ts decides what is complete);
//   - only `recording_id` is required: without it a meeting cannot be stored, and it is skipped with a reason.
import { z } from "zod";
import { cleanDisplayName } from "../display-name.ts";

/** Longest string kept in any text position (a transcript line, a summary): 1 MB of text is not a title. */
const MAX_TEXT = 1_000_000;
const MAX_SHORT = 2_000;
/**
 * Titles are indexed (btree on lower(title)): a btree entry holds at most 2,704 bytes, and 500 UTF-16 units are at
 * most 1,500 bytes of UTF-8 whatever the script. The calendar event's title is set by whoever sends the invite.
 */
const MAX_TITLE = 500;

/**
 * A string PostgreSQL can store: NUL removed (text cannot hold it), lone UTF-16 surrogates replaced (they cannot be
 * encoded as UTF-8), at most `max` UTF-16 units without splitting a pair. Numbers and booleans become their string;
 * anything else (objects, arrays, null) is null.
 */
export function cleanText(value: unknown, max = MAX_SHORT): string | null {
  let s: string;
  if (typeof value === "string") s = value;
  else if (typeof value === "number" && Number.isFinite(value)) s = String(value);
  else if (typeof value === "boolean") s = String(value);
  else return null;
  // deno-lint-ignore no-control-regex
  s = s.replace(/\u0000/g, "");
  if (s.length > max) s = s.slice(0, max);
  return s.toWellFormed();
}

const MIN_TIME = Date.UTC(1970, 0, 1);
const MAX_TIME = Date.UTC(10000, 0, 1);

/** A date, or a date and time with an optional offset (the profile of ISO 8601 that Date.parse reads as such). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** An ISO 8601 instant (as `Date#toISOString`) between 1970 and the end of year 9999, else null. */
export function cleanDate(value: unknown): string | null {
  // ISO 8601 only: V8's Date.parse also reads free text ("year 0" is 2000-01-01, "1" is 2001-01-01)
  if (typeof value !== "string" || value.length > 64 || !ISO_8601.test(value.trim())) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms < MIN_TIME || ms >= MAX_TIME) return null;
  return new Date(ms).toISOString();
}

/** An absolute http(s) URL, else null. */
export function cleanUrl(value: unknown): string | null {
  const s = cleanText(value, 4_000);
  if (!s) return null;
  try {
    const url = new URL(s);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * "HH:MM:SS" relative to the start of the recording (Fathom's format for transcript lines and action items). Accepts
 * "H:MM:SS", "MM:SS" and a number of seconds; anything else is null.
 */
export function cleanOffset(value: unknown): string | null {
  let seconds: number | null = null;
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) seconds = Math.floor(value);
  else if (typeof value === "string") {
    const m = /^\s*(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:\.\d+)?\s*$/.exec(value);
    if (m) seconds = Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
    else if (/^\s*\d+(\.\d+)?\s*$/.test(value)) seconds = Math.floor(Number(value));
  }
  if (seconds === null || seconds > 999 * 3600) return null;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

// `.optional()` first: a key that is absent is as good as null, and the transform still runs (zod 4).
const any = () => z.unknown().optional();
const text = (max = MAX_SHORT) => any().transform((v) => cleanText(v, max));
const date = any().transform(cleanDate);
const url = any().transform(cleanUrl);
const offset = any().transform(cleanOffset);
const bool = any().transform((v) => (typeof v === "boolean" ? v : null));
/** A person's name as shown: no control, bidi or other hidden characters (display-name.ts). */
const personName = (max = MAX_SHORT) => text(max).transform(cleanDisplayName);
/** An object where one is expected, else null (never a parse failure). */
const objectOrNull = <T extends z.ZodType>(schema: T) =>
  any().transform((v) => (isRecord(v) ? schema.parse(v) as z.output<T> : null));
/** The elements of an array that are objects, each cleaned; `keep` filters the cleaned ones. null if not an array. */
const arrayOf = <T extends z.ZodType>(schema: T, keep: (item: z.output<T>) => boolean = () => true) =>
  any().transform((v) =>
    Array.isArray(v) ? v.filter(isRecord).map((item) => schema.parse(item) as z.output<T>).filter(keep) : null
  );

export const userSchema = z.object({ name: personName(), email: text(), email_domain: text(), team: text() });
export type FathomUser = z.output<typeof userSchema>;

export const inviteeSchema = z.object({
  name: personName(),
  email: text(),
  email_domain: text(),
  is_external: bool,
  matched_speaker_display_name: personName(),
});
export type FathomInvitee = z.output<typeof inviteeSchema>;

export const transcriptItemSchema = z.object({
  speaker: objectOrNull(z.object({ display_name: personName(), matched_calendar_invitee_email: text() })),
  text: text(100_000).transform((v) => v ?? ""),
  timestamp: offset,
});
export type FathomTranscriptItem = z.output<typeof transcriptItemSchema>;

/** An action item's description: a string, or the text inside an object that wraps one. */
function description(value: unknown): string | null {
  if (isRecord(value)) {
    for (const key of ["text", "description", "content", "value"]) {
      const inner = cleanText(value[key], 10_000);
      if (inner) return inner;
    }
    return null;
  }
  return cleanText(value, 10_000);
}

export const actionItemSchema = z.object({
  description: any().transform(description),
  user_generated: bool.transform((v) => v === true),
  completed: bool.transform((v) => v === true),
  recording_timestamp: offset,
  recording_playback_url: url,
  assignee: objectOrNull(z.object({ name: personName(), email: text(), team: text() })),
});
export type FathomActionItem = Omit<z.output<typeof actionItemSchema>, "description"> & { description: string };

export const summarySchema = z.object({ template_name: text(), markdown_formatted: text(MAX_TEXT) });
export type FathomSummary = z.output<typeof summarySchema>;

/** recorded_by as the app renders it, or null. */
export const recordedBySection = objectOrNull(userSchema);
/** Invitees as the app renders them; [] when not an array. */
export const inviteesSection = arrayOf(inviteeSchema).transform((v) => v ?? []);

/** Transcript lines with something to show; null when the section is not an array (not delivered). */
export const transcriptSection = arrayOf(transcriptItemSchema, (line) => line.text.trim() !== "");
/** A summary is content only when it carries its markdown. */
export const summarySection = objectOrNull(summarySchema).transform((s) => (s?.markdown_formatted != null ? s : null));
export const actionItemsSection = arrayOf(actionItemSchema, (item) => !!item.description?.trim()).transform(
  (items) => items as FathomActionItem[] | null,
);

/** A recording id: a positive safe integer, or its decimal string; null for anything else. */
export function cleanRecordingId(value: unknown): number | null {
  const n = typeof value === "string" && /^\d{1,16}$/.test(value.trim()) ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? n : null;
}

const recordingId = any().transform((v, ctx) => {
  const id = cleanRecordingId(v);
  if (id !== null) return id;
  ctx.addIssue({ code: "custom", message: "recording_id is not a positive integer" });
  return z.NEVER;
});

const DOMAINS_TYPES = new Set(["only_internal", "one_or_more_external"]);

/** One meeting, cleaned. Only a missing or invalid `recording_id` fails the parse. */
export const meetingSchema = z.object({
  recording_id: recordingId,
  title: text(MAX_TITLE),
  meeting_title: text(MAX_TITLE),
  url: url,
  share_url: url,
  created_at: date,
  scheduled_start_time: date,
  scheduled_end_time: date,
  recording_start_time: date,
  recording_end_time: date,
  calendar_invitees_domains_type: any().transform((v) =>
    typeof v === "string" && DOMAINS_TYPES.has(v) ? v as "only_internal" | "one_or_more_external" : null
  ),
  transcript_language: text(35),
  calendar_invitees: arrayOf(inviteeSchema).transform((v) => v ?? []),
  recorded_by: objectOrNull(userSchema),
  transcript: transcriptSection,
  default_summary: summarySection,
  action_items: actionItemsSection,
});
export type FathomMeeting = z.output<typeof meetingSchema>;

/** What a list page's unusable item becomes: recorded as skipped, never stored. */
export interface SkippedMeeting {
  recording_id: number | null;
  reason: string;
}

/**
 * Each item of a `GET /meetings` page on its own: the usable ones cleaned, the others skipped with why. One bad
 * meeting never fails the page.
 */
export function parseMeetings(items: unknown[]): { items: FathomMeeting[]; skipped: SkippedMeeting[] } {
  const out: FathomMeeting[] = [];
  const skipped: SkippedMeeting[] = [];
  for (const item of items) {
    const parsed = isRecord(item) ? meetingSchema.safeParse(item) : null;
    if (parsed?.success) out.push(parsed.data);
    else {
      const raw = isRecord(item) ? item.recording_id : undefined;
      skipped.push({
        recording_id: typeof raw === "number" && Number.isSafeInteger(raw) ? raw : null,
        reason: isRecord(item) ? "recording_id missing or invalid" : "not an object",
      });
    }
  }
  return { items: out, skipped };
}

/** A delivered or fetched meeting (the webhook's body), or the reason it cannot be one. */
export function parseMeeting(value: unknown): { ok: true; meeting: FathomMeeting } | { ok: false; reason: string } {
  if (!isRecord(value)) return { ok: false, reason: "not an object" };
  const parsed = meetingSchema.safeParse(value);
  return parsed.success ? { ok: true, meeting: parsed.data } : { ok: false, reason: "recording_id missing or invalid" };
}
