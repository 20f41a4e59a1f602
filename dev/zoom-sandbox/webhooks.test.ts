import assert from "node:assert/strict";
import { createZoomSandbox } from "./zoom.ts";
import { api, authorize, call, HOOK_URL, newZoom, SECRET } from "./test-helpers.ts";
import { hmacHex } from "./webhooks.ts";

async function verify(received: { headers: Headers; body: string }, secret = SECRET) {
  const ts = received.headers.get("x-zm-request-timestamp")!;
  return received.headers.get("x-zm-signature") === `v0=${await hmacHex(secret, `v0:${ts}:${received.body}`)}`;
}

Deno.test("Zoom webhooks: the endpoint is validated first, then recording.completed is delivered signed", async () => {
  const { zoom, app } = newZoom();
  const res = await call(zoom, "/zoom/_sandbox/recordings", { method: "POST", body: JSON.stringify({ participants: ["jane@customer.example"] }) });
  assert.equal(res.status, 201);
  const { meeting, deliveries } = await res.json();
  assert.deepEqual(deliveries.map((d: { event: string; ok: boolean }) => [d.event, d.ok]), [["endpoint.url_validation", true], ["recording.completed", true]]);
  assert.equal(app.received.length, 2);
  for (const r of app.received) {
    assert.equal(r.url, HOOK_URL);
    assert.ok(await verify(r), "signed v0=hex(HMAC-SHA256(secret, v0:ts:body))");
    assert.equal(r.headers.get("x-zm-request-timestamp"), String(Date.parse("2026-03-02T12:00:00Z") / 1000));
  }
  const event = JSON.parse(app.received[1].body);
  assert.equal(event.event, "recording.completed");
  assert.equal(typeof event.download_token, "string");
  assert.equal(event.payload.account_id, meeting.account_id);
  assert.equal(event.payload.object.uuid, meeting.uuid);
  assert.equal(event.payload.object.host_email, "avery.host@acme-sales.example");
  assert.ok(event.payload.object.recording_files.some((f: { file_type: string }) => f.file_type === "TRANSCRIPT"));

  // the webhook's download_token opens the files without an OAuth token
  const transcript = event.payload.object.recording_files.find((f: { file_type: string }) => f.file_type === "TRANSCRIPT");
  const dl = await call(zoom, `${transcript.download_url}?download_token=${event.download_token}`);
  assert.equal(dl.status, 200);
  assert.match(await dl.text(), /^WEBVTT/);

  // validated once: the next meeting is one request
  await zoom.simulate({ participants: [] });
  assert.equal(app.received.length, 3);
});

Deno.test("Zoom webhooks: an endpoint that fails validation gets no events", async () => {
  const { zoom, app } = newZoom();
  app.state.validate = false;
  const { deliveries } = await zoom.simulate({ participants: [] });
  assert.deepEqual(deliveries.map((d) => [d.event, d.ok]), [["endpoint.url_validation", false], ["recording.completed", false]]);
  assert.equal(app.received.length, 1);
});

Deno.test("Zoom webhooks: transcript later arrives in its own recording.transcript_completed", async () => {
  const { zoom, app } = newZoom();
  const { access_token } = await authorize(zoom);
  const { meeting } = await zoom.simulate({ participants: ["jane@customer.example"], transcript: "later" });
  assert.ok(!meeting.recording_files.some((f) => f.file_type === "TRANSCRIPT"));
  const res = await call(zoom, `/zoom/_sandbox/recordings/${encodeURIComponent(meeting.uuid)}/transcript`, { method: "POST" });
  const done = await res.json();
  assert.equal(done.deliveries.at(-1).event, "recording.transcript_completed");
  const event = JSON.parse(app.received.at(-1)!.body);
  assert.equal(event.event, "recording.transcript_completed");
  assert.deepEqual(event.payload.object.recording_files.map((f: { file_type: string }) => f.file_type), ["TRANSCRIPT"]);
  const listed = await api(zoom, "/users/me/recordings?from=2026-03-02&to=2026-03-02", access_token);
  assert.ok(listed.body.meetings[0].recording_files.some((f: { file_type: string }) => f.file_type === "TRANSCRIPT"));
});

Deno.test("Zoom webhooks: redeliver sends the very same body again (Zoom's retry)", async () => {
  const { zoom, app } = newZoom();
  const { meeting } = await zoom.simulate({ participants: [] });
  const res = await call(zoom, `/zoom/_sandbox/recordings/${encodeURIComponent(meeting.uuid)}/redeliver`, { method: "POST", body: JSON.stringify({ event: "recording.completed" }) });
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.equal(app.received.at(-1)!.body, app.received.at(-2)!.body);
});

Deno.test("Zoom webhooks: a changed secret token is validated again; state file round-trips", async () => {
  const { zoom, app } = newZoom();
  await zoom.simulate({ participants: [] });
  await call(zoom, "/zoom/_sandbox/settings", { method: "POST", body: JSON.stringify({ webhookSecretToken: "other" }) });
  const { deliveries } = await zoom.simulate({ participants: [] });
  assert.equal(deliveries[0].event, "endpoint.url_validation");
  assert.equal(deliveries[0].ok, false, "the fake app still proves the old secret");
  const copy = createZoomSandbox({ snapshot: JSON.parse(JSON.stringify(zoom.snapshot())), send: app.send });
  assert.equal(copy.summary().messages, zoom.summary().messages);
});

Deno.test("Zoom page: the simulate form records a meeting and shows the delivery", async () => {
  const { zoom } = newZoom();
  const res = await call(zoom, "/zoom/_sandbox/simulate", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ topic: "Demo <b>call</b>", participants: "jane@customer.example, bo@customer.example", transcript: "now" }).toString(),
  });
  assert.deepEqual([res.status, res.headers.get("location")], [303, "/zoom/"]);
  const html = await (await call(zoom, "/zoom/")).text();
  assert.match(html, /Demo &lt;b&gt;call&lt;\/b&gt;/);
  assert.match(html, /jane@customer\.example, bo@customer\.example/);
  assert.match(html, /recording\.completed: delivered/);
});
