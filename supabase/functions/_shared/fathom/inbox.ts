// The Fathom webhook inbox (migration 20261130000300): after a delivery is verified and stored, its import runs
// here, off the acknowledgement path. Each attempt claims the row under a short lease, imports the meeting and marks
// the row imported in ONE transaction (so a crash leaves it 'received', never half-written), then, outside any
// transaction, asks Fathom for whatever content the delivery lacked. A failed attempt is retried with backoff up to
// INBOX_MAX_ATTEMPTS, then the row is 'failed' with its reason and an event; the every-minute fathom-sync imports
// whatever a crash or a recycled isolate left behind (`processDueDeliveries`).
import { asService, isDataError } from "../db.ts";
import { logError } from "../http.ts";
import { fetchAndStoreContent } from "./content.ts";
import { fathomClientFor } from "./connection.ts";
import { importMeeting } from "./import.ts";
import { parseMeeting } from "./wire.ts";

/** Attempts before a delivery is given up on (a DB outage of a few minutes is survived: 5 s .. ~40 min apart). */
export const INBOX_MAX_ATTEMPTS = 6;
/** A claimed delivery nobody finished within this is claimable again (the worker died). */
export const INBOX_LEASE_SECONDS = 60;
/** Imports running at once in this isolate: acknowledgements keep most of the pool. */
const CONCURRENCY = 2;

export type InboxOutcome = "imported" | "retry" | "failed" | "busy";

interface Claimed {
  team_id: string;
  body: string | null;
  attempts: number;
}

/** Backoff before attempt n+1 (n >= 1): 5 s, 20 s, 80 s, ~5 min, ~21 min; a fifth of jitter. */
function backoffSeconds(attempts: number): number {
  const base = 5 * 4 ** Math.max(0, attempts - 1);
  return Math.round(base * (0.9 + Math.random() * 0.2));
}

const clip = (message: string) => message.slice(0, 500);

/** The reason recorded for a failed attempt: a code, never a value from the body or a secret. */
function reasonOf(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return clip(`${err.name}${typeof code === "string" ? ` (${code})` : ""}`);
  }
  return "unknown error";
}

/**
 * Import one stored delivery. `busy`: another worker holds it, or it is not due / already done. Never throws for a
 * failure of the import itself (that is recorded on the row); throws only when the database is unreachable.
 */
export async function processDelivery(integrationId: string, messageId: string): Promise<InboxOutcome> {
  const claimed = await asService(async (tx) => {
    const rows = await tx<Claimed[]>`
      update public.webhook_deliveries set
        attempts = attempts + 1,
        locked_until = now() + make_interval(secs => ${INBOX_LEASE_SECONDS})
      where integration_id = ${integrationId} and webhook_message_id = ${messageId} and status = 'received'
        and (locked_until is null or locked_until < now())
      returning team_id, body, attempts`;
    return rows[0] ?? null;
  });
  if (!claimed) return "busy";

  const parsed = claimed.body === null ? null : parseJsonMeeting(claimed.body);
  if (!parsed || !parsed.ok) {
    await fail(integrationId, messageId, claimed, `not a Fathom meeting: ${parsed?.reason ?? "no body"}`);
    return "failed";
  }

  let result;
  try {
    result = await asService(async (tx) => {
      const imported = await importMeeting(tx, {
        teamId: claimed.team_id,
        integrationId,
        meeting: parsed.meeting,
        source: "webhook",
      });
      await tx`
        update public.webhook_deliveries set status = 'imported', body = null, locked_until = null,
               last_error = null, next_attempt_at = null, processed_at = clock_timestamp(),
               meeting_id = ${imported.meetingId}
         where integration_id = ${integrationId} and webhook_message_id = ${messageId}`;
      return imported;
    });
  } catch (err) {
    logError("fathom webhook import", err);
    // the database refuses this meeting's data: the same delivery will be refused again, however often
    if (isDataError(err)) {
      await fail(integrationId, messageId, claimed, `refused by the database: ${reasonOf(err)}`);
      return "failed";
    }
    if (claimed.attempts >= INBOX_MAX_ATTEMPTS) {
      await fail(integrationId, messageId, claimed, reasonOf(err));
      return "failed";
    }
    await asService((tx) =>
      tx`update public.webhook_deliveries set locked_until = null, last_error = ${reasonOf(err)},
                next_attempt_at = now() + make_interval(secs => ${backoffSeconds(claimed.attempts)})
          where integration_id = ${integrationId} and webhook_message_id = ${messageId}`
    ).catch((e) => logError("fathom webhook inbox", e)); // the lease expires anyway
    return "retry";
  }

  // The delivery lacked a section (Fathom sends `default_summary: null` before the summary is ready): ask now,
  // with no transaction open. Best effort: the content pass and the meeting page ask again later.
  if (!result.contentComplete) {
    try {
      await fetchAndStoreContent(fathomClientFor(integrationId, { deadline: Date.now() + 10_000 }), {
        id: result.meetingId,
        recording_id: parsed.meeting.recording_id,
        has_transcript: parsed.meeting.transcript !== null,
        has_summary: parsed.meeting.default_summary !== null,
        has_action_items: parsed.meeting.action_items !== null,
        created_at: parsed.meeting.created_at,
      });
    } catch (err) {
      logError("fathom webhook content", err);
    }
  }
  return "imported";
}

function parseJsonMeeting(body: string) {
  try {
    return parseMeeting(JSON.parse(body));
  } catch {
    return { ok: false as const, reason: "invalid JSON" };
  }
}

async function fail(integrationId: string, messageId: string, claimed: Claimed, reason: string): Promise<void> {
  await asService(async (tx) => {
    await tx`update public.webhook_deliveries set status = 'failed', locked_until = null, last_error = ${clip(reason)},
                    next_attempt_at = null, processed_at = clock_timestamp()
              where integration_id = ${integrationId} and webhook_message_id = ${messageId}`;
    await tx`insert into public.integration_events (team_id, integration_id, provider, type, subject_type, subject_id,
                                                    payload, idempotency_key)
             values (${claimed.team_id}, ${integrationId}, 'fathom', 'fathom.webhook.import_failed', 'webhook_delivery',
                     ${messageId}, ${tx.json({ reason: clip(reason), attempts: claimed.attempts })},
                     ${`fathom.webhook.import_failed:${integrationId}:${messageId}`})
             on conflict (team_id, idempotency_key) where idempotency_key is not null do nothing`;
  }).catch((e) => logError("fathom webhook inbox", e));
}

// ---------------------------------------------------------------------------------------------------------------
// running imports off the request

declare const EdgeRuntime: { waitUntil(promise: Promise<unknown>): void } | undefined;

const queue: [string, string][] = [];
const draining = new Set<Promise<void>>();

// Acknowledgements first: while deliveries are being received, and until they have been quiet for ACK_QUIET_MS
// (a burst arrives as a burst), imports wait, leaving the pool's connections and the event loop to the senders.
// A steady stream never starves them: they wait at most ACK_PRIORITY_MAX_MS at a time.
let acksInFlight = 0;
let lastAckAt = 0;
const ACK_QUIET_MS = 50;
const ACK_PRIORITY_MAX_MS = 2_000;

/** Call when a delivery starts being received; call the returned function when it is answered. */
export function ackStarted(): () => void {
  acksInFlight++;
  lastAckAt = Date.now();
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    acksInFlight--;
    lastAckAt = Date.now();
  };
}

async function acksSettled(): Promise<void> {
  const giveUpAt = Date.now() + ACK_PRIORITY_MAX_MS;
  while ((acksInFlight > 0 || Date.now() - lastAckAt < ACK_QUIET_MS) && Date.now() < giveUpAt) {
    await new Promise((resolve) => setTimeout(resolve, ACK_QUIET_MS / 2));
  }
}

async function drain(): Promise<void> {
  for (let next = queue.shift(); next; next = queue.shift()) {
    await acksSettled();
    await processDelivery(next[0], next[1]).catch((err) => logError("fathom webhook inbox", err));
  }
}

/** Resolves when every import scheduled in this isolate has finished (tests; a graceful shutdown). */
export async function inboxIdle(): Promise<void> {
  while (draining.size > 0) await Promise.all([...draining]);
}

/**
 * Import a stored delivery right after its acknowledgement. On Supabase the work is handed to
 * EdgeRuntime.waitUntil (the isolate stays up until it settles); locally the gateway keeps running the promise.
 * At most CONCURRENCY imports run at once per isolate; if the isolate dies first, the row stays 'received' and
 * fathom-sync imports it within a minute.
 */
export function scheduleImport(integrationId: string, messageId: string): void {
  queue.push([integrationId, messageId]);
  if (draining.size >= CONCURRENCY) return;
  const work = drain().finally(() => draining.delete(work));
  draining.add(work);
  if (typeof EdgeRuntime !== "undefined" && EdgeRuntime?.waitUntil) EdgeRuntime.waitUntil(work);
}

/**
 * For fathom-sync (every minute): import deliveries that are due (left behind by a crash, or waiting out a
 * backoff). Returns how many were attempted and their outcomes.
 */
export async function processDueDeliveries(limit = 50): Promise<Record<InboxOutcome, number>> {
  const due = await asService((tx) =>
    tx<{ integration_id: string; webhook_message_id: string }[]>`
      select integration_id, webhook_message_id from public.webhook_deliveries
       where status = 'received' and (next_attempt_at is null or next_attempt_at <= now())
         and (locked_until is null or locked_until < now())
       order by received_at
       limit ${limit}`
  );
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
export async function inboxView(teamId: string): Promise<InboxView> {
  return await asService(async (tx) => {
    const [row] = await tx<InboxView[]>`
      select count(*) filter (where status = 'received')::int as pending,
             count(*) filter (where status = 'failed')::int as failed,
             (array_agg(last_error order by processed_at desc) filter (where status = 'failed'))[1] as last_error,
             max(processed_at) filter (where status = 'failed') as last_failed_at
        from public.webhook_deliveries where team_id = ${teamId} and provider = 'fathom'`;
    return row;
  });
}
