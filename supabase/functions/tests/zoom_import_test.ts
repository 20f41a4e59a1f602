// Zoom's recordings into the CRM through the provider-neutral storeMeeting: a delivery imported after its
// acknowledgement (participants' e-mails matched to leads, the host internal, the WebVTT transcript parsed), a
// transcript that arrives after the recording, duplicates that make one meeting, and "Import past recordings"
// (28-day windows back to the configured start, next_page_token pages, resumable, paused by Zoom's rate limit).
import assert from "node:assert/strict";
import { handler } from "../zoom-webhook/handler.ts";
import { inboxIdle } from "../_shared/inbox/queue.ts";
import { driveSync, startSyncFor } from "../_shared/fathom/backfill.ts";
import { runZoomSyncStep } from "../_shared/zoom/backfill-step.ts";
import { closeAll, sql, test } from "./helpers.ts";
import { dropTeam, JANE } from "./fathom_support.ts";
import { AVERY, sandboxZoomTeam, startZoomSandbox } from "./zoom_support.ts";

const zoom = startZoomSandbox(handler);

const connected = () => sandboxZoomTeam(zoom); // a fresh sandbox: the backfill lists everything of the user

const meetingsOf = (teamId: string) =>
  sql`select id, provider, provider_meeting_id, title, transcript, content_status, recorded_by, invitees, source
        from public.meetings where team_id = ${teamId} order by recording_start_time`;
const linksOf = (meetingId: string) => sql`select lead_id, matched_email from public.meeting_leads where meeting_id = ${meetingId}`;

test("zoom import: a recorded meeting with a lead attending arrives with its transcript, linked to the lead, host internal", async () => {
  const t = await connected();
  try {
    const { meeting } = await zoom.sandbox.simulate({ participants: [{ name: JANE.name, email: JANE.email.toUpperCase() }], topic: "Pricing" });
    await inboxIdle();
    const [row] = await meetingsOf(t.teamId);
    assert.deepEqual([row.provider, row.provider_meeting_id, row.title, row.source], ["zoom", meeting.uuid, "Pricing", "webhook"]);
    assert.equal(row.content_status, "complete", "Zoom's content is its transcript");
    assert.equal(row.recorded_by.email, AVERY.email);
    assert.deepEqual(row.transcript.map((l: { speaker: { display_name: string } }) => l.speaker.display_name), ["Avery Host", JANE.name, "Avery Host"]);
    assert.equal(row.transcript[1].speaker.matched_calendar_invitee_email, JANE.email.toUpperCase());
    assert.match(row.transcript[1].timestamp, /^\d\d:\d\d:\d\d$/);
    assert.deepEqual((await linksOf(row.id)).map((l) => l.lead_id), [t.janeId]);
    const [delivery] = await sql`select status, body from public.webhook_deliveries where integration_id = ${t.integrationId}`;
    assert.deepEqual([delivery.status, delivery.body], ["imported", null]);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("zoom import: the transcript that comes later completes the same meeting; duplicates make one meeting", async () => {
  const t = await connected();
  try {
    const { meeting } = await zoom.sandbox.simulate({ participants: [JANE.email], transcript: "later" });
    await inboxIdle();
    let [row] = await meetingsOf(t.teamId);
    assert.deepEqual([row.transcript, row.content_status], [null, "pending"]);
    const uuid = encodeURIComponent(meeting.uuid);
    const call = (path: string, body?: unknown) =>
      zoom.sandbox.handler(new Request(`${zoom.base}/zoom/_sandbox/recordings/${uuid}/${path}`, { method: "POST", body: JSON.stringify(body ?? {}) }));
    await (await call("transcript")).body?.cancel();
    await (await call("redeliver", { event: "recording.completed" })).body?.cancel();
    await (await call("redeliver", { event: "recording.transcript_completed" })).body?.cancel();
    await inboxIdle();
    const rows = await meetingsOf(t.teamId);
    assert.equal(rows.length, 1);
    [row] = rows;
    assert.equal(row.content_status, "complete");
    assert.equal(row.transcript.length, 3);
    assert.deepEqual((await linksOf(row.id)).map((l) => l.lead_id), [t.janeId], "linked once");
  } finally {
    await dropTeam(t.teamId);
  }
});

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

test("zoom import past recordings: 28-day windows back to 6 months, one meeting each, nothing older", async () => {
  const t = await connected();
  try {
    for (const days of [1, 2, 3, 40, 100, 170]) {
      await zoom.sandbox.simulate({ participants: [JANE.email], startTime: daysAgo(days), deliver: false, topic: `${days} days ago` });
    }
    await zoom.sandbox.simulate({ participants: [JANE.email], startTime: daysAgo(200), deliver: false, topic: "too old" });
    await startSyncFor(t.integrationId);
    let result = await driveSync(t.integrationId, { reschedule: false });
    for (let i = 0; result.state !== "done" && i < 5; i++) result = await driveSync(t.integrationId, { reschedule: false });
    assert.equal(result.state, "done");
    const rows = await meetingsOf(t.teamId);
    assert.deepEqual(rows.map((r) => r.title).sort(), ["1 days ago", "100 days ago", "170 days ago", "2 days ago", "3 days ago", "40 days ago"]);
    assert.ok(rows.every((r) => r.source === "backfill" && r.content_status === "complete"));
    const [sync] = await sql`select status, stage, listed_count, linked_count from public.integration_syncs where integration_id = ${t.integrationId}`;
    assert.deepEqual([sync.status, sync.stage, sync.listed_count, sync.linked_count], ["completed", "done", 6, 6]);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("zoom import past recordings: Zoom's 429 pauses the import; it resumes from its checkpoint without duplicates", async () => {
  const t = await connected();
  try {
    for (const days of [1, 2, 50]) await zoom.sandbox.simulate({ participants: [], startTime: daysAgo(days), deliver: false });
    await zoom.sandbox.handler(new Request(`${zoom.base}/zoom/_sandbox/failures`, {
      method: "POST",
      body: JSON.stringify({ target: "api", kind: "rate_limited", retryAfterSeconds: 2 }),
    }));
    await startSyncFor(t.integrationId);
    // a budget shorter than Zoom's Retry-After: the step pauses the sync instead of waiting
    const paused = await driveSync(t.integrationId, { reschedule: false, budgetMs: 500 });
    assert.equal(paused.state, "paused", JSON.stringify(paused));
    const [sync] = await sql`select status, resume_after from public.integration_syncs where integration_id = ${t.integrationId}`;
    assert.equal(sync.status, "paused_rate_limited");
    assert.ok(sync.resume_after.getTime() > Date.now(), "resumes after Zoom's Retry-After");
    // the next driver waits the pause out in place and finishes
    let result = await driveSync(t.integrationId, { reschedule: false });
    for (let i = 0; result.state !== "done" && i < 5; i++) result = await driveSync(t.integrationId, { reschedule: false });
    assert.equal(result.state, "done");
    assert.equal((await meetingsOf(t.teamId)).length, 3);
  } finally {
    await zoom.sandbox.handler(new Request(`${zoom.base}/zoom/_sandbox/failures`, { method: "DELETE" }));
    await dropTeam(t.teamId);
  }
});

test("zoom import past recordings: a 429 wait longer than a moment pauses the import where its panel shows it, even with budget to spare", async () => {
  const t = await connected();
  try {
    await zoom.sandbox.simulate({ participants: [], startTime: daysAgo(1), deliver: false });
    await zoom.sandbox.handler(new Request(`${zoom.base}/zoom/_sandbox/failures`, {
      method: "POST",
      body: JSON.stringify({ target: "api", kind: "rate_limited", retryAfterSeconds: 3 }),
    }));
    await startSyncFor(t.integrationId);
    // a minute of budget: before, the step slept through Zoom's Retry-After while the sync read "running"
    const step = await runZoomSyncStep(t.integrationId, { budgetMs: 60_000 });
    assert.equal(step.state, "paused", JSON.stringify(step));
    const [sync] = await sql`select status, resume_after from public.integration_syncs where integration_id = ${t.integrationId}`;
    assert.equal(sync.status, "paused_rate_limited");
    assert.ok(sync.resume_after.getTime() > Date.now(), "resumes after Zoom's Retry-After");
    let result = await driveSync(t.integrationId, { reschedule: false });
    for (let i = 0; result.state !== "done" && i < 5; i++) result = await driveSync(t.integrationId, { reschedule: false });
    assert.equal(result.state, "done");
  } finally {
    await zoom.sandbox.handler(new Request(`${zoom.base}/zoom/_sandbox/failures`, { method: "DELETE" }));
    await dropTeam(t.teamId);
  }
});

test("cleanup: zoom import tests", async () => {
  await inboxIdle();
  await zoom.close();
  await closeAll();
});
