// A recording deleted at Zoom stays deleted whatever the order its events arrive in (attacker review 12b, finding 1):
// the deletion before its recording.completed (a retry, out of order), the deletion processed while the completed
// event is still downloading the transcript (no meeting row yet), the past-recordings import after a deletion, and a
// store of a meeting already marked deleted. The deletion is kept (provider_deletions) even with no meeting yet.
import assert from "node:assert/strict";
import { handler as zoomHandler } from "../zoom-webhook/handler.ts";
import { inboxIdle } from "../_shared/inbox/queue.ts";
import { driveSync, startSyncFor } from "../_shared/fathom/backfill.ts";
import { processZoomDelivery } from "../_shared/zoom/inbox.ts";
import { storeZoomMeeting } from "../_shared/zoom/store.ts";
import { toNeutralMeeting } from "../_shared/zoom/wire.ts";
import { asService } from "../_shared/db.ts";
import { closeAll, sql, test } from "./helpers.ts";
import { createTeam, dropTeam, JANE } from "./fathom_support.ts";
import { AVERY, connectZoom, recordingEvent, withZoomApi, zoomWebhookRequest } from "./zoom_support.ts";

const VTT = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAvery: secret pricing\n";

/** A fake Zoom: participants name Jane; /users/me/recordings lists `listed` (one page); any other path is the VTT,
 * held until `gate` resolves (when given). */
function fakeZoom(opts: { gate?: Promise<void>; downloading?: () => void; listed?: () => unknown[] } = {}) {
  const api = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const u = new URL(req.url);
    if (u.pathname.includes("/participants")) return Response.json({ participants: [{ name: "Jane Doe", user_email: JANE.email }], next_page_token: "" });
    if (u.pathname.endsWith("/users/me/recordings")) return Response.json({ meetings: opts.listed?.() ?? [], next_page_token: "" });
    opts.downloading?.();
    await opts.gate;
    return new Response(VTT, { headers: { "content-type": "text/vtt" } });
  });
  return { base: `http://127.0.0.1:${(api.addr as Deno.NetAddr).port}`, close: () => api.shutdown() };
}

const transcriptFile = (base: string) => ({
  id: "t1", file_type: "TRANSCRIPT", file_extension: "VTT", recording_type: "audio_transcript", status: "completed",
  download_url: `${base}/v2/rec/download/t1`,
});

async function post(body: string) {
  const res = await zoomHandler(await zoomWebhookRequest(body));
  await res.body?.cancel();
  return res.status;
}

const meetingsOf = (teamId: string) =>
  sql`select transcript is not null as has_transcript, share_url, url, content_status, content_last_error,
             provider_deleted_at is not null as deleted
        from public.meetings where team_id = ${teamId}`;

test("zoom deletion: recording.deleted BEFORE recording.completed (no meeting yet) -> no transcript, no links", async () => {
  const zoom = fakeZoom();
  const team = await createTeam();
  try {
    await withZoomApi(zoom.base, async () => {
      await connectZoom(team.teamId, AVERY, { access_token: "ok", refresh_token: null });
      const uuid = `OutOfOrder${crypto.randomUUID().slice(0, 8)}==`;
      assert.equal(await post(recordingEvent({ uuid, event: "recording.deleted" })), 200);
      await inboxIdle();
      assert.equal(await post(recordingEvent({ uuid, files: [transcriptFile(zoom.base)] })), 200);
      await inboxIdle();
      const rows = await meetingsOf(team.teamId);
      assert.ok(rows.every((m) => !m.has_transcript && m.share_url === null), JSON.stringify(rows));
      const [delivery] = await sql`select status from public.webhook_deliveries
                                    where team_id = ${team.teamId} and webhook_message_id like 'recording.completed:%'`;
      assert.equal(delivery.status, "imported", "acknowledged and done: nothing to retry");
      const [kept] = await sql`select count(*)::int n from public.provider_deletions where team_id = ${team.teamId} and provider_meeting_id = ${uuid}`;
      assert.equal(kept.n, 1, "the deletion is kept");
    });
  } finally {
    await inboxIdle();
    await zoom.close();
    await dropTeam(team.teamId);
  }
});

test("zoom deletion: recording.deleted processed WHILE the first recording.completed downloads its transcript -> not stored", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let downloading!: () => void;
  const started = new Promise<void>((r) => (downloading = r));
  const zoom = fakeZoom({ gate, downloading });
  const team = await createTeam();
  try {
    await withZoomApi(zoom.base, async () => {
      const integrationId = await connectZoom(team.teamId, AVERY, { access_token: "ok", refresh_token: null });
      const uuid = `Racing${crypto.randomUUID().slice(0, 8)}==`;
      assert.equal(await post(recordingEvent({ uuid, files: [transcriptFile(zoom.base)] })), 200);
      await started; // the completed event is in prepare (no transaction open), downloading
      const deletion = recordingEvent({ uuid, event: "recording.deleted" });
      assert.equal(await post(deletion), 200);
      // process the deletion as another isolate would, while the download is held
      const [row] = await sql`select webhook_message_id from public.webhook_deliveries
                               where team_id = ${team.teamId} and webhook_message_id like 'recording.deleted:%'`;
      await processZoomDelivery(integrationId, row.webhook_message_id);
      release();
      await inboxIdle();
      const rows = await meetingsOf(team.teamId);
      assert.ok(rows.every((m) => !m.has_transcript && m.share_url === null), JSON.stringify(rows));
    });
  } finally {
    release();
    await inboxIdle();
    await zoom.close();
    await dropTeam(team.teamId);
  }
});

test("zoom deletion: the past-recordings import after a deletion stores the meeting without its transcript or links, marked deleted", async () => {
  let listed: unknown[] = [];
  const zoom = fakeZoom({ listed: () => listed });
  const team = await createTeam();
  try {
    await withZoomApi(zoom.base, async () => {
      const integrationId = await connectZoom(team.teamId, AVERY, { access_token: "ok", refresh_token: null });
      const uuid = `Backfill${crypto.randomUUID().slice(0, 8)}==`;
      assert.equal(await post(recordingEvent({ uuid, event: "recording.trashed" })), 200);
      await inboxIdle();
      const event = JSON.parse(recordingEvent({ uuid, files: [transcriptFile(zoom.base)] }));
      listed = [{ ...event.payload.object, start_time: new Date(Date.now() - 86_400_000).toISOString() }];
      await startSyncFor(integrationId);
      let result = await driveSync(integrationId, { reschedule: false });
      for (let i = 0; result.state !== "done" && i < 5; i++) result = await driveSync(integrationId, { reschedule: false });
      assert.equal(result.state, "done");
      const rows = await meetingsOf(team.teamId);
      assert.equal(rows.length, 1, "the call is on record");
      const [m] = rows;
      assert.deepEqual([m.has_transcript, m.share_url, m.url, m.deleted, m.content_status, m.content_last_error],
        [false, null, null, true, "failed", "deleted_at_provider"]);
    });
  } finally {
    await zoom.close();
    await dropTeam(team.teamId);
  }
});

test("zoom deletion: storing a meeting already marked deleted (a deletion committed after any check) keeps its content null", async () => {
  const team = await createTeam();
  try {
    const integrationId = await connectZoom(team.teamId, AVERY);
    const uuid = `Marked${crypto.randomUUID().slice(0, 8)}==`;
    const recording = JSON.parse(recordingEvent({ uuid })).payload.object;
    const meeting = toNeutralMeeting(recording, [{ name: "Jane Doe", email: JANE.email }]);
    const ctx = { teamId: team.teamId, integrationId, source: "webhook" as const };
    await asService((tx) => storeZoomMeeting(tx, ctx, meeting, { transcript: null }));
    await sql`update public.meetings set provider_deleted_at = now(), share_url = null, content_status = 'failed',
                     content_last_error = 'deleted_at_provider' where team_id = ${team.teamId}`;
    const transcript = [{ speaker: { display_name: "Avery" }, text: "secret pricing", timestamp: "00:00:01" }];
    await asService((tx) => storeZoomMeeting(tx, ctx, meeting, { transcript }));
    const [m] = await meetingsOf(team.teamId);
    assert.deepEqual([m.has_transcript, m.share_url, m.deleted, m.content_status, m.content_last_error],
      [false, null, true, "failed", "deleted_at_provider"]);
  } finally {
    await dropTeam(team.teamId);
  }
});

test("zz cleanup", async () => {
  await inboxIdle();
  await closeAll();
});
