// The webhook inbox, for every provider that delivers meetings (migration 20261130000300): after a delivery is
// verified and stored (webhook_deliveries, status 'received'), its import runs here, off the acknowledgement path.
// Each attempt claims the row under a short lease, imports and marks the row imported in ONE transaction (so a crash
// leaves it 'received', never half-written), then runs the importer's `after` with no transaction open. A failed
// attempt is retried with backoff up to INBOX_MAX_ATTEMPTS, then the row is 'failed' with its reason and a
// `<provider>.webhook.import_failed` event. A raw body is kept only while it is still needed: an imported row keeps
// none, a failed one only what the importer's `retainOnFailure` keeps for a retry by hand (never a credential, such
// as Zoom's download_token), else none. What a provider brings is a DeliveryImporter (Fathom: fathom/inbox.ts,
// Zoom: zoom/inbox.ts); the queue, the lease, the backoff and "acknowledgements first" are this module's.
import { asService, isDataError, type Tx } from "../db.ts";
import { logError } from "../http.ts";

/** Attempts before a delivery is given up on (a DB outage of a few minutes is survived: 5 s .. ~40 min apart). */
export const INBOX_MAX_ATTEMPTS = 6;
/** A claimed delivery nobody finished within this is claimable again (the worker died). */
export const INBOX_LEASE_SECONDS = 60;
/** Imports running at once in this isolate: acknowledgements keep most of the pool. */
const CONCURRENCY = 2;

export type InboxOutcome = "imported" | "retry" | "failed" | "busy";

export interface ClaimedDelivery {
  integrationId: string;
  messageId: string;
  teamId: string;
  attempts: number;
}

/**
 * What a provider brings to the inbox. `parse` reads the stored raw body (a reason when it cannot be imported: the
 * row fails at once, retrying would not help); `prepare` (optional) fetches what the body lacks from the provider,
 * with no transaction open (Zoom: participants, the transcript); a throw is an attempt that failed (retried with
 * backoff); `store` writes inside the transaction that marks the row imported and names the meeting it wrote (or
 * null); `after` runs once committed, with no transaction open (fetch missing content), best effort: it never fails
 * the delivery.
 */
export interface DeliveryImporter<P, R extends { meetingId: string | null }, Q = P> {
  provider: string;
  parse(body: string): { ok: true; value: P } | { ok: false; reason: string };
  prepare?(claimed: ClaimedDelivery, value: P): Promise<Q>;
  store(tx: Tx, claimed: ClaimedDelivery, value: Q): Promise<R>;
  after?(claimed: ClaimedDelivery, value: Q, stored: R): Promise<void>;
  /**
   * What a failed delivery keeps of its raw body: the text a retry by hand would import, with every credential
   * removed (Zoom: the download_token), or null to keep nothing. Left out: nothing is kept. Pure; a throw keeps
   * nothing.
   */
  retainOnFailure?(body: string): string | null;
}

/** Backoff before attempt n+1 (n >= 1): 5 s, 20 s, 80 s, ~5 min, ~21 min; a fifth of jitter. */
function backoffSeconds(attempts: number): number {
  const base = 5 * 4 ** Math.max(0, attempts - 1);
  return Math.round(base * (0.9 + Math.random() * 0.2));
}

const clip = (message: string) => message.slice(0, 500);

/**
 * Seconds until the next attempt: the backoff, or longer when the provider named a moment (the pacer's
 * RateLimitedUntil `until`, epoch ms, at most an hour ahead by the pacer's cap), so the row says when it resumes.
 */
function retryDelaySeconds(err: unknown, attempts: number): number {
  const backoff = backoffSeconds(attempts);
  const until = (err as { until?: unknown } | null)?.until;
  if (typeof until !== "number" || !Number.isFinite(until)) return backoff;
  return Math.max(backoff, Math.min(3_600, Math.ceil((until - Date.now()) / 1000)));
}

/** The reason recorded for a failed attempt: a code, never a value from the body or a secret. */
export function reasonOf(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return clip(`${err.name}${typeof code === "string" ? ` (${code})` : ""}`);
  }
  return "unknown error";
}

/**
 * Import one stored delivery with `importer`. `busy`: another worker holds it, or it is not due / already done.
 * Never throws for a failure of the import itself (that is recorded on the row); throws only when the database is
 * unreachable.
 */
export async function processStored<P, R extends { meetingId: string | null }, Q = P>(
  importer: DeliveryImporter<P, R, Q>,
  integrationId: string,
  messageId: string,
): Promise<InboxOutcome> {
  const row = await asService(async (tx) => {
    const rows = await tx<{ team_id: string; body: string | null; attempts: number }[]>`
      update public.webhook_deliveries set
        attempts = attempts + 1,
        locked_until = now() + make_interval(secs => ${INBOX_LEASE_SECONDS})
      where integration_id = ${integrationId} and webhook_message_id = ${messageId} and status = 'received'
        and (locked_until is null or locked_until < now())
      returning team_id, body, attempts`;
    return rows[0] ?? null;
  });
  if (!row) return "busy";
  const claimed: ClaimedDelivery = { integrationId, messageId, teamId: row.team_id, attempts: row.attempts };

  const parsed = row.body === null ? { ok: false as const, reason: "no body" } : importer.parse(row.body);
  const retained = () => retainedBody(importer, row.body);
  if (!parsed.ok) {
    await fail(importer.provider, claimed, parsed.reason, retained());
    return "failed";
  }

  let stored: R;
  let value: Q;
  try {
    value = importer.prepare ? await importer.prepare(claimed, parsed.value) : parsed.value as unknown as Q;
    stored = await asService(async (tx) => {
      const result = await importer.store(tx, claimed, value);
      await tx`
        update public.webhook_deliveries set status = 'imported', body = null, locked_until = null,
               last_error = null, next_attempt_at = null, processed_at = clock_timestamp(),
               meeting_id = ${result.meetingId}
         where integration_id = ${integrationId} and webhook_message_id = ${messageId}`;
      return result;
    });
  } catch (err) {
    logError(`${importer.provider} webhook import`, err);
    // the database refuses this meeting's data: the same delivery will be refused again, however often
    if (isDataError(err)) {
      await fail(importer.provider, claimed, `refused by the database: ${reasonOf(err)}`, retained());
      return "failed";
    }
    if (claimed.attempts >= INBOX_MAX_ATTEMPTS) {
      await fail(importer.provider, claimed, reasonOf(err), retained());
      return "failed";
    }
    await asService((tx) =>
      tx`update public.webhook_deliveries set locked_until = null, last_error = ${reasonOf(err)},
                next_attempt_at = now() + make_interval(secs => ${retryDelaySeconds(err, claimed.attempts)})
          where integration_id = ${integrationId} and webhook_message_id = ${messageId}`
    ).catch((e) => logError(`${importer.provider} webhook inbox`, e)); // the lease expires anyway
    return "retry";
  }

  if (importer.after) {
    try {
      await importer.after(claimed, value, stored);
    } catch (err) {
      logError(`${importer.provider} webhook content`, err);
    }
  }
  return "imported";
}

/** The body a failed delivery keeps (DeliveryImporter.retainOnFailure), null when none. */
function retainedBody<P, R extends { meetingId: string | null }, Q>(
  importer: DeliveryImporter<P, R, Q>,
  body: string | null,
): string | null {
  if (body === null || !importer.retainOnFailure) return null;
  try {
    return importer.retainOnFailure(body);
  } catch {
    return null;
  }
}

async function fail(provider: string, claimed: ClaimedDelivery, reason: string, body: string | null): Promise<void> {
  const { integrationId, messageId, teamId, attempts } = claimed;
  await asService(async (tx) => {
    await tx`update public.webhook_deliveries set status = 'failed', locked_until = null, last_error = ${clip(reason)},
                    next_attempt_at = null, processed_at = clock_timestamp(), body = ${body}
              where integration_id = ${integrationId} and webhook_message_id = ${messageId}`;
    await tx`insert into public.integration_events (team_id, integration_id, provider, type, subject_type, subject_id,
                                                    payload, idempotency_key)
             values (${teamId}, ${integrationId}, ${provider}, ${`${provider}.webhook.import_failed`}, 'webhook_delivery',
                     ${messageId}, ${tx.json({ reason: clip(reason), attempts })},
                     ${`${provider}.webhook.import_failed:${integrationId}:${messageId}`})
             on conflict (team_id, idempotency_key) where idempotency_key is not null do nothing`;
  }).catch((e) => logError(`${provider} webhook inbox`, e));
}

// ---------------------------------------------------------------------------------------------------------------
// running imports off the request

declare const EdgeRuntime: { waitUntil(promise: Promise<unknown>): void } | undefined;

type Job = () => Promise<unknown>;
const queue: Job[] = [];
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
    await next().catch((err) => logError("webhook inbox", err));
  }
}

/** Resolves when every import scheduled in this isolate has finished (tests; a graceful shutdown). */
export async function inboxIdle(): Promise<void> {
  while (draining.size > 0) await Promise.all([...draining]);
}

/**
 * Run `job` (one stored delivery's import) right after its acknowledgement. On Supabase the work is handed to
 * EdgeRuntime.waitUntil (the isolate stays up until it settles); locally the gateway keeps running the promise.
 * At most CONCURRENCY imports run at once per isolate; if the isolate dies first, the row stays 'received' and the
 * every-minute sweep (fathom-sync) imports it.
 */
export function scheduleJob(job: Job): void {
  queue.push(job);
  if (draining.size >= CONCURRENCY) return;
  const work = drain().finally(() => draining.delete(work));
  draining.add(work);
  if (typeof EdgeRuntime !== "undefined" && EdgeRuntime?.waitUntil) EdgeRuntime.waitUntil(work);
}

/** The deliveries of `provider` that are due (left behind by a crash, or waiting out a backoff), oldest first. */
export async function dueDeliveries(provider: string, limit: number): Promise<{ integration_id: string; webhook_message_id: string }[]> {
  return await asService((tx) =>
    tx<{ integration_id: string; webhook_message_id: string }[]>`
      select integration_id, webhook_message_id from public.webhook_deliveries
       where status = 'received' and provider = ${provider} and (next_attempt_at is null or next_attempt_at <= now())
         and (locked_until is null or locked_until < now())
       order by received_at
       limit ${limit}`
  );
}
