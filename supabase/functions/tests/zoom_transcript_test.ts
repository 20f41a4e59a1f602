// Zoom's WebVTT transcript into the CRM's transcript items (zoom/transcript.ts). Pure: no database.
// Needs webvtt-parser in node_modules (npm install); until then run with --node-modules-dir=none.
import assert from "node:assert/strict";
import { parseZoomTranscript } from "../_shared/zoom/transcript.ts";

const ZOOM_VTT = `WEBVTT

1
00:00:00.500 --> 00:00:06.000
Avery Host: Hi everyone, thanks for joining.

2
00:00:07.500 --> 00:00:13.000
Jane Doe: Hello, Jane here. Pricing: is it per seat?

3
01:02:03.900 --> 01:02:09.000
and a cue that goes on without its speaker

4
01:02:10.000 --> 01:02:12.000
<v Bo Builder>Voice spans work too</v>
`;

Deno.test("zoom transcript: one item per cue, speaker from Zoom's 'Name: text' prefix, HH:MM:SS from the cue start", async () => {
  const items = await parseZoomTranscript(ZOOM_VTT, [
    { name: "Jane Doe", email: "jane@customer.example" },
    { name: "Avery Host", email: "avery@acme.example" },
  ]);
  assert.deepEqual(items, [
    { speaker: { display_name: "Avery Host", matched_calendar_invitee_email: "avery@acme.example" }, text: "Hi everyone, thanks for joining.", timestamp: "00:00:00" },
    { speaker: { display_name: "Jane Doe", matched_calendar_invitee_email: "jane@customer.example" }, text: "Hello, Jane here. Pricing: is it per seat?", timestamp: "00:00:07" },
    { speaker: { display_name: "Jane Doe", matched_calendar_invitee_email: "jane@customer.example" }, text: "and a cue that goes on without its speaker", timestamp: "01:02:03" },
    { speaker: { display_name: "Bo Builder" }, text: "Voice spans work too", timestamp: "01:02:10" },
  ]);
});

Deno.test("zoom transcript: hostile or broken input is cleaned, never thrown", async () => {
  assert.deepEqual(await parseZoomTranscript("not a webvtt file at all"), []);
  assert.deepEqual(await parseZoomTranscript(""), []);
  const nul = await parseZoomTranscript("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nEve\u0000: <b>bold</b> \ud800 text\n");
  assert.equal(nul.length, 1);
  // WebVTT turns NUL into U+FFFD (its parsing rules); markup is dropped, a lone surrogate replaced: all storable
  assert.equal(nul[0].speaker.display_name, "Eve\ufffd");
  assert.equal(nul[0].text, "bold \ufffd text");
  assert.ok(!JSON.stringify(nul).includes("\\u0000"));
  const unknown = await parseZoomTranscript("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\njust words\n");
  assert.equal(unknown[0].speaker.display_name, "Unknown speaker");
});
