// Brings the whole local stack up: database (embedded PGlite or a given PostgreSQL), migrations and seed,
// the provider sandboxes (Fathom, Slack, Discord on one port), the gateway (functions + Auth emulator) and the web app. Used by `npm start` and `npm test`.
import path from 'node:path';
import { startPgliteServer } from '../db/pglite-server.mjs';
import { migrate } from '../db/migrate.mjs';
import { LOCAL_HOST, automationIntervalMs, denoBin, denoFlags, functionEnv, localAppOrigins, makeApiKeys, needsSandbox, root, sandboxEnv, syncIntervalMs, webOrigin } from './config.mjs';
import { ProcessGroup } from './processes.mjs';
import { startAutomationScheduler, startSyncScheduler } from './sync-scheduler.mjs';

export async function waitForHttp(url, { timeoutMs = 60_000, name = url } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.status < 500) return;
      lastError = new Error(`HTTP ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not come up at ${url}: ${lastError?.message}`);
}

/**
 * @param {object} o
 * @param {{gateway:number, db:number, sandbox:number, web:number}} o.ports
 * @param {string|undefined} o.dbUrl  use this PostgreSQL instead of the embedded database
 * @param {string|undefined} o.dataDir  persist the embedded database here (in memory when absent)
 * @param {'dev'|'preview'|'none'} o.web
 * @param {number} [o.syncEveryMs]  call fathom-sync this often (default FATHOM_SYNC_INTERVAL_SECONDS or 60 s; 0: never)
 * @param {number} [o.automationEveryMs]  call automation-runner this often (default AUTOMATION_RUNNER_INTERVAL_MS or
 *   1 s; 0: not now, startAutomations(ms) later: tests that drive the engine themselves want no second runner)
 */
export async function startStack({ ports, dbUrl, dataDir, secrets, web = 'dev', quiet = false, sandboxExtraEnv = {}, gatewayExtraEnv = {}, log = console.log, onUnexpectedExit, syncEveryMs = syncIntervalMs(), automationEveryMs = automationIntervalMs() }) {
  const group = new ProcessGroup({ quiet, onUnexpectedExit });
  let db;
  let scheduler;
  let automations;
  const stop = async () => {
    await automations?.stop();
    await scheduler?.stop();
    await group.stopAll();
    await db?.stop();
  };
  try {
    if (!dbUrl) {
      db = await startPgliteServer({ port: ports.db, dataDir: dataDir ? path.join(dataDir, 'pglite') : undefined });
      dbUrl = db.url;
    }
    await migrate(dbUrl, { seed: true, log: quiet ? () => {} : (m) => log(`[db] ${m}`) });

    const keys = await makeApiKeys(secrets.jwtSecret);
    const env = functionEnv({ ports, dbUrl, secrets, keys, appOrigin: localAppOrigins(ports).join(',') });
    const urls = {
      api: env.SUPABASE_URL,
      web: webOrigin(ports),
      sandbox: `http://127.0.0.1:${ports.sandbox}`,
      db: dbUrl,
    };

    const startingSandbox = needsSandbox();
    if (startingSandbox) {
      group.start('sandbox', denoBin, ['run', '-A', ...denoFlags, 'dev/sandbox/main.ts'], {
        cwd: root,
        env: sandboxEnv({ ports, secrets, dataDir, extra: sandboxExtraEnv }),
      });
    }
    group.start('gateway', denoBin, ['run', '-A', ...denoFlags, 'dev/gateway/main.ts'], { cwd: root, env: { ...env, ...gatewayExtraEnv } });

    const viteEnv = { VITE_SUPABASE_URL: env.SUPABASE_URL, VITE_SUPABASE_ANON_KEY: keys.anonKey };
    const vite = path.join(root, 'node_modules/.bin/vite');
    if (web === 'dev') {
      group.start('web', vite, ['--port', String(ports.web), '--strictPort', '--host', LOCAL_HOST], { cwd: root, env: viteEnv });
    } else if (web === 'preview') {
      const build = group.start('build', vite, ['build', '--outDir', 'dist', '--emptyOutDir', '--logLevel', 'warn'], {
        cwd: root,
        env: { ...viteEnv, VITE_SHOW_DEMO_ACCOUNTS: 'true' },
      });
      await new Promise((resolve, reject) =>
        build.child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (${code})`)))),
      );
      group.start('web', vite, ['preview', '--port', String(ports.web), '--strictPort', '--host', LOCAL_HOST], { cwd: root });
    }

    await Promise.all([
      startingSandbox && waitForHttp(`${urls.sandbox}/_sandbox/state`, { name: 'provider sandboxes' }),
      waitForHttp(`${urls.api}/health`, { name: 'gateway' }),
      web !== 'none' && waitForHttp(`${urls.web}/`, { name: 'web app' }),
    ]);
    scheduler = startSyncScheduler({
      url: `${urls.api}/functions/v1/fathom-sync`,
      secret: env.FATHOM_SYNC_SECRET,
      intervalMs: syncEveryMs,
      log: quiet ? () => {} : log,
    });
    const startAutomations = async (intervalMs) => {
      await automations?.stop();
      automations = startAutomationScheduler({
        url: `${urls.api}/functions/v1/automation-runner`,
        secret: env.AUTOMATION_RUNNER_SECRET,
        intervalMs,
        log: quiet ? () => {} : log,
      });
      return automations;
    };
    if (automationEveryMs > 0) await startAutomations(automationEveryMs);
    return { urls, env, keys, stop, group, scheduler, startAutomations };
  } catch (error) {
    await stop();
    throw error;
  }
}
