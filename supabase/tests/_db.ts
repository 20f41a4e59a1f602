// Test helper: one connection to SUPABASE_DB_URL and transactions that are ALWAYS rolled back, so the tests
// leave the database exactly as they found it. Works against a real PostgreSQL and against PGlite served over
// the wire protocol (one session: max 1 connection, no named prepared statements).
//
//   await withRole("authenticated", claimsFor(MEMBER), async (tx) => { ... });   // whole tx as one role
//   await inRollbackTx(async (tx) => { await setup(tx); await actAs(tx, ...); ... }); // switch roles inside
import postgres from "postgres";

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;
export type DbRole = "anon" | "authenticated" | "service_role";
export type Claims = Record<string, unknown>;

export const DB_URL = Deno.env.get("SUPABASE_DB_URL") ?? "";

if (!DB_URL) {
  console.warn(
    "SUPABASE_DB_URL is not set: the database tests in supabase/tests are SKIPPED. " +
      "Set it, e.g. SUPABASE_DB_URL=postgres://postgres:postgres@127.0.0.1:5432/crm_rls",
  );
}

let sql: Sql | null = null;

export function db(): Sql {
  if (!DB_URL) throw new Error("SUPABASE_DB_URL is not set");
  sql ??= postgres(DB_URL, {
    max: 1,
    prepare: false,
    onnotice: () => {},
    connection: { application_name: "supabase-tests" },
  });
  return sql;
}

export async function closeDb(): Promise<void> {
  const s = sql;
  sql = null;
  await s?.end({ timeout: 5 });
}

/** Deno.test that is skipped (ignored) when SUPABASE_DB_URL is unset. The connection is shared across tests. */
export function dbTest(name: string, fn: (t: Deno.TestContext) => Promise<void>): void {
  Deno.test({ name, ignore: !DB_URL, sanitizeOps: false, sanitizeResources: false, fn });
}

class Rollback extends Error {
  constructor() {
    super("rollback sentinel");
  }
}

/** Runs fn inside a transaction (as the connecting role) and rolls it back whatever happens. */
export async function inRollbackTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await db().begin(async (tx) => {
      result = await fn(tx);
      throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return result as T;
}

/** Switches the current transaction to `role` with these JWT claims (transaction-local, as the edge functions do). */
export async function actAs(tx: Tx, role: DbRole, claims: Claims): Promise<void> {
  await tx.unsafe(
    "select set_config('request.jwt.claims', $1, true), set_config('role', $2, true)",
    [JSON.stringify(claims), role],
  );
}

/** Back to the connecting role (the owner that applied the migrations), e.g. to write auth.users fixtures. */
export async function actAsOwner(tx: Tx): Promise<void> {
  await tx.unsafe("select set_config('request.jwt.claims', '', true), set_config('role', 'none', true)");
}

/** One rolled-back transaction run entirely as `role`. */
export function withRole<T>(role: DbRole, claims: Claims, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inRollbackTx(async (tx) => {
    await actAs(tx, role, claims);
    return await fn(tx);
  });
}

/** Runs fn in a savepoint that is always rolled back; returns fn's result or the Postgres error it threw. */
export async function attempt<T>(tx: Tx, fn: (sp: Tx) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: postgres.PostgresError }> {
  let outcome: { ok: true; value: T } | { ok: false; error: postgres.PostgresError } | undefined;
  try {
    await tx.savepoint(async (sp) => {
      try {
        outcome = { ok: true, value: await fn(sp as Tx) };
      } catch (e) {
        if (e instanceof postgres.PostgresError) outcome = { ok: false, error: e };
        throw e;
      }
      throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback) && !(e instanceof postgres.PostgresError)) throw e;
  }
  return outcome!;
}

/** Rows affected (or returned) by a statement run in a rolled-back savepoint; throws if it failed. */
export async function affected(tx: Tx, query: string, params: unknown[] = []): Promise<number> {
  const r = await attempt(tx, (sp) => sp.unsafe(query, params as postgres.ParameterOrJSON<never>[]));
  if (!r.ok) throw new Error(`expected success, got ${r.error.code} ${r.error.message}\n  in: ${query}`);
  return r.value.count;
}

/** The SQLSTATE and message a statement fails with (in a rolled-back savepoint), or null if it succeeded. */
export async function failure(tx: Tx, query: string, params: unknown[] = []): Promise<{ code: string; message: string } | null> {
  const r = await attempt(tx, (sp) => sp.unsafe(query, params as postgres.ParameterOrJSON<never>[]));
  return r.ok ? null : { code: r.error.code, message: r.error.message };
}
