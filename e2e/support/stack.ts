// Where the running stack is (set by dev/run-tests.mjs), and direct access for arranging state.
import postgres from 'postgres';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests through \`npm test -- e2e\`.`);
  return value;
}

export const stack = {
  webUrl: required('WEB_URL'),
  gatewayUrl: required('GATEWAY_URL'),
  sandboxUrl: required('FATHOM_SANDBOX_URL'),
  dbUrl: required('SUPABASE_DB_URL'),
};

export const DEMO_TEAM_ID = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const DEMO_PASSWORD = 'demo-password';
export const ADMIN = 'demo-admin@example.com';
export const MEMBER = 'demo-member@example.com';
export const OUTSIDER = 'demo-outsider@example.com';

/** Runs SQL as the database owner (arranging and inspecting state, never to fake what the app does). */
export async function withDb<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(stack.dbUrl, { prepare: false, max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** No integration on the demo team, and none of the import history earlier connections leave behind. */
export async function resetDemoIntegrations() {
  await withDb(async (sql) => {
    await sql`delete from public.team_integrations where team_id = ${DEMO_TEAM_ID}`;
    await sql`delete from public.integration_sync_runs where team_id = ${DEMO_TEAM_ID}`;
  });
}

export async function sandbox(path: string, init?: RequestInit) {
  const response = await fetch(`${stack.sandboxUrl}${path}`, init);
  if (!response.ok) throw new Error(`sandbox ${path}: HTTP ${response.status}`);
  return response.status === 204 ? null : response.json();
}
