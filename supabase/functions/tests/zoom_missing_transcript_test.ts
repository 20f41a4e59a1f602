// A recording whose transcript Zoom will never give (deleted or trashed between listing and download: 404) neither
// loses the meeting on the webhook path nor stops "Import past recordings": the meeting, its participants and lead
// links are stored, its content marked failed with the reason, and a later recording.transcript_completed fills it.
import assert from "node:assert/strict";
import { handler } from "../zoom-webhook/handler.ts";
import { inboxIdle } from "../_shared/inbox/queue.ts";
import { driveSync, startSyncFor } from "../_shared/fathom/backfill.ts";
import { processDueZoomDeliveries } from "../_shared/zoom/inbox.ts";
import { closeAll, sql, test } from "./helpers.ts";
import { createTeam, dropTeam } from "./fathom_support.ts";
import { AVERY, connectZoom, recordingEvent, withZoomApi, zoomHeaders, zoomWebhookRequest } from "./zoom_support.ts";

const VTT = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAvery: hello\n";

/** A fake Zoom API: participants answer, a transcript named in `gone` is 404, any other transcript is VTT. */
function fakeZoom(opts: { gone: Set<string>; recordings?: (base: string, window: URLSearchParams) => unknown }) {
  let base = "";
  const api = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
    const u = new URL(req.url);
    if (u.pathname.endsWith("/users/me/recordings")) return Response.json(opts.recordings?.(base, u.searchParams) ?? { meetings: [], next_page_token: "" });
    if (u.pathname.includes("/participants")) {
      return Response.json({ participants: [{ name: "Jane Lead", user_email: "jane.lead@customer.test" }], next_page_token: "" });
    }
    if (opts.gone.has(u.pathname.split("/").at(-1)!)) return new Response("gone", { status: 404 });
    return new Response(VTT, { headers: { "content-type": "text/vtt" } });
  });
  base = `http://127.0.0.1:${(api.addr as Deno.NetAddr).port}`;
  return { base, api };
}

const post = async (body: string, headers: Record<string, string>) =>
  handler(await zoomWebhookRequest(body, headers));

const transcriptFileAt = (base: string, id: string) => ({
  id, file_type: "TRANSCRIPT", file_extension: "VTT", recording_type: "audio_transcript", status: "completed",
  download_url: `${base}/v2/rec/download/${id}`,
});

test("zoom webhook: a transcript gone at Zoom (404) still stores the meeting and its lead link, content failed with the reason; transcript_completed fills it later", async () => {
  const gone = new Set(["t1"]);
  const { base, api } = fakeZoom({ gone });
  const team = await createTeam();
  try {
    await withZoomApi(base, async () => {
      await connectZoom(team.teamId, AVERY);
      const [lead] = await sql`insert into public.leads (team_id, name, source) values (${team.teamId}, 'Jane', 'manual') returning id`;
      await sql`insert into public.lead_emails (lead_id, team_id, email) values (${lead.id}, ${team.teamId}, 'jane.lead@customer.test')`;
      const uuid = `GoneUuid${crypto.randomUUID().slice(0, 12)}==`;
      const body = recordingEvent({ uuid, files: [transcriptFileAt(base, "t1")] });
      const res = await post(body, await zoomHeaders(body));
      await res.body?.cancel();
      await inboxIdle();
      for (let i = 0; i < 3; i++) {
        await sql`update public.webhook_deliveries set next_attempt_at = now() - interval '1 second' where team_id = ${team.teamId} and status = 'received'`;
        await processDueZoomDeliveries();
      }
      const deliveries = await sql`select status from public.webhook_deliveries where team_id = ${team.teamId}`;
      assert.deepEqual(deliveries.map((d) => d.status), ["imported"]);
      const [meeting] = await sql`select id, content_status, content_last_error, transcript from public.meetings where team_id = ${team.teamId}`;
      assert.ok(meeting, "the meeting was never stored");
      assert.equal(meeting.content_status, "failed");
      assert.equal(meeting.content_last_error, "zoom_http_404");
      assert.equal(meeting.transcript, null);
      const links = await sql`select lead_id from public.meeting_leads where meeting_id = ${meeting.id}`;
      assert.deepEqual(links.map((l) => l.lead_id), [lead.id]);

      // Zoom makes the transcript after all: recording.transcript_completed fills the same meeting
      gone.clear();
      const later = recordingEvent({ uuid, event: "recording.transcript_completed", files: [transcriptFileAt(base, "t2")] });
      const res2 = await post(later, await zoomHeaders(later));
      await res2.body?.cancel();
      await inboxIdle();
      const [after] = await sql`select content_status, content_last_error, transcript is not null as has from public.meetings where id = ${meeting.id}`;
      assert.deepEqual({ ...after }, { content_status: "complete", content_last_error: null, has: true });
    });
  } finally {
    await inboxIdle();
    await api.shutdown();
    await dropTeam(team.teamId);
  }
});

test("zoom past recordings: one recording whose transcript 404s is stored without it and the import goes on to the end", async () => {
  const run = crypto.randomUUID().slice(0, 8);
  const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 19) + "Z";
  const { base, api } = fakeZoom({
    gone: new Set(["f2"]),
    // the three lie in the newest 28-day window; older windows are empty
    recordings: (b, w) => ({
      meetings: w.get("from")! > day(3).slice(0, 10) || w.get("to")! < day(1).slice(0, 10) ? [] : [1, 2, 3].map((i) => ({
        uuid: `backfillGone${i}${run}==`, account_id: AVERY.account_id, host_email: AVERY.email, topic: `m${i}`,
        start_time: day(i), duration: 30, recording_files: [transcriptFileAt(b, `f${i}`)],
      })),
      next_page_token: "",
    }),
  });
  const team = await createTeam();
  try {
    await withZoomApi(base, async () => {
      const integrationId = await connectZoom(team.teamId, AVERY);
      await startSyncFor(integrationId);
      let last = "";
      for (let i = 0; i < 40; i++) {
        const r = await driveSync(integrationId, { reschedule: false });
        last = r.state;
        if (r.state === "done" || r.state === "failed") break;
      }
      const [sync] = await sql`select status, last_error from public.integration_syncs where integration_id = ${integrationId}`;
      assert.equal(last, "done", `the import ended ${last}: ${JSON.stringify(sync)}`);
      const rows = await sql`select title, content_status, content_last_error from public.meetings where team_id = ${team.teamId} order by title`;
      const byTitle = new Map(rows.map((r) => [r.title, `${r.content_status}/${r.content_last_error}`]));
      assert.equal(byTitle.get("m1"), "complete/null");
      assert.equal(byTitle.get("m2"), "failed/zoom_http_404");
      assert.equal(byTitle.get("m3"), "complete/null");
    });
  } finally {
    await api.shutdown();
    await dropTeam(team.teamId);
  }
});

test("zz cleanup", async () => {
  await inboxIdle();
  await closeAll();
});
