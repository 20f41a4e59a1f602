// Shared by the benchmarks: a stack on free ports (PGlite, or a disposable database on SUPABASE_DB_URL's
// server), and a demo user's access token.
import { SignJWT } from 'jose';
import { generateSecrets } from '../dev/lib/config.mjs';
import { freePort } from '../dev/lib/processes.mjs';
import { startStack } from '../dev/lib/stack.mjs';
import { createDisposableDatabase } from '../dev/lib/test-database.mjs';

export async function benchStack({ gatewayExtraEnv = {}, sandboxExtraEnv = {} } = {}) {
  const serverUrl = process.env.SUPABASE_DB_URL;
  const database = serverUrl ? await createDisposableDatabase(serverUrl) : null;
  const ports = { gateway: await freePort(), db: await freePort(), sandbox: await freePort(), web: await freePort() };
  const secrets = generateSecrets();
  const stack = await startStack({
    ports, dbUrl: database?.url, secrets, web: 'none', quiet: true, gatewayExtraEnv, sandboxExtraEnv,
  });
  return {
    ...stack,
    secrets,
    dbKind: database ? `PostgreSQL (${new URL(serverUrl).host})` : 'embedded PGlite',
    async stop() {
      await stack.stop();
      await database?.drop();
    },
  };
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
