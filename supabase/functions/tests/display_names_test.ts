// Names a provider gives for people are stored without control, bidi or other hidden characters (attacker review 12,
// note 8c): Zoom's transcript speakers and participants, Fathom's speakers, invitees, recorder and assignees.
// Pure: no database.
import assert from "node:assert/strict";
import { cleanDisplayName } from "../_shared/display-name.ts";
import { meetingSchema } from "../_shared/fathom/wire.ts";
import { parseZoomTranscript } from "../_shared/zoom/transcript.ts";
import { parseParticipants } from "../_shared/zoom/wire.ts";

const MALLORY = "Mallory\u0007\u001b[31m";
// deno-lint-ignore no-control-regex
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/;

Deno.test("display names: C0, C1, bidi and zero-width characters are removed, joiners and letters kept", () => {
  assert.equal(cleanDisplayName(MALLORY), "Mallory[31m");
  assert.equal(cleanDisplayName("\u202Eevil\u202C name\u0085"), "evil name");
  assert.equal(cleanDisplayName("Zoë\u200b  \u2066Ann\u2069"), "Zoë Ann");
  assert.equal(cleanDisplayName("👩\u200D💻 Dev"), "👩\u200D💻 Dev");
  assert.equal(cleanDisplayName("\u0007\u202E "), null);
  assert.equal(cleanDisplayName(null), null);
});

Deno.test("zoom transcript: a speaker's name keeps no control or bidi characters", async () => {
  const vtt = `WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n${MALLORY}: hello\n\n00:00:03.000 --> 00:00:04.000\n\u202Eyrrab\u202C: hi\n`;
  const items = await parseZoomTranscript(vtt);
  assert.deepEqual(items.map((i) => i.speaker.display_name), ["Mallory[31m", "yrrab"]);
  assert.doesNotMatch(JSON.stringify(items.map((i) => i.speaker)), /\\u00(?:07|1b)|\u202E/);
});

Deno.test("zoom participants: names are cleaned the same way", () => {
  const [p] = parseParticipants([{ name: MALLORY, user_email: "m@x.example" }]);
  assert.equal(p.name, "Mallory[31m");
});

Deno.test("fathom: speakers, invitees, the recorder and assignees are cleaned the same way", () => {
  const meeting = meetingSchema.parse({
    recording_id: 1,
    calendar_invitees: [{ name: MALLORY, email: "m@x.example", matched_speaker_display_name: `\u202E${MALLORY}` }],
    recorded_by: { name: "Sandy\u001b[0m", email: "s@x.example" },
    transcript: [{ speaker: { display_name: MALLORY }, text: "hi", timestamp: "00:00:01" }],
    action_items: [{ description: "Call back", assignee: { name: "Bob\u0000\u0008", email: "b@x.example" } }],
  });
  const names = [
    meeting.calendar_invitees?.[0].name,
    meeting.calendar_invitees?.[0].matched_speaker_display_name,
    meeting.recorded_by?.name,
    meeting.transcript?.[0].speaker?.display_name,
    meeting.action_items?.[0].assignee?.name,
  ];
  assert.deepEqual(names, ["Mallory[31m", "Mallory[31m", "Sandy[0m", "Mallory[31m", "Bob"]);
  for (const n of names) assert.doesNotMatch(n ?? "", HIDDEN);
});
