// bench/frontend/ab.mjs: Lighthouse A/B on the Integrations page (and sign-in), interleaved, for changes too small
// to see in single runs on a shared machine (docs/performance.md "bench/frontend").
//
//   node bench/frontend/ab.mjs <dirA> <dirB> [rounds=5] [integrations|sign-in]
//
// <dirA>, <dirB>: two checkouts of the front end (e.g. `git archive <rev> | tar -x -C /tmp/a`, node_modules
// symlinked). One stack; each is built with `vite build` against it, both are served in turn on ONE origin by a
// small static server (gzip, as vite preview; the SPA fallback to index.html), and Lighthouse 12 (mobile preset,
// simulated throttling) alternates between them in one Chromium, the order flipped every round. Prints each run and
// the medians (performance, FCP, LCP, TBT) and the LCP element. BENCH_FRONTEND_LHR_DIR=<dir> keeps every report.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { freePort } from '../../dev/lib/processes.mjs';
import { benchStack, DEMO_ADMIN, DEMO_TEAM_ID, runBench } from '../lib.mjs';

const [dirA, dirB, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 5);
const target = process.argv[5] ?? 'integrations'; // sign-in: the profile is never signed in
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.svg': 'image/svg+xml', '.ico': 'image/x-icon', '.txt': 'text/plain' };

let stack;
let server;
let context;
let work;

async function cleanup() {
  await context?.close().catch(() => {});
  server?.close();
  if (work) await rm(work, { recursive: true, force: true });
  await stack?.stop().catch((e) => console.error(e.message));
}

function build(dir, outDir, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(dir, 'node_modules/.bin/vite'), ['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: dir, env: { ...process.env, ...env }, stdio: 'inherit',
    });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build in ${dir} failed (${code})`))));
  });
}

/** Serves `state.dir` (switchable): files as they are, gzip for text, index.html for every other path. */
function serve(state, port) {
  server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    let file = path.join(state.dir, path.normalize(url.pathname));
    if (!file.startsWith(state.dir) || !(await stat(file).then((s) => s.isFile(), () => false))) file = path.join(state.dir, 'index.html');
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    const headers = { 'content-type': type, 'cache-control': 'no-cache' };
    if (/text|javascript|svg/.test(type) && /gzip/.test(req.headers['accept-encoding'] ?? '')) {
      const body = gzipSync(await readFile(file));
      res.writeHead(200, { ...headers, 'content-encoding': 'gzip', 'content-length': body.length });
      res.end(body);
    } else {
      res.writeHead(200, headers);
      createReadStream(file).pipe(res);
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  stack = await benchStack({ web: 'none' });
  const env = { VITE_SUPABASE_URL: stack.env.SUPABASE_URL, VITE_SUPABASE_ANON_KEY: stack.keys.anonKey, VITE_SHOW_DEMO_ACCOUNTS: 'true' };
  work = await mkdtemp(path.join(tmpdir(), 'bench-ab-'));
  const variants = { A: path.join(work, 'A'), B: path.join(work, 'B') };
  await build(path.resolve(dirA), variants.A, env);
  await build(path.resolve(dirB), variants.B, env);
  const state = { dir: variants.A };
  // the stack's own web origin (the gateway's CORS and Auth allow it), served by this script instead of vite preview
  const web = stack.urls.web;
  await serve(state, Number(new URL(web).port));

  const { default: lighthouse } = await import('lighthouse');
  const port = await freePort();
  context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath, args: [...CHROMIUM_ARGS, `--remote-debugging-port=${port}`],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  if (target !== 'sign-in') {
    await page.goto(`${web}/sign-in`);
    await page.getByLabel(/email/i).fill(DEMO_ADMIN.email);
    await page.getByLabel(/password/i).fill('demo-password');
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  }
  const cdp = await context.newCDPSession(page);
  await page.goto('about:blank');

  const results = { A: [], B: [] };
  const pageUrl = target === 'sign-in' ? `${web}/sign-in` : `${web}/teams/${DEMO_TEAM_ID}/settings/integrations`;
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 ? ['B', 'A'] : ['A', 'B']) {
      state.dir = variants[name];
      await cdp.send('Network.clearBrowserCache');
      const { lhr } = await lighthouse(pageUrl, {
        port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'], disableStorageReset: true,
      });
      if (process.env.BENCH_FRONTEND_LHR_DIR) {
        await writeFile(path.join(process.env.BENCH_FRONTEND_LHR_DIR, `ab-${name}-${round}.json`), JSON.stringify(lhr));
      }
      const n = (id) => lhr.audits[id]?.numericValue ?? NaN;
      const lcpNode = lhr.audits['largest-contentful-paint-element']?.details?.items?.[0]?.items?.[0]?.node;
      const r = {
        performance: Math.round(lhr.categories.performance.score * 100),
        accessibility: Math.round(lhr.categories.accessibility.score * 100),
        FCP: n('first-contentful-paint'), LCP: n('largest-contentful-paint'), TBT: n('total-blocking-time'), CLS: n('cumulative-layout-shift'),
        lcpElement: lcpNode ? `${lcpNode.selector} "${(lcpNode.nodeLabel ?? '').slice(0, 40)}"` : '?',
      };
      results[name].push(r);
      console.log(`round ${round + 1} ${name}: perf ${r.performance} a11y ${r.accessibility} FCP ${Math.round(r.FCP)} LCP ${Math.round(r.LCP)} TBT ${Math.round(r.TBT)} CLS ${r.CLS.toFixed(3)} LCP element ${r.lcpElement}`);
    }
  }
  for (const name of ['A', 'B']) {
    const rs = results[name];
    console.log(`${name} (${name === 'A' ? dirA : dirB}) medians of ${rs.length}: performance ${median(rs.map((r) => r.performance))}, ` +
      `FCP ${Math.round(median(rs.map((r) => r.FCP)))} ms, LCP ${Math.round(median(rs.map((r) => r.LCP)))} ms, ` +
      `TBT ${Math.round(median(rs.map((r) => r.TBT)))} ms, CLS max ${Math.max(...rs.map((r) => r.CLS)).toFixed(3)}`);
  }
  return true;
}

await runBench(main, cleanup);
