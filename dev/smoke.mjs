// The newcomer's path, end to end: `npm start` on the embedded database from an empty data folder, then
// the demo admin signs in with supabase-js and lists the team's integrations. Run by CI after `npm test`.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { makeApiKeys, root } from './lib/config.mjs';
import { freePort } from './lib/processes.mjs';

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-smoke-'));
const ports = { GATEWAY_PORT: await freePort(), DB_PORT: await freePort(), FATHOM_SANDBOX_PORT: await freePort(), WEB_PORT: await freePort() };
const env = { ...process.env, DATA_DIR: dataDir };
delete env.SUPABASE_DB_URL;
for (const [k, v] of Object.entries(ports)) env[k] = String(v);

const child = spawn(process.execPath, ['dev/start.mjs'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
let output = '';
const fail = async (message) => {
  console.error(`SMOKE FAILED: ${message}\n${output}`);
  child.kill('SIGINT');
  await rm(dataDir, { recursive: true, force: true });
  process.exit(1);
};
const timer = setTimeout(() => fail('the stack did not print its banner within 120 s'), 120_000);
await new Promise((resolve) => {
  child.stdout.on('data', (chunk) => {
    output += chunk;
    if (output.includes('Press Ctrl-C to stop.')) resolve();
  });
  child.once('exit', (code) => fail(`npm start exited early (${code})`));
});
clearTimeout(timer);
console.log(output.trim());

const secrets = JSON.parse(await readFile(path.join(dataDir, 'dev-secrets.json'), 'utf8'));
const { anonKey } = await makeApiKeys(secrets.jwtSecret);
// Realtime is unused; Node 20 has no WebSocket, so hand supabase-js an inert transport.
const supabase = createClient(`http://127.0.0.1:${ports.GATEWAY_PORT}`, anonKey, {
  auth: { persistSession: false },
  realtime: { transport: class InertWebSocket {} },
});
const { data: session, error: signInError } = await supabase.auth.signInWithPassword({
  email: 'demo-admin@example.com',
  password: 'demo-password',
});
if (signInError) await fail(`sign-in: ${signInError.message}`);
const { data: teams, error: teamsError } = await supabase.functions.invoke('api/teams', { method: 'GET' });
if (teamsError) await fail(`teams: ${teamsError.message}`);
const team = teams.teams.find((t) => t.name === 'Demo Team');
if (!team) await fail('Demo Team is not listed');
const { data: listing, error: listError } = await supabase.functions.invoke(`api/teams/${team.id}/integrations`, { method: 'GET' });
if (listError) await fail(`integrations: ${listError.message}`);
console.log(`\nSMOKE OK: ${session.user.email} signed in, ${team.name} (${team.role}) lists ${listing.integrations.length} integration row(s).`);

child.removeAllListeners('exit');
child.kill('SIGINT');
await new Promise((resolve) => child.once('exit', resolve));
await rm(dataDir, { recursive: true, force: true });
