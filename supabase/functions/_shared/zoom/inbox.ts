// What Zoom brings to the shared webhook inbox (inbox/queue.ts): parse a stored event, then (no transaction open)
// fetch what it needs from Zoom, then write in the transaction that marks the delivery imported.
// - recording.completed / recording.transcript_completed: who attended and the transcript (when the event has one),
//   stored as the neutral meeting (store.ts). recording.completed may come without a transcript (Zoom makes it
//   later): recording.transcript_completed brings it, and stores the meeting too if the first event never came. A
//   transcript that cannot be fetched for a passing reason (Zoom's 429, 5xx, unreachable) fails the attempt (retried
//   with backoff); one Zoom will never give (404, deleted, too large, URL outside Zoom: fetch-transcript.ts) does
//   not: the meeting, its participants and lead links are stored without it, its content marked failed with the
//   reason, and a later recording.transcript_completed can still fill it.
// - recording.deleted / recording.trashed: the team's meeting loses its transcript and links, and the deletion is
//   kept even when the meeting is not stored yet (retention.ts); nothing is fetched.
// - recording.recovered: the recording as Zoom lists it now (client.ts findRecording; the event's own payload when
//   it is not listed), its participants and transcript, fetched as for recording.completed; then the deletion is
//   cleared and the meeting stored in one transaction (retention.ts). Trashed again later: that is a new event.
//   Deletions and recoveries apply in Zoom's event_ts order: an older one than what is recorded is ignored, and a
//   recovery stores nothing when a newer deletion came while it downloaded (retention.ts).
// - app_deauthorized (routed by account: webhook.ts): this connection's grant is checked at Zoom (GET /users/me); if
//   it is gone, the connection is marked deauthorized (retention.ts). A colleague's connection in the same account,
//   whose grant still works, is left alone.
import { AppError } from "../errors.ts";
import { type ClaimedDelivery, dueDeliveries, type DeliveryImporter, type InboxOutcome, processStored } from "../inbox/queue.ts";
import { ZoomApiError, zoomClientFor } from "./client.ts";
import {
  clearDeletedRecording,
  isDeletedRecording,
  type LifecycleEvent,
  markDeauthorized,
  removeDeletedRecording,
} from "./retention.ts";
import { storeZoomMeeting } from "./store.ts";
import { fetchTranscript, type FetchedTranscript } from "./fetch-transcript.ts";
import {
  isDeletionEvent,
  type NeutralMeeting,
  parseDeauthorization,
  parseRecordingEvent,
  RECOVERY_EVENT,
  toNeutralMeeting,
  type ZoomDeauthorization,
  type ZoomRecordingEvent,
} from "./wire.ts";

type Parsed =
  | { kind: "recording"; event: ZoomRecordingEvent }
  | { kind: "deleted"; event: ZoomRecordingEvent }
  | { kind: "recovered"; event: ZoomRecordingEvent }
  | { kind: "deauthorized"; event: ZoomDeauthorization };

type Prepared =
  | { kind: "recording"; uuid: string; meeting: NeutralMeeting; content: FetchedTranscript }
  | { kind: "deleted"; uuid: string; eventTs: number | null }
  | { kind: "recovered"; uuid: string; eventTs: number | null; meeting: NeutralMeeting; content: FetchedTranscript }
  | { kind: "deauthorized"; grantGone: boolean };

/** Per delivery: the calls to Zoom must end well inside the inbox lease (60 s). */
const PREPARE_BUDGET_MS = 40_000;

/** Whether a failed grant check means the grant is gone (not a passing failure: those are retried). */
function grantGone(err: unknown): boolean {
  return (err instanceof AppError && err.code === "needs_reauth") || (err instanceof ZoomApiError && err.status === 401);
}

const zoomImporter: DeliveryImporter<Parsed, { meetingId: string | null }, Prepared> = {
  provider: "zoom",
  parse(body) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { ok: false, reason: "not a Zoom recording: invalid JSON" };
    }
    if ((json as { event?: unknown } | null)?.event === "app_deauthorized") {
      const parsed = parseDeauthorization(json);
      return parsed.ok ? { ok: true, value: { kind: "deauthorized", event: parsed.value } } : { ok: false, reason: `not a Zoom deauthorization: ${parsed.reason}` };
    }
    const parsed = parseRecordingEvent(json);
    if (!parsed.ok) return { ok: false, reason: `not a Zoom recording: ${parsed.reason}` };
    const { event } = parsed.value;
    const kind = isDeletionEvent(event) ? "deleted" : event === RECOVERY_EVENT ? "recovered" : "recording";
    return { ok: true, value: { kind, event: parsed.value } };
  },
  async prepare(claimed, parsed) {
    if (parsed.kind === "deleted") return { kind: "deleted", uuid: parsed.event.recording.uuid, eventTs: parsed.event.eventTs };
    const client = zoomClientFor(claimed.integrationId, { deadline: Date.now() + PREPARE_BUDGET_MS, timeoutMs: 15_000 });
    if (parsed.kind === "deauthorized") {
      try {
        await client.checkGrant();
        return { kind: "deauthorized", grantGone: false };
      } catch (err) {
        if (grantGone(err)) return { kind: "deauthorized", grantGone: true };
        throw err; // Zoom down or slow: retried with backoff
      }
    }
    const { event } = parsed;
    if (parsed.kind === "recovered") {
      // the recording as Zoom lists it now; the event's own payload when it is not listed around its start
      const listed = event.recording.start_time ? await client.findRecording(event.recording.uuid, event.recording.start_time) : null;
      // the event's uuid is the meeting's key here
      const recording = listed ? { ...listed, uuid: event.recording.uuid } : event.recording;
      const participants = await client.participants(recording.uuid);
      const content = await fetchTranscript(client, recording, participants, event.downloadToken);
      return { kind: "recovered", uuid: recording.uuid, eventTs: event.eventTs, meeting: toNeutralMeeting(recording, participants), content };
    }
    const participants = await client.participants(event.recording.uuid);
    const content = await fetchTranscript(client, event.recording, participants, event.downloadToken);
    return { kind: "recording", uuid: event.recording.uuid, meeting: toNeutralMeeting(event.recording, participants), content };
  },
  async store(tx, claimed, prepared) {
    switch (prepared.kind) {
      case "deleted":
        return { meetingId: (await removeDeletedRecording(tx, lifecycleOf(claimed, prepared))).meetingId };
      case "recovered": {
        // re-checked here, under the meeting's lock and after the downloads: a deletion newer than this recovery
        // (processed while it downloaded or waited out a backoff) wins, and nothing is stored (retention.ts)
        if (!(await clearDeletedRecording(tx, lifecycleOf(claimed, prepared))).applied) return { meetingId: null };
        const ctx = { teamId: claimed.teamId, integrationId: claimed.integrationId, source: "webhook" as const };
        return { meetingId: (await storeZoomMeeting(tx, ctx, prepared.meeting, prepared.content)).meetingId };
      }
      case "deauthorized":
        if (prepared.grantGone) await markDeauthorized(tx, claimed.integrationId, claimed.messageId);
        return { meetingId: null };
      case "recording": {
        // an event already on its way when Zoom deleted the recording stores nothing (retention.ts)
        if (await isDeletedRecording(tx, claimed.teamId, prepared.uuid)) return { meetingId: null };
        const ctx = { teamId: claimed.teamId, integrationId: claimed.integrationId, source: "webhook" as const };
        return { meetingId: (await storeZoomMeeting(tx, ctx, prepared.meeting, prepared.content)).meetingId };
      }
    }
  },
  // The activity's Retry imports a failed delivery again from what is kept here (_shared/activity/retry.ts), which is
  // the event without its download_token (a 24 h credential for the recording's files: providers.md §3).
  retainOnFailure: withoutDownloadToken,
};

/** The lifecycle event (retention.ts) of a claimed deletion or recovery. */
function lifecycleOf(claimed: ClaimedDelivery, prepared: { uuid: string; eventTs: number | null }): LifecycleEvent {
  const { teamId, integrationId, messageId } = claimed;
  return { teamId, integrationId, messageId, uuid: prepared.uuid, eventTs: prepared.eventTs };
}

/** A stored Zoom event without its `download_token`; null when it is not a JSON object (nothing worth keeping). */
export function withoutDownloadToken(body: string): string | null {
  const json: unknown = JSON.parse(body);
  if (typeof json !== "object" || json === null || Array.isArray(json)) return null;
  const { download_token: _dropped, ...rest } = json as Record<string, unknown>;
  return JSON.stringify(rest);
}

/** Import one stored Zoom delivery (inbox/queue.ts processStored). */
export function processZoomDelivery(integrationId: string, messageId: string): Promise<InboxOutcome> {
  return processStored(zoomImporter, integrationId, messageId);
}

/**
 * The every-minute sweep's share for Zoom (attacker review 12b, finding 2): each row may wait on Zoom for up to
 * PREPARE_BUDGET_MS, so a sweep takes at most SWEEP_ROWS rows and claims no new one after SWEEP_BUDGET_MS; the rest
 * wait for the next sweep (they stay due). Worst case per sweep: SWEEP_BUDGET_MS + one row's PREPARE_BUDGET_MS.
 */
export const SWEEP_ROWS = 10;
export const SWEEP_BUDGET_MS = 30_000;

/** For the every-minute sweep: Zoom deliveries left behind by a crash or waiting out a backoff, bounded as above. */
export async function processDueZoomDeliveries(
  limit = SWEEP_ROWS,
  budgetMs = SWEEP_BUDGET_MS,
): Promise<Record<InboxOutcome, number>> {
  const deadline = Date.now() + budgetMs;
  const counts: Record<InboxOutcome, number> = { imported: 0, retry: 0, failed: 0, busy: 0 };
  for (const row of await dueDeliveries("zoom", limit)) {
    if (Date.now() >= deadline) break;
    counts[await processZoomDelivery(row.integration_id, row.webhook_message_id)]++;
  }
  return counts;
}
