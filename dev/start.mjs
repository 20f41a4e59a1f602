// `npm start`: the whole product locally, with no Docker, no PostgreSQL server and no internet.
import path from 'node:path';
import { startBanner } from './lib/banner.mjs';
import { PORT_VARIABLES, loadOrCreateSecrets, needsSandbox, portsFromEnv, root } from './lib/config.mjs';
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

console.log(startBanner({ urls: stack.urls, keys: stack.keys, dbUrl, dataDir }));
