// Zoom's wire (untrusted input) into the neutral meeting, the import's date windows, and where a download may take
// our token. Pure: no database.
import assert from "node:assert/strict";
import { downloadAllowed } from "../_shared/zoom/client.ts";
import { decodeCursor, encodeCursor, firstWindow, importStart, previousWindow } from "../_shared/zoom/windows.ts";
import { parseRecording, parseRecordingEvent, toNeutralMeeting, transcriptFile } from "../_shared/zoom/wire.ts";

const recording = {
  uuid: "4444AAAiAAAAAiAiAiiAii==",
  id: 81234567890,
  account_id: "acct1",
  host_id: "host1",
  host_email: "Avery@Acme.example",
  topic: "  Pricing \u0000call ",
  start_time: "2026-03-02T10:00:00Z",
  duration: 30,
  share_url: "javascript:alert(1)",
  recording_files: [
    { id: "f1", file_type: "MP4", recording_start: "2026-03-02T10:01:00Z", recording_end: "2026-03-02T10:29:00Z", download_url: "https://zoom.us/rec/download/f1", status: "completed" },
    { id: "f2", file_type: "TRANSCRIPT", file_extension: "VTT", recording_type: "audio_transcript", recording_start: "2026-03-02T10:00:30Z", recording_end: "2026-03-02T10:29:30Z", download_url: "https://zoom.us/rec/download/f2", status: "completed" },
    "not a file",
  ],
};

Deno.test("zoom wire: a recording maps to the neutral meeting (uuid as the key, host internal, participants deduplicated)", () => {
  const parsed = parseRecording(recording);
  assert.ok(parsed.ok);
  const meeting = toNeutralMeeting(parsed.recording, [
    { name: "Avery Host", email: "avery@acme.example" },
    { name: "Jane Doe", email: "jane@customer.example" },
    { name: "Jane again", email: "JANE@customer.example" },
    { name: "Colleague", email: "sam@acme.example" },
    { name: "Dial-in", email: null },
  ]);
  assert.deepEqual(meeting, {
    providerMeetingId: "4444AAAiAAAAAiAiAiiAii==",
    title: "Pricing call",
    meetingTitle: "Pricing call",
    url: null,
    shareUrl: null,
    providerCreatedAt: "2026-03-02T10:29:30.000Z",
    scheduledStart: "2026-03-02T10:00:00.000Z",
    scheduledEnd: "2026-03-02T10:30:00.000Z",
    recordingStart: "2026-03-02T10:00:30.000Z",
    recordingEnd: "2026-03-02T10:29:30.000Z",
    recordedBy: { name: "Avery Host", email: "Avery@Acme.example" },
    invitees: [
      { name: "Avery Host", email: "avery@acme.example", isExternal: false },
      { name: "Jane Doe", email: "jane@customer.example", isExternal: true },
      { name: "Colleague", email: "sam@acme.example", isExternal: false },
    ],
  });
  assert.equal(transcriptFile(parsed.recording)?.id, "f2");
});

Deno.test("zoom wire: what cannot be stored is refused with a reason; the rest is cleaned", () => {
  assert.deepEqual(parseRecording({ topic: "x" }), { ok: false, reason: "no meeting uuid" });
  assert.deepEqual(parseRecording({ uuid: "../../etc" }), { ok: false, reason: "no meeting uuid" });
  assert.deepEqual(parseRecording([]), { ok: false, reason: "not an object" });
  const odd = parseRecording({ uuid: "abcdefgh12345678", topic: { no: 1 }, start_time: "year 0", duration: -5, recording_files: "nope" });
  assert.ok(odd.ok);
  const meeting = toNeutralMeeting(odd.recording, []);
  assert.deepEqual([meeting.title, meeting.scheduledStart, meeting.scheduledEnd, meeting.recordedBy, meeting.invitees], ["Zoom meeting", null, null, null, []]);
  const event = parseRecordingEvent({ event: "recording.completed", download_token: "tok", payload: { account_id: "acct1", object: recording } });
  assert.ok(event.ok && event.value.accountId === "acct1" && event.value.downloadToken === "tok");
  assert.deepEqual(parseRecordingEvent({ event: "meeting.ended", payload: {} }), { ok: false, reason: "not a recording event" });
});

Deno.test("zoom import windows: 28 days each (never over a month), newest first, back to the start; cursor round-trip", () => {
  const now = Date.parse("2026-03-31T15:00:00Z");
  const start = importStart(now, 6);
  assert.equal(start, "2025-09-30");
  const windows = [];
  for (let w: ReturnType<typeof previousWindow> = firstWindow(now, start); w; w = previousWindow(w, start)) windows.push(w);
  assert.deepEqual(windows[0], { from: "2026-03-04", to: "2026-03-31" });
  assert.deepEqual(windows[1], { from: "2026-02-04", to: "2026-03-03" });
  assert.equal(windows.at(-1)!.from, start);
  for (const w of windows) {
    const days = (Date.parse(w.to) - Date.parse(w.from)) / 86_400_000 + 1;
    assert.ok(days >= 1 && days <= 28, `${w.from}..${w.to}`);
  }
  for (let i = 1; i < windows.length; i++) {
    assert.equal(Date.parse(windows[i].to) + 86_400_000, Date.parse(windows[i - 1].from), "contiguous, no gap, no overlap");
  }
  const cursor = { window: windows[2], pageToken: "tok" };
  assert.deepEqual(decodeCursor(encodeCursor(cursor, start)), { ...cursor, start });
  assert.equal(decodeCursor("12345"), null, "a Fathom-style cursor is not ours: start again");
  assert.equal(decodeCursor(null), null);
});

Deno.test("zoom downloads: our bearer token only goes to Zoom (or the configured API's origin)", () => {
  const api = "https://api.zoom.us/v2";
  const token = "https://zoom.us/oauth/token";
  assert.ok(downloadAllowed("https://zoom.us/rec/download/abc", api, token));
  assert.ok(downloadAllowed("https://us02web.zoom.us/rec/download/abc", api, token));
  assert.ok(downloadAllowed("http://127.0.0.1:54329/zoom/rec/download/x", "http://127.0.0.1:54329/zoom/v2", "http://127.0.0.1:54329/zoom/oauth/token"));
  for (const bad of ["https://evil.example/rec", "http://zoom.us/rec/download/x", "https://zoom.us.evil.example/x", "https://user:pw@zoom.us/x", "not a url", "https://evilzoom.us/x"]) {
    assert.equal(downloadAllowed(bad, api, token), false, bad);
  }
});

Deno.test("dates: only ISO 8601 is a date (V8's Date.parse reads free text: 'year 0' was stored as 2000-01-01)", async () => {
  const { cleanDate } = await import("../_shared/fathom/wire.ts");
  for (const text of ["year 0", "1", "March 3", "3/2/2026", "Tue Mar 03 2026", "2026-03-02T10:00:00Zjunk"]) assert.equal(cleanDate(text), null, text);
  assert.equal(cleanDate("2026-03-02T10:00:00Z"), "2026-03-02T10:00:00.000Z");
  assert.equal(cleanDate("2026-03-02T10:00:00.123+02:00"), "2026-03-02T08:00:00.123Z");
  assert.equal(cleanDate("2026-03-02"), "2026-03-02T00:00:00.000Z");
});
