import assert from "node:assert/strict";
import { DEMO_CONTACTS } from "./demo-data.ts";
import { call, connect, getJson, type Json, newSandbox, SANDY } from "./test-helpers.ts";
import type { Sandbox } from "./sandbox.ts";
import type { WireInvitee, WireMeeting, WireTranscriptItem } from "./wire-types.ts";

const REQUIRED_MEETING_FIELDS = [
  "title", "meeting_title", "recording_id", "url", "share_url", "created_at", "scheduled_start_time",
  "scheduled_end_time", "recording_start_time", "recording_end_time", "calendar_invitees_domains_type",
  "recorded_by", "transcript_language", "calendar_invitees",
];

async function allMeetings(sandbox: Sandbox, token: string, query = ""): Promise<WireMeeting[]> {
  const items: WireMeeting[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams(query);
    if (cursor) params.set("cursor", cursor);
    const { status, body } = await getJson(sandbox, `/external/v1/meetings?${params}`, token);
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(Object.keys(body).sort(), ["items", "limit", "next_cursor"]);
    items.push(...body.items);
    cursor = body.next_cursor;
  } while (cursor);
  return items;
}

Deno.test("meetings come in Fathom's wire format: required fields, integer recording_id, ISO times", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  const { body } = await getJson(sandbox, "/external/v1/meetings", access_token);
  assert.equal(body.limit, 10);
  assert.equal(body.items.length, 10, "10 items per page by default");
  for (const m of body.items) {
    for (const field of REQUIRED_MEETING_FIELDS) assert.ok(field in m, `missing ${field}`);
    assert.ok(Number.isInteger(m.recording_id));
    assert.match(m.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.deepEqual(Object.keys(m.recorded_by).sort(), ["email", "email_domain", "name", "team"]);
    for (const invitee of m.calendar_invitees) {
      assert.deepEqual(Object.keys(invitee).sort(), ["email", "email_domain", "is_external", "matched_speaker_display_name", "name"]);
    }
    // As in the recorded real response (fathom-api.md §3.4): unrequested transcript and crm_matches are null, and
    // default_summary and action_items are left out.
    assert.equal(m.transcript, null);
    assert.equal(m.crm_matches, null);
    assert.ok(!("default_summary" in m) && !("action_items" in m), "sections only on request");
  }
});

Deno.test("pagination visits every visible meeting exactly once, newest first", async () => {
  const { sandbox } = newSandbox();
  sandbox.generateMeetings({ userEmail: SANDY, count: 95 });
  const { access_token } = await connect(sandbox);
  const items = await allMeetings(sandbox, access_token);
  const ids = items.map((m) => m.recording_id);
  assert.equal(new Set(ids).size, ids.length, "no duplicates");
  // 13 demo meetings are visible to Sandy (one recorded by Sam, with Sandy invited) + 95 generated.
  assert.equal(ids.length, 13 + 95);
  for (let i = 1; i < items.length; i++) {
    assert.ok(items[i - 1].recording_start_time >= items[i].recording_start_time, "newest first (keyset order)");
  }
});

Deno.test("an invalid cursor is 400", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  assert.equal((await getJson(sandbox, "/external/v1/meetings?cursor=garbage!", access_token)).status, 400);
});

Deno.test("filters: created_after/before, recorded_by[], teams[], invitee domains and domain type", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  const all = await allMeetings(sandbox, access_token);
  const pivot = all[5].created_at;

  const after = await allMeetings(sandbox, access_token, `created_after=${pivot}`);
  assert.deepEqual(after.map((m) => m.recording_id), all.slice(0, 5).map((m) => m.recording_id));
  const before = await allMeetings(sandbox, access_token, `created_before=${pivot}`);
  assert.deepEqual(before.map((m) => m.recording_id), all.slice(6).map((m) => m.recording_id));

  const bySam = await allMeetings(sandbox, access_token, "recorded_by[]=sam@sandbox.fathom.test");
  assert.deepEqual(bySam.map((m) => m.title), ["Acme technical deep-dive"]);
  const bothRecorders = await allMeetings(sandbox, access_token, `recorded_by[]=sam@sandbox.fathom.test&recorded_by[]=${SANDY}`);
  assert.equal(bothRecorders.length, all.length - 1, "all but Robin Solo's");

  assert.equal((await allMeetings(sandbox, access_token, "teams[]=Sales")).length, all.length - 1, "Robin is on no team");
  assert.equal((await allMeetings(sandbox, access_token, "teams[]=Customer%20Success")).length, 0);

  const acme = await allMeetings(sandbox, access_token, "calendar_invitees_domains[]=acme.example");
  assert.ok(acme.length >= 3);
  assert.ok(acme.every((m) => m.calendar_invitees.some((i: WireInvitee) => i.email_domain === "acme.example")));

  const internal = await allMeetings(sandbox, access_token, "calendar_invitees_domains_type=only_internal");
  assert.deepEqual(internal.map((m) => m.title), ["Weekly pipeline review", "Impromptu Zoom Meeting"], "no invitees: nobody external");
  const external = await allMeetings(sandbox, access_token, "calendar_invitees_domains_type=one_or_more_external");
  assert.equal(external.length, all.length - 2);

  assert.equal((await getJson(sandbox, "/external/v1/meetings?calendar_invitees_domains_type=some", access_token)).status, 400);
  assert.equal((await getJson(sandbox, "/external/v1/meetings?created_after=yesterday", access_token)).status, 400);
});

Deno.test("the demo meetings involve the demo contacts, an unknown attendee, one internal meeting and one ad-hoc", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  const all = await allMeetings(sandbox, access_token);
  const emails = new Set(all.flatMap((m) => m.calendar_invitees.map((i: WireInvitee) => i.email)));
  for (const contact of DEMO_CONTACTS) assert.ok(emails.has(contact.email), contact.email);
  assert.ok(emails.has("someone@newco.example"));
  assert.equal(all.filter((m) => m.calendar_invitees_domains_type === "only_internal").length, 2);
  assert.equal(all.filter((m) => m.calendar_invitees.length === 0).length, 1);
});

Deno.test("OAuth tokens cannot inline transcripts or summaries; API keys can", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  for (const param of ["include_transcript", "include_summary"]) {
    const { status, body } = await getJson(sandbox, `/external/v1/meetings?${param}=true`, access_token);
    assert.equal(status, 400);
    assert.match(body.message, /unavailable for OAuth/);
  }
  const apiKey = sandbox.createApiKey(SANDY);
  const res = await call(sandbox, "/external/v1/meetings?include_transcript=true&include_summary=true", { headers: { "x-api-key": apiKey } });
  assert.equal(res.status, 200);
  const meeting = (await res.json()).items[0];
  assert.ok(meeting.transcript.length > 5);
  assert.match(meeting.default_summary.markdown_formatted, /^## /);
  const jane = meeting.calendar_invitees.find((i: WireInvitee) => i.email === "jane.doe@acme.example");
  assert.equal(jane.matched_speaker_display_name, "Jane Doe");
});

Deno.test("include_action_items and include_crm_matches add those sections", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  const { body } = await getJson(sandbox, "/external/v1/meetings?include_action_items=true&include_crm_matches=true", access_token);
  const item = body.items[0].action_items[0];
  assert.deepEqual(Object.keys(item).sort(), ["assignee", "completed", "description", "recording_playback_url", "recording_timestamp", "user_generated"]);
  assert.match(item.recording_timestamp, /^\d{2}:\d{2}:\d{2}$/);
  assert.deepEqual(Object.keys(body.items[0].crm_matches).sort(), ["companies", "contacts", "deals", "error"]);
});

Deno.test("transcript and summary per recording; 404 for unknown ids and recordings the user cannot see", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  const { body } = await getJson(sandbox, "/external/v1/meetings", access_token);
  const id = body.items[0].recording_id;

  const transcript = await getJson(sandbox, `/external/v1/recordings/${id}/transcript`, access_token);
  assert.equal(transcript.status, 200);
  const lines = transcript.body.transcript;
  assert.ok(lines.length > 10);
  for (const line of lines) assert.match(line.timestamp, /^\d{2}:\d{2}:\d{2}$/);
  assert.ok(new Set(lines.map((l: WireTranscriptItem) => l.speaker.display_name)).size >= 2, "a dialogue, not a monologue");

  const summary = await getJson(sandbox, `/external/v1/recordings/${id}/summary`, access_token);
  assert.deepEqual(Object.keys(summary.body.summary).sort(), ["markdown_formatted", "template_name"]);

  assert.equal((await getJson(sandbox, "/external/v1/recordings/999999999/transcript", access_token)).status, 404);
  const other = await connect(sandbox, "outsider@elsewhere.example");
  assert.equal((await getJson(sandbox, `/external/v1/recordings/${id}/summary`, other.access_token)).status, 404);
});

Deno.test("teams and team members of the caller's organisation, in the list envelope", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  const teams = await getJson(sandbox, "/external/v1/teams", access_token);
  assert.deepEqual(teams.body.items.map((t: Json) => t.name).sort(), ["Customer Success", "Sales"]);
  assert.equal(teams.body.next_cursor, null);
  assert.equal(typeof teams.body.limit, "number");
  const members = await getJson(sandbox, "/external/v1/team_members?team=Sales", access_token);
  assert.deepEqual(members.body.items.map((m: Json) => m.email).sort(), ["sam@sandbox.fathom.test", SANDY]);
  assert.ok(members.body.items.every((m: Json) => typeof m.created_at === "string" && typeof m.name === "string"));
});

Deno.test("REST calls without a valid token are 401", async () => {
  const { sandbox } = newSandbox();
  assert.equal((await call(sandbox, "/external/v1/meetings")).status, 401);
  assert.equal((await call(sandbox, "/external/v1/meetings", { headers: { authorization: "Bearer nope" } })).status, 401);
  assert.equal((await call(sandbox, "/external/v1/teams", { headers: { "x-api-key": "nope" } })).status, 401);
});
