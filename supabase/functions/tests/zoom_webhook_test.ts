// zoom-webhook: Zoom's URL validation, the signature matrix (x-zm-signature over the raw body with the app's secret
// token, and the timestamp's freshness), routing by account and host to the connected team, and dedupe (a delivery
// seen twice, also concurrently, is one row). The import after the acknowledgement is zoom_import_test.ts's.
import assert from "node:assert/strict";
import { handler } from "../zoom-webhook/handler.ts";
import { inboxIdle } from "../_shared/inbox/queue.ts";
import { processDueDeliveries } from "../_shared/fathom/inbox.ts";
import { hmacSha256Hex } from "../_shared/zoom/signature.ts";
import { closeAll, sql, test, withEnv } from "./helpers.ts";
import { createTeam, dropTeam } from "./fathom_support.ts";
import { AVERY, connectZoom, recordingEvent, ROBIN, SAM, startZoomSandbox, ZOOM_SECRET, zoomHeaders, zoomWebhookRequest } from "./zoom_support.ts";

// imports scheduled by the deliveries below talk to this sandbox, never to api.zoom.us
const zoom = startZoomSandbox(handler);

async function post(body: string, headers: Record<string, string>): Promise<Response> {
  const res = await handler(await zoomWebhookRequest(body, headers));
  return res;
}

async function deliveries(teamId: string) {
  return await sql`select webhook_message_id, provider, duplicate_count from public.webhook_deliveries where team_id = ${teamId} order by received_at`;
}

async function setup(user = AVERY) {
  const team = await createTeam();
  const integrationId = await connectZoom(team.teamId, user);
  return { ...team, integrationId };
}

test("zoom webhook: endpoint.url_validation is answered with hex HMAC-SHA256(secret, plainToken); unsigned is refused", async () => {
  const body = JSON.stringify({ payload: { plainToken: "qgg8vlvZRS6UYooatFL8Aw" }, event_ts: Date.now(), event: "endpoint.url_validation" });
  const res = await post(body, await zoomHeaders(body));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { plainToken: "qgg8vlvZRS6UYooatFL8Aw", encryptedToken: await hmacSha256Hex(ZOOM_SECRET, "qgg8vlvZRS6UYooatFL8Aw") });
  const unsigned = await post(body, { "content-type": "application/json" });
  assert.equal(unsigned.status, 401);
  await unsigned.body?.cancel();
  const noToken = JSON.stringify({ payload: {}, event: "endpoint.url_validation" });
  const bad = await post(noToken, await zoomHeaders(noToken));
  assert.equal(bad.status, 400);
  await bad.body?.cancel();
});

test("zoom webhook: the sandbox's own validation and delivery pass (its signing is the handler's)", async () => {
  const t = await setup();
  try {
    const { deliveries: sent } = await zoom.sandbox.simulate({ participants: [], transcript: "none" });
    assert.deepEqual(sent.map((d: { event: string; status: number }) => [d.event, d.status]), [["endpoint.url_validation", 200], ["recording.completed", 200]]);
    assert.equal((await deliveries(t.teamId)).length, 1);
  } finally {
    await inboxIdle();
    await dropTeam(t.teamId);
  }
});

test("zoom webhook: signature matrix (valid, wrong secret, stale, from the future, altered body, missing or malformed headers)", async () => {
  const t = await setup();
  try {
    const body = recordingEvent();
    const now = Date.now();
    const refused: [string, string, Record<string, string>][] = [
      ["wrong secret", body, await zoomHeaders(body, { secret: "not-the-secret" })],
      ["stale (6 minutes old)", body, await zoomHeaders(body, { at: now - 6 * 60_000 })],
      ["from the future (6 minutes)", body, await zoomHeaders(body, { at: now + 6 * 60_000 })],
      ["altered body", body.replace("Pricing call", "Pricing calls"), await zoomHeaders(body)],
      ["no signature", body, { "x-zm-request-timestamp": String(Math.floor(now / 1000)) }],
      ["no timestamp", body, { "x-zm-signature": (await zoomHeaders(body))["x-zm-signature"] }],
      ["no headers", body, {}],
      ["signature without v0=", body, { ...await zoomHeaders(body), "x-zm-signature": (await zoomHeaders(body))["x-zm-signature"].slice(3) }],
      ["timestamp in milliseconds", body, { ...await zoomHeaders(body), "x-zm-request-timestamp": String(now) }],
      ["timestamp not a number", body, { ...await zoomHeaders(body), "x-zm-request-timestamp": "soon" }],
    ];
    for (const [name, sent, headers] of refused) {
      const res = await post(sent, headers);
      assert.equal(res.status, 401, name);
      const { error } = await res.json();
      assert.equal(error.code, "unauthorized", name);
    }
    assert.equal((await deliveries(t.teamId)).length, 0, "nothing refused was stored");

    const ok = await post(body, await zoomHeaders(body, { at: now - 4 * 60_000 }));
    assert.equal(ok.status, 200, "four minutes old is fresh");
    assert.deepEqual(await ok.json(), { ok: true, routed: 1, duplicate: false });
    assert.equal((await deliveries(t.teamId)).length, 1);
  } finally {
    await inboxIdle();
    await dropTeam(t.teamId);
  }
});

test("zoom webhook: without ZOOM_WEBHOOK_SECRET_TOKEN nothing is accepted (503), never unverified", async () => {
  const body = recordingEvent();
  const headers = await zoomHeaders(body);
  const res = await withEnv({ ZOOM_WEBHOOK_SECRET_TOKEN: undefined }, () => post(body, headers));
  assert.equal(res.status, 503);
  assert.equal((await res.json()).error.code, "provider_not_configured");
});

test("zoom webhook: signed but not JSON or not a recording is 400; other events are acknowledged and ignored", async () => {
  const t = await setup();
  try {
    for (const body of ["{not json", JSON.stringify({ event: "recording.completed", payload: { account_id: AVERY.account_id, object: { topic: "no uuid" } } })]) {
      const res = await post(body, await zoomHeaders(body));
      assert.equal(res.status, 400);
      await res.body?.cancel();
    }
    const other = JSON.stringify({ event: "meeting.ended", payload: { account_id: AVERY.account_id, object: { uuid: "x" } } });
    const res = await post(other, await zoomHeaders(other));
    assert.deepEqual([res.status, await res.json()], [200, { ok: true, ignored: true }]);
    assert.equal((await deliveries(t.teamId)).length, 0);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("zoom webhook: routed by account_id AND the connected user's e-mail; unknown accounts are acknowledged, not stored", async () => {
  const avery = await setup(AVERY);
  const sam = await setup(SAM); // the same Zoom account, another user, another team
  const robin = await setup(ROBIN); // another Zoom account
  try {
    const body = recordingEvent({ hostEmail: AVERY.email.toUpperCase() });
    const res = await post(body, await zoomHeaders(body));
    assert.deepEqual(await res.json(), { ok: true, routed: 1, duplicate: false });
    assert.equal((await deliveries(avery.teamId)).length, 1, "the host's team, e-mail matched case-insensitively");
    assert.equal((await deliveries(sam.teamId)).length, 0, "a colleague's team in the same account sees nothing");
    assert.equal((await deliveries(robin.teamId)).length, 0);

    const stranger = recordingEvent({ accountId: "NotConnectedAccount1", hostEmail: "x@elsewhere.example" });
    const res2 = await post(stranger, await zoomHeaders(stranger));
    assert.deepEqual([res2.status, await res2.json()], [200, { ok: true, routed: 0, duplicate: false }]);

    // two teams connected to the same Zoom user: one row each (dedupe is per integration)
    const twin = await setup(AVERY);
    const again = recordingEvent();
    const res3 = await post(again, await zoomHeaders(again));
    assert.deepEqual(await res3.json(), { ok: true, routed: 2, duplicate: false });
    assert.equal((await deliveries(twin.teamId)).length, 1);
    await dropTeam(twin.teamId);
  } finally {
    await inboxIdle();
    for (const t of [avery, sam, robin]) await dropTeam(t.teamId);
  }
});

test("zoom webhook: a delivery seen twice is one row (Zoom's retry: same body, new signature); counted as a duplicate", async () => {
  const t = await setup();
  try {
    const body = recordingEvent();
    const first = await post(body, await zoomHeaders(body));
    assert.deepEqual(await first.json(), { ok: true, routed: 1, duplicate: false });
    const retry = await post(body, await zoomHeaders(body, { at: Date.now() + 1000 }));
    assert.deepEqual([retry.status, await retry.json()], [200, { ok: true, routed: 1, duplicate: true }]);
    const rows = await deliveries(t.teamId);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].provider, "zoom");
    assert.equal(rows[0].duplicate_count, 1);

    // the transcript that comes later is another event of the same meeting: its own row
    const uuid = JSON.parse(body).payload.object.uuid;
    const later = recordingEvent({ event: "recording.transcript_completed", uuid });
    assert.equal((await post(later, await zoomHeaders(later))).status, 200);
    assert.deepEqual((await deliveries(t.teamId)).map((r) => r.webhook_message_id), [`recording.completed:${uuid}`, `recording.transcript_completed:${uuid}`]);
  } finally {
    await inboxIdle();
    await dropTeam(t.teamId);
  }
});

test("zoom webhook: 20 concurrent copies of one delivery -> one row, every copy answered 200", async () => {
  const t = await setup();
  try {
    const body = recordingEvent();
    const headers = await zoomHeaders(body);
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(body, headers).then(async (r) => [r.status, (await r.json()).duplicate])));
    assert.ok(answers.every(([status]) => status === 200));
    assert.equal(answers.filter(([, duplicate]) => duplicate === false).length, 1, "exactly one copy stored");
    assert.equal((await deliveries(t.teamId)).length, 1);
  } finally {
    await inboxIdle();
    await dropTeam(t.teamId);
  }
});

test("zoom webhook: Fathom's every-minute sweep leaves Zoom's waiting deliveries alone (it would fail them as 'not a Fathom meeting')", async () => {
  const t = await setup();
  try {
    const body = recordingEvent();
    await sql`insert into public.webhook_deliveries (integration_id, team_id, provider, webhook_message_id, status, body)
              values (${t.integrationId}, ${t.teamId}, 'zoom', 'recording.completed:sweep-test', 'received', ${body})`;
    await processDueDeliveries();
    const [row] = await sql`select status, attempts from public.webhook_deliveries where integration_id = ${t.integrationId}`;
    assert.deepEqual([row.status, row.attempts], ["received", 0]);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("cleanup: zoom webhook tests", async () => {
  await inboxIdle();
  await zoom.close();
  await closeAll();
});
