// Every provider's <provider>-oauth-start under 50 concurrent clients, beside a baseline handler on the same gateway
// doing the same JWT check and one database round trip. Target: each at least 0.67 of the baseline's requests/s.
import { readdirSync } from 'node:fs';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { DEMO_ADMIN, DEMO_TEAM_ID, benchStack, userToken } from '../lib.mjs';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
/** every provider whose <provider>-oauth-start function exists (Fathom first) */
const PROVIDERS = readdirSync(new URL('../../supabase/functions/', import.meta.url))
  .filter((name) => name.endsWith('-oauth-start'))
  .map((name) => name.slice(0, -'-oauth-start'.length))
  .sort((a, b) => (a === 'fathom' ? -1 : b === 'fathom' ? 1 : a.localeCompare(b)));
const TARGET = 0.67;

const stack = await benchStack({
  gatewayExtraEnv: { EXTRA_FUNCTIONS: 'bench-baseline=bench/oauth-start/baseline-handler.ts' },
});
try {
  // 50 clients are 50 teams connecting Fathom at once (each start writes its team's row). A second run puts every
  // client on the same team: the worst case, where the starts queue on one row lock.
  const teamIds = await createBenchTeams(stack.env.SUPABASE_DB_URL, CONNECTIONS);
  const token = await userToken(stack.secrets, DEMO_ADMIN);
  const origin = stack.urls.web;
  const request = (fn, teams) => {
    let next = 0;
    const provider = fn.replace(/-oauth-start$/, '');
    const body = (teamId) => JSON.stringify({ teamId, redirectUri: `${origin}/${provider}-callback.html` });
    return {
      url: `${stack.urls.api}/functions/v1/${fn}`,
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin },
      body: body(teams[0]),
      requests: [{ setupRequest: (req) => ({ ...req, body: body(teams[next++ % teams.length]) }) }],
    };
  };
  const load = async (fn, duration, teams = teamIds) => {
    const result = await autocannon({ ...request(fn, teams), connections: CONNECTIONS, duration });
    return {
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      ok: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    };
  };
  const merge = (a, b) => ({
    rps: (a.rps + b.rps) / 2, p50: (a.p50 + b.p50) / 2, p99: Math.max(a.p99, b.p99),
    ok: a.ok + b.ok, non2xx: a.non2xx + b.non2xx, errors: a.errors + b.errors,
  });

  // Every provider with a start function. Warm everything (module load, JIT, pool) before measuring, then run in a
  // palindrome (baseline, providers, providers reversed, baseline) so drift hits each equally.
  const fns = PROVIDERS.map((p) => `${p}-oauth-start`);
  await load('bench-baseline', 2);
  for (const fn of fns) await load(fn, 2);
  const half = DURATION / 2;
  const base1 = await load('bench-baseline', half);
  const first = {};
  for (const fn of fns) first[fn] = await load(fn, half);
  const second = {};
  for (const fn of [...fns].reverse()) second[fn] = await load(fn, half);
  const base2 = await load('bench-baseline', half);
  const baseline = merge(base1, base2);
  const products = Object.fromEntries(fns.map((fn) => [fn, merge(first[fn], second[fn])]));
  const ratios = Object.fromEntries(fns.map((fn) => [fn, products[fn].rps / baseline.rps]));
  const oneTeam = await load('fathom-oauth-start', half, [DEMO_TEAM_ID]);

  const row = (name, r) =>
    `  ${name.padEnd(22)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   2xx ${r.ok}  non-2xx ${r.non2xx}  errors ${r.errors}`;
  console.log(`database: ${stack.dbKind}; ${CONNECTIONS} concurrent clients; ${DURATION} s each`);
  console.log(row('baseline', baseline));
  for (const fn of fns) {
    console.log(row(fn, products[fn]));
    console.log(`    ratio (product / baseline req/s): ${ratios[fn].toFixed(2)}   target >= ${TARGET}   ${ratios[fn] >= TARGET ? 'MET' : 'MISSED'}`);
  }
  console.log(row('fathom, same team x50', oneTeam));
  console.log(`  worst case, all clients on one team's row: ratio ${(oneTeam.rps / baseline.rps).toFixed(2)}`);
  console.log(`BENCH_RESULT ${JSON.stringify({ bench: 'oauth-start', db: stack.dbKind, connections: CONNECTIONS, baseline, products, ratios, oneTeam })}`);
  const all = [baseline, oneTeam, ...Object.values(products)];
  if (all.some((r) => r.non2xx)) process.exitCode = 1; // a benchmark of errors measures nothing
} finally {
  await stack.stop();
}

async function createBenchTeams(dbUrl, count) {
  const sql = postgres(dbUrl, { prepare: false, max: 1, onnotice: () => {} });
  try {
    const teams = await sql`
      insert into public.teams (name) select 'Bench team ' || g from generate_series(1, ${count}) g returning id`;
    await sql`
      insert into public.team_members (team_id, user_id, role)
      select id, ${DEMO_ADMIN.sub}::uuid, 'owner' from unnest(${teams.map((t) => t.id)}::uuid[]) as id`;
    return teams.map((t) => t.id);
  } finally {
    await sql.end();
  }
}
