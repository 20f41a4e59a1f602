// Zoom's recording fields are untrusted input: an absurd duration never throws in the pure mapping (it would fail
// the delivery, or the whole past-recordings import), it is dropped and the scheduled end left unknown.
import assert from "node:assert/strict";
import { MAX_DURATION_MINUTES, parseRecording, toNeutralMeeting } from "../_shared/zoom/wire.ts";

Deno.test("zoom wire: an absurd, negative or non-numeric duration gives no scheduled end and never throws", () => {
  for (const duration of [1e12, 1e300, MAX_DURATION_MINUTES + 1, -5, "30", Infinity]) {
    const parsed = parseRecording({ uuid: "abcdefghijklmnopqrstuv==", start_time: "2026-03-02T10:00:00Z", duration, recording_files: [] });
    assert.ok(parsed.ok, String(duration));
    const meeting = toNeutralMeeting(parsed.recording, [{ name: "x", email: "a@b.test" }]);
    assert.equal(meeting.scheduledEnd, null, String(duration));
  }
});

Deno.test("zoom wire: a duration within bounds still gives the scheduled end; one past year 9999 gives none", () => {
  const at = (start: string, duration: number) => {
    const parsed = parseRecording({ uuid: "abcdefghijklmnopqrstuv==", start_time: start, duration, recording_files: [] });
    assert.ok(parsed.ok);
    return toNeutralMeeting(parsed.recording, []).scheduledEnd;
  };
  assert.equal(at("2026-03-02T10:00:00Z", 30), "2026-03-02T10:30:00.000Z");
  assert.equal(at("2026-03-02T10:00:00Z", MAX_DURATION_MINUTES), "2026-03-09T10:00:00.000Z");
  assert.equal(at("9999-12-31T23:00:00Z", 120), null);
});
