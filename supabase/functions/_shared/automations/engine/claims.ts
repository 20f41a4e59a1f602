// Claiming work with FOR UPDATE SKIP LOCKED and a lease (automations.md §3 "Claiming"; the migration's header,
// points 3 and 4): competing runners take disjoint batches without waiting on each other, and a runner that dies
// leaves rows whose lease (locked_until) expires, so another runner takes them again: at-least-once, which is why
// every write after a claim is keyed (runs unique per (rule, event), steps per (run, index), side effects by
// source_key).
//
// Events carry no lease id: dispatching one is a single transaction that locks the row and checks it is still
// pending (dispatch.ts), so a runner that lost its lease finds it dispatched and writes nothing. Runs carry a fresh
// lease_id per claim, and every write of the holder is conditional on it (lease.ts).
import { asService } from "../../db.ts";
import { MAX_ATTEMPTS } from "../backoff.ts";
import { leaseMs } from "./config.ts";
import type { EventRow, LeasedRun } from "./types.ts";

/**
 * Up to `limit` pending events whose lease is free or expired, oldest first, leased for `lease` ms (attempts + 1).
 * Resolves [] when there is none. Database errors propagate (the runner logs them and tries again next tick).
 */
export async function claimEvents(limit: number, lease = leaseMs()): Promise<EventRow[]> {
  return await asService(async (tx) => {
    const rows = await tx<EventRow[]>`
      with picked as (
        select id from public.automation_events
         where status = 'pending' and (locked_until is null or locked_until < now())
         order by id
         for update skip locked
         limit ${limit})
      update public.automation_events e
         set locked_until = now() + make_interval(secs => ${lease / 1000}), attempts = e.attempts + 1
        from picked
       where e.id = picked.id
      returning e.id::text as id, e.team_id, e.type, e.lead_id, e.meeting_id, e.source, e.depth, e.payload,
                e.status, e.attempts`;
    return [...rows].sort((a, b) => Number(a.id) - Number(b.id));
  });
}

export const ABANDONED_MESSAGE =
  `The run stopped without finishing ${MAX_ATTEMPTS} times in a row (its steps could not be run or recorded); it is not tried again.`;

/**
 * Up to `limit` runs that are due (queued or retrying with next_attempt_at <= now) or whose holder's lease expired
 * (running, locked_until < now), each now `running` under a fresh lease_id for `lease` ms, attempt + 1.
 * started_at keeps the first claim's time. Runs abandoned MAX_ATTEMPTS times (see inside) end dead instead.
 */
export async function claimRuns(limit: number, lease = leaseMs()): Promise<LeasedRun[]> {
  return await asService(async (tx) => {
    // A run whose holder never finished it (running, lease expired) MAX_ATTEMPTS times is not claimed again: it
    // ends dead with a sentence. Without this a run whose pass throws every time (the runner crashing on it, a
    // database refusing its writes) would be re-claimed forever, its attempt growing, never dead.
    await tx`
      with abandoned as (
        select id from public.automation_runs
         where status = 'running' and locked_until < now() and attempt >= ${MAX_ATTEMPTS}
         order by locked_until
         for update skip locked
         limit ${limit})
      update public.automation_runs r
         set status = 'dead', finished_at = now(), error_code = 'run_abandoned',
             error_message = ${ABANDONED_MESSAGE}, lease_id = null, locked_until = null
        from abandoned
       where r.id = abandoned.id`;
    const rows = await tx<LeasedRun[]>`
      with picked as (
        select id from public.automation_runs
         where (status in ('queued', 'retrying') and next_attempt_at <= now())
            or (status = 'running' and locked_until < now())
         order by next_attempt_at, id
         for update skip locked
         limit ${limit})
      update public.automation_runs r
         set status = 'running', lease_id = gen_random_uuid(),
             locked_until = now() + make_interval(secs => ${lease / 1000}),
             attempt = r.attempt + 1, started_at = coalesce(r.started_at, now())
        from picked
       where r.id = picked.id
      returning r.id, r.team_id, r.rule_id, r.version_id, r.event_id::text as event_id, r.lead_id, r.meeting_id,
                r.status, r.skip_reason, r.context, r.conditions_result, r.depth, r.attempt, r.next_attempt_at,
                r.locked_until, r.lease_id, r.error_code, r.error_message, r.retry_of, r.requested_by, r.created_at,
                r.started_at, r.finished_at`;
    return [...rows];
  });
}
