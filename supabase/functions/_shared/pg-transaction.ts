// sql.begin() for postgres.js 3.4.x that survives the loss of its connection (a restart, pg_terminate_backend, a
// reset) without taking the process down.
//
// Why (porsager/postgres #1133, #1154, #1208, #1216; fixes proposed in PRs #1168, #1209, #1215, none released in
// 3.4.9): when a transaction's connection closes, postgres.js nulls the connection's socket and rejects begin(),
// but the transaction callback keeps running. Whatever it sends next — its own next query, or the ROLLBACK that
// begin() sends when the callback rejects — is written to the null socket from a setImmediate callback:
// `TypeError: Cannot read properties of null (reading 'write')` at connection.js nextWrite, an uncaught exception
// that no try/catch can reach, so Deno exits. If the pool has reconnected that connection in between, the late
// queries (and COMMIT) run inside ANOTHER request's transaction instead (#1216).
//
// What this does, until postgres.js guards it itself:
//   - every query the callback issues through `tx` is checked when it is sent: once the connection is known lost,
//     it is rejected here and never reaches postgres.js's connection;
//   - the connection is known lost from the first query that fails with a connection-loss error (below), or from
//     begin() rejecting on the connection's close, whichever comes first;
//   - when the callback ends after the loss (with an error or a value), begin() is given a callback promise that
//     never settles, so it sends neither ROLLBACK nor COMMIT (the server already rolled the transaction back when
//     the session ended); the caller gets the connection error at once.
import type postgres from "postgres";

type Sql = postgres.Sql;
type Tx = postgres.TransactionSql;

// postgres.js's own connection failures (errors.js) and the socket errors under them (Node and Deno names)
export const CONNECTION_FAILURES = new Set([
  "CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED", "CONNECT_TIMEOUT",
  "ECONNRESET", "ECONNREFUSED", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN",
]);
export const SOCKET_ERROR_NAMES = new Set([
  "ConnectionReset", "ConnectionRefused", "ConnectionAborted", "BrokenPipe", "TimedOut",
]);

/**
 * True when the error means the session itself is gone: postgres.js's connection errors, a socket error, or a
 * server error of severity FATAL/PANIC (57P01 admin_shutdown, 25P04 idle-in-transaction timeout, ...: PostgreSQL
 * ends the session after sending it) or of class 08 (connection exception). Not for errors after which the session
 * lives on (a constraint, a deadlock, a serialization failure): those roll back as usual.
 */
export function isConnectionLoss(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const { code, severity } = err as { code?: unknown; severity?: unknown };
  if (err.name === "PostgresError") {
    return severity === "FATAL" || severity === "PANIC" || (typeof code === "string" && /^08[0-9A-Z]{3}$/.test(code));
  }
  if (typeof code === "string" && CONNECTION_FAILURES.has(code)) return true;
  return SOCKET_ERROR_NAMES.has(err.name);
}

/** postgres.js's Query: a promise that is sent to its connection by `handler` one microtask after it is awaited. */
interface PendingQuery extends Promise<unknown> {
  handler: ((query: PendingQuery) => void) & { debug?: unknown };
  reject(err: unknown): void;
}

function isQuery(value: unknown): value is PendingQuery {
  return value instanceof Promise && typeof (value as Partial<PendingQuery>).handler === "function";
}

const NEVER = new Promise<never>(() => {});

/**
 * `sql.begin(work)`, with the transaction's queries refused once its connection is lost (see the top of this file).
 * Resolves with work's result after COMMIT; rejects with work's error after ROLLBACK, or with the connection error
 * (CONNECTION_CLOSED, ECONNRESET, a FATAL PostgresError, ...) as soon as the connection is known lost.
 * Tagged-template queries, `tx.unsafe` and `tx.file` are sent through the guard, in the transaction and in its
 * savepoints (`tx.savepoint(sp => ...)` hands the work a guarded scope too).
 */
export async function guardedBegin<T>(sql: Sql, work: (tx: Tx) => Promise<T>): Promise<T> {
  let lost: unknown = null;
  let announceLoss!: (err: unknown) => void;
  const lossSignal = new Promise<never>((_, reject) => {
    announceLoss = (err) => {
      if (lost !== null) return;
      lost = err;
      reject(err);
    };
  });
  lossSignal.catch(() => {}); // observed through the race below; never an unhandled rejection

  const guardQuery = (query: PendingQuery): PendingQuery => {
    const send = query.handler;
    const guarded = Object.assign((q: PendingQuery) => {
      if (lost !== null) return q.reject(lost);
      q.catch((err) => isConnectionLoss(err) && announceLoss(err));
      send(q);
    }, { debug: send.debug });
    query.handler = guarded;
    return query;
  };

  // A scope's work, ended: its result or error as usual, or never once the connection is lost (no ROLLBACK, no
  // COMMIT, no ROLLBACK TO on a dead connection).
  const settle = <R>(work: Promise<R>): Promise<R> =>
    work.then(
      (result) => lost === null ? result : NEVER,
      (err) => {
        if (lost === null && isConnectionLoss(err)) announceLoss(err);
        if (lost !== null) return NEVER;
        throw err;
      },
    );

  // The transaction's sql, and a savepoint's (postgres.js gives each savepoint a scope of its own), guarded alike.
  const guard = (tx: Tx): Tx =>
    new Proxy(tx, {
      apply(target, thisArg, args) {
        const made = Reflect.apply(target, thisArg, args);
        return isQuery(made) ? guardQuery(made) : made;
      },
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property === "unsafe" || property === "file") {
          return (...args: unknown[]) => {
            const made = (value as (...a: unknown[]) => unknown).apply(target, args);
            return isQuery(made) ? guardQuery(made) : made;
          };
        }
        if (property === "savepoint") {
          return (nameOrWork: string | ((sp: Tx) => unknown), maybeWork?: (sp: Tx) => unknown) => {
            const inner = (typeof nameOrWork === "function" ? nameOrWork : maybeWork)!;
            // after a loss, the savepoint's work never settles, so postgres.js sends no ROLLBACK TO (nor RELEASE)
            // on the dead connection; guardedBegin's caller gets the loss through the race below
            const scoped = (sp: Tx) => settle(Promise.resolve().then(() => inner(guard(sp))));
            const savepoint = value as (...a: unknown[]) => unknown;
            return typeof nameOrWork === "function"
              ? savepoint.call(target, scoped)
              : savepoint.call(target, nameOrWork, scoped);
          };
        }
        return value;
      },
    });

  const transaction = sql.begin((tx) => settle(work(guard(tx))));
  // begin() rejects when the connection closes, even while work awaits something else (no query to fail)
  transaction.catch((err) => isConnectionLoss(err) && announceLoss(err));
  return await Promise.race([transaction as Promise<T>, lossSignal]);
}
