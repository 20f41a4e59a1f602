// Bench baseline runner (Deno, one process of 4; bench/automations/bench.mjs): the engine's queue work with no
// action. Same loop as runDue (engine/runner.ts: events looked for on the first turn, while the last look found
// some, and every EVENT_EVERY turns; done when a turn that looked finds nothing), the same claims (claims.ts claimEvents with claimBatch(), then
// claimRuns(1)), and the same writes, minus what the actions and the context cost:
// - an event: in one transaction, lock it and check it is pending, read the team's enabled rules for its trigger
//   (dispatch.ts rulesFor's query), insert one queued run per rule `on conflict do nothing` on the (rule, event)
//   index, mark the event dispatched. The run's context is {} (no meeting, lead or team read; no conditions);
// - a run: read its rule's switch, its version and its steps (execute.ts), then per action one transaction holding the lease that marks
//   the step succeeded (steps.ts markSucceeded), with no side effect; then finish.ts finishRun (succeeded).
//
//   deno run -A bench/automations/baseline.ts       same protocol as runner.ts drain
import { asService, closeDb } from "../../supabase/functions/_shared/db.ts";
import { claimEvents, claimRuns } from "../../supabase/functions/_shared/automations/engine/claims.ts";
import { claimBatch } from "../../supabase/functions/_shared/automations/engine/config.ts";
import { finishRun } from "../../supabase/functions/_shared/automations/engine/finish.ts";
import { holdLease } from "../../supabase/functions/_shared/automations/engine/lease.ts";
import { loadSteps, markSucceeded } from "../../supabase/functions/_shared/automations/engine/steps.ts";
import { loadVersion } from "../../supabase/functions/_shared/automations/engine/version.ts";
import type { EventRow, LeasedRun } from "../../supabase/functions/_shared/automations/engine/types.ts";
import { stdinLines } from "./data.ts";

async function dispatch(claimed: EventRow): Promise<number> {
  return await asService(async (tx) => {
    const [event] = await tx<EventRow[]>`
      select id::text as id, team_id, type, lead_id, meeting_id, source, depth, payload, status, attempts
        from public.automation_events where id = ${claimed.id} for update`;
    if (!event || event.status !== "pending") return 0;
    const rules = await tx`
      select v.id, v.rule_id, v.team_id, v.version, v.name, v.trigger, v.conditions, v.actions
        from public.automation_rules r
        join public.automation_rule_versions v on v.id = r.current_version_id
       where r.team_id = ${event.team_id} and r.trigger = ${event.type} and r.enabled
       order by r.created_at, r.id`;
    let queued = 0;
    for (const rule of rules) {
      const rows = await tx`
        insert into public.automation_runs (team_id, rule_id, version_id, event_id, lead_id, meeting_id, status,
                                            skip_reason, context, conditions_result, depth, error_code, error_message,
                                            finished_at)
        values (${event.team_id}, ${rule.rule_id}, ${rule.id}, ${event.id}, ${event.lead_id}, ${event.meeting_id},
                'queued', null, ${tx.json({})}, null, ${event.depth}, null, null, null)
        on conflict (rule_id, event_id) where event_id is not null and retry_of is null do nothing
        returning id`;
      queued += rows.length;
    }
    await tx`update public.automation_events
                set status = 'dispatched', dispatched_at = now(), locked_until = null, last_error = null
              where id = ${event.id}`;
    return queued;
  });
}

async function execute(run: LeasedRun): Promise<string> {
  const [version, steps] = await asService(async (tx) => {
    await tx`select enabled from public.automation_rules where id = ${run.rule_id}`;
    return [await loadVersion(tx, run.team_id, run.version_id), await loadSteps(tx, run.id)] as const;
  });
  if (!version) return "lease_lost";
  for (const [stepIndex, action] of version.actions.entries()) {
    if (steps.get(stepIndex)?.status === "succeeded") continue;
    const key = { runId: run.id, teamId: run.team_id, stepIndex, actionType: action.type };
    await asService(async (tx) => {
      await holdLease(tx, run);
      await markSucceeded(tx, key, { type: action.type }, {}, true);
    });
  }
  return await finishRun(run, []);
}

await asService((tx) => tx`select 1`);
const lines = stdinLines();
console.log(JSON.stringify({ ready: true }));
while ((await lines.next()).value !== "go") { /* wait */ }
const goAt = Date.now();

const EVENT_EVERY = 5; // engine/runner.ts
const totals = { dispatched: 0, queued: 0, ran: 0, succeeded: 0, other: 0 };
try {
  let turn = 0;
  let eventsLeft = true;
  for (;;) {
    const lookForEvents: boolean = eventsLeft || turn % EVENT_EVERY === 0;
    const events: EventRow[] = lookForEvents ? await claimEvents(claimBatch()) : [];
    if (lookForEvents) eventsLeft = events.length > 0;
    turn++;
    for (const event of events) {
      const queued = await dispatch(event);
      totals.dispatched++;
      totals.queued += queued;
    }
    const runs = await claimRuns(1);
    for (const run of runs) {
      const outcome = await execute(run);
      totals.ran++;
      if (outcome === "succeeded") totals.succeeded++;
      else totals.other++;
    }
    if (events.length === 0 && runs.length === 0) {
      if (lookForEvents) break;
      eventsLeft = true;
    }
  }
} finally {
  await closeDb();
}
console.log(JSON.stringify({ goAt, endedAt: Date.now(), totals }));
Deno.exit(0);
