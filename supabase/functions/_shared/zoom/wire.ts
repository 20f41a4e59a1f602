// Zoom's wire format as untrusted input (providers.md §3): a cloud recording, as `GET /users/me/recordings` lists it
// (meetings[]) and as `recording.completed` / `recording.transcript_completed` carry it (payload.object), and the
// participants of a past meeting. Cleaned with the same rules as Fathom's (fathom/wire.ts: storable text, dates
// between 1970 and 9999, http(s) links only); only the meeting's `uuid` is required (it is the meeting's key:
// `provider_meeting_id`, NOT the reusable meeting number `id`). Then mapped, as a pure function, onto the
// provider-neutral meeting of issue 12's contract (`toNeutralMeeting`).
import { z } from "zod";
import { isEmail, normalizeEmail } from "../email.ts";
import { cleanDisplayName } from "../display-name.ts";
import { cleanDate, cleanText, cleanUrl } from "../fathom/wire.ts";
import type { NeutralMeeting } from "../meetings/types.ts";

export type { NeutralMeeting };

const MAX_TITLE = 500;
/** Zoom's meeting UUIDs are base64 of 16 bytes (24 characters); anything much longer is not one. */
const UUID = /^[A-Za-z0-9+/=_-]{8,128}$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const any = () => z.unknown().optional();
const text = (max = 2_000) => any().transform((v) => cleanText(v, max));
const date = any().transform(cleanDate);
const url = any().transform(cleanUrl);
const count = any().transform((v) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : null));
/** Zoom caps a meeting at 30 hours; a week (in minutes) leaves room and keeps start + duration a real date. */
export const MAX_DURATION_MINUTES = 7 * 24 * 60;
/** minutes, 0 .. MAX_DURATION_MINUTES, else null (untrusted: 1e300 would make the end an invalid date) */
const minutes = any().transform((v) =>
  typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= MAX_DURATION_MINUTES ? Math.floor(v) : null
);

export const recordingFileSchema = z.object({
  id: text(200),
  file_type: text(40),
  file_extension: text(20),
  recording_type: text(80),
  recording_start: date,
  recording_end: date,
  download_url: url,
  status: text(40),
});
export type ZoomRecordingFile = z.output<typeof recordingFileSchema>;

const recordingSchema = z.object({
  uuid: any().transform((v) => (typeof v === "string" && UUID.test(v) ? v : null)),
  account_id: text(200),
  host_id: text(200),
  host_email: text(400),
  topic: text(MAX_TITLE),
  start_time: date,
  timezone: text(100),
  duration: minutes,
  share_url: url,
  recording_files: any().transform((v) =>
    Array.isArray(v) ? v.filter(isRecord).map((f) => recordingFileSchema.parse(f) as ZoomRecordingFile) : []
  ),
});
export type ZoomRecording = Omit<z.output<typeof recordingSchema>, "uuid"> & { uuid: string };

/** One recording (a meeting of the list, or an event's payload.object), or why it cannot be stored. */
export function parseRecording(value: unknown): { ok: true; recording: ZoomRecording } | { ok: false; reason: string } {
  if (!isRecord(value)) return { ok: false, reason: "not an object" };
  const parsed = recordingSchema.parse(value);
  if (parsed.uuid === null) return { ok: false, reason: "no meeting uuid" };
  return { ok: true, recording: { ...parsed, uuid: parsed.uuid } };
}

/** The events the CRM handles; every other event is acknowledged and ignored. */
export const RECORDING_EVENTS = [
  "recording.completed",
  "recording.transcript_completed",
  "recording.deleted",
  "recording.trashed",
  "recording.recovered",
] as const;
export type RecordingEvent = typeof RECORDING_EVENTS[number];
/** The recording events that remove a recording at Zoom (trashed: recoverable there for 30 days; deleted: gone). */
export const DELETION_EVENTS: readonly RecordingEvent[] = ["recording.deleted", "recording.trashed"];
export const isDeletionEvent = (event: RecordingEvent) => DELETION_EVENTS.includes(event);
/** Zoom restored a trashed recording (within its 30 days): the CRM imports it again (zoom/retention.ts). */
export const RECOVERY_EVENT: RecordingEvent = "recording.recovered";
/**
 * Events that change a recording's state back and forth (trashed, recovered, trashed again): each occurrence is its
 * own delivery, told apart by Zoom's event_ts (webhook.ts messageKey); a retry repeats the same event_ts.
 */
export const isLifecycleEvent = (event: RecordingEvent) => isDeletionEvent(event) || event === RECOVERY_EVENT;

/** Zoom's `app_deauthorized` (providers.md §3 Z3: a user removed the app), verified and parsed. */
export interface ZoomDeauthorization {
  accountId: string;
  /** the Zoom user who removed the app (we keep no Zoom user id: see zoom/deauthorize.ts) */
  userId: string | null;
  /** when, as Zoom says (ISO 8601), else null */
  at: string | null;
}

/** An `app_deauthorized` body, or why it cannot be used. */
export function parseDeauthorization(body: unknown): { ok: true; value: ZoomDeauthorization } | { ok: false; reason: string } {
  if (!isRecord(body) || body.event !== "app_deauthorized") return { ok: false, reason: "not app_deauthorized" };
  const payload = isRecord(body.payload) ? body.payload : null;
  const accountId = cleanText(payload?.account_id, 200)?.trim();
  if (!accountId) return { ok: false, reason: "no account_id" };
  const userId = cleanText(payload?.user_id, 200)?.trim() || null;
  return { ok: true, value: { accountId, userId, at: cleanDate(payload?.deauthorization_time) } };
}

export interface ZoomRecordingEvent {
  event: RecordingEvent;
  /** the payload's account: routes the event to the teams connected to it */
  accountId: string;
  /** Zoom's 24-hour token for the event's files (providers.md §3, secondary source) */
  downloadToken: string | null;
  /** Zoom's event_ts (epoch ms, a whole positive number), else null */
  eventTs: number | null;
  recording: ZoomRecording;
}

/** A recording event's body (already verified), or why it cannot be imported. */
export function parseRecordingEvent(body: unknown): { ok: true; value: ZoomRecordingEvent } | { ok: false; reason: string } {
  if (!isRecord(body)) return { ok: false, reason: "not an object" };
  const event = body.event;
  if (typeof event !== "string" || !(RECORDING_EVENTS as readonly string[]).includes(event)) return { ok: false, reason: "not a recording event" };
  const payload = isRecord(body.payload) ? body.payload : null;
  const parsed = parseRecording(payload?.object);
  if (!parsed.ok) return parsed;
  const accountId = cleanText(payload?.account_id, 200) ?? parsed.recording.account_id;
  if (!accountId) return { ok: false, reason: "no account_id" };
  const downloadToken = typeof body.download_token === "string" && /^[\x21-\x7e]{1,2000}$/.test(body.download_token) ? body.download_token : null;
  const eventTs = typeof body.event_ts === "number" && Number.isSafeInteger(body.event_ts) && body.event_ts > 0 ? body.event_ts : null;
  return { ok: true, value: { event: event as RecordingEvent, accountId, downloadToken, eventTs, recording: parsed.recording } };
}

/** The recording's WebVTT transcript file, when Zoom has one ready. */
export function transcriptFile(recording: ZoomRecording): ZoomRecordingFile | null {
  return recording.recording_files.find((f) =>
    f.file_type?.toUpperCase() === "TRANSCRIPT" && f.download_url && (f.status === null || f.status === "completed")
  ) ?? null;
}

const participantSchema = z.object({ name: text(200), user_email: text(400) });
export interface ZoomParticipant {
  name: string | null;
  email: string | null;
}

/** participants[] of GET /past_meetings/{uuid}/participants, cleaned (an entry without a usable e-mail keeps its name). */
export function parseParticipants(value: unknown): ZoomParticipant[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((p) => {
    const parsed = participantSchema.parse(p);
    return { name: cleanDisplayName(parsed.name), email: parsed.user_email && isEmail(parsed.user_email) ? parsed.user_email.trim() : null };
  });
}

const domainOf = (email: string | null) => (email ? normalizeEmail(email)?.split("@")[1] ?? null : null);

/**
 * A Zoom recording (+ its participants, when the account's plan gives them) as the neutral meeting. The host is the
 * recorder (internal); participants become invitees, once per normalised e-mail, the host among them kept internal,
 * anyone else external unless their domain is the host's; participants without an e-mail cannot be matched and are
 * left out. Times: scheduled = start_time .. + duration minutes (no end past 9999); recording = the files' earliest start .. latest end;
 * created = the recording's end (Zoom has no creation time for a recording). Pure.
 */
export function toNeutralMeeting(recording: ZoomRecording, participants: ZoomParticipant[]): NeutralMeeting {
  const host = recording.host_email && isEmail(recording.host_email) ? recording.host_email.trim() : null;
  const hostKey = host ? normalizeEmail(host) : null;
  const hostDomain = domainOf(host);
  const starts = recording.recording_files.map((f) => f.recording_start).filter((d): d is string => d !== null).sort();
  const ends = recording.recording_files.map((f) => f.recording_end).filter((d): d is string => d !== null).sort();
  const scheduledEnd = recording.start_time && recording.duration !== null
    ? cleanDate(new Date(Date.parse(recording.start_time) + recording.duration * 60_000).toISOString())
    : null;
  const seen = new Set<string>();
  const invitees: { name: string | null; email: string; isExternal: boolean }[] = [];
  let hostName: string | null = null;
  for (const p of participants) {
    const key = p.email ? normalizeEmail(p.email) : null;
    if (!key || !p.email) continue;
    if (key === hostKey) hostName ??= p.name;
    if (seen.has(key)) continue;
    seen.add(key);
    invitees.push({ name: p.name, email: p.email, isExternal: key !== hostKey && domainOf(p.email) !== hostDomain });
  }
  const topic = cleanDisplayName(recording.topic);
  return {
    providerMeetingId: recording.uuid,
    title: topic ?? "Zoom meeting",
    meetingTitle: topic,
    url: recording.share_url,
    shareUrl: recording.share_url,
    providerCreatedAt: ends.at(-1) ?? scheduledEnd ?? recording.start_time,
    scheduledStart: recording.start_time,
    scheduledEnd,
    recordingStart: starts[0] ?? recording.start_time,
    recordingEnd: ends.at(-1) ?? scheduledEnd,
    recordedBy: host ? { name: hostName, email: host } : null,
    invitees,
  };
}
