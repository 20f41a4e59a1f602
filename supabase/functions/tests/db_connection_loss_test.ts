// A database connection lost mid-transaction (a restart, pg_terminate_backend) fails the requests on it with a
// transient error and leaves the process up: postgres.js 3.4.9 otherwise writes the transaction's next query or
// its ROLLBACK to the closed socket from a setImmediate callback, an uncaught TypeError that ends the process
// (pg-transaction.ts). Real PostgreSQL only: PGlite has no other backends to terminate.
import assert from "node:assert/strict";
import { asService, isTransientDbError } from "../_shared/db.ts";
import { isConnectionLoss } from "../_shared/pg-transaction.ts";
import { closeAll, sql } from "./helpers.ts";

const onPostgres = Deno.env.get("TEST_DB_KIND") !== "pglite";

function pgTest(name: string, fn: () => Promise<void>): void {
  Deno.test({ name, fn, ignore: !onPostgres, sanitizeOps: false, sanitizeResources: false });
}

/** Terminates the given backends and waits until PostgreSQL no longer lists them. */
async function terminate(pids: number[]): Promise<void> {
  if (pids.length === 0) return;
  await sql`select pg_terminate_backend(pid) from pg_stat_activity where pid = any(${pids}::int[])`;
  for (;;) {
    const [{ left }] = await sql`select count(*)::int as left from pg_stat_activity where pid = any(${pids}::int[])`;
    if (left === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One event-loop turn with immediates: where postgres.js's deferred socket write (and its crash) happens. */
const immediate = () => new Promise((resolve) => setTimeout(resolve, 0));

pgTest("db: a query issued after the transaction's connection was lost is refused, not written to a dead socket",
  async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => release = resolve);
    let pid = 0;
    const box: { lateQuery?: Promise<unknown> } = {};
    const outcome = asService(async (tx) => {
      [{ pid }] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await gate; // e.g. a provider call while the transaction is open
      box.lateQuery = tx`select 1`.then(() => "ran", (err) => err);
      return await box.lateQuery;
    }).then(() => null, (err) => err);
    while (pid === 0) await immediate();

    await terminate([pid]);
    const err = await outcome;
    assert.ok(isTransientDbError(err), `a transient error, got ${err}`);
    release();
    while (!box.lateQuery) await immediate();
    const late: unknown = await box.lateQuery;
    assert.ok(late instanceof Error && isConnectionLoss(late), `the late query was refused, got ${late}`);
    await immediate();

    // the pool reconnects: the next transaction works
    const [{ ok }] = await asService((tx) => tx`select true as ok`);
    assert.equal(ok, true);
  });

pgTest("db: a transaction whose work fails because the connection died ends with a transient error (no ROLLBACK)",
  async () => {
    let pid = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => release = resolve);
    const outcome = asService(async (tx) => {
      [{ pid }] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await gate;
      await tx`select pg_sleep(30)`; // killed under it
    }).then(() => null, (err) => err);
    while (pid === 0) await immediate();
    release();
    for (;;) { // wait until the sleep is running on that backend
      const [row] = await sql`select 1 from pg_stat_activity where pid = ${pid} and query like '%pg_sleep(30)%'`;
      if (row) break;
      await immediate();
    }
    await terminate([pid]);
    const err = await outcome;
    assert.ok(isTransientDbError(err), `a transient error, got ${err}`);
    await immediate();
    const [{ ok }] = await asService((tx) => tx`select true as ok`);
    assert.equal(ok, true);
  });

pgTest("db: four clients in transactions while their backends are terminated again and again: transient errors, "
  + "then service as usual", async () => {
  const pids = new Set<number>();
  const counts = { ok: 0, transient: 0 };
  const other: unknown[] = [];
  let stop = false;
  const client = async () => {
    while (!stop) {
      try {
        await asService(async (tx) => {
          const [{ pid }] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
          pids.add(pid);
          await tx`select pg_sleep(0.002)`;
          await tx`select count(*) from public.teams`;
        });
        counts.ok++;
      } catch (err) {
        if (isTransientDbError(err)) counts.transient++;
        else other.push(err);
      }
    }
  };
  const clients = [client(), client(), client(), client()];
  try {
    for (let round = 0; round < 15; round++) {
      while (pids.size === 0) await immediate();
      const victims = [...pids];
      pids.clear();
      await terminate(victims);
      const okBefore = counts.ok;
      while (counts.ok === okBefore && other.length === 0) await immediate(); // served again before the next kill
    }
  } finally {
    stop = true;
    await Promise.all(clients);
  }
  assert.deepEqual(other, [], "only transient errors");
  assert.ok(counts.transient > 0, "some transactions were cut");
  const [{ ok }] = await asService((tx) => tx`select true as ok`);
  assert.equal(ok, true);
});

Deno.test({
  name: "db: close pools",
  fn: closeAll,
  sanitizeOps: false,
  sanitizeResources: false,
});
