import assert from "node:assert/strict";
import { Webhook } from "./deps.ts";
import { call, connect, newSandbox, postJson, SANDY } from "./test-helpers.ts";
import type { Sandbox } from "./sandbox.ts";

interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A throwaway receiver on a random port, standing in for the product's webhook endpoint. */
async function withReceiver(status: number, run: (url: string, received: Received[]) => Promise<void>) {
  const received: Received[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    received.push({ headers: Object.fromEntries(req.headers), body: await req.text() });
    return new Response(null, { status });
  });
  try {
    await run(`http://127.0.0.1:${server.addr.port}/hooks/fathom`, received);
  } finally {
    await server.shutdown();
  }
}

async function createWebhook(sandbox: Sandbox, token: string, body: unknown) {
  const res = await call(sandbox, "/external/v1/webhooks", postJson(body, { authorization: `Bearer ${token}` }));
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

const validBody = {
  destination_url: "https://crm.example/hooks/fathom",
  // Sandy is on a team, so her recordings are shared with it by default: the second trigger is the one that fires.
  triggered_for: ["my_recordings", "my_shared_with_team_recordings"],
  include_summary: true,
  include_action_items: true,
};

Deno.test("creating a webhook returns 201 with a whsec_ secret of at least 24 random bytes", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  const { status, body } = await createWebhook(sandbox, access_token, validBody);
  assert.equal(status, 201);
  assert.deepEqual(Object.keys(body).sort(), [
    "created_at", "id", "include_action_items", "include_crm_matches", "include_summary", "include_transcript",
    "secret", "triggered_for", "url",
  ]);
  assert.equal(body.url, validBody.destination_url);
  assert.equal(body.include_transcript, false, "flags default to false");
  assert.match(body.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
  assert.ok(atob(body.secret.slice(6)).length >= 24);
  const again = await createWebhook(sandbox, access_token, validBody);
  assert.notEqual(again.body.secret, body.secret);
});

Deno.test("webhook validation: unknown fields, bad URL, bad trigger, missing fields, bad JSON are 400; no include_* is 422", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  const invalid = [
    { ...validBody, extra: true },
    { ...validBody, destination_url: "not a url" },
    { ...validBody, destination_url: "ftp://crm.example/x" },
    { ...validBody, triggered_for: ["shared_with_me_external_recordings"] },
    { ...validBody, triggered_for: [] },
    { include_summary: true, triggered_for: ["my_recordings"] },
    { ...validBody, include_summary: "yes" },
  ];
  for (const body of invalid) assert.equal((await createWebhook(sandbox, access_token, body)).status, 400, JSON.stringify(body));
  const badJson = await call(sandbox, "/external/v1/webhooks", {
    method: "POST", headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" }, body: "{nope",
  });
  assert.equal(badJson.status, 400);
  await badJson.body?.cancel();
  const noSections = await createWebhook(sandbox, access_token, { destination_url: validBody.destination_url, triggered_for: ["my_recordings"] });
  assert.equal(noSections.status, 422);
  assert.equal(sandbox.state().counts.webhooks, 0);
});

Deno.test("deleting a webhook: 204, then 404; another user's webhook is 404", async () => {
  const { sandbox } = newSandbox();
  const sandy = await connect(sandbox);
  const other = await connect(sandbox, "other@sandbox.fathom.test");
  const { body } = await createWebhook(sandbox, sandy.access_token, validBody);
  const del = (token: string) => call(sandbox, `/external/v1/webhooks/${body.id}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });

  const foreign = await del(other.access_token);
  assert.equal(foreign.status, 404);
  await foreign.body?.cancel();
  assert.equal((await del(sandy.access_token)).status, 204);
  const gone = await del(sandy.access_token);
  assert.equal(gone.status, 404);
  await gone.body?.cancel();
});

Deno.test("a delivery is a bare Meeting with the chosen sections, signed so standardwebhooks verifies it", async () => {
  const { sandbox } = newSandbox({ now: Date.now });
  const { access_token } = await connect(sandbox);
  await withReceiver(200, async (url, received) => {
    const { body: hook } = await createWebhook(sandbox, access_token, { ...validBody, destination_url: url });
    const result = await sandbox.addRecording({ title: "Acme Corp follow-up", invitees: [{ name: "Jane Doe", email: "jane.doe@acme.example" }] });

    assert.deepEqual(result.deliveries.map((d) => [d.webhook_id, d.status]), [[hook.id, 200]]);
    assert.equal(received.length, 1);
    const { headers, body } = received[0];
    assert.match(headers["webhook-id"], /^msg_/);
    assert.match(headers["webhook-signature"], /^v1,/);
    const meeting = new Webhook(hook.secret).verify(body, headers) as Record<string, unknown>;
    assert.equal(meeting.recording_id, result.recording_id);
    assert.equal(meeting.title, "Acme Corp follow-up");
    assert.ok("default_summary" in meeting && "action_items" in meeting);
    assert.equal(meeting.transcript, null, "unrequested sections are null, as at Fathom");
    assert.equal(meeting.crm_matches, null);
    assert.ok(!("items" in meeting), "no envelope");

    assert.throws(() => new Webhook(`whsec_${btoa("another-secret-of-24-bytes!")}`).verify(body, headers));
    const log = sandbox.deliveries();
    assert.equal(log[0].status, 200);
    assert.equal(typeof log[0].duration_ms, "number");
  });
});

Deno.test("redelivery resends the same message id and body with a fresh signature", async () => {
  const { sandbox } = newSandbox({ now: Date.now, retryScheduleMs: [] });
  const { access_token } = await connect(sandbox);
  await withReceiver(500, async (url, received) => {
    const { body: hook } = await createWebhook(sandbox, access_token, { ...validBody, destination_url: url });
    const { deliveries } = await sandbox.addRecording();
    assert.equal(deliveries[0].status, 500);

    const res = await call(sandbox, `/_sandbox/webhook-deliveries/${deliveries[0].message_id}/redeliver`, { method: "POST" });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).message_id, deliveries[0].message_id);
    assert.equal(received.length, 2);
    assert.equal(received[1].headers["webhook-id"], received[0].headers["webhook-id"]);
    assert.equal(received[1].body, received[0].body);
    new Webhook(hook.secret).verify(received[1].body, received[1].headers);
    assert.equal(sandbox.deliveries()[0].attempts.length, 2);
  });
  const unknown = await call(sandbox, "/_sandbox/webhook-deliveries/msg_nope/redeliver", { method: "POST" });
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
});

Deno.test("a webhook whose triggers do not match the recording does not fire", async () => {
  const { sandbox } = newSandbox({ now: Date.now });
  const sandy = await connect(sandbox);
  const sam = await connect(sandbox, "sam@sandbox.fathom.test");
  await withReceiver(204, async (url, received) => {
    await createWebhook(sandbox, sandy.access_token, { ...validBody, destination_url: url, triggered_for: ["shared_external_recordings", "shared_team_recordings"] });
    await createWebhook(sandbox, sam.access_token, { ...validBody, destination_url: url, triggered_for: ["my_recordings", "shared_external_recordings"] });
    const { deliveries } = await sandbox.addRecording({ userEmail: SANDY });
    assert.equal(deliveries.length, 0);
    assert.equal(received.length, 0);
  });
});
