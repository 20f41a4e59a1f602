// The api function refusing bad input early and cleanly (issue 8, items 4-7): bodies over the limit are 413 before
// they are read, an outsider's body is never read, text PostgreSQL cannot store (NUL, unpaired surrogates) and
// impossible cursor dates are 400 with the envelope and nothing written, logged errors carry no values, and the
// leads list pages by keyset cursor with its filters in the query.
import assert from "node:assert/strict";
import { handler } from "../api/handler.ts";
import { encodeJsonCursor } from "../api/routes/common.ts";
import { encodeCursor } from "../api/routes/meetings.ts";
import { logError, MAX_JSON_BODY_BYTES, routeLabel, withErrorHandling } from "../_shared/http.ts";
import { ADMIN, callAs, closeAll, jwtFor, MEMBER, OUTSIDER, request, resetDb, sql, TEAM, test } from "./helpers.ts";

const seed = await Deno.readTextFile(new URL("../../seed.sql", import.meta.url));
const JANE = "c0000000-0000-4000-8000-000000000001";
const LEADS = `/api/teams/${TEAM}/leads`;

const call = (user: string | null, method: string, path: string, body?: unknown) =>
  callAs(handler, user, method, path, body);

async function reset() {
  await resetDb();
  await sql`delete from public.meetings where team_id = ${TEAM}`;
  await sql`delete from public.leads where team_id = ${TEAM}`;
  await sql.unsafe(seed).simple();
}

const leadCount = async () => (await sql`select count(*)::int as n from public.leads where team_id = ${TEAM}`)[0].n;
const janeRow = async () => (await sql`select name, company from public.leads where id = ${JANE}`)[0];

/** A body stream that records how much of it was read; it produces nothing until pulled. */
function meteredBody(totalBytes: number, chunkBytes = 16 * 1024) {
  const meter = { pulled: 0 };
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const size = Math.min(chunkBytes, totalBytes - sent);
      sent += size;
      meter.pulled += size;
      controller.enqueue(new Uint8Array(size).fill(0x20)); // spaces: valid JSON padding
    },
  }, { highWaterMark: 0 });
  return { stream, meter };
}

async function send(user: string, method: string, path: string, init: { body: BodyInit; headers?: HeadersInit }) {
  const res = await handler(request(path, { method, token: await jwtFor(user), ...init }));
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// --- 4. body limit and membership before the body -----------------------------------------------------------------

test("body limit: a body declared over the limit is 413 payload_too_large before a byte is read", async () => {
  await reset();
  for (const [method, path] of [["POST", LEADS], ["PATCH", `${LEADS}/${JANE}`]]) {
    const { stream, meter } = meteredBody(MAX_JSON_BODY_BYTES + 1);
    const res = await send(MEMBER, method, path, {
      body: stream,
      headers: { "content-length": String(200 * 1024 * 1024), "content-type": "application/json" },
    });
    assert.equal(res.status, 413, `${method} ${path}`);
    assert.equal(res.body.error.code, "payload_too_large");
    assert.equal(meter.pulled, 0);
  }
  assert.equal(await leadCount(), 5);
});

test("body limit: a chunked body is cut off with 413 once it passes the limit, not read to its end", async () => {
  await reset();
  const { stream, meter } = meteredBody(4 * 1024 * 1024);
  const res = await send(MEMBER, "POST", LEADS, { body: stream, headers: { "content-type": "application/json" } });
  assert.equal(res.status, 413);
  assert.equal(res.body.error.code, "payload_too_large");
  assert.ok(meter.pulled <= MAX_JSON_BODY_BYTES + 16 * 1024, `read ${meter.pulled} bytes`);
  assert.equal(await leadCount(), 5);
});

test("membership first: an outsider's body is never read (404 team_not_found), whatever its size", async () => {
  await reset();
  for (const [method, path] of [["POST", LEADS], ["PATCH", `${LEADS}/${JANE}`], ["PATCH", `/api/teams/${TEAM}/settings`]]) {
    const { stream, meter } = meteredBody(MAX_JSON_BODY_BYTES - 1);
    const res = await send(OUTSIDER, method, path, { body: stream, headers: { "content-type": "application/json" } });
    assert.equal(res.status, 404, `${method} ${path}`);
    assert.equal(res.body.error.code, "team_not_found");
    assert.equal(meter.pulled, 0, `${method} ${path} read the body`);
  }
});

test("body limit: a lead with 10,000 characters of notes (the most allowed) still fits", async () => {
  await reset();
  const res = await call(MEMBER, "POST", LEADS, { name: "Long", notes: "é".repeat(10_000), emails: ["long@x.example"] });
  assert.equal(res.status, 201);
});

// --- 5. text PostgreSQL cannot store, impossible dates ------------------------------------------------------------

test("NUL: in a lead's name, company or notes, on create and update, is 400 invalid_request, nothing written", async () => {
  await reset();
  const before = await janeRow();
  for (const field of ["name", "company", "notes"]) {
    const created = await call(MEMBER, "POST", LEADS, { name: "Ok", [field]: "a\u0000b", emails: ["nul@x.example"] });
    assert.equal(created.status, 400, `create ${field}`);
    assert.equal(created.body.error.code, "invalid_request");
    const patched = await call(MEMBER, "PATCH", `${LEADS}/${JANE}`, { [field]: "a\u0000b" });
    assert.equal(patched.status, 400, `patch ${field}`);
    assert.equal(patched.body.error.code, "invalid_request");
  }
  assert.equal(await leadCount(), 5);
  assert.deepEqual(await janeRow(), before);
});

test("unpaired surrogates in a body are 400, not silently stored as U+FFFD", async () => {
  await reset();
  const raw = JSON.stringify({ name: "x", emails: ["s@x.example"] }).replace('"x"', '"a\\ud800b"');
  const res = await send(MEMBER, "POST", LEADS, { body: raw, headers: { "content-type": "application/json" } });
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, "invalid_request");
  assert.equal(await leadCount(), 5);
});

test("NUL in a query (?q=%00 on leads and meetings, any parameter) is 400 invalid_request", async () => {
  await reset();
  for (const query of ["q=%00", "q=a%00b", "stage=%00", "%00=1"]) {
    for (const list of ["leads", "meetings"]) {
      const res = await call(MEMBER, "GET", `/api/teams/${TEAM}/${list}?${query}`);
      assert.equal(res.status, 400, `${list}?${query}`);
      assert.equal(res.body.error.code, "invalid_request");
    }
  }
});

test("meetings cursor: an impossible or year-0 date is 400 invalid_request", async () => {
  await reset();
  const id = "e0000000-0000-4000-8000-000000000001";
  for (
    const key of [
      "0000-01-01T00:00:00.000000Z",
      "2025-02-30T00:00:00.000000Z",
      "2023-02-29T00:00:00.000000Z",
      "2025-13-01T00:00:00.000000Z",
      "2025-01-01T24:00:00.000000Z",
      "2025-01-01T23:60:00.000000Z",
    ]
  ) {
    const res = await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings?cursor=${encodeCursor({ sortKey: key, id })}`);
    assert.equal(res.status, 400, key);
    assert.equal(res.body.error.code, "invalid_request");
  }
  // a real leap day is a fine cursor
  const ok = await call(
    MEMBER,
    "GET",
    `/api/teams/${TEAM}/meetings?cursor=${encodeCursor({ sortKey: "2024-02-29T23:59:59.999999Z", id })}`,
  );
  assert.equal(ok.status, 200);
});

// --- 6. no secrets or values in logs ------------------------------------------------------------------------------

async function capturingErrors(work: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  try {
    await work();
  } finally {
    console.error = original;
  }
  return lines.join("\n");
}

test("logs: an unexpected error on a webhook route logs a hash of the route id and no quoted values", async () => {
  const routeId = "Rt_secret_route_id_0123456789abcdefXYZ";
  const failing = withErrorHandling(() => {
    const err = Object.assign(new Error(`invalid input syntax for type uuid: "${routeId}" near 'body-value'`), {
      name: "PostgresError",
      code: "22P02",
      table_name: "team_integrations",
    });
    return Promise.reject(err);
  });
  const req = new Request(`http://127.0.0.1/functions/v1/fathom-webhook/${routeId}`, { method: "POST" });
  const logged = await capturingErrors(async () => {
    const res = await failing(req);
    assert.equal(res.status, 500);
  });
  assert.ok(!logged.includes(routeId), logged);
  assert.ok(!logged.includes("body-value"), logged);
  assert.ok(logged.includes(routeLabel(req)), logged);
  assert.match(logged, /PostgresError \(22P02\)/);
  assert.match(logged, /team_integrations/);
});

test("logs: logError never prints quoted values or control characters from a message", async () => {
  const logged = await capturingErrors(() => {
    logError("ctx", new SyntaxError(`Unexpected token 'x', "{"token":"tok_123"}" is not valid JSON`));
    logError("ctx", new Error("value too long for type character varying(10): `secret-ish`\n\u0000forged line"));
    return Promise.resolve();
  });
  for (const leaked of ["tok_123", "secret-ish", "\u0000"]) assert.ok(!logged.includes(leaked), logged);
  assert.equal(logged.split("\n").length, 2, logged); // the message's newline forged no third line
});

// --- 7. leads list pagination -------------------------------------------------------------------------------------

async function insertLeads(count: number) {
  // created_at ties in groups of three: the id breaks them
  await sql`
    insert into public.leads (team_id, name, stage, owner_id, created_at)
    select ${TEAM}, 'Bulk ' || lpad(i::text, 4, '0'), case when i % 2 = 0 then 'won' else 'new' end,
           case when i % 3 = 0 then ${ADMIN}::uuid end, now() - ((i / 3) || ' seconds')::interval
      from generate_series(1, ${count}) i`;
}

async function allLeadPages(user: string, query: string) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await call(user, "GET", `${LEADS}?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    ids.push(...res.body.leads.map((l: { id: string }) => l.id));
    cursor = res.body.next_cursor;
    assert.ok(++pages < 50, "runaway pagination");
  } while (cursor);
  return { ids, pages };
}

test("leads list: 100 a page by default with next_cursor; limit up to 200; out of range is 400", async () => {
  await reset();
  await insertLeads(250);
  const first = await call(MEMBER, "GET", LEADS);
  assert.equal(first.status, 200);
  assert.equal(first.body.leads.length, 100);
  assert.match(first.body.next_cursor, /^[A-Za-z0-9_-]+$/);
  const big = await call(MEMBER, "GET", `${LEADS}?limit=200`);
  assert.equal(big.body.leads.length, 200);
  for (const limit of ["0", "201", "1e308", "-1", "abc", "99999999999999999999"]) {
    const res = await call(MEMBER, "GET", `${LEADS}?limit=${limit}`);
    assert.equal(res.status, 400, limit);
    assert.equal(res.body.error.code, "invalid_request");
  }
});

test("leads list: following next_cursor visits every lead once, newest first or by name", async () => {
  await reset();
  await insertLeads(250);
  const created = await allLeadPages(MEMBER, "limit=37");
  const expectedCreated = (await sql`select id from public.leads where team_id = ${TEAM}
                                      order by created_at desc, id desc`).map((r) => r.id);
  assert.deepEqual(created.ids, expectedCreated);
  const byName = await allLeadPages(MEMBER, "sort=name&limit=50");
  const expectedName = (await sql`select id from public.leads where team_id = ${TEAM}
                                   order by lower(name), id`).map((r) => r.id);
  assert.deepEqual(byName.ids, expectedName);
  assert.equal(byName.pages, 6);
});

test("leads list: q, stage, owner and email filter on the server, and page through together", async () => {
  await reset();
  await insertLeads(250);
  const won = await allLeadPages(MEMBER, "stage=won&q=bulk&limit=40");
  assert.equal(won.ids.length, 125);
  const mine = await allLeadPages(MEMBER, `owner=${ADMIN}&q=bulk`);
  assert.equal(mine.ids.length, 83);
  const unassigned = await allLeadPages(MEMBER, "owner=none&q=bulk");
  assert.equal(unassigned.ids.length, 250 - 83);
  const byEmail = await call(MEMBER, "GET", `${LEADS}?email=${encodeURIComponent(" JANE.DOE@acme.example")}&email=nobody@x.example`);
  assert.deepEqual(byEmail.body.leads.map((l: { id: string }) => l.id), [JANE]);
  for (const bad of ["stage=nope", "owner=someone", "sort=company", "dir=up", "email=not-an-email"]) {
    const res = await call(MEMBER, "GET", `${LEADS}?${bad}`);
    assert.equal(res.status, 400, bad);
  }
});

test("leads list: a junk cursor, another sort's cursor or a cursor with an impossible date is 400", async () => {
  await reset();
  const id = "c0000000-0000-4000-8000-000000000009";
  const nameCursor = encodeJsonCursor(["name", "asc", "jane doe", id]);
  for (
    const cursor of [
      "!!!",
      "bm90IGpzb24",
      nameCursor + "&sort=created",
      encodeJsonCursor(["created", "desc", "0000-01-01T00:00:00.000000Z", id]),
      encodeJsonCursor(["created", "desc", "2025-02-30T00:00:00.000000Z", id]),
      encodeJsonCursor(["name", "asc", "a\u0000b", id]),
    ]
  ) {
    const res = await call(MEMBER, "GET", `${LEADS}?cursor=${cursor}`);
    assert.equal(res.status, 400, cursor);
    assert.equal(res.body.error.code, "invalid_request");
  }
  assert.equal((await call(MEMBER, "GET", `${LEADS}?sort=name&cursor=${nameCursor}`)).status, 200);
});

test("cursors keep microseconds: a page boundary inside a tie of sub-millisecond timestamps loses no row", async () => {
  // postgres.js sends a parameter the server types as timestamptz through Date (milliseconds): the stores cast the
  // cursor's text themselves, so 12:00:00.123456 does not become 12:00:00.123
  await reset();
  await sql`
    insert into public.meetings (team_id, provider_meeting_id, title, source, recording_start_time)
    select ${TEAM}, 970000 + i, 'Tie ' || i, 'webhook', '2026-01-01T12:00:00.123456Z'
      from generate_series(1, 30) i`;
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await call(MEMBER, "GET", `/api/teams/${TEAM}/meetings${cursor ? `?cursor=${cursor}` : ""}`);
    assert.equal(res.status, 200);
    ids.push(...res.body.meetings.map((m: { id: string }) => m.id));
    cursor = res.body.next_cursor;
  } while (cursor && ids.length < 100);
  assert.equal(new Set(ids).size, 30);
  await sql`update public.leads set created_at = '2026-01-01T12:00:00.123456Z' where team_id = ${TEAM}`;
  const leads = await allLeadPages(MEMBER, "limit=2");
  assert.equal(new Set(leads.ids).size, 5);
});

test("cleanup: input tests leave the database as seeded", async () => {
  await reset();
  await resetDb({ dropOtherTeam: true }); // the outsider is in no team again (the e2e suite relies on it)
  await closeAll();
  await sql.end();
});
