// One batch of listed meetings into the CRM, inside a list checkpoint's transaction (the backfill's "import one
// batch"): the meetings upserted and linked to leads (importMeetings: a constant number of statements per batch),
// the ones that cannot be stored recorded as skipped with their reason, never the batch.
import { isDataError, type Tx } from "../db.ts";
import type { MeetingsPage } from "./client.ts";
import { type ImportResult, importMeetings } from "./import.ts";
import type { SkippedMeeting } from "./wire.ts";

export interface BatchInput {
  teamId: string;
  integrationId: string;
  /** the pages that arrived since the last checkpoint, in listing order */
  pages: MeetingsPage[];
}

/** What a batch imported: the recordings it listed, and how many distinct meeting-lead links it made. */
export interface BatchResult {
  recordingIds: number[];
  linked: number;
}

/** Imports the batch and records its skipped meetings; the caller commits both with its checkpoint. */
export async function importListedBatch(tx: Tx, input: BatchInput): Promise<BatchResult> {
  const meetings = input.pages.flatMap((p) => p.items);
  const { results, refused } = await importBatch(tx, {
    teamId: input.teamId,
    integrationId: input.integrationId,
    meetings,
    source: "backfill",
  });
  const linked = new Set(results.flatMap((r) => r.linkedLeadIds.map((lead) => `${r.meetingId}:${lead}`))).size;
  // a meeting that cannot be stored at all (no usable recording_id, or refused by the database) is skipped with its
  // reason, never the page
  for (const skipped of [...input.pages.flatMap((p) => p.skipped), ...refused]) {
    await recordSkipped(tx, input, skipped);
  }
  return { recordingIds: meetings.map((m) => m.recording_id), linked };
}

/**
 * A fathom.meeting.skipped event, once per recording and reason (the final sweep lists recent meetings again); an
 * item without a recording id cannot be told apart, so each listing of it is recorded.
 */
async function recordSkipped(tx: Tx, input: BatchInput, skipped: SkippedMeeting): Promise<void> {
  await tx`insert into public.integration_events (team_id, integration_id, provider, type, subject_type,
                                                  subject_id, payload, idempotency_key)
           values (${input.teamId}, ${input.integrationId}, 'fathom', 'fathom.meeting.skipped', 'meeting',
                   ${skipped.recording_id === null ? null : String(skipped.recording_id)},
                   ${tx.json({ ...skipped, source: "backfill" })},
                   ${skipped.recording_id === null
                     ? null
                     : `fathom.meeting.skipped:${skipped.recording_id}:${skipped.reason}`})
           on conflict (team_id, idempotency_key) where idempotency_key is not null do nothing`;
}

/**
 * importMeetings for a batch, inside the caller's transaction; when the database refuses the data of one meeting
 * (isDataError: a value it cannot hold, an index entry too large), the batch is imported again one meeting at a
 * time, each under its own savepoint, and the refused ones are returned with the SQLSTATE as their reason.
 */
async function importBatch(
  tx: Tx,
  input: Parameters<typeof importMeetings>[1],
): Promise<{ results: ImportResult[]; refused: SkippedMeeting[] }> {
  // postgres.js's savepoints: a failed statement inside one rolls back to it and leaves the transaction usable
  try {
    return { results: await tx.savepoint((sp) => importMeetings(sp, input)), refused: [] };
  } catch (err) {
    if (!isDataError(err)) throw err;
  }
  const results: ImportResult[] = [];
  const refused: SkippedMeeting[] = [];
  for (const meeting of input.meetings) {
    try {
      results.push(...await tx.savepoint((sp) => importMeetings(sp, { ...input, meetings: [meeting] })));
    } catch (err) {
      if (!isDataError(err)) throw err;
      refused.push({ recording_id: meeting.recording_id, reason: `refused by the database (${(err as { code: string }).code})` });
    }
  }
  return { results, refused };
}
