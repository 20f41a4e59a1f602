// "Import past meetings": a resumable state machine in integration_syncs (Twenty's message channel: status, stage,
// stage started at, cursor, counts, failure count).
//   stage list     page through GET /meetings (10 per page). Each page is ONE transaction: meetings upserted, leads
//                  linked, events appended, cursor and counts advanced. A crash resumes from the last committed
//                  cursor; re-importing a page changes nothing (importMeeting is idempotent). Fathom's listing is
//                  not a snapshot: meetings recorded meanwhile may be skipped or shift a page (a re-read), so when
//                  the listing ends a final sweep lists what was created since the import began (minus an
//                  overlap), and listed_count counts distinct recording ids (integration_sync_listed).
//   stage content  transcripts and summaries of pending meetings, meetings linked to a lead first, then the most
//                  recent; one meeting (two calls) per checkpoint.
//   stage done     status completed.
// A step runs under a lease (locked_until / lease_token), so two workers never drive the same sync; a worker that
// dies leaves a lease that simply expires. Every checkpoint re-checks the lease. Fathom's rate limit is paced by
// the client; a wait that does not fit the step's budget pauses the sync (paused_rate_limited, resume_after).
// Failures: a transient one (Fathom 5xx or unreachable, the database gone) is retried with backoff up to
// MAX_STEP_FAILURES; then, or at once for a permanent one, the sync is 'failed'. A failed sync whose failure was
// transient keeps a resume_after, and fathom-sync (every minute) resumes it then (dueSyncs).
import { requireTeamAdmin, loadMembership } from "../auth.ts";
import { asService, asUser, isDataError, isTransientDbError, type Tx, type UserClaims } from "../db.ts";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import { FathomApiError, type MeetingsPage } from "./client.ts";
import { fathomClientFor } from "./connection.ts";
import { fetchAndStoreContent, type PendingMeeting, pendingMeetingColumns } from "./content.ts";
import { type ImportResult, importMeetings } from "./import.ts";
import type { SkippedMeeting } from "./wire.ts";
import { RateLimitedUntil } from "./pacer.ts";
import { ensureWebhook } from "./webhook-registration.ts";

export const LEASE_SECONDS = 120;
/** A driver stops after this much wall clock and re-schedules itself (edge functions: 150-400 s per request). */
export const DRIVE_BUDGET_MS = 120_000;
/** Transient failures in a row before the sync is marked failed (an admin's POST resumes it; fathom-sync too, later). */
export const MAX_STEP_FAILURES = 5;
/** A failed sync whose failure was transient is resumed by fathom-sync after 5 min, then 10, 20, ... */
export const AUTO_RESUME_BASE_SECONDS = 300;
/** ... at most this many times in a row without progress (6: the last one about 5 h after the first failure). */
export const MAX_AUTO_RESUMES = 6;

export interface SyncView {
  status: "idle" | "running" | "completed" | "failed" | "paused_rate_limited";
  stage: "list" | "content" | "done";
  listed_count: number;
  linked_count: number;
  content_total: number;
  content_done: number;
  content_failed: number;
  last_error: string | null;
  last_synced_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  resume_after: string | null;
  /** this import lists meetings created after this instant; null = the whole history */
  list_created_after: string | null;
  /** (GET only) meetings of the team waiting for Fathom to finish a summary or transcript; fetched later */
  content_waiting?: number;
}

/** Overlap of an incremental import with the previous one: Fathom's clock and ours need not agree. */
export const INCREMENTAL_OVERLAP = "1 hour";
/**
 * The final sweep lists meetings created after this import's start minus this overlap: the same margin, for the
 * same reasons (clock skew; a meeting's created_at may precede the moment it appears in the list). It costs a
 * page or a few: the meetings of the last hour.
 */
export const SWEEP_OVERLAP = INCREMENTAL_OVERLAP;

const viewColumns = (tx: Tx) =>
  tx`s.status, s.stage, s.listed_count, s.linked_count, s.content_total, s.content_done, s.content_failed,
     s.last_error, s.last_synced_at, s.started_at, s.finished_at, s.resume_after, s.list_created_after`;

// ---------------------------------------------------------------------------------------------------------------
// reading and starting (the api routes)

/** The team's Fathom sync for a member, or null (no sync yet). 404 team_not_found for non-members. */
export async function getSync(claims: UserClaims, teamId: string): Promise<SyncView | null> {
  return await asUser(claims, async (tx) => {
    if (!await loadMembership(tx, teamId)) throw new AppError("team_not_found", "Team not found.");
    const rows = await tx<SyncView[]>`
      select ${viewColumns(tx)},
             -- meetings whose summary (or transcript) Fathom has not finished yet: the sweep fetches them later
             (select count(*)::int from public.meetings m
               where m.team_id = s.team_id and m.content_status = 'pending'
                 and m.content_last_error in ('summary_not_ready', 'transcript_not_ready')) as content_waiting
        from public.integration_syncs s
        join public.team_integrations i on i.id = s.integration_id and i.provider = 'fathom'
       where s.team_id = ${teamId}`;
    return rows[0] ?? null;
  });
}

export interface StartOptions {
  /** list the whole history even when an earlier import completed (default: only what is new since then) */
  full?: boolean;
}

/**
 * Start "Import past meetings" for a team (admins), or resume the one in progress / paused / failed. Returns the
 * sync and the integration to drive. 409 not_connected when Fathom is not connected.
 */
export async function startSync(
  claims: UserClaims,
  teamId: string,
  opts: StartOptions = {},
): Promise<{ integrationId: string; sync: SyncView }> {
  await asUser(claims, (tx) => requireTeamAdmin(tx, teamId));
  const integrationId = await asService(async (tx) => {
    const rows = await tx<{ id: string }[]>`
      select id from public.team_integrations where team_id = ${teamId} and provider = 'fathom' and status = 'connected'`;
    return rows[0]?.id ?? null;
  });
  if (!integrationId) throw new AppError("not_connected", "Connect Fathom first.");
  return { integrationId, sync: await startSyncFor(integrationId, opts) };
}

/**
 * As the service: create or reset the sync row. A running or paused sync is returned as it is (it resumes); a
 * failed one resumes from its checkpoint; a completed one starts a new import of what was created since it began
 * (or of everything with `full`), a never started one imports everything. A new import also gives the meetings
 * whose content failed before another chance.
 */
export async function startSyncFor(integrationId: string, opts: StartOptions = {}): Promise<SyncView> {
  const full = opts.full === true;
  return await asService(async (tx) => {
    const [sync] = await tx<(SyncView & { resumed: boolean })[]>`
      insert into public.integration_syncs as s (integration_id, team_id, status, stage, stage_started_at, started_at)
      select i.id, i.team_id, 'running', 'list', now(), now() from public.team_integrations i where i.id = ${integrationId}
      on conflict (integration_id) do update set
        status = 'running',
        failure_count = 0,
        last_error = null,
        last_error_at = null,
        finished_at = null,
        resume_after = case when s.status = 'paused_rate_limited' then s.resume_after else null end,
        -- from scratch unless there is progress to resume
        stage = case when s.status in ('running', 'paused_rate_limited', 'failed') then s.stage else 'list' end,
        stage_started_at = case when s.status in ('running', 'paused_rate_limited', 'failed') then s.stage_started_at
                                else now() end,
        cursor = case when s.status in ('running', 'paused_rate_limited', 'failed') then s.cursor else null end,
        listed_count = case when s.status in ('running', 'paused_rate_limited', 'failed') then s.listed_count else 0 end,
        linked_count = case when s.status in ('running', 'paused_rate_limited', 'failed') then s.linked_count else 0 end,
        content_total = case when s.status in ('running', 'paused_rate_limited', 'failed') then s.content_total else 0 end,
        content_done = case when s.status in ('running', 'paused_rate_limited', 'failed') then s.content_done else 0 end,
        content_failed = case when s.status in ('running', 'paused_rate_limited', 'failed') then s.content_failed
                              else 0 end,
        started_at = case when s.status in ('running', 'paused_rate_limited', 'failed') then s.started_at else now() end,
        list_created_after = case
          when s.status in ('running', 'paused_rate_limited', 'failed') then s.list_created_after
          when s.status = 'completed' and not ${full} then s.started_at - ${INCREMENTAL_OVERLAP}::interval
          else null end,
        list_sweep_after = case when s.status in ('running', 'paused_rate_limited', 'failed') then s.list_sweep_after
                                else null end,
        auto_resumes = 0
      returning ${viewColumns(tx)}, (s.started_at < now()) as resumed -- a new import has started_at = now()`;
    if (!sync) throw new AppError("not_connected", "Connect Fathom first.");
    const { resumed, ...view } = sync;
    if (!resumed) {
      await tx`delete from public.integration_sync_listed where integration_id = ${integrationId}`;
      await tx`update public.meetings m set content_status = 'pending', content_attempts = 0
                from public.team_integrations i
               where i.id = ${integrationId} and m.team_id = i.team_id and m.content_status = 'failed'`;
    }
    // paused stays paused until resume_after; the lease query lets it run then
    if (view.resume_after) {
      await tx`update public.integration_syncs set status = 'paused_rate_limited'
                where integration_id = ${integrationId} and resume_after > now()`;
    }
    return view;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// one step

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

interface Lease {
  integration_id: string;
  team_id: string;
  stage: "list" | "content" | "done";
  cursor: string | null;
  lease_token: string;
  webhook_id: string | null;
  list_created_after: Date | null;
  /** set once the main listing ended: the final sweep lists meetings created after it */
  list_sweep_after: Date | null;
}

async function takeLease(integrationId: string): Promise<Lease | "busy" | "idle" | { resumeAfter: number }> {
  return await asService(async (tx) => {
    const rows = await tx<Lease[]>`
      update public.integration_syncs s set
        locked_until = now() + make_interval(secs => ${LEASE_SECONDS}),
        lease_token = gen_random_uuid(),
        status = 'running',
        resume_after = null
      from public.team_integrations i
      where s.integration_id = ${integrationId} and i.id = s.integration_id
        and s.status in ('running', 'paused_rate_limited')
        and (s.resume_after is null or s.resume_after <= now())
        and (s.locked_until is null or s.locked_until < now())
      returning s.integration_id, s.team_id, s.stage, s.cursor, s.lease_token, i.webhook_id, s.list_created_after,
                s.list_sweep_after`;
    if (rows[0]) return rows[0];
    const [existing] = await tx<{ status: string; resume_after: Date | null; leased: boolean }[]>`
      select status, resume_after, (locked_until is not null and locked_until >= now()) as leased
        from public.integration_syncs where integration_id = ${integrationId}`;
    if (!existing || (existing.status !== "running" && existing.status !== "paused_rate_limited")) return "idle";
    if (!existing.leased && existing.resume_after) return { resumeAfter: existing.resume_after.getTime() };
    return "busy";
  });
}

class LeaseLost extends Error {}

/** Inside a checkpoint transaction: the lease must still be ours (and is extended). */
async function holdLease(tx: Tx, lease: Lease): Promise<void> {
  const rows = await tx`
    update public.integration_syncs set locked_until = now() + make_interval(secs => ${LEASE_SECONDS}), failure_count = 0,
           auto_resumes = 0
     where integration_id = ${lease.integration_id} and lease_token = ${lease.lease_token}
     returning integration_id`;
  if (rows.length === 0) throw new LeaseLost("the step lease was lost");
}

/** Give the lease back (a finished or budget-spent step), or pause until resume_after (rate limited). */
async function release(lease: Lease, fields: { status?: "paused_rate_limited"; resume_after?: string } = {}) {
  await asService(async (tx) => {
    await tx`
      update public.integration_syncs set
        locked_until = null, lease_token = null,
        status = coalesce(${fields.status ?? null}, status),
        resume_after = ${fields.resume_after ?? null}
      where integration_id = ${lease.integration_id} and lease_token = ${lease.lease_token}`;
  });
}

/** Pending meetings of the team, the ones linked to a lead first, then the most recent. */
async function nextPendingMeeting(tx: Tx, teamId: string) {
  // a meeting whose summary Fathom has not finished waits out its pause (content_retry_after); the every-minute
  // sweep fetches it after the import
  const rows = await tx<PendingMeeting[]>`
    select ${pendingMeetingColumns(tx)}
      from public.meetings m
     where m.team_id = ${teamId} and m.content_status = 'pending'
       and (m.content_retry_after is null or m.content_retry_after <= now())
     order by exists (select 1 from public.meeting_leads ml where ml.meeting_id = m.id) desc,
              m.recording_start_time desc nulls last, m.id
     limit 1`;
  return rows[0] ?? null;
}

/**
 * Records that this import listed these recordings; returns how many it had not listed before (the distinct count
 * that listed_count adds up: a shifted page or the final sweep shows some meetings twice).
 */
async function markListed(tx: Tx, integrationId: string, recordingIds: number[]): Promise<number> {
  if (recordingIds.length === 0) return 0;
  const [row] = await tx<{ n: number }[]>`
    with added as (
      insert into public.integration_sync_listed (integration_id, recording_id)
      select ${integrationId}, unnest(${tx.array(recordingIds)}::bigint[])
      on conflict do nothing
      returning 1)
    select count(*)::int as n from added`;
  return row.n;
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

/** Pages fetched ahead of the one being stored, at most (10 meetings each). */
const PAGES_AHEAD = 10;

/**
 * Fetches a listing's pages one after the other (each cursor comes from the page before), ahead of the caller,
 * until the listing ends, PAGES_AHEAD are waiting, or the step's deadline passes. `take()` resolves with every page
 * that has arrived (at least one; none once it stopped at the deadline); a fetch's error is thrown by `take()` once the pages before it were taken.
 */
function pageFeed(listPage: (cursor: string | null) => Promise<MeetingsPage>, cursor: string | null, deadline: number) {
  const arrived: MeetingsPage[] = [];
  let failure: { error: unknown } | null = null;
  let finished = false;
  let stopped = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const changed = () => new Promise<void>((resolve) => (wake = resolve));
  void (async () => {
    try {
      for (let next = cursor; !stopped;) {
        while (arrived.length >= PAGES_AHEAD && !stopped) await changed();
        if (stopped) break;
        const page = await listPage(next);
        arrived.push(page);
        notify();
        next = page.next_cursor || null;
        if (!next || Date.now() >= deadline) break;
      }
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
      notify();
    }
  })();
  return {
    async take(): Promise<MeetingsPage[]> {
      while (arrived.length === 0) {
        if (failure) throw failure.error;
        if (finished) return []; // it stopped at the deadline

        await changed();
      }
      const pages = arrived.splice(0);
      notify(); // room for more
      return pages;
    },
    stop() {
      stopped = true;
      notify();
    },
  };
}

/** A transient database failure before any lease was taken: nothing to record, try again after this long. */
const LEASE_RETRY_MS = 5_000;

export async function runSyncStep(integrationId: string, opts: StepOptions): Promise<StepResult> {
  let lease: Awaited<ReturnType<typeof takeLease>>;
  try {
    lease = await takeLease(integrationId);
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
  let feed: ReturnType<typeof pageFeed> | null = null;

  try {
    // The webhook is the main path; if registering it failed at connect time, try again now (best effort).
    if (!held.webhook_id) await ensureWebhook(client, integrationId);

    while (Date.now() < deadline) {
      if (held.stage === "list") {
        // Pass 1 is bound by Fathom's rate limit, not by our database: pages are fetched ahead (paced by the
        // client) while earlier ones are stored, and whatever has arrived meanwhile is stored in ONE transaction,
        // so a slower database (the embedded one) stores bigger batches instead of falling behind. A crash or a
        // lost lease merely wastes the calls ahead; the checkpoint is what counts.
        feed ??= pageFeed(listPage, held.cursor, deadline);
        const batch = await feed.take();
        if (batch.length === 0) {
          feed = null;
          break; // the deadline passed while fetching: the next step goes on from the checkpoint
        }
        const last = batch.at(-1)!;
        const next = last.next_cursor || null;
        if (!next) feed = null; // the listing (or the sweep) ended: a sweep starts a feed of its own
        const page = {
          items: batch.flatMap((p) => p.items),
          skipped: batch.flatMap((p) => p.skipped),
        };
        const sweepAfter = await asService(async (tx) => {
          await holdLease(tx, held);
          const { results, refused } = await importBatch(tx, {
            teamId: held.team_id,
            integrationId,
            meetings: page.items,
            source: "backfill",
          });
          const linked = new Set(results.flatMap((r) => r.linkedLeadIds.map((lead) => `${r.meetingId}:${lead}`))).size;
          // a meeting that cannot be stored at all (no usable recording_id, or refused by the database) is skipped
          // with its reason, never the page
          for (const skipped of [...page.skipped, ...refused]) {
            // once per recording and reason (the final sweep lists recent meetings again); an item without a
            // recording id cannot be told apart, so each listing of it is recorded
            await tx`insert into public.integration_events (team_id, integration_id, provider, type, subject_type,
                                                            subject_id, payload, idempotency_key)
                     values (${lease.team_id}, ${integrationId}, 'fathom', 'fathom.meeting.skipped', 'meeting',
                             ${skipped.recording_id === null ? null : String(skipped.recording_id)},
                             ${tx.json({ ...skipped, source: "backfill" })},
                             ${skipped.recording_id === null
                               ? null
                               : `fathom.meeting.skipped:${skipped.recording_id}:${skipped.reason}`})
                     on conflict (team_id, idempotency_key) where idempotency_key is not null do nothing`;
          }
          const listed = await markListed(tx, integrationId, page.items.map((m) => m.recording_id));
          if (next) {
            await tx`update public.integration_syncs set cursor = ${next},
                       listed_count = listed_count + ${listed}, linked_count = linked_count + ${linked}
                     where integration_id = ${integrationId}`;
            return held.list_sweep_after;
          }
          if (!held.list_sweep_after) {
            // the main listing ended: sweep what was created since this import began (see SWEEP_OVERLAP)
            const [row] = await tx<{ list_sweep_after: Date }[]>`
              update public.integration_syncs s set cursor = null,
                       list_sweep_after = greatest(s.list_created_after,
                                                   coalesce(s.started_at, now()) - ${SWEEP_OVERLAP}::interval),
                       listed_count = listed_count + ${listed}, linked_count = linked_count + ${linked}
                     where integration_id = ${integrationId}
                     returning s.list_sweep_after`;
            return row.list_sweep_after;
          }
          await tx`update public.integration_syncs s set cursor = null, stage = 'content', stage_started_at = now(),
                     listed_count = listed_count + ${listed}, linked_count = linked_count + ${linked},
                     content_total = (select count(*) from public.meetings m
                                       where m.team_id = s.team_id and m.content_status = 'pending')
                   where integration_id = ${integrationId}`;
          await tx`delete from public.integration_sync_listed where integration_id = ${integrationId}`;
          return held.list_sweep_after;
        });
        if (!next && held.list_sweep_after) held.stage = "content";
        held.cursor = next;
        held.list_sweep_after = sweepAfter;
        await opts.afterCheckpoint?.("list", { pages: batch.length, listEnded: held.stage !== "list" });
        continue;
      }

      if (held.stage === "content") {
        const meeting = await asService((tx) => nextPendingMeeting(tx, held.team_id));
        if (!meeting) {
          await asService(async (tx) => {
            await holdLease(tx, held);
            await tx`update public.integration_syncs set stage = 'done', stage_started_at = now(), status = 'completed',
                       finished_at = now(), last_synced_at = now(), failure_count = 0, last_error = null,
                       content_total = greatest(content_total, content_done + content_failed)
                     where integration_id = ${integrationId}`;
          });
          held.stage = "done";
          continue;
        }
        const outcome = await fetchAndStoreContent(client, meeting);
        await asService(async (tx) => {
          await holdLease(tx, held);
          if (outcome === "stored" || outcome === "already_complete") {
            await tx`update public.integration_syncs set content_done = content_done + 1
                      where integration_id = ${integrationId}`;
          } else if (outcome === "failed") {
            await tx`update public.integration_syncs set content_failed = content_failed + 1
                      where integration_id = ${integrationId}`;
          }
        });
        await opts.afterCheckpoint?.("content");
        continue;
      }

      feed?.stop();
      await release(held);
      return { state: "done" };
    }
    feed?.stop();
    await release(held);
    return { state: "more" };
  } catch (err) {
    feed?.stop();
    return await stepFailed(held, err);
  }
}

/** What a step's failure means: its code (last_error), whether the step retries it, whether fathom-sync resumes it. */
export interface FailureKind {
  code: string;
  /** worth another step soon (with backoff, up to MAX_STEP_FAILURES in a row) */
  transient: boolean;
  /** once the sync failed of it, fathom-sync resumes it later (an outage may end; a revoked grant does not) */
  resumable: boolean;
}

export function classifyFailure(err: unknown): FailureKind {
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
 * Record a step's failure and give the lease back in one statement: a transient one sets resume_after (5 s,
 * doubling, at most 5 min) and keeps the sync running; the MAX_STEP_FAILURES-th, or a permanent one, marks it
 * failed, with resume_after = when fathom-sync resumes it if the failure is resumable (else null). When even that
 * cannot be written (the database is still gone), nothing is: the lease expires and the sync resumes from its last
 * checkpoint.
 */
async function stepFailed(lease: Lease, err: unknown): Promise<StepResult> {
  if (err instanceof LeaseLost) return { state: "busy" };
  if (err instanceof RateLimitedUntil) {
    try {
      await release(lease, { status: "paused_rate_limited", resume_after: new Date(err.until).toISOString() });
    } catch (releaseErr) {
      logError("fathom sync: recording a pause", releaseErr);
    }
    return { state: "paused", resumeAfter: err.until };
  }
  const { code, transient, resumable } = classifyFailure(err);
  if (code === "internal_error" || code === "database_unavailable") logError("fathom sync step", err);
  else console.error(`[fathom sync step] ${code}`);

  try {
    const [row] = await asService((tx) =>
      tx<{ status: string; resume_after: Date | null }[]>`
        update public.integration_syncs set
          locked_until = null, lease_token = null,
          failure_count = failure_count + 1,
          last_error = ${code}, last_error_at = now(),
          status = case when ${transient} and failure_count + 1 < ${MAX_STEP_FAILURES} then status else 'failed' end,
          resume_after = case
            when ${transient} and failure_count + 1 < ${MAX_STEP_FAILURES}
              then now() + make_interval(secs => least(300, 5 * power(2, failure_count)))
            when ${resumable} and auto_resumes < ${MAX_AUTO_RESUMES}
              then now() + make_interval(secs => ${AUTO_RESUME_BASE_SECONDS} * power(2, auto_resumes))
            else null end
        where integration_id = ${lease.integration_id} and lease_token = ${lease.lease_token}
        returning status, resume_after`
    );
    if (!row) return { state: "busy" }; // the lease had expired and another worker holds it now
    if (row.status === "failed") return { state: "failed", error: code };
    return { state: "retry", resumeAfter: row.resume_after!.getTime() };
  } catch (recordErr) {
    logError("fathom sync: recording a failure", recordErr);
    return { state: "retry", resumeAfter: Date.now() + LEASE_SECONDS * 1000 };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// driving

export interface DriveOptions {
  budgetMs?: number;
  /** per step; a step checkpoints after every unit of work anyway */
  stepBudgetMs?: number;
  /** re-schedule when the budget is spent or a pause ends (default true; tests drive by hand) */
  reschedule?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Run steps until the sync is done, fails, or the wall-clock budget is spent; then re-schedule. Waits for a
 * rate-limit pause in place when it ends within the budget.
 */
export async function driveSync(integrationId: string, opts: DriveOptions = {}): Promise<StepResult> {
  const budgetMs = opts.budgetMs ?? DRIVE_BUDGET_MS;
  const end = Date.now() + budgetMs;
  for (;;) {
    const remaining = end - Date.now();
    if (remaining <= 0) {
      if (opts.reschedule !== false) scheduleDrive(integrationId);
      return { state: "more" };
    }
    const result = await runSyncStep(integrationId, { budgetMs: Math.min(remaining, opts.stepBudgetMs ?? remaining) });
    switch (result.state) {
      case "more":
        continue;
      case "paused":
      case "retry":
        if (result.resumeAfter <= end) {
          await sleep(result.resumeAfter - Date.now());
          continue;
        }
        if (opts.reschedule !== false) scheduleDrive(integrationId, result.resumeAfter - Date.now());
        return result;
      default:
        return result;
    }
  }
}

declare const EdgeRuntime: { waitUntil(promise: Promise<unknown>): void } | undefined;

/**
 * Continue a sync in the background. On Supabase the promise is handed to EdgeRuntime.waitUntil (the isolate stays
 * up until it settles, within the platform's wall-clock limit); locally the gateway process simply keeps running
 * the detached promise. A sync whose driver died anyway (isolate recycled, deploy) is picked up by the fathom-sync
 * function, which pg_cron calls every minute in production (docs: fathom-sync/index.ts).
 */
export function scheduleDrive(integrationId: string, delayMs = 0): void {
  const work = (async () => {
    if (delayMs > 0) await sleep(delayMs);
    await driveSync(integrationId);
  })().catch((err) => logError("fathom sync drive", err));
  if (typeof EdgeRuntime !== "undefined" && EdgeRuntime?.waitUntil) EdgeRuntime.waitUntil(work);
}

/**
 * For the cron entry point: syncs that should be moving but have no live driver (up to 20). First, failed syncs
 * whose resume_after has come (a transient failure, see stepFailed) are put back to running, counting an
 * automatic resume: until then the UI shows them failed with their last_error (and when they will resume), from
 * then on running. A failed sync without resume_after (needs_reauth, not_connected, a 4xx, an internal error) waits
 * for an admin.
 */
export async function dueSyncs(): Promise<string[]> {
  const rows = await asService(async (tx) => {
    await tx`
      update public.integration_syncs set status = 'running', failure_count = 0, resume_after = null,
             auto_resumes = auto_resumes + 1
       where status = 'failed' and resume_after <= now()
         and (locked_until is null or locked_until < now())`;
    return await tx<{ integration_id: string }[]>`
      select integration_id from public.integration_syncs
       where status in ('running', 'paused_rate_limited')
         and (resume_after is null or resume_after <= now())
         and (locked_until is null or locked_until < now())
       order by updated_at
       limit 20`;
  });
  return rows.map((r) => r.integration_id);
}
