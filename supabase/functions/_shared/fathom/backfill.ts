// "Import past meetings": a resumable state machine in integration_syncs (Twenty's message channel: status, stage,
// stage started at, cursor, counts, failure count).
//   stage list     page through GET /meetings (10 per page). Each page is ONE transaction: meetings upserted, leads
//                  linked, events appended, cursor and counts advanced. A crash resumes from the last committed
//                  cursor; re-importing a page changes nothing (importMeeting is idempotent).
//   stage content  transcripts and summaries of pending meetings, meetings linked to a lead first, then the most
//                  recent; one meeting (two calls) per checkpoint.
//   stage done     status completed.
// A step runs under a lease (locked_until / lease_token), so two workers never drive the same sync; a worker that
// dies leaves a lease that simply expires. Every checkpoint re-checks the lease. Fathom's rate limit is paced by
// the client; a wait that does not fit the step's budget pauses the sync (paused_rate_limited, resume_after).
import { requireTeamAdmin, loadMembership } from "../auth.ts";
import { asService, asUser, type Tx, type UserClaims } from "../db.ts";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import { FathomApiError } from "./client.ts";
import { fathomClientFor } from "./connection.ts";
import { fetchAndStoreContent } from "./content.ts";
import { importMeeting } from "./import.ts";
import { RateLimitedUntil } from "./pacer.ts";
import { ensureWebhook } from "./webhook-registration.ts";

export const LEASE_SECONDS = 120;
/** A driver stops after this much wall clock and re-schedules itself (edge functions: 150-400 s per request). */
export const DRIVE_BUDGET_MS = 120_000;
/** Transient failures in a row before the sync is marked failed (an admin's POST resumes it). */
export const MAX_STEP_FAILURES = 5;

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
}

/** Overlap of an incremental import with the previous one: Fathom's clock and ours need not agree. */
export const INCREMENTAL_OVERLAP = "1 hour";

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
      select ${viewColumns(tx)}
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
          else null end
      returning ${viewColumns(tx)}, (s.started_at < now()) as resumed -- a new import has started_at = now()`;
    if (!sync) throw new AppError("not_connected", "Connect Fathom first.");
    const { resumed, ...view } = sync;
    if (!resumed) {
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

export interface StepOptions {
  budgetMs: number;
  /** test hook: called after each committed checkpoint; throwing simulates a crash right there */
  afterCheckpoint?: (stage: "list" | "content") => void | Promise<void>;
}

interface Lease {
  integration_id: string;
  team_id: string;
  stage: "list" | "content" | "done";
  cursor: string | null;
  lease_token: string;
  webhook_id: string | null;
  list_created_after: Date | null;
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
      returning s.integration_id, s.team_id, s.stage, s.cursor, s.lease_token, i.webhook_id, s.list_created_after`;
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
    update public.integration_syncs set locked_until = now() + make_interval(secs => ${LEASE_SECONDS}), failure_count = 0
     where integration_id = ${lease.integration_id} and lease_token = ${lease.lease_token}
     returning integration_id`;
  if (rows.length === 0) throw new LeaseLost("the step lease was lost");
}

async function release(lease: Lease, fields: Record<string, unknown> = {}): Promise<void> {
  await asService(async (tx) => {
    const status = fields.status as string | undefined;
    await tx`
      update public.integration_syncs set
        locked_until = null, lease_token = null,
        status = coalesce(${status ?? null}, status),
        resume_after = ${(fields.resume_after as string | undefined) ?? null},
        last_error = coalesce(${(fields.last_error as string | undefined) ?? null}, last_error),
        last_error_at = case when ${(fields.last_error as string | undefined) ?? null}::text is null then last_error_at
                             else now() end,
        failure_count = case when ${fields.failed === true} then failure_count + 1 else failure_count end
      where integration_id = ${lease.integration_id} and lease_token = ${lease.lease_token}`;
  });
}

/** Pending meetings of the team, the ones linked to a lead first, then the most recent. */
async function nextPendingMeeting(tx: Tx, teamId: string) {
  const rows = await tx<{ id: string; recording_id: string }[]>`
    select m.id, m.recording_id from public.meetings m
     where m.team_id = ${teamId} and m.content_status = 'pending'
     order by exists (select 1 from public.meeting_leads ml where ml.meeting_id = m.id) desc,
              m.recording_start_time desc nulls last, m.id
     limit 1`;
  return rows[0] ?? null;
}

export async function runSyncStep(integrationId: string, opts: StepOptions): Promise<StepResult> {
  const lease = await takeLease(integrationId);
  if (lease === "busy" || lease === "idle") return { state: lease };
  if ("resumeAfter" in lease) return { state: "paused", resumeAfter: lease.resumeAfter }; // not yet
  const deadline = Date.now() + opts.budgetMs;
  const client = fathomClientFor(integrationId, { deadline });
  const listPage = (cursor: string | null) =>
    client.listMeetings({
      cursor,
      created_after: lease.list_created_after?.toISOString(),
      // OAuth apps may inline action items (unlike transcript and summary), and pass 2 has no call for them
      include_action_items: true,
    });
  let prefetched: ReturnType<typeof listPage> | null = null;

  try {
    // The webhook is the main path; if registering it failed at connect time, try again now (best effort).
    if (!lease.webhook_id) await ensureWebhook(client, integrationId);

    while (Date.now() < deadline) {
      if (lease.stage === "list") {
        const page = await (prefetched ?? listPage(lease.cursor));
        prefetched = null;
        const next = page.next_cursor || null;
        // Pass 1 is bound by Fathom's rate limit, not by our database: ask for the next page while this one is
        // stored. A crash or a lost lease merely wastes that call; the checkpoint below is what counts.
        if (next && Date.now() < deadline) {
          prefetched = listPage(next);
          prefetched.catch(() => {}); // awaited on the next turn; if there is none, its failure does not matter
        }
        await asService(async (tx) => {
          await holdLease(tx, lease);
          let linked = 0;
          for (const meeting of page.items) {
            const result = await importMeeting(tx, {
              teamId: lease.team_id,
              integrationId,
              meeting,
              source: "backfill",
            });
            linked += result.linkedLeadIds.length;
          }
          // a meeting that cannot be stored at all (no usable recording_id) is skipped with its reason, never the page
          for (const skipped of page.skipped) {
            await tx`insert into public.integration_events (team_id, integration_id, provider, type, subject_type,
                                                            subject_id, payload)
                     values (${lease.team_id}, ${integrationId}, 'fathom', 'fathom.meeting.skipped', 'meeting',
                             ${skipped.recording_id === null ? null : String(skipped.recording_id)},
                             ${tx.json({ ...skipped, source: "backfill" })})`;
          }
          if (next) {
            await tx`update public.integration_syncs set cursor = ${next},
                       listed_count = listed_count + ${page.items.length}, linked_count = linked_count + ${linked}
                     where integration_id = ${integrationId}`;
          } else {
            await tx`update public.integration_syncs s set cursor = null, stage = 'content', stage_started_at = now(),
                       listed_count = listed_count + ${page.items.length}, linked_count = linked_count + ${linked},
                       content_total = (select count(*) from public.meetings m
                                         where m.team_id = s.team_id and m.content_status = 'pending')
                     where integration_id = ${integrationId}`;
          }
        });
        lease.cursor = next;
        if (!next) lease.stage = "content";
        await opts.afterCheckpoint?.("list");
        continue;
      }

      if (lease.stage === "content") {
        const meeting = await asService((tx) => nextPendingMeeting(tx, lease.team_id));
        if (!meeting) {
          await asService(async (tx) => {
            await holdLease(tx, lease);
            await tx`update public.integration_syncs set stage = 'done', stage_started_at = now(), status = 'completed',
                       finished_at = now(), last_synced_at = now(), failure_count = 0, last_error = null,
                       content_total = greatest(content_total, content_done + content_failed)
                     where integration_id = ${integrationId}`;
          });
          lease.stage = "done";
          continue;
        }
        const outcome = await fetchAndStoreContent(client, meeting);
        await asService(async (tx) => {
          await holdLease(tx, lease);
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

      await release(lease);
      return { state: "done" };
    }
    await release(lease);
    return { state: "more" };
  } catch (err) {
    return await stepFailed(lease, err);
  }
}

async function stepFailed(lease: Lease, err: unknown): Promise<StepResult> {
  if (err instanceof LeaseLost) return { state: "busy" };
  if (err instanceof RateLimitedUntil) {
    await release(lease, { status: "paused_rate_limited", resume_after: new Date(err.until).toISOString() });
    return { state: "paused", resumeAfter: err.until };
  }
  if (err instanceof AppError && (err.code === "needs_reauth" || err.code === "not_connected" ||
    err.code === "token_exchange_failed" || err.code === "provider_not_configured")) {
    await release(lease, { status: "failed", last_error: err.code, failed: true });
    return { state: "failed", error: err.code };
  }
  const transient = err instanceof FathomApiError
    ? err.transient || err.status === 401
    : err instanceof AppError && err.code === "provider_unavailable";
  const code = err instanceof FathomApiError
    ? `fathom_http_${err.status}`
    : err instanceof AppError
    ? err.code
    : "internal_error";
  if (!(err instanceof FathomApiError) && !(err instanceof AppError)) logError("fathom sync step", err);
  else console.error(`[fathom sync step] ${code}`);

  const failures = await asService(async (tx) => {
    const [row] = await tx<{ failure_count: number }[]>`
      select failure_count from public.integration_syncs where integration_id = ${lease.integration_id}`;
    return (row?.failure_count ?? 0) + 1;
  }).catch(() => MAX_STEP_FAILURES);
  if (!transient || failures >= MAX_STEP_FAILURES) {
    await release(lease, { status: "failed", last_error: code, failed: true }).catch((e) => logError("fathom sync", e));
    return { state: "failed", error: code };
  }
  const resumeAfter = Date.now() + Math.min(300_000, 5_000 * 2 ** (failures - 1));
  await release(lease, { last_error: code, failed: true, resume_after: new Date(resumeAfter).toISOString() })
    .catch((e) => logError("fathom sync", e));
  return { state: "retry", resumeAfter };
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

/** For the cron entry point: syncs that should be moving but have no live driver. */
export async function dueSyncs(): Promise<string[]> {
  const rows = await asService((tx) =>
    tx<{ integration_id: string }[]>`
      select integration_id from public.integration_syncs
       where status in ('running', 'paused_rate_limited')
         and (resume_after is null or resume_after <= now())
         and (locked_until is null or locked_until < now())
       order by updated_at
       limit 20`
  );
  return rows.map((r) => r.integration_id);
}
