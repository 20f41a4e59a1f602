import assert from "node:assert/strict";
import { generateContent, hhmmss } from "./generator.ts";
import { connect, getJson, newSandbox, SANDY } from "./test-helpers.ts";

Deno.test("10,000 meetings generate in well under a few seconds and page like any others", async () => {
  const { sandbox } = newSandbox({ demoMeetings: false });
  const started = performance.now();
  const result = sandbox.generateMeetings({ userEmail: SANDY, count: 10_000 });
  const elapsed = performance.now() - started;
  assert.equal(result.created, 10_000);
  assert.ok(elapsed < 1500, `took ${elapsed.toFixed(0)} ms`);

  const { access_token } = await connect(sandbox);
  const first = await getJson(sandbox, "/external/v1/meetings", access_token);
  assert.equal(first.body.items.length, 10);
  assert.ok(first.body.next_cursor);
  const oldest = first.body.items.at(-1).recording_id;
  const transcript = await getJson(sandbox, `/external/v1/recordings/${oldest}/transcript`, access_token);
  assert.ok(transcript.body.transcript.length > 5, "content is derived lazily on request");
});

Deno.test("content is deterministic: the same recording reads the same, across sandboxes", async () => {
  const read = async () => {
    const { sandbox } = newSandbox();
    sandbox.generateMeetings({ count: 50 });
    const { access_token } = await connect(sandbox);
    const id = 123_400_001 + 13 + 20; // a generated one
    const t = await getJson(sandbox, `/external/v1/recordings/${id}/transcript`, access_token);
    const s = await getJson(sandbox, `/external/v1/recordings/${id}/summary`, access_token);
    return JSON.stringify([t.body, s.body]);
  };
  assert.equal(await read(), await read());
});

Deno.test("transcript timestamps increase and stay within the recording; action items point into it", () => {
  for (let id = 123_400_001; id < 123_400_301; id += 7) {
    const meeting = {
      recordingId: id, title: "t", meetingTitle: "t", kind: "discovery" as const, recorderEmail: SANDY,
      attendees: [{ name: "Sandy Sandbox", email: SANDY }, { name: null, email: "someone@newco.example" }],
      scheduledStartMs: 0, scheduledEndMs: 1_800_000, recordingStartMs: 0, recordingEndMs: 1_800_000, createdAtMs: 1_900_000,
      language: "en", summaryReady: true, sharedWithTeam: true,
    };
    const content = generateContent(meeting, () => undefined, "http://x/calls/1");
    const seconds = content.transcript.map((t) => t.timestamp.split(":").map(Number)).map(([h, m, s]) => h * 3600 + m * 60 + s);
    for (let i = 1; i < seconds.length; i++) assert.ok(seconds[i] > seconds[i - 1], `id ${id} line ${i}`);
    assert.ok(seconds.at(-1)! <= 1800);
    // An invitee without a name is an unmatched voice, as Fathom labels it.
    assert.ok(content.transcript.some((t) => t.speaker.display_name === "Speaker 2" && t.speaker.matched_calendar_invitee_email === null));
    for (const item of content.actionItems!) assert.match(item.recording_playback_url, /#t=\d+$/);
  }
});

Deno.test("hhmmss formats seconds as HH:MM:SS", () => {
  assert.equal(hhmmss(0), "00:00:00");
  assert.equal(hhmmss(3725), "01:02:05");
});
