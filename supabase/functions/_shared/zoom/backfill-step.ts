// One step of Zoom's "Import past recordings", on the same states, lease and driver as Fathom's import
// (fathom/backfill-state.ts transitions, fathom/backfill.ts driver; the driver picks this step for a Zoom
// integration): claim the sync, then page after page of GET /users/me/recordings, window after window (windows.ts:
// 28 days, newest first, back to the configured start; after a completed import, back to when it began), each page's
// meetings prepared (participants, transcript: outside any transaction) and stored with the cursor advanced in ONE
// transaction; a crash resumes from the last committed page (storing again changes nothing). A next_page_token
// that expired (15 min) while the import was paused restarts its window. Zoom's rate limit paces the client; a wait
// beyond the step's budget pauses the sync (paused_rate_limited). Failures as Fathom's: transient ones retried with
// backoff, then failed (resumable ones resumed by the every-minute sweep).
import { asService, isTransientDbError } from "../db.ts";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import {
  type Failure,
  LEASE_SECONDS,
  type Lease,
  LeaseLost,
  markAsFailedOrScheduleRetry,
  markAsListingCompleted,
  markAsPageImported,
  markAsPausedRateLimited,
  markAsStepOngoing,
  releaseLease,
  renewLease,
} from "../fathom/backfill-state.ts";
import type { StepOptions, StepResult } from "../fathom/backfill-step.ts";
import { RateLimitedUntil } from "../fathom/pacer.ts";
import { type ZoomClient, zoomClientFor, ZoomApiError } from "./client.ts";
import { storeZoomMeeting } from "./store.ts";
import { fetchTranscript, type FetchedTranscript } from "./fetch-transcript.ts";
import { decodeCursor, encodeCursor, firstWindow, importStart, previousWindow, type ZoomCursor } from "./windows.ts";
import { type NeutralMeeting, toNeutralMeeting, type ZoomRecording } from "./wire.ts";

/** ms: the longest rate-limit wait a step sleeps through; a longer one pauses the sync where the panel shows it. */
export const RATE_WAIT_IN_STEP_MS = 2_000;

/** Meetings per page: each costs two more calls (participants, transcript), and a page is one checkpoint. */
export const IMPORT_PAGE_SIZE = 30;

interface Prepared {
  meeting: NeutralMeeting;
  content: FetchedTranscript;
}

/** A transcript Zoom will never give is no reason to stop the import: the meeting is stored without it (fetch-transcript.ts). */
async function prepare(client: ZoomClient, recording: ZoomRecording): Promise<Prepared> {
  const participants = await client.participants(recording.uuid);
  return { meeting: toNeutralMeeting(recording, participants), content: await fetchTranscript(client, recording, participants) };
}

export async function runZoomSyncStep(integrationId: string, opts: StepOptions): Promise<StepResult> {
  let lease: Awaited<ReturnType<typeof markAsStepOngoing>>;
  try {
    lease = await markAsStepOngoing(integrationId);
  } catch (err) {
    if (!isTransientDbError(err)) throw err;
    logError("zoom sync: taking the lease", err);
    return { state: "retry", resumeAfter: Date.now() + 5_000 };
  }
  if (lease === "busy" || lease === "idle") return { state: lease };
  if ("resumeAfter" in lease) return { state: "paused", resumeAfter: lease.resumeAfter };
  const held: Lease = lease;
  const deadline = Date.now() + opts.budgetMs;
  // a rate-limit wait beyond a moment pauses the sync (settle: paused_rate_limited with resume_after), so the import
  // panel says "Waiting for Zoom's rate limit; resumes at …" rather than "Running" while the step sleeps
  const client = zoomClientFor(integrationId, { deadline, rateWaitMs: RATE_WAIT_IN_STEP_MS });
  const stored = decodeCursor(held.cursor);
  const start = stored?.start ??
    (held.list_created_after ? held.list_created_after.toISOString().slice(0, 10) : importStart(Date.now()));
  let cursor: ZoomCursor = stored ?? { window: firstWindow(Date.now(), start), pageToken: null };

  try {
    while (held.stage === "list" && Date.now() < deadline) {
      let page;
      try {
        page = await client.listRecordings({ ...cursor.window, nextPageToken: cursor.pageToken, pageSize: IMPORT_PAGE_SIZE });
      } catch (err) {
        // an expired next_page_token (Zoom: 15 minutes): list the window again from its first page
        if (err instanceof ZoomApiError && err.status === 400 && cursor.pageToken) {
          cursor = { window: cursor.window, pageToken: null };
          continue;
        }
        throw err;
      }
      const prepared: Prepared[] = [];
      for (const recording of page.meetings) prepared.push(await prepare(client, recording));
      const previous = page.nextPageToken ? null : previousWindow(cursor.window, start);
      const next: ZoomCursor | null = page.nextPageToken
        ? { window: cursor.window, pageToken: page.nextPageToken }
        : previous ? { window: previous, pageToken: null } : null;
      await asService(async (tx) => {
        await renewLease(tx, held);
        let linked = 0;
        for (const p of prepared) {
          linked += (await storeZoomMeeting(tx, { teamId: held.team_id, integrationId, source: "backfill" }, p.meeting, p.content)).linked;
        }
        const counts = { listed: prepared.length, linked };
        if (next) await markAsPageImported(tx, held, encodeCursor(next, start), counts);
        else await markAsListingCompleted(tx, held, counts);
      });
      if (next) cursor = next;
      else held.stage = "done";
      await opts.afterCheckpoint?.("list", { pages: 1, listEnded: !next });
    }
    await releaseLease(held);
    return held.stage === "list" ? { state: "more" } : { state: "done" };
  } catch (err) {
    return await settle(held, err);
  }
}

/** What a Zoom step's failure means (as fathom/backfill-step.ts classifyFailure does for Fathom's). */
export function classifyZoomFailure(err: unknown): Failure {
  if (err instanceof ZoomApiError) return { code: `zoom_${err.code}`, transient: err.transient || err.status === 401, resumable: err.transient };
  if (err instanceof AppError) {
    const transient = err.code === "provider_unavailable";
    return { code: err.code, transient, resumable: transient };
  }
  if (isTransientDbError(err)) return { code: "database_unavailable", transient: true, resumable: true };
  return { code: "internal_error", transient: false, resumable: false };
}

async function settle(lease: Lease, err: unknown): Promise<StepResult> {
  if (err instanceof LeaseLost) return { state: "busy" };
  if (err instanceof RateLimitedUntil) {
    await markAsPausedRateLimited(lease, err.until).catch((e) => logError("zoom sync: recording a pause", e));
    return { state: "paused", resumeAfter: err.until };
  }
  const failure = classifyZoomFailure(err);
  if (failure.code === "internal_error" || failure.code === "database_unavailable") logError("zoom sync step", err);
  else console.error(`[zoom sync step] ${failure.code}`);
  try {
    const row = await markAsFailedOrScheduleRetry(lease, failure);
    if (!row) return { state: "busy" };
    if (row.status === "failed") return { state: "failed", error: failure.code };
    return { state: "retry", resumeAfter: row.resume_after!.getTime() };
  } catch (recordErr) {
    logError("zoom sync: recording a failure", recordErr);
    return { state: "retry", resumeAfter: Date.now() + LEASE_SECONDS * 1000 };
  }
}
