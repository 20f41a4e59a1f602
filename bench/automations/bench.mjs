// bench/automations: the automations engine on 1,000 matched meetings x 3 rules (issue 11).
//
// Setup (fixture.ts): a team, a Slack destination whose incoming-webhook URL points at this bench's own HTTP server
// (it records when each message arrives and answers 200 "ok", as Slack does), three enabled rules on
// meeting.linked_to_lead (create_tasks, add_note, post_slack with the meeting's title in the template), 1,000
// leads, then 1,000 meetings, meeting i matching lead i, imported through the product's importer
// (_shared/fathom/import.ts) so that the outbox triggers write the 1,000 events.
//
// Throughput: BENCH_AUTOMATIONS_RUNNERS (4) runner processes (runner.ts: runDue in a loop until a pass finds no
// work), all started and warmed up first, then let go at once: the time until the last one finds no work left, i.e.
// until the 3,000 runs are terminal (checked), and runs/s.
// Baseline, same run, on a fresh copy of the same data (the fixture again, in a new team; the baseline goes first
// and its team is deleted and the tables vacuumed before the product's fixture): baseline.ts, the same claims
// (claimEvents, claimRuns) and the same run / step updates with no action executed and no context read. Printed:
// both, and the ratio product / baseline runs/s.
//
// Checks (the exit code is 1 when one fails; no time is asserted): 3,000 runs, all succeeded; 0 (rule, event) pairs
// with more than one run; every event dispatched; tasks = the open action items of the meetings (data.ts: 2,800 for
// 1,000 meetings), also counted from the stored meetings; 1,000 notes; 1,000 Slack messages, one per meeting; 0 dead.
//
// Latency: the same runners idle-polling (runDue, then BENCH_AUTOMATIONS_POLL_MS = 100 ms of sleep, like the local
// stack's every-second scheduler but tighter) while BENCH_AUTOMATIONS_LATENCY_N (200) new meetings are imported one
// by one (trickle.ts, one every BENCH_AUTOMATIONS_LATENCY_EVERY_MS = 250 ms: 12 runs/s offered, below what 4 runners
// finish on this machine, so that it measures the engine's reaction and not a backlog; at 50 ms, 60 runs/s are
// offered and the figure is the queue's) for the product's team; latency = the
// Slack message's arrival at this bench's server - the event's created_at (both on this machine's clock; created_at
// is the import transaction's start). p50 / p90 / p99 / max.
//
// After the throughput part the plans of the claims' selects are printed (scan, buffers, time): they read the whole
// history of runs when no index serves them.
//
// Database: the embedded PGlite, or a disposable database on the server SUPABASE_DB_URL names (printed).
// BENCH_AUTOMATIONS_MEETINGS (1000) for a quicker run.
import { spawn } from 'node:child_process';
import http from 'node:http';
import postgres from 'postgres';
import { denoBin, root } from '../../dev/lib/config.mjs';
import { benchStack, runBench, runDenoScript } from '../lib.mjs';

const MEETINGS = Number(process.env.BENCH_AUTOMATIONS_MEETINGS ?? 1000);
const RUNNERS = Number(process.env.BENCH_AUTOMATIONS_RUNNERS ?? 4);
const LATENCY_N = Number(process.env.BENCH_AUTOMATIONS_LATENCY_N ?? 200);
const LATENCY_EVERY_MS = Number(process.env.BENCH_AUTOMATIONS_LATENCY_EVERY_MS ?? 250);
const POLL_MS = Number(process.env.BENCH_AUTOMATIONS_POLL_MS ?? 100);
const RULES = 3;
const SLACK_PATH = '/slack/hooks/services/T0BENCH/B0BENCH/xoxbench';
const BASE = { baseline: 800_000_000, product: 810_000_000, latency: 820_000_000 }; // recording ids
const TAG = /\[r(\d+)\]/;
// The selects of claims.ts claimEvents / claimRuns (the part that finds the rows), as they run.
const CLAIM_QUERIES = [
  ['claimEvents', `select id from public.automation_events
     where status = 'pending' and (locked_until is null or locked_until < now())
     order by id for update skip locked limit 10`],
  ['claimRuns', `select id from public.automation_runs
     where (status in ('queued', 'retrying') and next_attempt_at <= now())
        or (status = 'running' and locked_until < now())
     order by next_attempt_at, id for update skip locked limit 1`],
];

// The stack's own automation-runner scheduler (every second) would compete with the bench's runners: off.
process.env.AUTOMATION_RUNNER_INTERVAL_MS = '0';

let stack;
let sql;
let slack;
const drivers = new Set();

async function cleanup() {
  for (const d of drivers) d.child.kill('SIGKILL');
  await new Promise((r) => (slack ? slack.server.close(() => r()) : r()));
  await sql?.end({ timeout: 5 }).catch(() => {});
  await stack?.stop().catch((e) => console.error(e.message));
}

/** The stand-in for Slack's incoming webhooks: records each message's arrival (epoch ms) and recording tag. */
function startSlack() {
  const received = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const at = Date.now();
      const tag = TAG.exec(body);
      received.push({ at, path: req.url, recordingId: tag ? Number(tag[1]) : null });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, received, base: `http://127.0.0.1:${server.address().port}` }));
  });
}

/**
 * A long-lived Deno driver (runner.ts, baseline.ts): `ready` resolves when it has warmed up, go() / stop() write
 * its signals, `result` resolves with its last JSON line when it exits 0.
 */
function startDriver(script, args, env) {
  const child = spawn(denoBin, ['run', '-A', `bench/automations/${script}`, ...args], {
    cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  const driver = { child };
  drivers.add(driver);
  let out = '';
  let err = '';
  let onReady;
  driver.ready = new Promise((r) => (onReady = r));
  child.stdout.on('data', (c) => {
    out += c;
    if (out.includes('{"ready":true}')) onReady();
  });
  child.stderr.on('data', (c) => (err += c));
  driver.result = new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      drivers.delete(driver);
      const line = out.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
      if (code !== 0 || !line) return reject(new Error(`${script} exited ${code}\n${err.slice(-3000)}`));
      if (err.trim()) process.stderr.write(`[${script}] ${err.trim().slice(-1500)}\n`);
      resolve(JSON.parse(line));
    });
  });
  driver.result.catch(() => onReady()); // a driver that dies before it is ready must not hang the bench
  driver.go = () => child.stdin.write('go\n');
  driver.stop = () => child.stdin.write('stop\n');
  return driver;
}

/** N drivers started, warmed up, then let go at the same moment; resolves {goAt, endedAt, results}. */
async function race(script, args, env, n) {
  const list = Array.from({ length: n }, () => startDriver(script, args, env));
  await Promise.all(list.map((d) => d.ready));
  const goAt = Date.now();
  for (const d of list) d.go();
  const results = await Promise.all(list.map((d) => d.result));
  return { goAt, endedAt: Math.max(...results.map((r) => r.endedAt)), results };
}

async function fixture(env, leads, meetings, base) {
  const f = await runDenoScript('bench/automations/fixture.ts', { args: [String(leads), String(meetings), String(base)], env });
  await sql.unsafe('analyze'); // the timed part starts from fresh statistics, as a database after autovacuum would
  return f;
}

async function figures(teamId, recordingFrom, recordingTo) {
  const [db] = await sql`
    select (select count(*)::int from public.automation_runs where team_id = ${teamId}) as runs,
           (select count(*)::int from public.automation_runs where team_id = ${teamId} and status = 'succeeded') as succeeded,
           (select count(*)::int from public.automation_runs where team_id = ${teamId} and status = 'dead') as dead,
           (select count(*)::int from public.automation_runs where team_id = ${teamId}
               and status not in ('succeeded', 'dead', 'skipped', 'cancelled')) as not_terminal,
           (select count(*)::int from (select 1 from public.automation_runs where team_id = ${teamId}
               group by rule_id, event_id having count(*) > 1) d) as duplicate_pairs,
           (select count(*)::int from public.automation_events where team_id = ${teamId}) as events,
           (select count(*)::int from public.automation_events where team_id = ${teamId} and status <> 'dispatched') as undispatched,
           (select count(*)::int from public.automation_run_steps where team_id = ${teamId} and status = 'succeeded') as steps,
           (select count(*)::int from public.tasks where team_id = ${teamId}) as tasks,
           (select count(*)::int from public.tasks where team_id = ${teamId} and assignee_id is not null) as assigned_tasks,
           -- what the tasks must be: every open, non-empty action item of the team's meetings
           (select count(*)::int from public.meetings m
              cross join lateral jsonb_array_elements(case when jsonb_typeof(m.action_items) = 'array'
                                                           then m.action_items else '[]'::jsonb end) a
             where m.team_id = ${teamId} and coalesce((a->>'completed')::boolean, false) = false
               and btrim(coalesce(a->>'description', '')) <> '') as open_items,
           (select count(*)::int from public.lead_notes where team_id = ${teamId} and source = 'automation') as notes`;
  const messages = slack.received.filter((m) => m.recordingId !== null && m.recordingId >= recordingFrom && m.recordingId < recordingTo);
  return { ...db, slack_messages: messages.length, slack_meetings: new Set(messages.map((m) => m.recordingId)).size };
}

/**
 * The plans of the two claims' selects (claims.ts) over the tables as a run left them: how they scale with the
 * history of runs and events (every finished run stays in automation_runs). One line each: scans, buffers, time;
 * and the size of automation_runs.
 */
async function printClaimPlans() {
  // what a claim scans and every run update rewrites: the run rows, with their frozen context
  const [size] = await sql`select pg_total_relation_size('public.automation_runs')::bigint as bytes, count(*)::int as runs,
                                  coalesce(avg(pg_column_size(context)), 0)::int as context_bytes
                             from public.automation_runs`;
  console.log(`    automation_runs: ${size.runs} rows, ${round(Number(size.bytes) / 2 ** 20, 2)} MiB with indexes and TOAST, ` +
    `context ${size.context_bytes} bytes a run (stored, after compression)`);
  for (const [name, query] of CLAIM_QUERIES) {
    // a lone statement: its row locks end with it, nothing is written
    const plan = (await sql.unsafe(`explain (analyze, buffers, costs off) ${query}`)).map((r) => r['QUERY PLAN']);
    const scans = plan.filter((l) => /Scan (on|using)/.test(l)).map((l) => l.replace(/^[\s->]+/, '').replace(/ \(actual.*$/, ''));
    const buffers = /hit=(\d+)/.exec(plan.find((l) => l.includes('Buffers:')) ?? '')?.[1];
    const time = plan.find((l) => l.startsWith('Execution Time'));
    console.log(`    ${name}'s select after the run: ${scans.join(' + ')}, ${buffers ?? '?'} buffers, ${time}`);
  }
}

const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

function check(label, actual, expected) {
  const ok = actual === expected;
  console.log(`    ${ok ? 'ok      ' : 'MISMATCH'} ${label}: ${actual}${ok ? '' : ` (expected ${expected})`}`);
  return ok;
}

await runBench(async () => {
  slack = await startSlack();
  stack = await benchStack();
  const dbLabel = stack.database ? `PostgreSQL (disposable database ${stack.database.name})` : 'PGlite (embedded)';
  console.log(`bench/automations  db: ${dbLabel}  ${MEETINGS} meetings x ${RULES} rules, ${RUNNERS} runner processes`);
  sql = postgres(stack.urls.db, { max: 1, prepare: false, onnotice: () => {} });
  const env = {
    ...stack.env,
    SLACK_WEBHOOK_BASE_URL: `${slack.base}/slack/hooks/services/`,
    BENCH_SLACK_URL: `${slack.base}${SLACK_PATH}`,
  };
  const expectedRuns = MEETINGS * RULES;
  let ok = true;

  // --- baseline: the same claims and run / step updates, no action
  const b = await fixture(env, MEETINGS, MEETINGS, BASE.baseline);
  ok = check('baseline events', b.events, MEETINGS) && ok;
  const baseRace = await race('baseline.ts', [], env, RUNNERS);
  const baseS = (baseRace.endedAt - baseRace.goAt) / 1000;
  const bf = await figures(b.teamId, BASE.baseline, BASE.baseline + MEETINGS);
  console.log(`\n  baseline (claims + run/step updates, no action): ${expectedRuns} runs in ${round(baseS, 2)} s = ` +
    `${round(expectedRuns / baseS)} runs/s`);
  ok = check('baseline runs succeeded', bf.succeeded, expectedRuns) && ok;
  ok = check('baseline duplicate (rule, event) runs', bf.duplicate_pairs, 0) && ok;
  await printClaimPlans();
  await sql`delete from public.teams where id = ${b.teamId}`;
  await sql.unsafe('vacuum analyze').catch((e) => console.log(`    (vacuum: ${e.message})`));

  // --- product
  const p = await fixture(env, MEETINGS, MEETINGS, BASE.product);
  console.log(`\n  fixture: ${p.leads} leads, ${p.meetings} meetings imported in ${round(p.importMs / 1000, 2)} s, ${p.events} events`);
  const prodRace = await race('runner.ts', ['drain'], env, RUNNERS);
  const prodS = (prodRace.endedAt - prodRace.goAt) / 1000;
  const pf = await figures(p.teamId, BASE.product, BASE.product + MEETINGS);
  const totals = prodRace.results.reduce((t, r) => {
    for (const [k, v] of Object.entries(r.totals)) t[k] = (t[k] ?? 0) + v;
    return t;
  }, {});
  const ratio = (expectedRuns / prodS) / (expectedRuns / baseS);
  console.log(`  product (runDue x ${RUNNERS}): ${expectedRuns} runs in ${round(prodS, 2)} s = ${round(expectedRuns / prodS)} runs/s` +
    `  -> ratio product / baseline ${round(ratio, 3)}`);
  console.log(`    runners' totals: ${JSON.stringify(totals)}; runs per runner ${prodRace.results.map((r) => r.totals.ran).join(' / ')}`);
  ok = check('events', pf.events, MEETINGS) && ok;
  ok = check('events not dispatched', pf.undispatched, 0) && ok;
  ok = check('runs', pf.runs, expectedRuns) && ok;
  ok = check('runs succeeded', pf.succeeded, expectedRuns) && ok;
  ok = check('runs not terminal', pf.not_terminal, 0) && ok;
  ok = check('duplicate (rule, event) runs', pf.duplicate_pairs, 0) && ok;
  ok = check('dead runs', pf.dead, 0) && ok;
  ok = check('steps succeeded', pf.steps, expectedRuns) && ok;
  ok = check(`tasks (open action items: ${p.expectedTasks} generated)`, pf.tasks, p.expectedTasks) && ok;
  ok = check('tasks = open action items stored on the meetings', pf.tasks, pf.open_items) && ok;
  ok = check('notes', pf.notes, MEETINGS) && ok;
  ok = check('Slack messages', pf.slack_messages, MEETINGS) && ok;
  ok = check('meetings with a Slack message', pf.slack_meetings, MEETINGS) && ok;

  await printClaimPlans();

  // --- latency: runners idle-polling, meetings trickling in
  const pollers = Array.from({ length: RUNNERS }, () => startDriver('runner.ts', ['poll', String(POLL_MS)], env));
  await Promise.all(pollers.map((d) => d.ready));
  for (const d of pollers) d.go();
  const n = Math.min(LATENCY_N, MEETINGS);
  const trickle = await runDenoScript('bench/automations/trickle.ts', {
    args: [p.teamId, String(n), String(LATENCY_EVERY_MS), String(BASE.latency)], env,
  });
  const arrived = () => slack.received.filter((m) => m.recordingId >= BASE.latency && m.recordingId < BASE.latency + n);
  const deadline = Date.now() + 60_000;
  while (arrived().length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 500)); // a duplicate message would arrive now
  for (const d of pollers) d.stop();
  const pollResults = await Promise.all(pollers.map((d) => d.result));
  const events = await sql`
    select m.provider_meeting_id::bigint as recording_id, e.created_at
      from public.automation_events e join public.meetings m on m.id = e.meeting_id
     where e.team_id = ${p.teamId} and m.provider = 'fathom' and m.provider_meeting_id::bigint >= ${BASE.latency}`;
  const createdAt = new Map(events.map((e) => [Number(e.recording_id), new Date(e.created_at).getTime()]));
  const latencies = arrived().map((m) => m.at - createdAt.get(m.recordingId)).filter(Number.isFinite).sort((a, b) => a - b);
  const lf = await figures(p.teamId, BASE.latency, BASE.latency + n);
  const lat = {
    p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: latencies.at(-1),
  };
  console.log(`\n  latency: ${n} meetings, one every ${LATENCY_EVERY_MS} ms (${trickle.imported} imported, at most ` +
    `${trickle.lateMs} ms behind schedule), ${RUNNERS} runners polling every ${POLL_MS} ms`);
  console.log(`    event created -> Slack message received: p50 ${lat.p50} ms, p90 ${lat.p90} ms, p99 ${lat.p99} ms, max ${lat.max} ms`);
  console.log(`    pollers' passes: ${pollResults.map((r) => r.passes).join(' / ')}`);
  ok = check('latency: events', createdAt.size, n) && ok;
  ok = check('latency: Slack messages', arrived().length, n) && ok;
  ok = check('latency: runs (all phases)', lf.runs, expectedRuns + n * RULES) && ok;
  ok = check('latency: runs succeeded (all phases)', lf.succeeded, expectedRuns + n * RULES) && ok;
  ok = check('latency: duplicate (rule, event) runs', lf.duplicate_pairs, 0) && ok;
  ok = check('latency: dead runs', lf.dead, 0) && ok;

  console.log('BENCH_RESULT ' + JSON.stringify({
    bench: 'automations',
    db: stack.database ? 'postgresql' : 'pglite',
    meetings: MEETINGS, rules: RULES, runners: RUNNERS,
    baseline: { seconds: round(baseS, 3), runs_per_s: round(expectedRuns / baseS) },
    product: { seconds: round(prodS, 3), runs_per_s: round(expectedRuns / prodS), totals },
    ratio: round(ratio, 3),
    checks: { ...pf, expected_tasks: p.expectedTasks },
    latency: { n, every_ms: LATENCY_EVERY_MS, poll_ms: POLL_MS, ...lat },
    ok,
  }));
  return ok;
}, cleanup);
