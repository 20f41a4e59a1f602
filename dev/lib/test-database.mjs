// A disposable database for one test run on a real PostgreSQL server, so `npm test` never touches the
// database SUPABASE_DB_URL names, only a fresh sibling created (and dropped) next to it.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export async function createDisposableDatabase(serverUrl) {
  const name = `crm_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.end();
    },
  };
}
