// Names a provider gives for people are stored without control, bidi or other hidden characters (attacker review 12,
// note 8c): Zoom's transcript speakers and participants, Fathom's speakers, invitees, recorder and assignees.
// Pure: no database.
import assert from "node:assert/strict";
import { cleanDisplayName, cleanTitle } from "../_shared/display-name.ts";
import { meetingSchema } from "../_shared/fathom/wire.ts";
import { parseZoomTranscript } from "../_shared/zoom/transcript.ts";
import { parseParticipants } from "../_shared/zoom/wire.ts";
import { respondentLabel } from "../_shared/typeform/respondent.ts";

const MALLORY = "Mallory\u0007\u001b[31m";
// deno-lint-ignore no-control-regex
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/;

Deno.test("display names: C0, C1, bidi and zero-width characters are removed, joiners and letters kept", () => {
  assert.equal(cleanDisplayName(MALLORY), "Mallory");
  assert.equal(cleanDisplayName("\u202Eevil\u202C name\u0085"), "evil name");
  assert.equal(cleanDisplayName("Zoë\u200b  \u2066Ann\u2069"), "Zoë Ann");
  assert.equal(cleanDisplayName("👩\u200D💻 Dev"), "👩\u200D💻 Dev");
  assert.equal(cleanDisplayName("\u0007\u202E "), null);
  assert.equal(cleanDisplayName(null), null);
});

Deno.test("zoom transcript: a speaker's name keeps no control or bidi characters", async () => {
  const vtt = `WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n${MALLORY}: hello\n\n00:00:03.000 --> 00:00:04.000\n\u202Eyrrab\u202C: hi\n`;
  const items = await parseZoomTranscript(vtt);
  assert.deepEqual(items.map((i) => i.speaker.display_name), ["Mallory", "yrrab"]);
  assert.doesNotMatch(JSON.stringify(items.map((i) => i.speaker)), /\\u00(?:07|1b)|\u202E/);
});

Deno.test("zoom participants: names are cleaned the same way", () => {
  const [p] = parseParticipants([{ name: MALLORY, user_email: "m@x.example" }]);
  assert.equal(p.name, "Mallory");
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
  assert.deepEqual(names, ["Mallory", "Mallory", "Sandy", "Mallory", "Bob"]);
  for (const n of names) assert.doesNotMatch(n ?? "", HIDDEN);
});

// attacker review 12b, note 4: escape sequences go whole (not just their ESC), blank fillers go too; one cleaning for
// every name from a provider, a Typeform respondent's label included
const ESCAPED: [string, string | null][] = [
  ["A\u0000B\u0007C\u001b[31m", "ABC"],
  ["\u001b[1;31mRed\u001b[0m Rita", "Red Rita"],
  ["\u009b31mCsi", "Csi"],
  ["\u001b]0;owned\u0007Olga", "Olga"],
  ["\u001b]8;;http://evil.example\u001b\\Link\u001b]8;;\u001b\\ Lee", "Link Lee"],
  ["Tom\u001b]2;unterminated title", "Tom"],
  ["\u001b(BKai\u001bc", "Kai"],
  ["Jane\nDoe", "Jane Doe"],
  ["\u3164\u115F\u1160\u2800\uFFA0", null],
  ["Ann\u3164\u2800a", "Anna"],
  ["\u001b[31m", null],
];

Deno.test("display names: terminal escape sequences are removed whole, blank fillers too; nothing left is no name", () => {
  for (const [raw, want] of ESCAPED) assert.equal(cleanDisplayName(raw), want, JSON.stringify(raw));
});

Deno.test("the same cleaning for Zoom speakers (a name that is only escapes falls back) and Typeform respondents", async () => {
  const vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\u001b[0m\u3164: hi\n\n00:00:02.000 --> 00:00:03.000\n\u202EnimdA\u001b[31m: there\n";
  const items = await parseZoomTranscript(vtt);
  assert.deepEqual(items.map((i) => i.speaker.display_name), ["Unknown speaker", "nimdA"]);
  const label = (name: string) =>
    respondentLabel({ token: "t", submittedAt: null, hidden: {}, skipped: 0, answers: [{ field_id: "n", title: null, type: "text", value: name }] } as never, { name: "n" });
  for (const [raw, want] of ESCAPED) assert.equal(label(raw), want, JSON.stringify(raw));
});

// attacker review 12c: variation selectors (and joiners) alone show nothing: no name; an emoji keeps its selector
Deno.test("display names: variation selectors or joiners alone are no name; titles are cleaned the same and bounded", () => {
  assert.equal(cleanDisplayName("\uFE0F"), null);
  assert.equal(cleanDisplayName(" \uFE0F\u200D \u{E0100}"), null);
  assert.equal(cleanDisplayName("\u2764\uFE0F"), "\u2764\uFE0F");
  assert.equal(cleanTitle("\u001b[31mGlobex\u001b[0m call", 200), "Globex call");
  assert.equal(cleanTitle(`ab ${"😀".repeat(300)}`, 10), `ab ${"😀".repeat(7)}`);
  assert.equal(cleanTitle(`abcdefghi ${"x".repeat(5)}`, 10), "abcdefghi");
  assert.equal(cleanTitle("\u3164", 200), null);
});
