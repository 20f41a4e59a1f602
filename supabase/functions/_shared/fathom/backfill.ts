// "Import past meetings", the driver: starts an import (an admin's POST, or a new connection), runs its steps until
// it is done, fails, or the wall-clock budget is spent, waits out a rate-limit pause in place when it ends within
// the budget, and re-schedules itself otherwise. Steps hold a lease, so two drivers never run the same sync at
// once; a driver that dies (isolate recycled, deploy) is replaced by fathom-sync, which pg_cron calls every minute
// (dueSyncs). The states are in backfill-state.ts, one step in backfill-step.ts.
import { requireTeamAdmin } from "../auth.ts";
import { asService, asUser, type UserClaims } from "../db.ts";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import {
  markDueFailedAsRunning,
  type MeetingProvider,
  type StartOptions,
  startSyncFor,
  syncsWithoutDriver,
  type SyncView,
} from "./backfill-state.ts";
import { runSyncStep, type StepOptions, type StepResult } from "./backfill-step.ts";
import { runZoomSyncStep } from "../zoom/backfill-step.ts";
import { getProvider } from "../oauth/registry.ts";

// the entry points next to startSync: a new connection (lifecycle.ts) starts its import as the service
export { startSyncFor };

/** A driver stops after this much wall clock and re-schedules itself (edge functions: 150-400 s per request). */
export const DRIVE_BUDGET_MS = 120_000;

/**
 * Start "Import past meetings" for a team (admins: 403 not_team_admin otherwise), or resume the one in progress /
 * paused / failed (startSyncFor). Returns the sync and the integration to drive. 409 not_connected when Fathom is
 * not connected.
 */
export async function startSync(
  claims: UserClaims,
  teamId: string,
  opts: StartOptions = {},
  provider: MeetingProvider = "fathom",
): Promise<{ integrationId: string; sync: SyncView }> {
  await asUser(claims, (tx) => requireTeamAdmin(tx, teamId));
  const integrationId = await asService(async (tx) => {
    const rows = await tx<{ id: string }[]>`
      select id from public.team_integrations where team_id = ${teamId} and provider = ${provider} and status = 'connected'`;
    return rows[0]?.id ?? null;
  });
  if (!integrationId) throw new AppError("not_connected", `Connect ${getProvider(provider).displayName} first.`);
  return { integrationId, sync: await startSyncFor(integrationId, opts) };
}

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
 * rate-limit pause (or a transient failure's backoff) in place when it ends within the budget.
 */
export async function driveSync(integrationId: string, opts: DriveOptions = {}): Promise<StepResult> {
  const budgetMs = opts.budgetMs ?? DRIVE_BUDGET_MS;
  const runStep = await stepFor(integrationId);
  const end = Date.now() + budgetMs;
  for (;;) {
    const remaining = end - Date.now();
    if (remaining <= 0) {
      if (opts.reschedule !== false) scheduleDrive(integrationId);
      return { state: "more" };
    }
    const result = await runStep(integrationId, { budgetMs: Math.min(remaining, opts.stepBudgetMs ?? remaining) });
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

/**
 * The step of the integration's provider: the states, the lease and this driver are shared; what a page is differs
 * (Zoom: zoom/backfill-step.ts). Every sync the cron finds without a driver comes through here, whatever its provider.
 */
async function stepFor(integrationId: string): Promise<(id: string, opts: StepOptions) => Promise<StepResult>> {
  const [row] = await asService((tx) =>
    tx<{ provider: string }[]>`select provider from public.team_integrations where id = ${integrationId}`
  );
  return row?.provider === "zoom" ? runZoomSyncStep : runSyncStep;
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
 * For the cron entry point, in one transaction: failed syncs whose resume_after has come are put back to running
 * (markDueFailedAsRunning), then the syncs that should be moving but have no live driver (up to 20).
 */
export async function dueSyncs(): Promise<string[]> {
  return await asService(async (tx) => {
    await markDueFailedAsRunning(tx);
    return await syncsWithoutDriver(tx);
  });
}
