// Issue 7 item 9: a failed delivery (non-2xx, timeout) is retried on Svix's schedule (shortened here), with the same
// webhook-id and a fresh signature, until a 2xx; close() and reset() stop what is pending.
import assert from "node:assert/strict";
import { Webhook } from "./deps.ts";
import { createSandbox, SVIX_RETRY_SCHEDULE_MS } from "./sandbox.ts";
import { call, connect, eventually, newSandbox, postJson, withWebhookReceiver } from "./test-helpers.ts";
import type { Sandbox } from "./sandbox.ts";

async function subscribe(sandbox: Sandbox, url: string): Promise<{ id: string; secret: string }> {
  const { access_token } = await connect(sandbox);
  const res = await call(sandbox, "/external/v1/webhooks", postJson(
    { destination_url: url, triggered_for: ["my_recordings", "my_shared_with_team_recordings"], include_summary: true },
    { authorization: `Bearer ${access_token}` },
  ));
  return await res.json();
}

Deno.test("the default schedule is Svix's: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after the immediate attempt", () => {
  assert.deepEqual(SVIX_RETRY_SCHEDULE_MS, [5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 36e6]);
  assert.deepEqual(createSandbox({ demoMeetings: false }).options.retryScheduleMs, SVIX_RETRY_SCHEDULE_MS);
});

Deno.test("a 500 is retried on the schedule until a 2xx: same webhook-id and body, each attempt signed anew, then nothing more", async () => {
  const { sandbox } = newSandbox({ now: Date.now, retryScheduleMs: [20, 40, 80] });
  await withWebhookReceiver((i) => (i < 2 ? 500 : 200), async (url, received) => {
    const hook = await subscribe(sandbox, url);
    const { deliveries } = await sandbox.addRecording();
    assert.equal(deliveries[0].status, 500);
    const pending = sandbox.deliveries()[0];
    assert.ok(pending.next_attempt_at, "a retry is scheduled");

    const done = await eventually(() => sandbox.deliveries()[0].delivered && sandbox.deliveries()[0]);
    assert.deepEqual(done.attempts.map((a) => a.status), [500, 500, 200]);
    assert.equal(done.next_attempt_at, null);
    assert.ok(done.attempts.every((a) => typeof a.at === "string" && typeof a.duration_ms === "number" && a.error === null));
    assert.equal(received.length, 3);
    assert.equal(new Set(received.map((r) => r.headers["webhook-id"])).size, 1);
    assert.equal(new Set(received.map((r) => r.body)).size, 1);
    for (const r of received) new Webhook(hook.secret).verify(r.body, r.headers);
    // No retry after the success.
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(received.length, 3);
  });
  await sandbox.close();
});

Deno.test("a timeout is a failure too; the schedule ends after its last entry", async () => {
  const { sandbox } = newSandbox({ now: Date.now, retryScheduleMs: [10, 10], deliveryTimeoutMs: 50 });
  let release!: () => void;
  const hung = new Promise<void>((r) => (release = r));
  await withWebhookReceiver(async () => {
    await hung;
    return 200;
  }, async (url, received) => {
    await subscribe(sandbox, url);
    const { deliveries } = await sandbox.addRecording();
    assert.deepEqual([deliveries[0].status, deliveries[0].error], [null, "timeout"]);
    const view = await eventually(() => sandbox.deliveries()[0].attempts.length === 3 && sandbox.deliveries()[0].next_attempt_at === null && sandbox.deliveries()[0]);
    assert.deepEqual(view.attempts.map((a) => a.error), ["timeout", "timeout", "timeout"]);
    assert.equal(view.delivered, false);
    assert.equal(received.length, 3);
    release();
  });
  await sandbox.close();
});

Deno.test("a webhook failure rule fails attempts without the receiver (status_500) or after it stored them (slow)", async () => {
  const { sandbox } = newSandbox({ now: Date.now, retryScheduleMs: [10] });
  await withWebhookReceiver(() => 204, async (url, received) => {
    await subscribe(sandbox, url);
    const rule = await call(sandbox, "/_sandbox/failures", postJson({ target: "webhook", mode: "status_500", times: 1 }));
    assert.equal(rule.status, 201);
    await rule.body?.cancel();
    const first = await sandbox.addRecording();
    assert.equal(first.deliveries[0].status, 500);
    assert.equal(received.length, 0, "status_500 never reaches the receiver");
    await eventually(() => received.length === 1);

    sandbox.setFailure({ target: "webhook", mode: "slow", times: 1 });
    const second = await sandbox.addRecording();
    assert.match(second.deliveries[0].error!, /timeout/);
    await eventually(() => received.length === 3);
    assert.equal(received[1].headers["webhook-id"], received[2].headers["webhook-id"], "the receiver got it twice: dedupe");

    const bad = await call(sandbox, "/_sandbox/failures", postJson({ target: "webhook", mode: "malformed" }));
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
  });
  await sandbox.close();
});

Deno.test("close() and reset() stop pending retries (the sanitizers would report a leaked timer)", async () => {
  const { sandbox } = newSandbox({ now: Date.now }); // the real schedule: the next try would be 5 s away
  await withWebhookReceiver(() => 503, async (url, received) => {
    await subscribe(sandbox, url);
    await sandbox.addRecording();
    assert.ok(sandbox.deliveries()[0].next_attempt_at);
    sandbox.reset();
    await sandbox.addRecording(); // no webhooks after the reset
    assert.equal(received.length, 1);
  });
  const other = newSandbox({ now: Date.now }).sandbox;
  await withWebhookReceiver(() => 500, async (url) => {
    await subscribe(other, url);
    await other.addRecording();
    assert.ok(other.deliveries()[0].next_attempt_at);
    await other.close();
    assert.equal(other.deliveries()[0].next_attempt_at, null);
  });
});

Deno.test("a pending schedule is not persisted: a restored delivery keeps its attempts and has no next attempt", async () => {
  const { sandbox } = newSandbox({ now: Date.now });
  await withWebhookReceiver(() => 500, async (url) => {
    await subscribe(sandbox, url);
    await sandbox.addRecording();
    const restored = createSandbox({ snapshot: sandbox.snapshot() });
    assert.equal(restored.deliveries()[0].attempts.length, 1);
    assert.equal(restored.deliveries()[0].next_attempt_at, null);
    await sandbox.close();
  });
});
