// bench/import: "Import past meetings" (the backfill's list pass) against the Fathom sandbox with its rate window
// shortened to 1 s / 60 calls, for 1,000 and 10,000 meetings (BENCH_IMPORT_SIZES="200,1000" for a quick run).
//
// Baseline (same run): the ideal time, i.e. the calls the list pass needs (ceil(N/10) pages) divided by the limit.
// Reported: time until every meeting is listed and linked, ratio actual/ideal (target <= 1.10), calls per window as
// a share of the limit over the run (target >= 95%; idle time between windows counts as unused, and how full the
// windows that opened were is shown beside it), 429s (target 0), peak RSS of the backfill process at each size and
// the ratio largest/smallest (target: flat), with the live heap after a full GC to tell a leak from GC slack. The content pass (2 calls per meeting) is not timed at these sizes;
// it is run once on BENCH_IMPORT_CONTENT_N meetings (default 100; 0 skips it) and reported as calls/s.
//
// Database: the embedded PGlite, or a disposable database on the server SUPABASE_DB_URL names.
// Other knobs: BENCH_IMPORT_RATE="60/1000" (limit/window ms).
import postgres from 'postgres';
import { benchStack, runBench, runDenoScript } from '../lib.mjs';

const SANDY = 'sandy@sandbox.fathom.test';
const PAGE_SIZE = 10;
const sizes = (process.env.BENCH_IMPORT_SIZES ?? '1000,10000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
const [limit, windowMs] = (process.env.BENCH_IMPORT_RATE ?? '60/1000').split('/').map(Number);
const contentN = Number(process.env.BENCH_IMPORT_CONTENT_N ?? 100);

let stack;
let sql;

async function cleanup() {
  await sql?.end({ timeout: 5 }).catch(() => {});
  await stack?.stop().catch((e) => console.error(e.message));
}

/** Runs bench/import/<script> to completion; resolves with the last JSON line it printed. */
function runDeno(script, args, env) {
  // --expose-gc: run-backfill.ts reports the live heap after a full GC at the start and the end
  return runDenoScript(`bench/import/${script}`, { args, env, denoFlags: ['--v8-flags=--expose-gc'] });
}

async function sandbox(method, route, body) {
  const response = await fetch(`${stack.urls.sandbox}${route}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`sandbox ${method} ${route}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls per rate window, from the sandbox's log. The sandbox's windows are fixed and start at the first call after
 * the previous one ended (dev/fathom-sandbox/ratelimit.ts), so they are rebuilt the same way here.
 */
function windowsOf(requests) {
  const times = requests.map((r) => Date.parse(r.time)).sort((a, b) => a - b);
  const windows = [];
  for (const t of times) {
    const current = windows.at(-1);
    if (current && t < current.start + windowMs) current.calls++;
    else windows.push({ start: t, calls: 1 });
  }
  return windows;
}

/** Prepares a team connected to the sandbox with `n` meetings and runs the backfill process in `mode`. */
async function scenario(n, mode) {
  await sandbox('POST', '/_sandbox/reset');
  const generated = await sandbox('POST', '/_sandbox/meetings/generate', { user_email: SANDY, count: n });
  if (generated.created !== n) throw new Error(`sandbox generated ${generated.created} meetings, expected ${n}`);
  // about 1 in 20 generated summaries is "not ready"; this measures pace, so Fathom has finished them all
  await sandbox('POST', '/_sandbox/summaries/ready', {});
  const fixture = await runDeno('connect.ts', [], stack.env);
  await sleep(windowMs + 50); // a fresh rate window; nothing before this point belongs to the run
  await sandbox('DELETE', '/_sandbox/requests');

  const run = await runDeno('run-backfill.ts', [fixture.integrationId, String(n), mode], stack.env);
  if (!run.outcome.endsWith('_done')) throw new Error(`backfill stopped with ${run.outcome}`);
  const { requests } = await sandbox('GET', '/_sandbox/requests');
  const api = requests.filter((r) => r.path.startsWith('/external/v1/') && !r.path.includes('/oauth2/'));

  const [db] = await sql`
    select (select count(*)::int from public.meetings where team_id = ${fixture.teamId}) as meetings,
           (select count(*)::int from public.meeting_leads where team_id = ${fixture.teamId}) as links,
           -- what the links must be: every (meeting, lead) whose invitees carry one of the lead's e-mails
           (select count(*)::int from public.meetings m join public.lead_emails le on le.team_id = m.team_id
             where m.team_id = ${fixture.teamId}
               and exists (select 1 from jsonb_array_elements(m.invitees) i
                            where lower(i->>'email') = le.email_normalized)) as expected_links,
           (select count(*)::int from public.meetings where team_id = ${fixture.teamId}
               and exists (select 1 from public.meeting_leads ml where ml.meeting_id = meetings.id)) as linked_meetings,
           (select count(*)::int from public.meetings where team_id = ${fixture.teamId}
               and content_status = 'complete') as complete`;
  const [sync] = await sql`select status, stage, listed_count, linked_count, content_done, content_failed
                             from public.integration_syncs where integration_id = ${fixture.integrationId}`;
  return { n, fixture, run, api, db, sync };
}

function listFigures({ n, run, api, db, sync }) {
  const list = api.filter((r) => r.path === '/external/v1/meetings');
  const windows = windowsOf(list);
  const full = windows.length > 1 ? windows.slice(0, -1) : windows; // the last, partial window is left out
  // window fill: how full the windows that opened were. Run-wide: the same calls against the windows that elapsed
  // between the first call and the start of the last window, i.e. idle time between windows counts as unused.
  const fullCalls = full.reduce((s, w) => s + w.calls, 0);
  const utilisation = fullCalls / full.length / limit;
  const elapsedWindows = windows.length > 1 ? (windows.at(-1).start - windows[0].start) / windowMs : 1;
  const runUtilisation = fullCalls / (elapsedWindows * limit);
  const calls = Math.ceil(n / PAGE_SIZE);
  const idealS = calls / limit * (windowMs / 1000);
  const actualS = run.listMs / 1000;
  return {
    meetings: n,
    calls_needed: calls,
    list_calls: list.length,
    api_calls: api.length,
    http_429: api.filter((r) => r.status === 429).length,
    ideal_s: round(idealS, 3),
    actual_s: round(actualS, 3),
    ratio: round(actualS / idealS, 3),
    windows: windows.length,
    calls_per_window: windows.map((w) => w.calls), // the last one is partial and not in utilisation
    utilisation: round(utilisation, 4),
    run_utilisation: round(runUtilisation, 4),
    pacer_waits: run.pacer.waits,
    pacer_waited_s: round(run.pacer.waitedMs / 1000, 2),
    rss_start_mb: round(run.memory.rssStart / 2 ** 20, 1),
    rss_peak_mb: round(run.memory.rssPeak / 2 ** 20, 1),
    heap_peak_mb: round(run.memory.heapPeak / 2 ** 20, 1),
    live_heap_start_mb: run.memory.liveHeapStart === null ? null : round(run.memory.liveHeapStart / 2 ** 20, 1),
    live_heap_end_mb: run.memory.liveHeapEnd === null ? null : round(run.memory.liveHeapEnd / 2 ** 20, 1),
    rss_timeline_mb: run.memory.rssTimeline.map((b) => round(b / 2 ** 20, 0)),
    stored: db.meetings,
    links: db.links,
    expected_links: db.expected_links,
    linked_meetings: db.linked_meetings,
    sync_listed: sync.listed_count,
    sync_linked: sync.linked_count,
    ok: db.meetings === n && db.links === db.expected_links && sync.listed_count === n && sync.linked_count === db.links,
  };
}

const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** "36 39 | 25": the full windows, then the last (partial) one; long runs are summarised. */
function summarize(values) {
  const full = values.length > 1 ? values.slice(0, -1) : values;
  const tail = values.length > 1 ? ` | last ${values.at(-1)}` : '';
  if (full.length <= 12) return `${full.join(' ')}${tail}`;
  const sorted = [...full].sort((a, b) => a - b);
  return `min ${sorted[0]}, median ${sorted[Math.floor(sorted.length / 2)]}, max ${sorted.at(-1)} over ${full.length} full windows${tail}`;
}

await runBench(async () => {
  stack = await benchStack({
    sandboxExtraEnv: {
      FATHOM_SANDBOX_RATE_WINDOW_MS: String(windowMs),
      FATHOM_SANDBOX_RATE_LIMIT: String(limit),
      FATHOM_SANDBOX_DEMO_MEETINGS: 'false',
    },
  });
  const dbLabel = stack.database ? `PostgreSQL (disposable database ${stack.database.name})` : 'PGlite (embedded)';
  console.log(`bench/import  db: ${dbLabel}  rate: ${limit} calls / ${windowMs} ms  sizes: ${sizes.join(', ')}`);
  sql = postgres(stack.urls.db, { max: 1, prepare: false, onnotice: () => {} });

  const results = [];
  for (const n of sizes) {
    const figures = listFigures(await scenario(n, 'list'));
    results.push(figures);
    console.log(
      `\n  list pass, ${n.toLocaleString('en')} meetings (${figures.calls_needed} calls needed, ${figures.list_calls} made)\n` +
        `    time to listed+linked  ${figures.actual_s} s   ideal ${figures.ideal_s} s   ratio ${figures.ratio}  (target <= 1.10)\n` +
        `    calls per window       ${summarize(figures.calls_per_window)}  of ${limit}\n` +
        `    utilisation            ${(figures.run_utilisation * 100).toFixed(1)}% of the limit over the run (target >= 95%); ` +
        `windows that opened (last excluded) were ${(figures.utilisation * 100).toFixed(1)}% full\n` +
        `    429s                   ${figures.http_429}  (target 0)   pacer waits ${figures.pacer_waits}, ${figures.pacer_waited_s} s\n` +
        `    peak RSS               ${figures.rss_peak_mb} MB  (start ${figures.rss_start_mb} MB, peak heap ${figures.heap_peak_mb} MB; ` +
        `live heap after GC ${figures.live_heap_start_mb} -> ${figures.live_heap_end_mb} MB)\n` +
        `    RSS per tenth of pages ${figures.rss_timeline_mb.join(' ')} MB\n` +
        `    stored                 ${figures.stored} meetings, ${figures.links} links (expected ${figures.expected_links}), ` +
        `${figures.linked_meetings} meetings linked; sync listed ${figures.sync_listed}, linked ${figures.sync_linked}` +
        `  ${figures.ok ? 'OK' : 'MISMATCH'}`,
    );
  }

  let content = null;
  if (contentN > 0) {
    const s = await scenario(contentN, 'all');
    const contentCalls = s.api.filter((r) => /\/recordings\/\d+\/(transcript|summary)$/.test(r.path));
    const contentMs = s.run.finishedAt - s.run.listDoneAt;
    content = {
      meetings: contentN,
      content_calls: contentCalls.length,
      content_s: round(contentMs / 1000, 3),
      calls_per_s: round(contentCalls.length / (contentMs / 1000), 1),
      ideal_calls_per_s: round(limit / (windowMs / 1000), 1),
      http_429: s.api.filter((r) => r.status === 429).length,
      complete: s.db.complete,
      ok: s.db.complete === contentN && s.sync.content_done === contentN && s.sync.stage === 'done',
    };
    console.log(
      `\n  content pass (not timed against a target), ${contentN} meetings\n` +
        `    ${content.content_calls} calls in ${content.content_s} s = ${content.calls_per_s} calls/s` +
        ` (limit ${content.ideal_calls_per_s}/s), 429s ${content.http_429}, complete ${content.complete}/${contentN}` +
        `  ${content.ok ? 'OK' : 'MISMATCH'}`,
    );
  }

  const first = results[0];
  const last = results.at(-1);
  const memoryRatio = round(last.rss_peak_mb / first.rss_peak_mb, 3);
  console.log(
    `\n  peak RSS ${first.meetings.toLocaleString('en')} -> ${last.meetings.toLocaleString('en')} meetings: ` +
      `${first.rss_peak_mb} -> ${last.rss_peak_mb} MB, ratio ${memoryRatio} (target: flat, ~1.0)`,
  );
  const ok = results.every((r) => r.ok) && (content?.ok ?? true);
  console.log(
    'BENCH_RESULT ' +
      JSON.stringify({
        bench: 'import',
        db: stack.database ? 'postgresql' : 'pglite',
        rate: { limit, window_ms: windowMs },
        sizes: results.map(({ calls_per_window, ...rest }) => rest),
        peak_rss_ratio: memoryRatio,
        content,
        ok,
      }),
  );
  return ok;
}, cleanup);
