// Shared by the benchmarks: a stack on free ports (PGlite, or a disposable database on SUPABASE_DB_URL's
// server), a demo user's access token, and Deno scripts run to completion for their JSON result.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { SignJWT } from 'jose';
import { denoBin, generateSecrets, root } from '../dev/lib/config.mjs';
import { freePort } from '../dev/lib/processes.mjs';
import { startStack } from '../dev/lib/stack.mjs';
import { createDisposableDatabase } from '../dev/lib/test-database.mjs';

const scripts = new Set(); // Deno scripts started by runDenoScript that have not exited yet
const startingDatabases = new Set(); // disposable databases whose stack is still starting

/**
 * The stack on free ports. `database` is the disposable database ({ name, url }) on SUPABASE_DB_URL's server, or
 * null for the embedded PGlite. `web`: 'none' (no web app), or 'preview' (the production build served by vite preview
 * on `urls.web`). stop() stops the stack, then drops that database; a failed drop is an error naming
 * the database, so that it can be dropped by hand.
 */
export async function benchStack({ gatewayExtraEnv = {}, sandboxExtraEnv = {}, web = 'none' } = {}) {
  const serverUrl = process.env.SUPABASE_DB_URL;
  const disposable = serverUrl ? await createDisposableDatabase(serverUrl) : null;
  const drop = async () => {
    if (!disposable) return;
    try {
      await disposable.drop();
    } catch (error) {
      throw new Error(`could not drop ${disposable.url}: ${error.message}`);
    }
  };
  if (disposable) startingDatabases.add(drop);
  const secrets = generateSecrets();
  let stack;
  try {
    const ports = { gateway: await freePort(), db: await freePort(), sandbox: await freePort(), web: await freePort() };
    stack = await startStack({
      ports, dbUrl: disposable?.url, secrets, web, quiet: true, gatewayExtraEnv, sandboxExtraEnv,
    });
  } catch (error) {
    await drop().catch((e) => console.error(e.message));
    throw error;
  } finally {
    startingDatabases.delete(drop);
  }
  return {
    ...stack,
    secrets,
    dbKind: disposable ? `PostgreSQL (${new URL(serverUrl).host})` : 'embedded PGlite',
    database: disposable && { name: new URL(disposable.url).pathname.slice(1), url: disposable.url },
    async stop() {
      try {
        await stack.stop();
      } finally {
        await drop();
      }
    },
  };
}

/**
 * Runs a benchmark: `main` resolves with whether its figures are OK; the exit code is 1 when they are not or when it
 * fails. `cleanup` (the benchmark's own: its connections, its stack) runs after it, and on SIGINT / SIGTERM, after the
 * Deno scripts still running are killed; then the disposable database of a stack interrupted while starting is
 * dropped and the process exits 130.
 */
export async function runBench(main, cleanup) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, async () => {
      for (const child of scripts) child.kill('SIGKILL');
      await cleanup();
      for (const drop of startingDatabases) await drop().catch((e) => console.error(e.message));
      process.exit(130);
    });
  }
  try {
    if (!(await main())) process.exitCode = 1;
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

/**
 * Runs a Deno script (path from the repository root) to completion; resolves with the last JSON line it printed.
 * What it wrote to stderr is passed on, prefixed with its name; `denoFlags` go before the script.
 */
export function runDenoScript(script, { args = [], env = {}, denoFlags = [] } = {}) {
  const name = path.basename(script);
  return new Promise((resolve, reject) => {
    const child = spawn(denoBin, ['run', '-A', ...denoFlags, script, ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    scripts.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.once('exit', (code) => {
      scripts.delete(child);
      const line = out.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
      if (code !== 0 || !line) return reject(new Error(`${name} exited ${code}\n${err.slice(-3000)}${out.slice(-1000)}`));
      if (err.trim()) process.stderr.write(`[${name}] ${err.trim().slice(-2000)}\n`);
      resolve(JSON.parse(line));
    });
  });
}

export async function userToken(secrets, { sub, email }) {
  return new SignJWT({ role: 'authenticated', email, aal: 'aal1', session_id: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setAudience('authenticated')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secrets.jwtSecret));
}

export const DEMO_ADMIN = { sub: '11111111-1111-4111-8111-111111111111', email: 'demo-admin@example.com' };
export const DEMO_TEAM_ID = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
