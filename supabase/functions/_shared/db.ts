// One postgres.js pool per isolate, and the only two ways code talks to the database:
//   asUser(claims, tx => ...)  as the caller: row-level security decides (what @supabase/server does)
//   asService(tx => ...)       as service_role: for the columns no client role may touch (tokens, OAuth state)
// Role and claims are set with set_config(..., true), i.e. LOCAL to the transaction, so they can never leak to the
// next request that borrows the same pooled connection.
import postgres from "postgres";
import { supabaseDbUrl } from "./env.ts";
import { CONNECTION_FAILURES, guardedBegin, SOCKET_ERROR_NAMES } from "./pg-transaction.ts";

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

let pool: Sql | null = null;

function db(): Sql {
  pool ??= postgres(supabaseDbUrl(), {
    prepare: false, // Supabase's transaction pooler cannot keep prepared statements
    max: 4, // an edge isolate serves few concurrent requests; stay far below the pooler's limit
    idle_timeout: 20,
    connect_timeout: 10,
    onnotice: () => {}, // NOTICEs are not errors; keep them out of function logs
  });
  return pool;
}

/** Claims as verified by auth.ts; stored verbatim in request.jwt.claims for auth.uid()/auth.jwt(). */
export interface UserClaims {
  sub: string;
  role: string;
  [claim: string]: unknown;
}

// The role is set by a query that is sent, not awaited, before the work's first query: postgres.js runs a
// transaction's queries on its one connection strictly in the order they were issued, so the work never runs
// without the role, and the setting travels in the same round trip as the first statement (pipelining). A
// failure of the setting aborts the transaction, and the work's first query fails with it.
// guardedBegin, not db().begin: a transaction whose connection is lost (a restart) must not crash the process
// (pg-transaction.ts).
async function acting<T>(role: string, claims: object, work: (tx: Tx) => Promise<T>): Promise<T> {
  return await guardedBegin(db(), async (tx) => {
    const setting = tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
                              set_config('role', ${role}, true)`.execute();
    const [, result] = await Promise.all([setting, work(tx)]);
    return result;
  });
}

export async function asUser<T>(claims: UserClaims, work: (tx: Tx) => Promise<T>): Promise<T> {
  return await acting("authenticated", claims, work);
}

export async function asService<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return await acting("service_role", { role: "service_role" }, work);
}

/**
 * ONE statement, in its own implicit transaction, as the pool's own role: one round trip, where asService needs
 * three (begin, role + statement, commit). Only for the webhook acknowledgement, whose single fixed statement
 * touches service-only tables and must answer a burst of deliveries at the speed of a bare insert
 * (docs/decisions.md). Everything else acts as a role through asUser/asService.
 */
export async function singleStatement<T>(statement: (sql: Sql) => Promise<T>): Promise<T> {
  return await statement(db());
}

/** For tests and graceful shutdown: close the pool; the next call opens a new one. */
export async function closeDb(): Promise<void> {
  const current = pool;
  pool = null;
  await current?.end({ timeout: 5 });
}

// SQLSTATEs (PostgreSQL appendix A) that say "the server or this session went away, or lost a race": try again.
const TRANSIENT_SQLSTATES = new Set([
  "57P01", // admin_shutdown (pg_terminate_backend, a restart)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, recovering)
  "40001", // serialization_failure
  "40P01", // deadlock_detected
  "53300", // too_many_connections
]);

/**
 * True when a database error is worth retrying later as it is: the connection failed or was dropped, the server
 * is (re)starting, or the transaction lost a race. Class 08 (connection exception) counts as a whole. Any other
 * error (a constraint, a syntax error, bad data) is permanent: retrying gives the same answer.
 */
/**
 * The database refused the data itself: a data exception (class 22: a value out of range, a bad encoding), an
 * integrity violation (23) or a program limit (54: an index row too large). Trying the same row again gives the
 * same answer, so it is skipped with its reason rather than retried.
 */
export function isDataError(err: unknown): boolean {
  if (!(err instanceof Error) || err.name !== "PostgresError") return false;
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && /^(22|23|54)[0-9A-Z]{3}$/.test(code);
}

export function isTransientDbError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") {
    if (CONNECTION_FAILURES.has(code)) return true;
    if (err.name === "PostgresError") return TRANSIENT_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code);
  }
  return SOCKET_ERROR_NAMES.has(err.name);
}
