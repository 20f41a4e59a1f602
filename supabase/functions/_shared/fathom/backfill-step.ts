// One step of "Import past meetings": claim the sync (a lease), then checkpoint after checkpoint until the step's
// budget is spent or the import is done, then settle (give the lease back, pause, or record the failure). The
// states and their transitions are in backfill-state.ts; the driver that runs steps is backfill.ts.
//   list     fetch pages ahead (page-feed.ts), import whatever has arrived as ONE batch (backfill-batch.ts) and
//            advance the cursor in the same transaction: a crash resumes from the last committed cursor, and
//            re-importing a page changes nothing (importMeeting is idempotent).
//   content  transcripts and summaries of pending meetings, meetings linked to a lead first, then the most recent;
//            one meeting (two calls) per checkpoint.
// Fathom's rate limit is paced by the client; a wait that does not fit the step's budget pauses the sync
// (paused_rate_limited, resume_after). Failures: a transient one (Fathom 5xx or unreachable, the database gone) is
// retried with backoff up to MAX_STEP_FAILURES; then, or at once for a permanent one, the sync is 'failed'. A failed
// sync whose failure was transient keeps a resume_after, and fathom-sync (every minute) resumes it then.
import { asService, isTransientDbError, type Tx } from "../db.ts";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import { importListedBatch } from "./backfill-batch.ts";
import {
  type Failure,
  LEASE_SECONDS,
  type Lease,
  LeaseLost,
  markAsCompleted,
  markAsContentFetched,
  markAsContentFetchOngoing,
  markAsFailedOrScheduleRetry,
  markAsPageImported,
  markAsPausedRateLimited,
  markAsStepOngoing,
  markAsSweepOngoing,
  markListed,
  releaseLease,
  renewLease,
} from "./backfill-state.ts";
import { type FathomClient, FathomApiError, type MeetingsPage } from "./client.ts";
import { fathomClientFor } from "./connection.ts";
import { fathomMeetings, fetchAndStoreContent, type PendingMeeting, pendingMeetingColumns } from "./content.ts";
import { type PageFeed, pageFeed } from "./page-feed.ts";
import { RateLimitedUntil } from "./pacer.ts";
import { ensureWebhook } from "./webhook-registration.ts";

export type StepResult =
  | { state: "done" }
  | { state: "more" } // budget spent, work remains
  | { state: "paused"; resumeAfter: number }
  | { state: "busy" } // another worker holds the lease
  | { state: "idle" } // nothing to do (no running sync)
  | { state: "failed"; error: string }
  | { state: "retry"; resumeAfter: number }; // a transient failure, recorded; try again later

/** What a list checkpoint committed: how many pages, and whether the list stage (with its sweep) is over. */
export interface CheckpointDetail {
  pages: number;
  listEnded: boolean;
}

export interface StepOptions {
  budgetMs: number;
  /** test hook: called after each committed checkpoint; throwing simulates a crash right there */
  afterCheckpoint?: (stage: "list" | "content", detail?: CheckpointDetail) => void | Promise<void>;
}

/** A transient database failure before any lease was taken: nothing to record, try again after this long. */
const LEASE_RETRY_MS = 5_000;

export async function runSyncStep(integrationId: string, opts: StepOptions): Promise<StepResult> {
  let lease: Awaited<ReturnType<typeof markAsStepOngoing>>;
  try {
    lease = await markAsStepOngoing(integrationId);
  } catch (err) {
    if (!isTransientDbError(err)) throw err;
    logError("fathom sync: taking the lease", err);
    return { state: "retry", resumeAfter: Date.now() + LEASE_RETRY_MS };
  }
  if (lease === "busy" || lease === "idle") return { state: lease };
  if ("resumeAfter" in lease) return { state: "paused", resumeAfter: lease.resumeAfter }; // not yet
  const held: Lease = lease;
  const deadline = Date.now() + opts.budgetMs;
  const client = fathomClientFor(integrationId, { deadline });
  const listPage = (cursor: string | null) =>
    client.listMeetings({
      cursor,
      created_after: (held.list_sweep_after ?? held.list_created_after)?.toISOString(),
      // OAuth apps may inline action items (unlike transcript and summary), and pass 2 has no call for them
      include_action_items: true,
    });
  let feed: PageFeed | null = null;

  try {
    // The webhook is the main path; if registering it failed at connect time, try again now (best effort).
    if (!held.webhook_id) await ensureWebhook(client, integrationId);

    while (Date.now() < deadline) {
      if (held.stage === "list") {
        // Pages are fetched ahead (paced by the client) while earlier ones are stored, and whatever has arrived
        // meanwhile is stored in ONE transaction, so a slower database (the embedded one) stores bigger batches
        // instead of falling behind. A crash or a lost lease merely wastes the calls ahead; the checkpoint counts.
        feed ??= pageFeed(listPage, held.cursor, deadline);
        const batch = await feed.take();
        if (batch.length === 0) {
          feed = null;
          break; // the deadline passed while fetching: the next step goes on from the checkpoint
        }
        const next = batch.at(-1)!.next_cursor || null;
        if (!next) feed = null; // the listing (or the sweep) ended: a sweep starts a feed of its own
        await listCheckpoint(held, batch, next);
        await opts.afterCheckpoint?.("list", { pages: batch.length, listEnded: held.stage !== "list" });
        continue;
      }

      if (held.stage === "content") {
        await contentCheckpoint(client, held);
        if (held.stage === "content") await opts.afterCheckpoint?.("content");
        continue;
      }

      feed?.stop();
      await releaseLease(held);
      return { state: "done" };
    }
    feed?.stop();
    await releaseLease(held);
    return { state: "more" };
  } catch (err) {
    feed?.stop();
    return await settleFailure(held, err);
  }
}

/**
 * ONE transaction: the lease renewed, the batch imported, the listing's progress committed (cursor advanced, the
 * sweep begun, or the content stage begun). Updates `held` to what was committed.
 */
async function listCheckpoint(held: Lease, batch: MeetingsPage[], next: string | null): Promise<void> {
  const sweepAfter = await asService(async (tx) => {
    await renewLease(tx, held);
    const imported = await importListedBatch(tx, {
      teamId: held.team_id,
      integrationId: held.integration_id,
      pages: batch,
    });
    const counts = { listed: await markListed(tx, held, imported.recordingIds), linked: imported.linked };
    if (next) {
      await markAsPageImported(tx, held, next, counts);
      return held.list_sweep_after;
    }
    if (!held.list_sweep_after) return await markAsSweepOngoing(tx, held, counts);
    await markAsContentFetchOngoing(tx, held, counts);
    return held.list_sweep_after;
  });
  if (!next && held.list_sweep_after) held.stage = "content";
  held.cursor = next;
  held.list_sweep_after = sweepAfter;
}

/**
 * The next pending meeting's content fetched and stored (content.ts), then ONE transaction counting it; or, with
 * nothing pending, the import completed. Updates `held.stage`.
 */
async function contentCheckpoint(client: FathomClient, held: Lease): Promise<void> {
  const meeting = await asService((tx) => nextPendingMeeting(tx, held.team_id));
  if (!meeting) {
    await asService(async (tx) => {
      await renewLease(tx, held);
      await markAsCompleted(tx, held);
    });
    held.stage = "done";
    return;
  }
  const outcome = await fetchAndStoreContent(client, meeting);
  await asService(async (tx) => {
    await renewLease(tx, held);
    if (outcome === "stored" || outcome === "already_complete") await markAsContentFetched(tx, held, "done");
    else if (outcome === "failed") await markAsContentFetched(tx, held, "failed");
  });
}

/** Pending meetings of the team, the ones linked to a lead first, then the most recent. */
async function nextPendingMeeting(tx: Tx, teamId: string) {
  // a meeting whose summary Fathom has not finished waits out its pause (content_retry_after); the every-minute
  // sweep fetches it after the import
  const rows = await tx<PendingMeeting[]>`
    select ${pendingMeetingColumns(tx)}
      from public.meetings m
     where m.team_id = ${teamId} and ${fathomMeetings(tx)} and m.content_status = 'pending'
       and (m.content_retry_after is null or m.content_retry_after <= now())
     order by exists (select 1 from public.meeting_leads ml where ml.meeting_id = m.id) desc,
              m.recording_start_time desc nulls last, m.id
     limit 1`;
  return rows[0] ?? null;
}

/** What a step's failure means: its code (last_error), whether the step retries it, whether fathom-sync resumes it. */
export function classifyFailure(err: unknown): Failure {
  if (err instanceof FathomApiError) {
    // 401: the client refreshes the token and asks again; repeated 401s are a grant problem, not an outage
    return { code: `fathom_http_${err.status}`, transient: err.transient || err.status === 401, resumable: err.transient };
  }
  if (err instanceof AppError) {
    const transient = err.code === "provider_unavailable";
    return { code: err.code, transient, resumable: transient };
  }
  if (isTransientDbError(err)) return { code: "database_unavailable", transient: true, resumable: true };
  return { code: "internal_error", transient: false, resumable: false };
}

/**
 * Settle a step that threw: a lost lease is "busy"; Fathom's rate limit pauses the sync (markAsPausedRateLimited);
 * anything else is recorded with the lease given back (markAsFailedOrScheduleRetry). When even that cannot be
 * written (the database is still gone), nothing is: the lease expires and the sync resumes from its last checkpoint.
 */
async function settleFailure(lease: Lease, err: unknown): Promise<StepResult> {
  if (err instanceof LeaseLost) return { state: "busy" };
  if (err instanceof RateLimitedUntil) {
    try {
      await markAsPausedRateLimited(lease, err.until);
    } catch (releaseErr) {
      logError("fathom sync: recording a pause", releaseErr);
    }
    return { state: "paused", resumeAfter: err.until };
  }
  const failure = classifyFailure(err);
  if (failure.code === "internal_error" || failure.code === "database_unavailable") logError("fathom sync step", err);
  else console.error(`[fathom sync step] ${failure.code}`);

  try {
    const row = await markAsFailedOrScheduleRetry(lease, failure);
    if (!row) return { state: "busy" }; // the lease had expired and another worker holds it now
    if (row.status === "failed") return { state: "failed", error: failure.code };
    return { state: "retry", resumeAfter: row.resume_after!.getTime() };
  } catch (recordErr) {
    logError("fathom sync: recording a failure", recordErr);
    return { state: "retry", resumeAfter: Date.now() + LEASE_SECONDS * 1000 };
  }
}
