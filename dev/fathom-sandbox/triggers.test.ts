// Issue 7 item 8: a recording reaches every webhook whose triggered_for matches how it is shared with the owner
// (fathom-api.md §4.1), and GET /meetings lists exactly what the caller can see.
import assert from "node:assert/strict";
import { call, connect, getJson, type Json, newSandbox, postJson, SANDY, withWebhookReceiver } from "./test-helpers.ts";
import type { Sandbox } from "./sandbox.ts";

const SAM = "sam@sandbox.fathom.test"; // Sandy's teammate (same organisation)
const TEAMMATE = "teammate@sandbox.fathom.test"; // unknown until they record
const JANE = "jane.doe@acme.example"; // another organisation
const TRIGGERS = ["my_recordings", "shared_external_recordings", "my_shared_with_team_recordings", "shared_team_recordings"];

/** One webhook per trigger for each user; returns "user:trigger" by webhook id. */
async function subscribeAll(sandbox: Sandbox, url: string, users: string[]): Promise<Map<string, string>> {
  const byId = new Map<string, string>();
  for (const user of users) {
    const { access_token } = await connect(sandbox, user);
    for (const trigger of TRIGGERS) {
      const res = await call(sandbox, "/external/v1/webhooks", postJson(
        { destination_url: url, triggered_for: [trigger], include_summary: true },
        { authorization: `Bearer ${access_token}` },
      ));
      byId.set((await res.json()).id, `${user.split("@")[0]}:${trigger}`);
    }
  }
  return byId;
}

async function record(sandbox: Sandbox, body: Json): Promise<Json> {
  const res = await call(sandbox, "/_sandbox/recordings", postJson(body));
  assert.equal(res.status, 201);
  return await res.json();
}

const fired = (result: Json, byId: Map<string, string>) =>
  result.deliveries.map((d: Json) => byId.get(d.webhook_id)).sort();

async function listedIds(sandbox: Sandbox, user: string): Promise<number[]> {
  const { access_token } = await connect(sandbox, user);
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const { body } = await getJson(sandbox, `/external/v1/meetings${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, access_token);
    ids.push(...body.items.map((m: Json) => m.recording_id));
    cursor = body.next_cursor;
  } while (cursor);
  return ids;
}

Deno.test("my_recordings: the recorder's own recording, not shared with the team", async () => {
  const { sandbox } = newSandbox({ now: Date.now, retryScheduleMs: [] });
  await withWebhookReceiver(() => 204, async (url) => {
    const byId = await subscribeAll(sandbox, url, [SANDY, SAM]);
    const result = await record(sandbox, { user_email: SANDY, shared_with_team: false });
    assert.deepEqual(fired(result, byId), ["sandy:my_recordings"]);
    assert.ok(!(await listedIds(sandbox, SAM)).includes(result.recording_id), "a private recording stays private");
  });
});

Deno.test("my_shared_with_team_recordings and shared_team_recordings: a team recording, for the recorder and teammates", async () => {
  const { sandbox } = newSandbox({ now: Date.now, retryScheduleMs: [] });
  await withWebhookReceiver(() => 204, async (url, received) => {
    const byId = await subscribeAll(sandbox, url, [SANDY, SAM]);
    // Sandy is on a team, so her recordings are shared with it by default; my_recordings then stays silent.
    const result = await record(sandbox, { user_email: SANDY });
    assert.deepEqual(fired(result, byId), ["sam:shared_team_recordings", "sandy:my_shared_with_team_recordings"]);
    assert.equal(received.length, 2);
    assert.ok((await listedIds(sandbox, SAM)).includes(result.recording_id));
  });
});

Deno.test("a teammate's recording: created on first use, delivered to Sandy when shared with the team, listed for her", async () => {
  const { sandbox } = newSandbox({ now: Date.now, retryScheduleMs: [] });
  await withWebhookReceiver(() => 204, async (url) => {
    const byId = await subscribeAll(sandbox, url, [SANDY]);
    const shared = await record(sandbox, { user_email: TEAMMATE, shared_with_team: true, invitees: [{ name: "Jane Doe", email: JANE }] });
    assert.deepEqual(fired(shared, byId), ["sandy:shared_team_recordings"]);
    assert.ok(sandbox.state().users.some((u) => u.email === TEAMMATE));
    // The new user is on no team, so by default nothing is shared with the team and Sandy (not invited) sees nothing.
    const unshared = await record(sandbox, { user_email: TEAMMATE, invitees: [{ name: "Jane Doe", email: JANE }] });
    assert.deepEqual(fired(unshared, byId), []);
    const listed = await listedIds(sandbox, SANDY);
    assert.ok(listed.includes(shared.recording_id));
    assert.ok(!listed.includes(unshared.recording_id));
  });
});

Deno.test("shared_external_recordings: someone from another organisation who invited the owner", async () => {
  const { sandbox } = newSandbox({ now: Date.now, retryScheduleMs: [] });
  await withWebhookReceiver(() => 204, async (url) => {
    const byId = await subscribeAll(sandbox, url, [SANDY, SAM]);
    const result = await record(sandbox, { user_email: JANE, invitees: [{ name: "Sandy Sandbox", email: SANDY }] });
    assert.deepEqual(fired(result, byId), ["sandy:shared_external_recordings"]);
    assert.ok((await listedIds(sandbox, SANDY)).includes(result.recording_id));
    assert.ok(!(await listedIds(sandbox, SAM)).includes(result.recording_id), "Sam was not invited");
    // An invited teammate of a private recording is not "external": no trigger covers it.
    const internal = await record(sandbox, { user_email: SAM, shared_with_team: false, invitees: [{ name: "Sandy", email: SANDY }] });
    assert.deepEqual(fired(internal, byId), ["sam:my_recordings"]);
  });
});

Deno.test("a webhook with every trigger gets one delivery per recording", async () => {
  const { sandbox } = newSandbox({ now: Date.now, retryScheduleMs: [] });
  await withWebhookReceiver(() => 204, async (url, received) => {
    const { access_token } = await connect(sandbox);
    await call(sandbox, "/external/v1/webhooks", postJson(
      { destination_url: url, triggered_for: TRIGGERS, include_summary: true },
      { authorization: `Bearer ${access_token}` },
    ));
    for (const body of [{ user_email: SANDY }, { user_email: SANDY, shared_with_team: false }, { user_email: SAM }, { user_email: JANE, invitees: [{ email: SANDY }] }]) {
      assert.equal((await record(sandbox, body)).deliveries.length, 1, JSON.stringify(body));
    }
    assert.equal(received.length, 4);
    assert.deepEqual(sandbox.deliveries().map((d) => d.trigger), [
      "my_shared_with_team_recordings", "my_recordings", "shared_team_recordings", "shared_external_recordings",
    ]);
  });
});
