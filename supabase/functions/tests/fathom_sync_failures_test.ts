// Which failures of an import step are worth retrying (and resuming after the sync failed), and which are not:
// the whole kind, without a database. The end-to-end cases (a terminated backend, a 503 outage, a revoked grant) are
// in fathom_backfill_test.ts and fathom_sync_test.ts.
import assert from "node:assert/strict";
import postgres from "postgres";
import { isTransientDbError } from "../_shared/db.ts";
import { AppError } from "../_shared/errors.ts";
import { FathomApiError } from "../_shared/fathom/client.ts";
import { classifyFailure } from "../_shared/fathom/backfill-step.ts";

const pgError = (code: string) => new postgres.PostgresError({ message: `sqlstate ${code}`, code } as never);
// what postgres.js raises when its socket fails (errors.js `connection`), and a socket error under it
const connectionError = (code: string) => Object.assign(new Error(`write ${code} 127.0.0.1:5432`), { code, errno: code });

Deno.test("database errors: a lost connection, a server going down or a lost race is transient", () => {
  const transient = [
    ...["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED", "CONNECT_TIMEOUT"].map(connectionError),
    ...["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"].map(connectionError),
    ...["57P01", "57P02", "57P03", "40001", "40P01", "53300", "08000", "08003", "08006", "08001", "08P01"].map(pgError),
    new Deno.errors.ConnectionReset("connection reset by peer"),
    new Deno.errors.ConnectionRefused("connection refused"),
    new Deno.errors.BrokenPipe("broken pipe"),
  ];
  for (const err of transient) assert.equal(isTransientDbError(err), true, `${err.name} ${(err as { code?: string }).code}`);
});

Deno.test("database errors: anything else is permanent (retrying gives the same answer)", () => {
  const permanent: unknown[] = [
    ...["23505", "23503", "23514", "22P02", "42P01", "42501", "42703", "P0001", "57014", "XX000"].map(pgError),
    Object.assign(new Error("a code that is no SQLSTATE of ours"), { code: "57P01" }), // not a PostgresError
    Object.assign(new Error("UNSAFE_TRANSACTION: Only use sql.begin"), { code: "UNSAFE_TRANSACTION" }),
    new TypeError("Cannot read properties of undefined"),
    "a string",
    null,
  ];
  for (const err of permanent) assert.equal(isTransientDbError(err), false, String((err as Error)?.message ?? err));
});

Deno.test("a step's failure: its code, whether the step retries it, whether fathom-sync resumes the failed sync", () => {
  const cases: [unknown, ReturnType<typeof classifyFailure>][] = [
    [connectionError("CONNECTION_CLOSED"), { code: "database_unavailable", transient: true, resumable: true }],
    [pgError("57P01"), { code: "database_unavailable", transient: true, resumable: true }],
    [pgError("23505"), { code: "internal_error", transient: false, resumable: false }],
    [new Error("a bug"), { code: "internal_error", transient: false, resumable: false }],
    [new FathomApiError(503, "answered 503", true), { code: "fathom_http_503", transient: true, resumable: true }],
    [new FathomApiError(0, "unreachable", true), { code: "fathom_http_0", transient: true, resumable: true }],
    [new FathomApiError(429, "answered 429 repeatedly", true), { code: "fathom_http_429", transient: true, resumable: true }],
    [new FathomApiError(401, "answered 401"), { code: "fathom_http_401", transient: true, resumable: false }],
    [new FathomApiError(404, "answered 404"), { code: "fathom_http_404", transient: false, resumable: false }],
    [new FathomApiError(200, "unexpected body"), { code: "fathom_http_200", transient: false, resumable: false }],
    [new AppError("provider_unavailable", "down"), { code: "provider_unavailable", transient: true, resumable: true }],
    [new AppError("needs_reauth", "reconnect"), { code: "needs_reauth", transient: false, resumable: false }],
    [new AppError("not_connected", "connect"), { code: "not_connected", transient: false, resumable: false }],
    [new AppError("token_exchange_failed", "no"), { code: "token_exchange_failed", transient: false, resumable: false }],
  ];
  for (const [err, expected] of cases) assert.deepEqual(classifyFailure(err), expected, (err as Error).message);
});
