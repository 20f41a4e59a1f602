// A row of several megabytes (a 5 MB webhook body is within its limit) comes back whole, on PostgreSQL and on the
// embedded database's server, which used to hang the session on results past ~4 MB (dev/db/pglite-server.mjs wrote
// a view of PGlite's memory that was reused before the socket sent it).
import assert from "node:assert/strict";
import { sql, test } from "./helpers.ts";

test("db: a 6 MB value is read back whole, and the session is usable afterwards", async () => {
  const size = 6 * 1024 * 1024;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the query hung")), 20_000);
  });
  const read = sql<{ v: string }[]>`select repeat('x', ${size}) as v`;
  try {
    const [row] = await Promise.race([read, timeout]);
    assert.equal(row.v.length, size);
    const [{ one }] = await sql<{ one: number }[]>`select 1 as one`;
    assert.equal(one, 1);
  } finally {
    clearTimeout(timer);
  }
});
