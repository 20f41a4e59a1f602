// What `npm start` prints once the stack is up: where everything is, and the API keys, as `supabase start` does.
import path from 'node:path';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, SANDBOXED_PROVIDERS, automationIntervalMs, needsSandbox, root, usesRealFathom, usesRealProvider } from './config.mjs';

/**
 * The banner's text, lines joined by "\n".
 * @param {object} o
 * @param {{web:string, api:string, db:string, sandbox:string}} o.urls  startStack's urls (web: the app's one origin)
 * @param {{anonKey:string, serviceRoleKey:string}} o.keys  startStack's keys (local keys, derived from the
 *   git-ignored dev JWT secret: printed like `supabase start` prints its own, for scripts and the SQL/API tools)
 * @param {string|undefined} o.dbUrl  SUPABASE_DB_URL when the developer brought their own PostgreSQL
 * @param {string} o.dataDir  the embedded database's data folder
 * @param {Record<string,string|undefined>} [o.env]
 */
export function startBanner({ urls, keys, dbUrl, dataDir, env = process.env }) {
  const out = [];
  const line = (label, value) => out.push(`  ${label.padEnd(28)} ${value}`);
  out.push('', 'Team CRM is running.', '');
  line('Web app', urls.web);
  line('API gateway', `${urls.api}  (/functions/v1, /auth/v1)`);
  // "Confirm email" is on: sign-up links land here, as `supabase start` sends them to Inbucket/Mailpit.
  line('Mailbox (Auth e-mails)', `${urls.api}/_dev/mailbox?email=<address>`);
  const shownDataDir = dataDir.startsWith(root) ? `${path.relative(root, dataDir)}/` : dataDir;
  line('Database', dbUrl ? 'SUPABASE_DB_URL (your PostgreSQL)' : `${urls.db}  (embedded PGlite, data in ${shownDataDir})`);
  line('Fathom', usesRealFathom(env) ? 'your Fathom app (FATHOM_CLIENT_ID)' : `${urls.sandbox}/fathom/  (Fathom sandbox)`);
  for (const [prefix, { name }] of Object.entries(SANDBOXED_PROVIDERS)) {
    const real = usesRealProvider(prefix, env);
    line(name, real ? `your ${name} app (${prefix}_CLIENT_ID)` : `${urls.sandbox}/${prefix.toLowerCase()}/  (${name} sandbox)`);
  }
  if (needsSandbox(env)) line('All sandboxes', `${urls.sandbox}/`);
  const every = automationIntervalMs(env);
  line('Automations', every > 0 ? `automation-runner every ${every / 1000} s (AUTOMATION_RUNNER_INTERVAL_MS)` : 'runner off (AUTOMATION_RUNNER_INTERVAL_MS=0)');
  line('anon key', keys.anonKey);
  line('service_role key', keys.serviceRoleKey);
  out.push('', `Demo accounts (password "${DEMO_PASSWORD}"):`);
  for (const [email, what] of DEMO_ACCOUNTS) line(email, what);
  out.push('', 'Press Ctrl-C to stop.');
  return out.join('\n');
}
