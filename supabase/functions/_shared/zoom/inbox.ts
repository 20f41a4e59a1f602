// What Zoom brings to the shared webhook inbox (inbox/queue.ts): parse a stored recording event, then (no transaction
// open) fetch who attended and download + parse the transcript when the event has one, then store the neutral
// meeting and its transcript in the transaction that marks the delivery imported (store.ts). recording.completed
// may come without a transcript (Zoom makes it later): recording.transcript_completed brings it, and stores the
// meeting too if the first event never came. A transcript that cannot be fetched for a passing reason (Zoom's 429,
// 5xx, unreachable) fails the attempt (retried with backoff); one Zoom will never give (404, deleted, too large, URL
// outside Zoom: fetch-transcript.ts) does not: the meeting, its participants and lead links are stored without it,
// its content marked failed with the reason, and a later recording.transcript_completed can still fill it.
import { dueDeliveries, type DeliveryImporter, type InboxOutcome, processStored } from "../inbox/queue.ts";
import { zoomClientFor } from "./client.ts";
import { storeZoomMeeting } from "./store.ts";
import { fetchTranscript, type FetchedTranscript } from "./fetch-transcript.ts";
import { type NeutralMeeting, parseRecordingEvent, toNeutralMeeting, type ZoomRecordingEvent } from "./wire.ts";

interface Prepared {
  meeting: NeutralMeeting;
  content: FetchedTranscript;
}

/** Per delivery: the calls to Zoom must end well inside the inbox lease (60 s). */
const PREPARE_BUDGET_MS = 40_000;

const zoomImporter: DeliveryImporter<ZoomRecordingEvent, { meetingId: string }, Prepared> = {
  provider: "zoom",
  parse(body) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { ok: false, reason: "not a Zoom recording: invalid JSON" };
    }
    const parsed = parseRecordingEvent(json);
    return parsed.ok ? parsed : { ok: false, reason: `not a Zoom recording: ${parsed.reason}` };
  },
  async prepare(claimed, event) {
    const client = zoomClientFor(claimed.integrationId, { deadline: Date.now() + PREPARE_BUDGET_MS, timeoutMs: 15_000 });
    const participants = await client.participants(event.recording.uuid);
    const content = await fetchTranscript(client, event.recording, participants, event.downloadToken);
    return { meeting: toNeutralMeeting(event.recording, participants), content };
  },
  // Nothing retries a failed Zoom delivery from its body yet; what is kept is the recording's metadata for a person
  // to look at, never the download_token (a 24 h credential for the recording's files: providers.md §3).
  retainOnFailure: withoutDownloadToken,
  store: (tx, claimed, prepared) =>
    storeZoomMeeting(tx, { teamId: claimed.teamId, integrationId: claimed.integrationId, source: "webhook" }, prepared.meeting, prepared.content),
};

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

/** For the every-minute sweep: Zoom deliveries left behind by a crash or waiting out a backoff. */
export async function processDueZoomDeliveries(limit = 50): Promise<Record<InboxOutcome, number>> {
  const counts: Record<InboxOutcome, number> = { imported: 0, retry: 0, failed: 0, busy: 0 };
  for (const row of await dueDeliveries("zoom", limit)) counts[await processZoomDelivery(row.integration_id, row.webhook_message_id)]++;
  return counts;
}
