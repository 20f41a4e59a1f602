// Applies the local bootstrap (only on a database that is not Supabase), every migration not yet applied,
// and optionally the seed. Migrations are recorded where the Supabase CLI records them, so the same database
// could later be handed to `supabase db push` without replaying anything.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';

const root = path.resolve(import.meta.dirname, '../..');
const migrationsDir = path.join(root, 'supabase/migrations');

export async function migrate(databaseUrl, { seed = true, log = () => {} } = {}) {
  const sql = postgres(databaseUrl, { prepare: false, max: 1, onnotice: () => {} });
  try {
    const [{ is_supabase }] = await sql`
      select exists (select 1 from pg_roles where rolname = 'supabase_admin') as is_supabase`;
    if (!is_supabase) {
      await sql.unsafe(await readFile(path.join(root, 'dev/db/bootstrap.sql'), 'utf8'));
    }
    await sql.unsafe(`
      create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations (
        version text primary key, name text, statements text[]
      );`);
    const applied = new Set((await sql`select version from supabase_migrations.schema_migrations`).map((r) => r.version));
    const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
    for (const file of files) {
      const [, version, name] = file.match(/^(\d+)_(.+)\.sql$/) ?? [];
      if (!version) throw new Error(`Migration file name must be <timestamp>_<name>.sql: ${file}`);
      if (applied.has(version)) continue;
      const text = await readFile(path.join(migrationsDir, file), 'utf8');
      await sql.begin(async (tx) => {
        await tx.unsafe(text);
        await tx`insert into supabase_migrations.schema_migrations (version, name) values (${version}, ${name})`;
      });
      log(`applied migration ${file}`);
    }
    if (seed) {
      await sql.begin(async (tx) => tx.unsafe(await readFile(path.join(root, 'supabase/seed.sql'), 'utf8')));
      log('applied seed');
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
