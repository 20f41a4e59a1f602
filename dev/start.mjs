// `npm start`: the whole product locally, with no Docker, no PostgreSQL server and no internet.
import path from 'node:path';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, PORT_VARIABLES, loadOrCreateSecrets, needsSandbox, portsFromEnv, root, usesRealFathom, usesRealProvider } from './lib/config.mjs';
import { PortInUseError, assertPortFree } from './lib/processes.mjs';
import { startStack } from './lib/stack.mjs';

const ports = portsFromEnv();
const dbUrl = process.env.SUPABASE_DB_URL;
const dataDir = path.resolve(root, process.env.DATA_DIR ?? '.data');

try {
  for (const [name, [variable]] of Object.entries(PORT_VARIABLES)) {
    if (name === 'db' && dbUrl) continue;
    if (name === 'sandbox' && !needsSandbox()) continue;
    await assertPortFree(ports[name], variable);
  }
} catch (error) {
  if (error instanceof PortInUseError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

// A closed terminal (or a parent that stopped reading) must not crash the stack while it shuts down.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

let stack;
let stopping = false;
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await stack?.stop();
  process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

try {
  const secrets = await loadOrCreateSecrets(dataDir);
  stack = await startStack({
    ports,
    dbUrl,
    dataDir,
    secrets,
    web: 'dev',
    onUnexpectedExit: (message) => {
      console.error(message);
      shutdown(1);
    },
  });
} catch (error) {
  console.error(`Could not start: ${error.message}`);
  process.exit(1);
}

const { urls } = stack;
const line = (label, value) => console.log(`  ${label.padEnd(28)} ${value}`);
console.log('\nTeam CRM is running.\n');
line('Web app', urls.web);
line('API gateway', `${urls.api}  (/functions/v1, /auth/v1)`);
const shownDataDir = dataDir.startsWith(root) ? `${path.relative(root, dataDir)}/` : dataDir;
line('Database', dbUrl ? 'SUPABASE_DB_URL (your PostgreSQL)' : `${urls.db}  (embedded PGlite, data in ${shownDataDir})`);
line('Fathom', usesRealFathom() ? 'your Fathom app (FATHOM_CLIENT_ID)' : `${urls.sandbox}/fathom/  (Fathom sandbox)`);
line('Slack', usesRealProvider('SLACK') ? 'your Slack app (SLACK_CLIENT_ID)' : `${urls.sandbox}/slack/  (Slack sandbox)`);
line('Discord', usesRealProvider('DISCORD') ? 'your Discord app (DISCORD_CLIENT_ID)' : `${urls.sandbox}/discord/  (Discord sandbox)`);
if (needsSandbox()) line('All sandboxes', `${urls.sandbox}/`);
console.log(`\nDemo accounts (password "${DEMO_PASSWORD}"):`);
for (const [email, what] of DEMO_ACCOUNTS) line(email, what);
console.log('\nPress Ctrl-C to stop.');
