// bench/automations: 1,000 matched meetings x 3 rules (create tasks, add a note, set the stage), executed by 4
// runner processes side by side (each its own pool, as automation-runner isolates are), PostgreSQL or PGlite.
// BENCH_AUTOMATIONS_N (default 1000), BENCH_AUTOMATIONS_RUNNERS (default 4).
//
// Baseline (same run, a second team with the same meetings and no rules): the same side effects written directly
// by as many processes, one transaction per (meeting, rule), no engine. Reported: runs/s, the engine's time over the
// baseline's (its cost: claims, dispatch, run and step rows, leases), and the checks that make the figure honest:
// exactly one run per (rule, event), all succeeded on their first attempt, 2 tasks and 1 note per meeting.
import postgres from 'postgres';
import { benchStack, runBench, runDenoScript } from '../lib.mjs';

const n = Number(process.env.BENCH_AUTOMATIONS_N ?? 1000);
const runners = Number(process.env.BENCH_AUTOMATIONS_RUNNERS ?? 4);
// the stack's own scheduler would be a fifth runner
process.env.AUTOMATION_RUNNER_INTERVAL_MS = '0';

let stack;
let sql;

async function cleanup() {
  await sql?.end({ timeout: 5 }).catch(() => {});
  await stack?.stop().catch((e) => console.error(e.message));
}

await runBench(async () => {
  stack = await benchStack();
  console.log(`database: ${stack.dbKind}; ${n} meetings x 3 rules, ${runners} runners`);
  sql = postgres(stack.env.SUPABASE_DB_URL, { max: 2, onnotice: () => {}, prepare: false });

  const engineTeam = await runDenoScript('bench/automations/setup.ts', { args: [String(n)], env: { ...stack.env, BENCH_RULES: '1' } });
  if (engineTeam.events !== n) throw new Error(`expected ${n} events, got ${engineTeam.events}`);
  const baseTeam = await runDenoScript('bench/automations/setup.ts', { args: [String(n)], env: stack.env });

  const started = Date.now();
  const results = await Promise.all(Array.from({ length: runners }, () => runDenoScript('bench/automations/runner.ts', { env: stack.env })));
  const engineMs = Date.now() - started;

  const baseStarted = Date.now();
  await Promise.all(Array.from({ length: runners }, (_, i) =>
    runDenoScript('bench/automations/baseline.ts', { args: [baseTeam.teamId, String(i), String(runners)], env: stack.env })));
  const baselineMs = Date.now() - baseStarted;

  const [check] = await sql`
    select count(*)::int as runs,
           count(distinct (rule_id, event_id))::int as pairs,
           count(*) filter (where status = 'succeeded' and attempt = 1)::int as first_try,
           (select count(*)::int from public.tasks where team_id = ${engineTeam.teamId}) as tasks,
           (select count(*)::int from public.lead_notes where team_id = ${engineTeam.teamId}) as notes,
           (select count(*)::int from public.leads where team_id = ${engineTeam.teamId} and stage = 'contacted') as moved
      from public.automation_runs where team_id = ${engineTeam.teamId}`;
  const ran = results.reduce((s, r) => s + r.ran, 0);
  const ok = check.runs === 3 * n && check.pairs === 3 * n && check.first_try === 3 * n && check.tasks === 2 * n &&
    check.notes === n && check.moved === n && ran === 3 * n;
  console.table({
    engine: { ms: engineMs, 'runs/s': Math.round((3 * n) / (engineMs / 1000)), runs: check.runs },
    baseline: { ms: baselineMs, 'runs/s': Math.round((3 * n) / (baselineMs / 1000)), runs: 3 * n },
  });
  console.log(`engine / baseline: ${(engineMs / baselineMs).toFixed(2)}`);
  console.log(`per runner: ${results.map((r) => `${r.ran} runs, ${r.dispatched} events`).join('; ')}`);
  console.log(`checks: ${JSON.stringify(check)} -> ${ok ? 'OK' : 'NOT OK'}`);
  return ok;
}, cleanup);
