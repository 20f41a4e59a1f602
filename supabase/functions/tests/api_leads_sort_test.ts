// The leads list's column sorts (issue 10, "Leads list"): every sort in both directions pages through the team's
// leads with no row lost or repeated across page boundaries, ties on the sort key broken by id, rows without a key
// (unassigned, no meeting) last both ways, stage in pipeline order; stage and owner filters page together with a
// sort; a cursor of another sort or direction, or any bad parameter, is 400.
import assert from "node:assert/strict";
import { handler } from "../api/handler.ts";
import { encodeJsonCursor } from "../api/routes/common.ts";
import { ADMIN, callAs, closeAll, MEMBER, resetDb, sql, TEAM, test } from "./helpers.ts";

const LEADS = `/api/teams/${TEAM}/leads`;
const STAGES = ["new", "contacted", "qualified", "proposal", "won", "lost"];
// letters only, so PostgreSQL's collation and JavaScript order lower-cased names alike; repeats make ties
const NAMES = ["alpha", "Bravo", "CHARLIE", "delta", "Echo", "ALPHA"];
const OWNER_NAME: Record<string, string> = { [ADMIN]: "ada admin", [MEMBER]: "max member" }; // seed.sql full names
const COUNT = 60;

const call = (user: string | null, method: string, path: string) => callAs(handler, user, method, path);

interface ListedLead {
  id: string;
  name: string;
  stage: string;
  owner_id: string | null;
  last_meeting_at: string | null;
  created_at: string;
}

/**
 * COUNT leads with tied names, stages in every order, three owners (two members, none), created_at in tied groups
 * with microseconds, and meetings: a third of the leads have none, the others share a few tied latest times.
 */
async function reset() {
  await resetDb();
  await sql`delete from public.meetings where team_id = ${TEAM}`;
  await sql`delete from public.leads where team_id = ${TEAM}`;
  await sql`
    insert into public.leads (team_id, name, stage, owner_id, created_at)
    select ${TEAM}, (${NAMES}::text[])[1 + i % ${NAMES.length}], (${STAGES}::text[])[1 + (i / 3) % 6],
           case i % 3 when 0 then ${ADMIN}::uuid when 1 then ${MEMBER}::uuid end,
           '2026-03-01T10:00:00.123456Z'::timestamptz - ((i / 4) || ' seconds')::interval
      from generate_series(1, ${COUNT}) i`;
  await sql`
    insert into public.meetings (team_id, provider_meeting_id, title, source, recording_start_time)
    select ${TEAM}, 960000 + i, 'Sort meeting ' || i, 'webhook',
           '2026-02-01T09:00:00.654321Z'::timestamptz + ((i % 4) || ' days')::interval
      from generate_series(1, 8) i`;
  // lead n (by name, id) attends meeting 1 + n % 8, unless n % 3 = 0 (no meeting)
  await sql`
    insert into public.meeting_leads (meeting_id, lead_id, team_id)
    select m.id, l.id, ${TEAM}
      from (select id, row_number() over (order by id) as n from public.leads where team_id = ${TEAM}) l
      join public.meetings m on m.team_id = ${TEAM} and m.provider_meeting_id = (960000 + 1 + l.n % 8)::text
     where l.n % 3 <> 0`;
}

async function pages(query: string, limit: number) {
  const ids: string[] = [];
  const leads: ListedLead[] = [];
  let cursor: string | null = null;
  let count = 0;
  do {
    const res = await call(MEMBER, "GET", `${LEADS}?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
    leads.push(...res.body.leads);
    ids.push(...res.body.leads.map((l: ListedLead) => l.id));
    cursor = res.body.next_cursor;
    assert.ok(++count < 100, "runaway pagination");
  } while (cursor);
  return { ids, leads, pages: count };
}

type Key = string | number | null;
const KEY: Record<string, (l: ListedLead) => Key> = {
  created: (l) => l.created_at,
  name: (l) => l.name.toLowerCase(),
  stage: (l) => STAGES.indexOf(l.stage),
  owner: (l) => (l.owner_id ? OWNER_NAME[l.owner_id] : null),
  last_meeting: (l) => l.last_meeting_at,
};

/** The expected order, computed here from the rows' own fields: key in the direction, keyless last, then id. */
function expectedOrder(leads: ListedLead[], sort: string, dir: "asc" | "desc"): string[] {
  const sign = dir === "asc" ? 1 : -1;
  const cmp = (a: Key, b: Key) => (a === b ? 0 : (a as string | number) < (b as string | number) ? -1 : 1);
  return [...leads]
    .sort((a, b) => {
      const ka = KEY[sort](a);
      const kb = KEY[sort](b);
      if (ka === null && kb !== null) return 1;
      if (kb === null && ka !== null) return -1;
      return sign * (cmp(ka, kb) || cmp(a.id, b.id));
    })
    .map((l) => l.id);
}

for (const sort of ["created", "name", "stage", "owner", "last_meeting"]) {
  for (const dir of ["asc", "desc"] as const) {
    test(`leads list: sort=${sort}&dir=${dir} pages through every lead once, in order, keyless last`, async () => {
      await reset();
      const all = await call(MEMBER, "GET", `${LEADS}?sort=${sort}&dir=${dir}&limit=200`);
      assert.equal(all.status, 200);
      assert.equal(all.body.leads.length, COUNT);
      assert.equal(all.body.next_cursor, null);
      const expected = expectedOrder(all.body.leads, sort, dir);
      assert.deepEqual(all.body.leads.map((l: ListedLead) => l.id), expected);
      // 7 a page: boundaries fall inside ties of every key (12 per name, 10 per stage, 20 per owner, 4 per created)
      const paged = await pages(`sort=${sort}&dir=${dir}`, 7);
      assert.equal(paged.pages, Math.ceil(COUNT / 7));
      assert.equal(new Set(paged.ids).size, COUNT);
      assert.deepEqual(paged.ids, expected);
    });
  }
}

test("leads list: stage sorts in pipeline order, not alphabetically; each sort has its default direction", async () => {
  await reset();
  const stages = async (query: string) => {
    const res = await call(MEMBER, "GET", `${LEADS}?${query}&limit=200`);
    assert.equal(res.status, 200);
    return [...new Set(res.body.leads.map((l: ListedLead) => l.stage))];
  };
  assert.deepEqual(await stages("sort=stage"), STAGES);
  assert.deepEqual(await stages("sort=stage&dir=desc"), [...STAGES].reverse());
  const first = async (query: string) => (await call(MEMBER, "GET", `${LEADS}?${query}&limit=200`)).body.leads as ListedLead[];
  assert.deepEqual((await first("sort=last_meeting")).map((l) => l.id), (await first("sort=last_meeting&dir=desc")).map((l) => l.id));
  assert.deepEqual((await first("")).map((l) => l.id), (await first("sort=created&dir=desc")).map((l) => l.id));
  assert.deepEqual((await first("sort=owner")).map((l) => l.id), (await first("sort=owner&dir=asc")).map((l) => l.id));
  // unassigned and meeting-less leads come last in both directions
  for (const dir of ["asc", "desc"]) {
    const byOwner = await first(`sort=owner&dir=${dir}`);
    assert.ok(byOwner.slice(-COUNT / 3).every((l) => l.owner_id === null), dir);
    const byMeeting = await first(`sort=last_meeting&dir=${dir}`);
    assert.ok(byMeeting.slice(-COUNT / 3).every((l) => l.last_meeting_at === null), dir);
  }
});

test("leads list: stage and owner filters (a member, none) page together with a sort", async () => {
  await reset();
  const qualified = await pages("stage=qualified&sort=owner&dir=desc", 3);
  assert.equal(qualified.ids.length, COUNT / 6);
  assert.equal(new Set(qualified.leads.map((l) => l.owner_id)).size, 3); // both members and unassigned
  assert.ok(qualified.leads.every((l) => l.stage === "qualified"));
  assert.deepEqual(qualified.ids, expectedOrder(qualified.leads, "owner", "desc"));
  const mine = await pages(`owner=${ADMIN.toUpperCase()}&sort=last_meeting`, 4);
  assert.equal(mine.ids.length, COUNT / 3);
  assert.ok(mine.leads.every((l) => l.owner_id === ADMIN));
  const unassignedWon = await pages("owner=none&stage=won&sort=name&dir=desc", 2);
  assert.ok(unassignedWon.ids.length > 0);
  assert.ok(unassignedWon.leads.every((l) => l.owner_id === null && l.stage === "won"));
  assert.deepEqual(unassignedWon.ids, expectedOrder(unassignedWon.leads, "name", "desc"));
});

test("leads list: bad sort, direction, stage or owner, and a cursor of another sort or direction, are 400", async () => {
  await reset();
  for (
    const bad of [
      "sort=company",
      "sort=NAME",
      "dir=up",
      "sort=name&dir=DESC",
      "stage=nope",
      "stage=Won",
      "owner=someone",
      "owner=NONE",
      "owner=mine",
      `owner=${ADMIN}x`,
    ]
  ) {
    const res = await call(MEMBER, "GET", `${LEADS}?${bad}`);
    assert.equal(res.status, 400, bad);
    assert.equal(res.body.error.code, "invalid_request", bad);
  }
  const first = await call(MEMBER, "GET", `${LEADS}?sort=owner&dir=asc&limit=5`);
  const cursor = first.body.next_cursor;
  assert.equal((await call(MEMBER, "GET", `${LEADS}?sort=owner&dir=asc&limit=5&cursor=${cursor}`)).status, 200);
  for (const other of ["sort=owner&dir=desc", "sort=name&dir=asc", "sort=name", "sort=created", ""]) {
    const res = await call(MEMBER, "GET", `${LEADS}?${other}&cursor=${cursor}`);
    assert.equal(res.status, 400, other);
    assert.equal(res.body.error.message, "cursor belongs to another sort.", other);
  }
  const id = "c0000000-0000-4000-8000-000000000009";
  for (
    const key of [
      ["stage", "asc", "7", id], // no such rank
      ["stage", "asc", "new", id], // a rank, not the stage's name
      ["stage", "asc", null, id], // every lead has a stage
      ["name", "asc", null, id], // and a name
      ["created", "desc", null, id],
      ["last_meeting", "desc", "2025-02-30T00:00:00.000000Z", id],
      ["owner", "sideways", "ada admin", id],
      ["owner", "asc", 42, id],
      ["name", "jane doe", id], // the old three-part shape
    ]
  ) {
    const [sort, dir] = key;
    const res = await call(MEMBER, "GET", `${LEADS}?sort=${sort}&dir=${dir}&cursor=${encodeJsonCursor(key)}`);
    assert.equal(res.status, 400, JSON.stringify(key));
    assert.equal(res.body.error.code, "invalid_request");
  }
  // a keyless cursor is valid where rows may have no key
  for (const sort of ["owner", "last_meeting"]) {
    const res = await call(MEMBER, "GET", `${LEADS}?sort=${sort}&dir=asc&cursor=${encodeJsonCursor([sort, "asc", null, id])}`);
    assert.equal(res.status, 200, sort);
  }
});

test("cleanup: sort tests leave the database as seeded", async () => {
  await resetDb();
  await sql`delete from public.meetings where team_id = ${TEAM}`;
  await sql`delete from public.leads where team_id = ${TEAM}`;
  await sql.unsafe(await Deno.readTextFile(new URL("../../seed.sql", import.meta.url))).simple();
  await resetDb({ dropOtherTeam: true });
  await closeAll();
  await sql.end();
});
