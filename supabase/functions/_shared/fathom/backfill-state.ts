// The state of "Import past meetings" in integration_syncs (Twenty's message channel: status, stage, stage started
// at, cursor, counts, failure count), and every change of it, each a named transition of one statement or one short
// transaction (named the way Twenty's MessageChannelSyncStatusService names its own: markAsXOngoing,
// markAsCompleted, markAsFailed...). Nothing else writes integration_syncs.
//
//   status   idle | running | paused_rate_limited | failed | completed
//   stage    list     page through GET /meetings; the cursor is the last committed page. Fathom's listing is not a
//                     snapshot (meetings recorded meanwhile may be skipped or shift a page), so when the listing
//                     ends a final sweep lists what was created since the import began (minus SWEEP_OVERLAP);
//                     listed_count counts distinct recording ids (integration_sync_listed).
//            content  transcripts and summaries of pending meetings, one meeting per checkpoint.
//            done     status completed.
//   lease    locked_until / lease_token: one worker drives a sync at a time; a worker that dies leaves a lease that
//            simply expires. Every checkpoint renews it (renewLease) or learns it was lost.
//
// Transitions (from -> to):
//   startSyncFor                  any -> running (or paused_rate_limited while a pause lasts)
//   markAsStepOngoing             running | paused_rate_limited (pause over), unleased -> running, leased
//   renewLease                    leased -> leased (a checkpoint: failures forgotten)
//   markAsPageImported            list, leased -> list (cursor advanced)
//   markAsSweepOngoing            list (listing ended), leased -> list (sweep from the start)
//   markAsContentFetchOngoing     list (sweep ended), leased -> content
//   markAsContentFetched          content, leased -> content (done or failed counted)
//   markAsCompleted               content (nothing pending), leased -> done, completed
//   markAsListingCompleted        list (listing ended), leased -> done, completed (an import whose pages bring their
//                                 content: Zoom's, zoom/backfill-step.ts)
//   releaseLease                  leased -> unleased (status unchanged)
//   markAsPausedRateLimited       leased -> paused_rate_limited until resume_after, unleased
//   markAsFailedOrScheduleRetry   leased -> running with resume_after (transient) | failed, unleased
//   markDueFailedAsRunning        failed (resume_after passed), unleased -> running (an automatic resume)
import { asService, type Tx } from "../db.ts";
import { AppError } from "../errors.ts";

export const LEASE_SECONDS = 120;
/** Transient failures in a row before the sync is marked failed (an admin's POST resumes it; fathom-sync too, later). */
export const MAX_STEP_FAILURES = 5;
/** A failed sync whose failure was transient is resumed by fathom-sync after 5 min, then 10, 20, ... */
export const AUTO_RESUME_BASE_SECONDS = 300;
/** ... at most this many times in a row without progress (6: the last one about 5 h after the first failure). */
export const MAX_AUTO_RESUMES = 6;

/** Overlap of an incremental import with the previous one: Fathom's clock and ours need not agree. */
export const INCREMENTAL_OVERLAP = "1 hour";
/**
 * The final sweep lists meetings created after this import's start minus this overlap: the same margin, for the
 * same reasons (clock skew; a meeting's created_at may precede the moment it appears in the list). It costs a
 * page or a few: the meetings of the last hour.
 */
export const SWEEP_OVERLAP = INCREMENTAL_OVERLAP;

export type SyncStage = "list" | "content" | "done";

/** The providers whose meetings are imported on these states (zoom/backfill-step.ts runs on them too). */
export const MEETING_PROVIDERS = ["fathom", "zoom"] as const;
export type MeetingProvider = typeof MEETING_PROVIDERS[number];

export function isMeetingProvider(value: unknown): value is MeetingProvider {
  return (MEETING_PROVIDERS as readonly unknown[]).includes(value);
}

export interface SyncView {
  status: "idle" | "running" | "completed" | "failed" | "paused_rate_limited";
  stage: SyncStage;
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

/** A step's hold on a sync: what markAsStepOngoing returned, kept up to date by the step as it checkpoints. */
export interface Lease {
  integration_id: string;
  team_id: string;
  stage: SyncStage;
  cursor: string | null;
  lease_token: string;
  webhook_id: string | null;
  list_created_after: Date | null;
  /** set once the main listing ended: the final sweep lists meetings created after it */
  list_sweep_after: Date | null;
}

/** Thrown inside a checkpoint whose lease expired and was taken by another worker: the checkpoint rolls back. */
export class LeaseLost extends Error {}

const viewColumns = (tx: Tx) =>
  tx`s.status, s.stage, s.listed_count, s.linked_count, s.content_total, s.content_done, s.content_failed,
     s.last_error, s.last_synced_at, s.started_at, s.finished_at, s.resume_after, s.list_created_after`;

/**
 * The team's import of past meetings from `provider` (a meeting provider: "fathom" or "zoom", which share these
 * states), or null (no import yet), read in the caller's transaction (the api's member gate).
 */
export async function readSyncView(tx: Tx, teamId: string, provider: MeetingProvider = "fathom"): Promise<SyncView | null> {
  const rows = await tx<SyncView[]>`
    select ${viewColumns(tx)},
           -- meetings whose summary (or transcript) Fathom has not finished yet: the sweep fetches them later
           (select count(*)::int from public.meetings m
             where m.team_id = s.team_id and m.provider = i.provider and m.content_status = 'pending'
               and m.content_last_error in ('summary_not_ready', 'transcript_not_ready')) as content_waiting
      from public.integration_syncs s
      join public.team_integrations i on i.id = s.integration_id and i.provider = ${provider}
     where s.team_id = ${teamId}`;
  return rows[0] ?? null;
}

export interface StartOptions {
  /** list the whole history even when an earlier import completed (default: only what is new since then) */
  full?: boolean;
}

/**
 * any -> running (one transaction, as the service): create or reset the sync row. A running or paused sync is
 * returned as it is (it resumes; paused stays paused until resume_after, and markAsStepOngoing lets it run then); a
 * failed one resumes from its checkpoint; a completed one starts a new import of what was created since it began
 * (or of everything with `full`), a never started one imports everything. A new import forgets what the previous
 * one listed and gives the meetings whose content failed before another chance. 409 not_connected when the
 * integration is gone.
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
               where i.id = ${integrationId} and m.team_id = i.team_id and m.provider = 'fathom'
                 and m.content_status = 'failed'`;
    }
    if (view.resume_after) {
      await tx`update public.integration_syncs set status = 'paused_rate_limited'
                where integration_id = ${integrationId} and resume_after > now()`;
    }
    return view;
  });
}

/**
 * running | paused_rate_limited whose pause is over, unleased -> running, leased (one transaction): the lease, or
 * why not: "idle" (no running sync), "busy" (another worker holds it), or when a pause ends.
 */
export async function markAsStepOngoing(
  integrationId: string,
): Promise<Lease | "busy" | "idle" | { resumeAfter: number }> {
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

/**
 * leased -> leased, the first statement of every checkpoint transaction: the lease must still be ours (else
 * LeaseLost, and the checkpoint rolls back) and is extended; progress forgets earlier failures and auto-resumes.
 */
export async function renewLease(tx: Tx, lease: Lease): Promise<void> {
  const rows = await tx`
    update public.integration_syncs set locked_until = now() + make_interval(secs => ${LEASE_SECONDS}), failure_count = 0,
           auto_resumes = 0
     where integration_id = ${lease.integration_id} and lease_token = ${lease.lease_token}
     returning integration_id`;
  if (rows.length === 0) throw new LeaseLost("the step lease was lost");
}

/** What a list checkpoint adds to the counts: distinct recordings newly listed, meeting-lead links made. */
export interface ListedCounts {
  listed: number;
  linked: number;
}

/** list -> list, inside the checkpoint: the page's cursor is committed with the meetings it imported. */
export async function markAsPageImported(tx: Tx, lease: Lease, next: string, counts: ListedCounts): Promise<void> {
  await tx`update public.integration_syncs set cursor = ${next},
             listed_count = listed_count + ${counts.listed}, linked_count = linked_count + ${counts.linked}
           where integration_id = ${lease.integration_id}`;
}

/**
 * list (the main listing ended) -> list (the final sweep), inside the checkpoint: list again, from the start, what
 * was created since this import began (see SWEEP_OVERLAP). Returns the sweep's created_after.
 */
export async function markAsSweepOngoing(tx: Tx, lease: Lease, counts: ListedCounts): Promise<Date> {
  const [row] = await tx<{ list_sweep_after: Date }[]>`
    update public.integration_syncs s set cursor = null,
             list_sweep_after = greatest(s.list_created_after,
                                         coalesce(s.started_at, now()) - ${SWEEP_OVERLAP}::interval),
             listed_count = listed_count + ${counts.listed}, linked_count = linked_count + ${counts.linked}
           where integration_id = ${lease.integration_id}
           returning s.list_sweep_after`;
  return row.list_sweep_after;
}

/**
 * list (the sweep ended) -> content, inside the checkpoint: content_total is every pending meeting of the team, and
 * the listed recording ids are forgotten (they only served the distinct count).
 */
export async function markAsContentFetchOngoing(tx: Tx, lease: Lease, counts: ListedCounts): Promise<void> {
  await tx`update public.integration_syncs s set cursor = null, stage = 'content', stage_started_at = now(),
             listed_count = listed_count + ${counts.listed}, linked_count = linked_count + ${counts.linked},
             content_total = (select count(*) from public.meetings m
                               where m.team_id = s.team_id and m.provider = 'fathom'
                                 and m.content_status = 'pending')
           where integration_id = ${lease.integration_id}`;
  await tx`delete from public.integration_sync_listed where integration_id = ${lease.integration_id}`;
}

/**
 * Inside a list checkpoint: records that this import listed these recordings; returns how many it had not listed
 * before (the distinct count that listed_count adds up: a shifted page or the final sweep shows some twice).
 */
export async function markListed(tx: Tx, lease: Lease, recordingIds: number[]): Promise<number> {
  if (recordingIds.length === 0) return 0;
  const [row] = await tx<{ n: number }[]>`
    with added as (
      insert into public.integration_sync_listed (integration_id, recording_id)
      select ${lease.integration_id}, unnest(${tx.array(recordingIds)}::bigint[])
      on conflict do nothing
      returning 1)
    select count(*)::int as n from added`;
  return row.n;
}

/** content -> content, inside the checkpoint: one meeting's content stored (or already there), or given up on. */
export async function markAsContentFetched(tx: Tx, lease: Lease, outcome: "done" | "failed"): Promise<void> {
  if (outcome === "done") {
    await tx`update public.integration_syncs set content_done = content_done + 1
              where integration_id = ${lease.integration_id}`;
  } else {
    await tx`update public.integration_syncs set content_failed = content_failed + 1
              where integration_id = ${lease.integration_id}`;
  }
}

/** content (nothing left pending) -> done, completed, inside the checkpoint. */
export async function markAsCompleted(tx: Tx, lease: Lease): Promise<void> {
  await tx`update public.integration_syncs set stage = 'done', stage_started_at = now(), status = 'completed',
             finished_at = now(), last_synced_at = now(), failure_count = 0, last_error = null,
             content_total = greatest(content_total, content_done + content_failed)
           where integration_id = ${lease.integration_id}`;
}

/**
 * list (the listing ended) -> done, completed, inside the checkpoint, for an import without a content stage (Zoom's
 * pages carry each meeting's transcript): the last page's counts added, no content counted.
 */
export async function markAsListingCompleted(tx: Tx, lease: Lease, counts: ListedCounts): Promise<void> {
  await tx`update public.integration_syncs set cursor = null, stage = 'done', stage_started_at = now(), status = 'completed',
             finished_at = now(), last_synced_at = now(), failure_count = 0, last_error = null,
             listed_count = listed_count + ${counts.listed}, linked_count = linked_count + ${counts.linked}
           where integration_id = ${lease.integration_id}`;
}

/** leased -> unleased, status unchanged (a finished or budget-spent step). One statement. */
export async function releaseLease(lease: Lease): Promise<void> {
  await asService(async (tx) => {
    await tx`
      update public.integration_syncs set locked_until = null, lease_token = null, resume_after = null
      where integration_id = ${lease.integration_id} and lease_token = ${lease.lease_token}`;
  });
}

/** leased -> paused_rate_limited until `until` (epoch ms), unleased: Fathom's rate limit outlasts the step. */
export async function markAsPausedRateLimited(lease: Lease, until: number): Promise<void> {
  await asService(async (tx) => {
    await tx`
      update public.integration_syncs set
        locked_until = null, lease_token = null,
        status = 'paused_rate_limited',
        resume_after = ${new Date(until).toISOString()}
      where integration_id = ${lease.integration_id} and lease_token = ${lease.lease_token}`;
  });
}

/** How a step failed (backfill-step.ts classifyFailure). */
export interface Failure {
  code: string;
  /** worth another step soon (with backoff, up to MAX_STEP_FAILURES in a row) */
  transient: boolean;
  /** once the sync failed of it, fathom-sync resumes it later (an outage may end; a revoked grant does not) */
  resumable: boolean;
}

/**
 * leased -> running with resume_after | failed, unleased: a step's failure and the lease given back in one
 * statement. A transient one sets resume_after (5 s, doubling, at most 5 min) and keeps the sync running; the
 * MAX_STEP_FAILURES-th, or a permanent one, marks it failed, with resume_after = when fathom-sync resumes it if the
 * failure is resumable (AUTO_RESUME_BASE_SECONDS, doubling, MAX_AUTO_RESUMES times), else null. Null when the lease
 * was no longer ours (another worker holds it now).
 */
export async function markAsFailedOrScheduleRetry(
  lease: Lease,
  { code, transient, resumable }: Failure,
): Promise<{ status: string; resume_after: Date | null } | null> {
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
  return row ?? null;
}

/**
 * failed (its resume_after has come), unleased -> running, counting an automatic resume (one statement, in the
 * caller's transaction). Until then the UI shows such a sync failed with its last_error (and when it resumes); a
 * failed sync without resume_after (needs_reauth, not_connected, a 4xx, an internal error) waits for an admin.
 */
export async function markDueFailedAsRunning(tx: Tx): Promise<void> {
  await tx`
    update public.integration_syncs set status = 'running', failure_count = 0, resume_after = null,
           auto_resumes = auto_resumes + 1
     where status = 'failed' and resume_after <= now()
       and (locked_until is null or locked_until < now())`;
}

/** Syncs that should be moving but have no live driver: up to 20, the least recently touched first. */
export async function syncsWithoutDriver(tx: Tx): Promise<string[]> {
  const rows = await tx<{ integration_id: string }[]>`
    select integration_id from public.integration_syncs
     where status in ('running', 'paused_rate_limited')
       and (resume_after is null or resume_after <= now())
       and (locked_until is null or locked_until < now())
     order by updated_at
     limit 20`;
  return rows.map((r) => r.integration_id);
}
