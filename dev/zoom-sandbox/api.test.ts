import assert from "node:assert/strict";
import { api, authorize, AVERY, call, newZoom, ROBIN, SAM } from "./test-helpers.ts";

const simulate = (zoom: ReturnType<typeof newZoom>["zoom"], body: Record<string, unknown>) =>
  call(zoom, "/zoom/_sandbox/recordings", { method: "POST", body: JSON.stringify({ deliver: false, ...body }) }).then((r) => r.json());

Deno.test("Zoom API: recordings of the signed-in user, from/to at most a month apart, paged by next_page_token", async () => {
  const { zoom } = newZoom();
  const { access_token } = await authorize(zoom);
  for (let day = 1; day <= 5; day++) await simulate(zoom, { startTime: `2026-02-0${day}T10:00:00Z`, participants: ["jane@customer.example"] });
  await simulate(zoom, { hostId: SAM.id, startTime: "2026-02-03T10:00:00Z" }); // same account, another user
  await simulate(zoom, { startTime: "2025-12-01T10:00:00Z" }); // outside the window

  const first = await api(zoom, "/users/me/recordings?from=2026-02-01&to=2026-03-01&page_size=2", access_token);
  assert.equal(first.status, 200);
  assert.deepEqual([first.body.from, first.body.to, first.body.total_records, first.body.page_size], ["2026-02-01", "2026-03-01", 5, 2]);
  assert.equal(first.body.meetings.length, 2);
  assert.equal(first.body.meetings[0].start_time, "2026-02-05T10:00:00Z", "newest first");
  const seen = [...first.body.meetings];
  let next = first.body.next_page_token;
  while (next) {
    const more = await api(zoom, `/users/me/recordings?from=2026-02-01&to=2026-03-01&page_size=2&next_page_token=${next}`, access_token);
    seen.push(...more.body.meetings);
    next = more.body.next_page_token;
  }
  assert.equal(seen.length, 5);
  assert.ok(seen.every((m) => m.host_id === AVERY.id));
  const transcript = seen[0].recording_files.find((f: { file_type: string }) => f.file_type === "TRANSCRIPT");
  assert.deepEqual([transcript.file_extension, transcript.recording_type, transcript.status], ["VTT", "audio_transcript", "completed"]);

  const tooLong = await api(zoom, "/users/me/recordings?from=2026-01-01&to=2026-02-02", access_token);
  assert.deepEqual([tooLong.status, tooLong.body.code], [400, 300]);
  const oneMonth = await api(zoom, "/users/me/recordings?from=2026-01-31&to=2026-02-28", access_token);
  assert.equal(oneMonth.status, 200, "Jan 31 + one month is the end of February");
  const badDate = await api(zoom, "/users/me/recordings?from=2026-02-30", access_token);
  assert.deepEqual([badDate.status, badDate.body.code], [400, 300]);
  const badToken = await api(zoom, "/users/me/recordings?from=2026-02-01&to=2026-03-01&next_page_token=nope", access_token);
  assert.deepEqual([badToken.status, badToken.body.message], [400, "The next page token is invalid or expired."]);
  const capped = await api(zoom, "/users/me/recordings?from=2026-02-01&to=2026-03-01&page_size=1000", access_token);
  assert.equal(capped.body.page_size, 300);
});

Deno.test("Zoom API: next_page_token expires after 15 minutes and is bound to its query", async () => {
  const { zoom, clock } = newZoom();
  const { access_token } = await authorize(zoom);
  for (let day = 1; day <= 3; day++) await simulate(zoom, { startTime: `2026-02-0${day}T10:00:00Z` });
  const first = await api(zoom, "/users/me/recordings?from=2026-02-01&to=2026-03-01&page_size=1", access_token);
  const other = await api(zoom, `/users/me/recordings?from=2026-02-02&to=2026-03-01&page_size=1&next_page_token=${first.body.next_page_token}`, access_token);
  assert.equal(other.status, 400);
  clock.ms += 15 * 60_000;
  const late = await api(zoom, `/users/me/recordings?from=2026-02-01&to=2026-03-01&page_size=1&next_page_token=${first.body.next_page_token}`, access_token);
  assert.equal(late.status, 400);
});

Deno.test("Zoom API: the transcript downloads as WebVTT with the bearer token, not without", async () => {
  const { zoom } = newZoom();
  const { access_token } = await authorize(zoom);
  const { meeting } = await simulate(zoom, { participants: ["jane.doe@customer.example"], topic: "Pricing" });
  const file = meeting.recording_files.find((f: { file_type: string }) => f.file_type === "TRANSCRIPT");
  const anonymous = await call(zoom, file.download_url);
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
  const res = await call(zoom, file.download_url, { headers: { authorization: `Bearer ${access_token}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /^text\/vtt/);
  const vtt = await res.text();
  assert.match(vtt, /^WEBVTT\n\n1\n00:00:00\.500 --> 00:00:06\.000\nAvery Host: /);
  assert.match(vtt, /Jane Doe: Hello/);
  const byQuery = await call(zoom, `${file.download_url}?access_token=${encodeURIComponent(access_token)}`);
  assert.equal(byQuery.status, 200);
  await byQuery.body?.cancel();
});

Deno.test("Zoom API: another account's token sees nothing of this account", async () => {
  const { zoom } = newZoom();
  const { meeting } = await simulate(zoom, { participants: ["x@y.example"] });
  const other = await authorize(zoom, { user_id: ROBIN.id });
  const file = meeting.recording_files[0];
  const res = await call(zoom, file.download_url, { headers: { authorization: `Bearer ${other.access_token}` } });
  assert.equal(res.status, 404);
  await res.body?.cancel();
  const participants = await api(zoom, `/past_meetings/${encodeURIComponent(encodeURIComponent(meeting.uuid))}/participants`, other.access_token);
  assert.equal(participants.status, 404);
});

Deno.test("Zoom API: past meeting participants with e-mails (UUID double-encoded or not)", async () => {
  const { zoom } = newZoom();
  const { access_token } = await authorize(zoom);
  const { meeting } = await simulate(zoom, { participants: ["jane@customer.example", { name: "Bo", email: "bo@customer.example" }] });
  for (const encoded of [encodeURIComponent(meeting.uuid), encodeURIComponent(encodeURIComponent(meeting.uuid))]) {
    const res = await api(zoom, `/past_meetings/${encoded}/participants`, access_token);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.participants.map((p: { user_email: string }) => p.user_email), [AVERY.email, "jane@customer.example", "bo@customer.example"]);
  }
});

Deno.test("Zoom API: invalid token, missing scope, and the api failure switch (429 with Zoom's headers, 503)", async () => {
  const { zoom } = newZoom();
  assert.deepEqual((await api(zoom, "/users/me", "nope")).body, { code: 124, message: "Invalid access token." });
  const limited = await authorize(zoom, { scope: "cloud_recording:read:list_user_recordings" });
  const me = await api(zoom, "/users/me", limited.access_token);
  assert.deepEqual([me.status, me.body.code], [400, 4711]);
  await call(zoom, "/zoom/_sandbox/failures", { method: "POST", body: JSON.stringify({ target: "api", kind: "rate_limited", times: 2 }) });
  for (let i = 0; i < 2; i++) {
    const res = await api(zoom, "/users/me/recordings", limited.access_token);
    assert.equal(res.status, 429);
    assert.equal(res.headers.get("x-ratelimit-category"), "Medium");
    assert.equal(res.headers.get("x-ratelimit-remaining"), "0");
  }
  assert.equal((await api(zoom, "/users/me/recordings", limited.access_token)).status, 200);
  await call(zoom, "/zoom/_sandbox/failures", { method: "POST", body: JSON.stringify({ target: "api", kind: "server_error" }) });
  const down = await call(zoom, "/zoom/v2/users/me/recordings", { headers: { authorization: `Bearer ${limited.access_token}` } });
  assert.equal(down.status, 503);
  await down.body?.cancel();
});
