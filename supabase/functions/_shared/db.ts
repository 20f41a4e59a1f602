// One postgres.js pool per isolate, and the only two ways code talks to the database:
//   asUser(claims, tx => ...)  as the caller: row-level security decides (what @supabase/server does)
//   asService(tx => ...)       as service_role: for the columns no client role may touch (tokens, OAuth state)
// Role and claims are set with set_config(..., true), i.e. LOCAL to the transaction, so they can never leak to the
// next request that borrows the same pooled connection.
import postgres from "postgres";
import { supabaseDbUrl } from "./env.ts";

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

export async function asUser<T>(claims: UserClaims, work: (tx: Tx) => Promise<T>): Promise<T> {
  return await db().begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
                    set_config('role', 'authenticated', true)`;
    return await work(tx);
  }) as T;
}

export async function asService<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return await db().begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ role: "service_role" })}, true),
                    set_config('role', 'service_role', true)`;
    return await work(tx);
  }) as T;
}

/** For tests and graceful shutdown: close the pool; the next call opens a new one. */
export async function closeDb(): Promise<void> {
  const current = pool;
  pool = null;
  await current?.end({ timeout: 5 });
}
