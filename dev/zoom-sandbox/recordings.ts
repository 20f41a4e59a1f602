// Recorded meetings: the "simulate a recorded meeting" control (host, participants' e-mails, transcript now, later or
// never), the meeting as Zoom's API and webhooks show it (providers.md §3: meetings[] of GET /users/me/recordings,
// payload.object of recording.completed), the WebVTT transcript Zoom writes ("Name: text" cues), and the events
// recording.completed and recording.transcript_completed.

import { z } from "../sandbox/deps.ts";
import { base64, randomBytes, randomDigits, randomToken } from "../sandbox/ids.ts";
import { USERS, userById, ZOOM_PREFIX } from "./account.ts";
import type { ZoomContext } from "./context.ts";
import type { Meeting, Participant, RecordingFile } from "./store.ts";
import { sendEvent } from "./webhooks.ts";

const DOWNLOAD_TOKEN_TTL_MS = 24 * 3600 * 1000;

/** Body of POST /zoom/_sandbox/recordings (and the page's form). */
export const SimulateRequest = z.strictObject({
  /** the host (a sandbox user id); default the first user */
  hostId: z.string().optional(),
  topic: z.string().min(1).max(200).optional(),
  /** participants besides the host: e-mails, or {name, email} */
  participants: z.array(z.union([z.string().min(3).max(320), z.strictObject({ name: z.string().min(1).max(200), email: z.string().min(3).max(320) })])).max(50).default([]),
  /** "now": in recording.completed; "later": its own event after POST …/transcript; "none": no transcript */
  transcript: z.enum(["now", "later", "none"]).default("now"),
  /** ISO 8601; default one hour before now */
  startTime: z.string().datetime().optional(),
  durationMinutes: z.number().int().min(1).max(600).default(30),
  /** send the events to the app (default true) */
  deliver: z.boolean().default(true),
});
export type SimulateRequest = z.infer<typeof SimulateRequest>;

/** "jane.doe@x.example" -> "Jane Doe" */
export function nameFromEmail(email: string): string {
  const local = email.split("@")[0] ?? email;
  return local.split(/[._-]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join(" ") || email;
}

function vttTime(ms: number): string {
  const h = Math.floor(ms / 3_600_000), m = Math.floor(ms / 60_000) % 60, s = Math.floor(ms / 1000) % 60, f = ms % 1000;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(h)}:${two(m)}:${two(s)}.${String(f).padStart(3, "0")}`;
}

/** The WebVTT Zoom writes for an audio transcript: numbered cues, "Speaker Name: text". */
export function transcriptVtt(hostName: string, participants: Participant[], topic: string): string {
  const lines: [string, string][] = [
    [hostName, `Hi everyone, thanks for joining "${topic}".`],
    ...participants.map((p): [string, string] => [p.name, `Hello, ${p.name} here. Happy to talk about next steps.`]),
    [hostName, "Great. I will send the proposal by Friday."],
  ];
  const cues = lines.map(([speaker, text], i) => `${i + 1}\n${vttTime(i * 7000 + 500)} --> ${vttTime(i * 7000 + 6000)}\n${speaker}: ${text}`);
  return `WEBVTT\n\n${cues.join("\n\n")}\n`;
}

function fileWire(ctx: ZoomContext, meeting: Meeting, file: RecordingFile) {
  const base = `${ctx.options.publicUrl}${ZOOM_PREFIX}`;
  return {
    id: file.id,
    meeting_id: meeting.uuid,
    recording_start: file.recording_start,
    recording_end: file.recording_end,
    file_type: file.file_type,
    file_size: new TextEncoder().encode(file.content).length,
    file_extension: file.file_extension,
    play_url: `${base}/rec/play/${file.id}`,
    download_url: `${base}/rec/download/${file.id}`,
    status: "completed",
    recording_type: file.recording_type,
  };
}

/** The meeting as GET /users/me/recordings lists it and recording.* events carry it (payload.object). */
export function meetingWire(ctx: ZoomContext, meeting: Meeting, files = meeting.files) {
  const wireFiles = files.map((f) => fileWire(ctx, meeting, f));
  return {
    uuid: meeting.uuid,
    id: meeting.id,
    account_id: meeting.account_id,
    host_id: meeting.host_id,
    host_email: meeting.host_email,
    topic: meeting.topic,
    type: 2,
    start_time: meeting.start_time,
    timezone: meeting.timezone,
    duration: meeting.duration,
    total_size: wireFiles.reduce((sum, f) => sum + f.file_size, 0),
    recording_count: wireFiles.length,
    share_url: `${ctx.options.publicUrl}${ZOOM_PREFIX}/rec/share/${encodeURIComponent(meeting.uuid)}`,
    recording_files: wireFiles,
  };
}

export function downloadTokenValid(ctx: ZoomContext, token: string | null, meetingUuid: string): boolean {
  const entry = token ? ctx.store.downloadTokens.get(token) : undefined;
  return !!entry && entry.meetingUuid === meetingUuid && entry.expiresAtMs > ctx.now();
}

function eventBody(ctx: ZoomContext, event: string, meeting: Meeting, files: RecordingFile[]): string {
  const downloadToken = randomToken("", 48);
  ctx.store.downloadTokens.set(downloadToken, { meetingUuid: meeting.uuid, expiresAtMs: ctx.now() + DOWNLOAD_TOKEN_TTL_MS });
  return JSON.stringify({
    event,
    event_ts: ctx.now(),
    download_token: downloadToken,
    payload: { account_id: meeting.account_id, object: meetingWire(ctx, meeting, files) },
  });
}

const fileId = () => randomToken("", 18).replaceAll("-", "a").replaceAll("_", "b");

/** Records a meeting (and its transcript now, later or never), and sends recording.completed unless told not to. */
export async function simulateMeeting(ctx: ZoomContext, request: SimulateRequest) {
  const host = userById(request.hostId ?? USERS[0].id);
  if (!host) throw new RangeError("unknown hostId");
  const start = request.startTime ? Date.parse(request.startTime) : ctx.now() - 3600_000;
  const end = start + request.durationMinutes * 60_000;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  const participants: Participant[] = request.participants.map((p) => typeof p === "string" ? { name: nameFromEmail(p), email: p } : p);
  const topic = request.topic ?? `Call with ${participants[0]?.name ?? "a prospect"}`;
  const hostName = `${host.first_name} ${host.last_name}`;
  const vtt = request.transcript === "none" ? null : transcriptVtt(hostName, participants, topic);
  const media = (type: "MP4" | "M4A", recordingType: string): RecordingFile => ({
    id: fileId(), file_type: type, recording_type: recordingType, file_extension: type, recording_start: iso(start), recording_end: iso(end), content: `${type} bytes (sandbox)`,
  });
  const transcriptFile = (content: string): RecordingFile => ({
    id: fileId(), file_type: "TRANSCRIPT", recording_type: "audio_transcript", file_extension: "VTT", recording_start: iso(start), recording_end: iso(end), content,
  });
  const meeting: Meeting = {
    // Zoom's meeting UUIDs are base64 of 16 bytes: "/" and "+" happen (double-encode in paths)
    uuid: base64(randomBytes(16)),
    id: Number(`8${randomDigits(10)}`),
    account_id: host.account_id,
    host_id: host.id,
    host_email: host.email,
    topic,
    start_time: iso(start),
    duration: request.durationMinutes,
    timezone: host.timezone,
    participants,
    files: [media("MP4", "shared_screen_with_speaker_view"), media("M4A", "audio_only"), ...(vtt && request.transcript === "now" ? [transcriptFile(vtt)] : [])],
    pendingTranscript: request.transcript === "later" ? vtt : null,
  };
  ctx.store.meetings.push(meeting);
  const deliveries = request.deliver ? await sendEvent(ctx, "recording.completed", eventBody(ctx, "recording.completed", meeting, meeting.files), meeting.uuid) : [];
  return { meeting: meetingWire(ctx, meeting), deliveries };
}

/** Completes a "transcript later" meeting and sends recording.transcript_completed (its transcript file only). */
export async function completeTranscript(ctx: ZoomContext, uuid: string, deliver = true) {
  const meeting = ctx.store.meetings.find((m) => m.uuid === uuid);
  if (!meeting) return null;
  if (meeting.pendingTranscript === null) return { meeting: meetingWire(ctx, meeting), deliveries: [], already: true };
  const [first] = meeting.files;
  const file: RecordingFile = {
    id: fileId(), file_type: "TRANSCRIPT", recording_type: "audio_transcript", file_extension: "VTT",
    recording_start: first?.recording_start ?? meeting.start_time, recording_end: first?.recording_end ?? meeting.start_time, content: meeting.pendingTranscript,
  };
  meeting.files.push(file);
  meeting.pendingTranscript = null;
  const event = "recording.transcript_completed";
  const deliveries = deliver ? await sendEvent(ctx, event, eventBody(ctx, event, meeting, [file]), meeting.uuid) : [];
  return { meeting: meetingWire(ctx, meeting), deliveries, already: false };
}

/** Sends the last body of an event again, byte for byte (Zoom's retry of an unacknowledged delivery). */
export async function redeliver(ctx: ZoomContext, uuid: string, event: string) {
  const body = ctx.store.sentBodies.get(`${uuid}|${event}`);
  return body ? await sendEvent(ctx, event, body, uuid) : null;
}

/**
 * Moves a meeting's recording to Zoom's trash (recording.trashed, hidden from the API) or back out of it
 * (recording.recovered: Zoom restores a trashed recording within 30 days). The event carries the meeting as the
 * list shows it, without a download_token. Null when there is no such meeting.
 */
export async function setTrashed(ctx: ZoomContext, uuid: string, trashed: boolean, deliver = true) {
  const meeting = ctx.store.meetings.find((m) => m.uuid === uuid);
  if (!meeting) return null;
  meeting.trashed = trashed;
  const event = trashed ? "recording.trashed" : "recording.recovered";
  const body = JSON.stringify({ event, event_ts: ctx.now(), payload: { account_id: meeting.account_id, object: meetingWire(ctx, meeting) } });
  const deliveries = deliver ? await sendEvent(ctx, event, body, meeting.uuid) : [];
  return { meeting: meetingWire(ctx, meeting), deliveries };
}
