// One runner pass (the automation-runner function; locally the stack's scheduler, in production pg_cron + the
// pg_net doorbell, docs/deploy.md): claim and dispatch pending events, claim and execute due runs, again, until
// there is no work or the budget is spent. `runners` loops run side by side in this isolate (each one claim at a
// time); separate runners (isolates, processes) share the work through SKIP LOCKED.
import { describeError, logError } from "../../http.ts";
import { claimEvents, claimRuns } from "./claims.ts";
import { claimBatch } from "./config.ts";
import { dispatchEvent, recordDispatchError } from "./dispatch.ts";
import { executeRun } from "./execute.ts";

/** Turns between two looks for new events while runs are being executed. */
const EVENT_EVERY = 5;

export interface RunDueResult {
  /** events dispatched by this pass */
  dispatched: number;
  /** runs created by those dispatches: queued, or recorded skipped / dead */
  queued: number;
  skipped: number;
  /** run passes executed, and how they ended (skipped here: the rule was switched off after dispatch) */
  ran: number;
  succeeded: number;
  retrying: number;
  dead: number;
  lease_lost: number;
  /** events or runs whose handling failed unexpectedly (logged; their leases expire and they are taken again) */
  errors: number;
}

/**
 * Works until no event is pending and no run is due, or `budgetMs` has passed (a run already claimed is finished:
 * budget it below the caller's wall-clock limit). Never throws for one event's or run's sake.
 */
export async function runDue(options: { budgetMs: number; runners?: number; random?: () => number }): Promise<RunDueResult> {
  const deadline = Date.now() + options.budgetMs;
  const totals: RunDueResult = {
    dispatched: 0, queued: 0, skipped: 0, ran: 0, succeeded: 0, retrying: 0, dead: 0, lease_lost: 0, errors: 0,
  };
  const loop = async () => {
    // events are claimed on the first turn, while the last claim found some, and every EVENT_EVERY turns (runs
    // create events: a stage change another rule answers); not before every single run, which would cost an
    // empty claim per run
    let turn = 0;
    let eventsLeft = true;
    while (Date.now() < deadline) {
      let events: Awaited<ReturnType<typeof claimEvents>> = [];
      let runs: Awaited<ReturnType<typeof claimRuns>> = [];
      const lookForEvents = eventsLeft || turn % EVENT_EVERY === 0;
      if (lookForEvents) {
        try {
          events = await claimEvents(claimBatch());
        } catch (err) {
          logError("automation-runner claim events", err);
          totals.errors++;
        }
        eventsLeft = events.length > 0;
      }
      turn++;
      for (const event of events) {
        try {
          const r = await dispatchEvent(event);
          if (r.dispatched) totals.dispatched++;
          totals.queued += r.queued;
          totals.skipped += r.skipped;
          totals.dead += r.dead;
        } catch (err) {
          logError("automation-runner dispatch", err);
          totals.errors++;
          await recordDispatchError(event.id, describeError(err)).catch(() => {});
        }
      }
      if (Date.now() < deadline) {
        try {
          // one at a time: a claimed run's lease runs while it waits, and a run may take a while (providers)
          runs = await claimRuns(1);
        } catch (err) {
          logError("automation-runner claim runs", err);
          totals.errors++;
        }
      }
      for (const run of runs) {
        try {
          const outcome = await executeRun(run, { random: options.random });
          totals.ran++;
          totals[outcome]++;
        } catch (err) {
          logError("automation-runner execute", err);
          totals.errors++;
        }
      }
      if (events.length === 0 && runs.length === 0) {
        if (lookForEvents) break; // no run due and no event pending: done
        eventsLeft = true; // no run due, but events were not looked at this turn: look once more
        continue;
      }
      if (totals.errors > 20) break; // the database is down: the next tick tries again
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.runners ?? 1) }, loop));
  return totals;
}
