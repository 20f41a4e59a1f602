// What the CRM keeps when Zoom removes things (attacker review 12, note 8a; docs/security.md): a recording deleted or
// trashed at Zoom loses its transcript and links here, its meeting row and lead links stay; app_deauthorized marks
// the connection whose grant is gone (tokens deleted, needs_reauth "deauthorized", one event) and leaves a
// colleague's connection in the same Zoom account alone. Signed, routed and deduplicated as the recording events.
import assert from "node:assert/strict";
import { handler } from "../zoom-webhook/handler.ts";
import { inboxIdle } from "../_shared/inbox/queue.ts";
import { closeAll, sql, test } from "./helpers.ts";
import { createTeam, dropTeam, JANE } from "./fathom_support.ts";
import { AVERY, connectZoom, recordingEvent, withZoomApi, zoomHeaders, zoomWebhookRequest } from "./zoom_support.ts";

const VTT = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAvery: hello\n";

/** A fake Zoom API: /users/me is 401 for the token "gone"; participants name Jane; any file is the VTT. */
function fakeZoom() {
  const api = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
    const u = new URL(req.url);
    if (req.headers.get("authorization") === "Bearer gone") return new Response("no", { status: 401 });
    if (u.pathname.endsWith("/users/me")) return Response.json({ id: "u1" });
    if (u.pathname.includes("/participants")) {
      return Response.json({ participants: [{ name: "Jane Doe", user_email: JANE.email }], next_page_token: "" });
    }
    return new Response(VTT, { headers: { "content-type": "text/vtt" } });
  });
  return { base: `http://127.0.0.1:${(api.addr as Deno.NetAddr).port}`, api };
}

async function deliver(body: string, headers?: Record<string, string>) {
  const res = await handler(await zoomWebhookRequest(body, headers));
  const json = await res.json();
  await inboxIdle();
  return { status: res.status, body: json };
}

const transcriptFile = (base: string) => ({
  id: "t1", file_type: "TRANSCRIPT", file_extension: "VTT", recording_type: "audio_transcript", status: "completed",
  download_url: `${base}/v2/rec/download/t1`,
});

test("zoom: a recording deleted or trashed at Zoom loses its transcript and links; the meeting and its lead link stay", async () => {
  const { base, api } = fakeZoom();
  const team = await createTeam();
  try {
    await withZoomApi(base, async () => {
      await connectZoom(team.teamId, AVERY, { access_token: "ok", refresh_token: null });
      for (const event of ["recording.deleted", "recording.trashed"]) {
        const uuid = `Del${event.slice(10)}${crypto.randomUUID().slice(0, 8)}==`;
        assert.equal((await deliver(recordingEvent({ uuid, files: [transcriptFile(base)] }))).status, 200);
        const [before] = await sql`select id, transcript is not null as has, share_url from public.meetings
                                    where team_id = ${team.teamId} and provider_meeting_id = ${uuid}`;
        assert.deepEqual([before.has, before.share_url], [true, "https://zoom.us/rec/share/abc"]);

        const deletion = recordingEvent({ uuid, event });
        // signed like every event: an unsigned one changes nothing
        const forged = await deliver(deletion, await zoomHeaders(deletion, { secret: "wrong" }));
        assert.equal(forged.status, 401);
        assert.equal((await sql`select transcript is not null as has from public.meetings where id = ${before.id}`)[0].has, true);

        assert.deepEqual((await deliver(deletion)).body, { ok: true, routed: 1, duplicate: false });
        assert.deepEqual((await deliver(deletion)).body, { ok: true, routed: 1, duplicate: true });
        const [after] = await sql`select transcript, url, share_url, content_status, content_last_error,
                                         provider_deleted_at is not null as deleted
                                    from public.meetings where id = ${before.id}`;
        assert.deepEqual({ ...after }, {
          transcript: null, url: null, share_url: null, content_status: "failed",
          content_last_error: "deleted_at_provider", deleted: true,
        }, event);
        const links = await sql`select lead_id from public.meeting_leads where meeting_id = ${before.id}`;
        assert.deepEqual(links.map((l) => l.lead_id), [team.janeId], `${event}: the lead link stays`);

        // a transcript event already on its way stores nothing for a deleted recording
        await deliver(recordingEvent({ uuid, event: "recording.transcript_completed", files: [transcriptFile(base)] }));
        const [later] = await sql`select transcript is null as gone from public.meetings where id = ${before.id}`;
        assert.equal(later.gone, true, `${event}: a later transcript brought the content back`);
      }
    });
  } finally {
    await inboxIdle();
    await api.shutdown();
    await dropTeam(team.teamId);
  }
});

test("zoom: app_deauthorized disconnects the connection whose grant is gone, not a colleague's in the same account", async () => {
  const { base, api } = fakeZoom();
  const removed = await createTeam();
  const colleague = await createTeam();
  try {
    await withZoomApi(base, async () => {
      const gone = await connectZoom(removed.teamId, AVERY, { access_token: "gone", refresh_token: null });
      const kept = await connectZoom(colleague.teamId, AVERY, { access_token: "ok", refresh_token: null });
      const body = JSON.stringify({
        event: "app_deauthorized",
        event_ts: Date.now(),
        payload: { account_id: AVERY.account_id, user_id: "u1", signature: "x", deauthorization_time: "2026-11-30T10:00:00Z", client_id: "c" },
      });
      assert.equal((await deliver(body, await zoomHeaders(body, { secret: "wrong" }))).status, 401);
      assert.deepEqual((await deliver(body)).body, { ok: true, routed: 2, duplicate: false });
      // again: the removed connection has no tokens any more (not routed), the colleague's has it already
      assert.deepEqual((await deliver(body)).body, { ok: true, routed: 1, duplicate: true });

      const [g] = await sql`select status, last_error, access_token_encrypted, refresh_token_encrypted
                              from public.team_integrations where id = ${gone}`;
      assert.deepEqual({ ...g }, { status: "needs_reauth", last_error: "deauthorized", access_token_encrypted: null, refresh_token_encrypted: null });
      const events = await sql`select type from public.integration_events where integration_id = ${gone} and type = 'zoom.integration.deauthorized'`;
      assert.equal(events.length, 1);
      const [k] = await sql`select status, access_token_encrypted is not null as has_token from public.team_integrations where id = ${kept}`;
      assert.deepEqual({ ...k }, { status: "connected", has_token: true });
    });
  } finally {
    await inboxIdle();
    await api.shutdown();
    await dropTeam(removed.teamId);
    await dropTeam(colleague.teamId);
  }
});

test("zz cleanup", async () => {
  await inboxIdle();
  await closeAll();
});
