// Issue 7 item 10: GET /meetings cursors as Fathom's documented page numbers or its observed multi-source keyset,
// each unstable in its own way while meetings are being recorded (fathom-api.md §3.4).
import assert from "node:assert/strict";
import { connect, getJson, type Json, newSandbox, SANDY } from "./test-helpers.ts";
import type { CursorMode, Sandbox } from "./sandbox.ts";

const decode = (cursor: string) => JSON.parse(atob(cursor));

async function page(sandbox: Sandbox, token: string, cursor: string | null, query = ""): Promise<Json> {
  const params = new URLSearchParams(query);
  if (cursor) params.set("cursor", cursor);
  const { status, body } = await getJson(sandbox, `/external/v1/meetings?${params}`, token);
  assert.equal(status, 200, JSON.stringify(body));
  return body;
}

async function listAll(sandbox: Sandbox, token: string, query = ""): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const body = await page(sandbox, token, cursor, query);
    ids.push(...body.items.map((m: Json) => m.recording_id));
    cursor = body.next_cursor;
  } while (cursor);
  return ids;
}

function setup(cursorMode: CursorMode) {
  const { sandbox } = newSandbox({ cursorMode, retryScheduleMs: [] });
  sandbox.generateMeetings({ userEmail: SANDY, count: 25 });
  return sandbox;
}

Deno.test("keyset is the default; page cursors decode to {page_num}", async () => {
  assert.equal(newSandbox().sandbox.options.cursorMode, "keyset");
  const sandbox = setup("page");
  const { access_token } = await connect(sandbox);
  const first = await page(sandbox, access_token, null);
  assert.deepEqual(decode(first.next_cursor), { page_num: 2 });
  const second = await page(sandbox, access_token, first.next_cursor);
  assert.deepEqual(decode(second.next_cursor), { page_num: 3 });
});

Deno.test("keyset cursors decode to a start time, an id and the completed sources", async () => {
  const sandbox = setup("keyset");
  const { access_token } = await connect(sandbox);
  const first = await page(sandbox, access_token, null);
  const cursor = decode(first.next_cursor);
  assert.deepEqual(Object.keys(cursor).sort(), ["completed_sources", "id", "recording_start_time"]);
  assert.equal(cursor.id, first.items.at(-1).recording_id);
  assert.equal(Date.parse(cursor.recording_start_time), Date.parse(first.items.at(-1).recording_start_time));
  assert.ok(Array.isArray(cursor.completed_sources));
});

for (const mode of ["page", "keyset"] as const) {
  Deno.test(`${mode}: without new recordings every meeting comes once; created_after/before are honoured`, async () => {
    const sandbox = setup(mode);
    const { access_token } = await connect(sandbox);
    const all = await listAll(sandbox, access_token);
    assert.equal(new Set(all).size, all.length);
    assert.equal(all.length, 13 + 25);
    const pivot = (await page(sandbox, access_token, null)).items[4].created_at;
    const after = await listAll(sandbox, access_token, `created_after=${pivot}`);
    const before = await listAll(sandbox, access_token, `created_before=${pivot}`);
    assert.equal(after.length + before.length + 1, all.length);
    assert.equal(new Set([...after, ...before]).size, all.length - 1);
  });

  Deno.test(`${mode}: an invalid cursor is 400`, async () => {
    const sandbox = setup(mode);
    const { access_token } = await connect(sandbox);
    const other = mode === "page"
      ? btoa(JSON.stringify({ recording_start_time: "2026-01-01T00:00:00Z", id: 1, completed_sources: [] }))
      : btoa(JSON.stringify({ page_num: 2 }));
    for (const cursor of ["garbage!", btoa("[]"), btoa('{"page_num": 0}'), other, btoa('{"recording_start_time":"x","id":1,"completed_sources":["nope"]}')]) {
      const { status } = await getJson(sandbox, `/external/v1/meetings?cursor=${encodeURIComponent(cursor)}`, access_token);
      assert.equal(status, 400, cursor);
    }
  });
}

Deno.test("page: a meeting recorded during the listing shifts the pages, so an item comes twice (and the new one never)", async () => {
  const sandbox = setup("page");
  const { access_token } = await connect(sandbox);
  const first = await page(sandbox, access_token, null);
  const added = await sandbox.addRecording({ deliver: false });
  const rest: number[] = [];
  let cursor = first.next_cursor;
  while (cursor) {
    const body = await page(sandbox, access_token, cursor);
    rest.push(...body.items.map((m: Json) => m.recording_id));
    cursor = body.next_cursor;
  }
  const ids = [...first.items.map((m: Json) => m.recording_id), ...rest];
  assert.equal(ids.length, 13 + 25 + 1, "one page position more");
  assert.equal(new Set(ids).size, 13 + 25, "the last item of page 1 came again on page 2");
  assert.equal(rest[0], first.items.at(-1).recording_id);
  assert.ok(!ids.includes(added.recording_id), "the new meeting sits on page 1, already handed out");
});

Deno.test("keyset: a meeting recorded during the listing is skipped by the rest of it, nothing repeats", async () => {
  const sandbox = setup("keyset");
  const { access_token } = await connect(sandbox);
  const first = await page(sandbox, access_token, null);
  const added = await sandbox.addRecording({ deliver: false });
  const ids = [...first.items.map((m: Json) => m.recording_id)];
  let cursor = first.next_cursor;
  while (cursor) {
    const body = await page(sandbox, access_token, cursor);
    ids.push(...body.items.map((m: Json) => m.recording_id));
    cursor = body.next_cursor;
  }
  assert.equal(new Set(ids).size, ids.length, "no duplicates");
  assert.equal(ids.length, 13 + 25);
  assert.ok(!ids.includes(added.recording_id), "skipped: newer than the position");
  assert.equal((await page(sandbox, access_token, null)).items[0].recording_id, added.recording_id, "a new listing has it");
});

Deno.test("keyset: a source found exhausted is named in completed_sources while the others go on", async () => {
  const sandbox = setup("keyset");
  const { access_token } = await connect(sandbox);
  let cursor: string | null = (await page(sandbox, access_token, null)).next_cursor;
  let completed: string[] = decode(cursor!).completed_sources;
  while (cursor && !completed.includes("team_calls")) {
    cursor = (await page(sandbox, access_token, cursor)).next_cursor;
    completed = cursor ? decode(cursor).completed_sources : completed;
  }
  assert.ok(cursor && completed.includes("team_calls"), "Sam's only team call is handed out early");
});
