// The Fathom webhook inbox (migration 20261130000300): what Fathom brings to the shared inbox (inbox/queue.ts: claim
// under a lease, one transaction, backoff, acknowledgements first): parse the stored delivery as a Fathom meeting,
// import it in the transaction that marks the row imported, then, outside any transaction, ask Fathom for whatever
// content the delivery lacked. The every-minute fathom-sync imports whatever a crash or a recycled isolate left
// behind (`processDueDeliveries`).
import { asService } from "../db.ts";
import { type DeliveryImporter, dueDeliveries, type InboxOutcome, processStored, scheduleJob } from "../inbox/queue.ts";
import { fetchAndStoreContent } from "./content.ts";
import { fathomClientFor } from "./connection.ts";
import { importMeeting } from "./import.ts";
import { type FathomMeeting, parseMeeting } from "./wire.ts";

export { ackStarted, INBOX_LEASE_SECONDS, INBOX_MAX_ATTEMPTS, inboxIdle, type InboxOutcome } from "../inbox/queue.ts";

function parseJsonMeeting(body: string) {
  try {
    return parseMeeting(JSON.parse(body));
  } catch {
    return { ok: false as const, reason: "invalid JSON" };
  }
}

const fathomImporter: DeliveryImporter<FathomMeeting, { meetingId: string; contentComplete: boolean }> = {
  provider: "fathom",
  parse(body) {
    const parsed = parseJsonMeeting(body);
    return parsed.ok ? { ok: true, value: parsed.meeting } : { ok: false, reason: `not a Fathom meeting: ${parsed.reason}` };
  },
  // The activity panel's Retry imports a failed delivery again from its body; Fathom's meeting payload carries no
  // credential (fathom-api.md §4: the meeting, its transcript and summary), so it is kept as it came.
  retainOnFailure: (body) => body,
  store: (tx, claimed, meeting) =>
    importMeeting(tx, { teamId: claimed.teamId, integrationId: claimed.integrationId, meeting, source: "webhook" }),
  // The delivery lacked a section (Fathom sends `default_summary: null` before the summary is ready): ask now,
  // with no transaction open. Best effort: the content pass and the meeting page ask again later.
  async after(claimed, meeting, result) {
    if (result.contentComplete) return;
    await fetchAndStoreContent(fathomClientFor(claimed.integrationId, { deadline: Date.now() + 10_000 }), {
      id: result.meetingId,
      recording_id: meeting.recording_id,
      has_transcript: meeting.transcript !== null,
      has_summary: meeting.default_summary !== null,
      has_action_items: meeting.action_items !== null,
      created_at: meeting.created_at,
    });
  },
};

/**
 * Import one stored Fathom delivery. `busy`: another worker holds it, or it is not due / already done. Never throws
 * for a failure of the import itself (that is recorded on the row); throws only when the database is unreachable.
 */
export function processDelivery(integrationId: string, messageId: string): Promise<InboxOutcome> {
  return processStored(fathomImporter, integrationId, messageId);
}

/** Import a stored delivery right after its acknowledgement (inbox/queue.ts scheduleJob). */
export function scheduleImport(integrationId: string, messageId: string): void {
  scheduleJob(() => processDelivery(integrationId, messageId));
}

/**
 * For fathom-sync (every minute): import Fathom deliveries that are due (left behind by a crash, or waiting out a
 * backoff). Returns how many were attempted and their outcomes. Other providers' rows are theirs to import.
 */
export async function processDueDeliveries(limit = 50): Promise<Record<InboxOutcome, number>> {
  const due = await dueDeliveries("fathom", limit);
  const counts: Record<InboxOutcome, number> = { imported: 0, retry: 0, failed: 0, busy: 0 };
  for (const row of due) counts[await processDelivery(row.integration_id, row.webhook_message_id)]++;
  return counts;
}

export interface InboxView {
  pending: number;
  failed: number;
  last_error: string | null;
  last_failed_at: string | null;
}

/**
 * What the Fathom dialog shows about the team's deliveries: waiting to import, and given up on (with the latest
 * reason). The caller has checked membership.
 */
export async function inboxView(teamId: string, provider = "fathom"): Promise<InboxView> {
  return await asService(async (tx) => {
    const [row] = await tx<InboxView[]>`
      select count(*) filter (where status = 'received')::int as pending,
             count(*) filter (where status = 'failed')::int as failed,
             (array_agg(last_error order by processed_at desc) filter (where status = 'failed'))[1] as last_error,
             max(processed_at) filter (where status = 'failed') as last_failed_at
        from public.webhook_deliveries where team_id = ${teamId} and provider = ${provider}`;
    return row;
  });
}
