// `npm test`: every test, against the real local stack. The database is embedded PGlite unless
// SUPABASE_DB_URL names a PostgreSQL server (CI), in which case a disposable database is created on it.
// Usage: npm test [-- check|deno|unit|e2e ...]   (default: all suites, "check" first; it needs no stack)
//        npm test -- deno:<path> [deno:<path> ...]   only those Deno test files or folders (unit:<path>, e2e:<path> alike)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { denoBin, denoFlags, generateSecrets, root } from './lib/config.mjs';
import { freePort } from './lib/processes.mjs';
import { startStack } from './lib/stack.mjs';
import { createDisposableDatabase } from './lib/test-database.mjs';
import { junitFailures, vitestFailures } from './lib/test-report.mjs';

/**
 * Static checks, run before the stack starts (a type error fails in seconds, not after the suites):
 * tsc over src/ (tsconfig.json), deno check over every Deno file (each function, its tests, the gateway, the
 * provider sandboxes, the benches), and dependency-cruiser's import rules (.dependency-cruiser.cjs: no cycles, the
 * wings never import each other, the provider registry is data; no violation is tolerated).
 */
const depcruise = path.join(root, 'node_modules/.bin/depcruise');
const CHECKS = [
  { title: 'tsc --noEmit (src/)', command: path.join(root, 'node_modules/.bin/tsc'), args: ['--noEmit', '-p', 'tsconfig.json'] },
  { title: 'deno check (supabase/, dev/, bench/)', command: denoBin, args: ['check', ...denoFlags, 'supabase/', 'dev/', 'bench/'] },
  {
    title: 'dependency-cruiser (no cycles, wings apart)',
    command: depcruise,
    args: [
      '--config', '.dependency-cruiser.cjs',
      '--output-type', 'err', 'src', 'supabase', 'dev', 'bench', 'e2e',
    ],
    skipUnless: () => existsSync(depcruise) || 'dependency-cruiser is not installed (npm install -D dependency-cruiser)',
  },
];

const SUITES = {
  check: {
    title: 'Static checks: types and import rules',
    needsStack: false,
    run: runChecks,
  },
  deno: {
    title: 'Deno: functions, RLS, gateway + Auth emulator, provider sandboxes',
    command: denoBin,
    args: ['test', '-A', ...denoFlags, 'supabase/tests/', 'supabase/functions/', 'dev/'],
    report: { path: 'test-results/deno.xml', flag: (p) => `--junit-path=${p}`, read: junitFailures },
  },
  unit: {
    title: 'Vitest: React components',
    command: path.join(root, 'node_modules/.bin/vitest'),
    args: ['run'],
    report: vitestReport('unit'),
  },
  e2e: {
    title: 'Playwright (Chromium): end-to-end against the running stack',
    command: path.join(root, 'node_modules/.bin/vitest'),
    args: ['run', '--config', 'e2e/vitest.config.ts'],
    report: vitestReport('e2e'),
  },
};

/** Vitest keeps its usual output and also writes a JSON report the summary reads the failures from. */
function vitestReport(name) {
  return {
    path: `test-results/${name}.json`,
    flag: (p) => ['--reporter=default', '--reporter=json', `--outputFile.json=${p}`],
    read: vitestFailures,
  };
}

async function runChecks() {
  let ok = true;
  for (const check of CHECKS) {
    const skip = check.skipUnless?.();
    if (typeof skip === 'string') {
      console.log(`--- ${check.title}: SKIPPED, ${skip}`);
      continue;
    }
    console.log(`--- ${check.title}`);
    const code = await run(check.command, check.args, {});
    if (code !== 0) ok = false;
  }
  return ok ? 0 : 1;
}

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
// "deno:path" narrows a suite to some files: its default paths are replaced (deno) or the paths are appended (vitest).
const only = {};
for (const arg of requested) {
  const [name, ...rest] = arg.split(':');
  if (rest.length) (only[name] ??= []).push(rest.join(':'));
}
const suites = [...new Set(requested.length ? requested.map((a) => a.split(':')[0]) : Object.keys(SUITES))];
for (const s of suites) if (!SUITES[s]) throw new Error(`Unknown suite "${s}" (known: ${Object.keys(SUITES).join(', ')})`);
if (only.deno) SUITES.deno.args = ['test', '-A', ...denoFlags, ...only.deno];
for (const name of ['unit', 'e2e']) if (only[name]) SUITES[name].args = [...SUITES[name].args, ...only[name]];
for (const suite of Object.values(SUITES)) {
  if (!suite.report) continue;
  rmSync(path.join(root, suite.report.path), { force: true });
  mkdirSync(path.join(root, path.dirname(suite.report.path)), { recursive: true });
  const flags = [suite.report.flag(suite.report.path)].flat();
  // deno's flags go between `test` and the paths; vitest takes them anywhere
  suite.args = suite.command === denoBin ? [suite.args[0], ...flags, ...suite.args.slice(1)] : [...suite.args, ...flags];
}

function run(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit' });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const results = [];
// the static checks first, without the stack
for (const name of suites.filter((s) => SUITES[s].needsStack === false)) {
  const suite = SUITES[name];
  console.log(`\n=== ${suite.title} ===`);
  const started = Date.now();
  const code = await suite.run();
  results.push({ name, ok: code === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}
const stackSuites = suites.filter((s) => SUITES[s].needsStack !== false);

const serverUrl = process.env.SUPABASE_DB_URL;
const database = serverUrl && stackSuites.length ? await createDisposableDatabase(serverUrl) : null;
const ports = { gateway: await freePort(), db: await freePort(), sandbox: await freePort(), web: await freePort() };
const needsWeb = suites.includes('e2e');

let stack;
if (stackSuites.length) try {
  console.log(`\nDatabase: ${database ? `PostgreSQL (${new URL(database.url).pathname.slice(1)} on ${new URL(serverUrl).host})` : 'embedded PGlite (in memory)'}`);
  stack = await startStack({
    ports,
    dbUrl: database?.url,
    secrets: generateSecrets(),
    web: needsWeb ? 'preview' : 'none',
    quiet: true,
    // Deno tests drive the automations engine themselves (a second runner would take their events); e2e needs it
    automationEveryMs: 0,
  });
  const testEnv = {
    ...stack.env,
    FATHOM_SANDBOX_URL: stack.urls.sandbox,
    GATEWAY_URL: stack.urls.api,
    WEB_URL: stack.urls.web,
    TEST_DB_KIND: database ? 'postgres' : 'pglite',
  };
  for (const name of stackSuites) {
    const suite = SUITES[name];
    if (name === 'e2e') await stack.startAutomations(1000);
    console.log(`\n=== ${suite.title} ===`);
    const started = Date.now();
    const code = await run(suite.command, suite.args, testEnv);
    const failures = code === 0 ? [] : suite.report?.read(path.join(root, suite.report.path));
    results.push({ name, ok: code === 0, seconds: ((Date.now() - started) / 1000).toFixed(1), failures });
  }
} catch (error) {
  console.error(`\nTest stack failed: ${error.message}`);
  results.push({ name: 'stack', ok: false, seconds: '-' });
} finally {
  await stack?.stop();
  await database?.drop();
}

console.log('\nSummary');
for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(6)} ${r.seconds}s`);
for (const r of results.filter((r) => !r.ok && r.failures !== undefined)) {
  if (r.failures === null || r.failures.length === 0) {
    console.log(`\n${r.name}: failed without a failing test in its report (a crash, a timeout or a load error: see its output above)`);
    continue;
  }
  console.log(`\n${r.name}: ${r.failures.length} failing`);
  for (const f of r.failures) console.log(`  x ${f.test}\n${f.message.replace(/^/gm, '      ')}`);
}
process.exit(results.every((r) => r.ok) && results.length ? 0 : 1);
