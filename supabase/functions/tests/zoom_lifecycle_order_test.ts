// Deletions and recoveries of one Zoom recording apply in Zoom's event_ts order, whatever order they are processed
// in (attacker review 12c, finding 1): a recovery processed after a newer trash (out of order, in backoff, replayed
// by an admin's Retry, or still downloading when the trash is processed) stores nothing and leaves the recording
// deleted; a trash older than a recovery already recorded leaves the recording alone. A stale event is recorded as
// `zoom.recording.stale_event_ignored`; an event without event_ts counts as of its receipt.
import assert from "node:assert/strict";
import { handler as api } from "../api/handler.ts";
import { handler as zoomHandler } from "../zoom-webhook/handler.ts";
import { inboxIdle } from "../_shared/inbox/queue.ts";
import { processZoomDelivery } from "../_shared/zoom/inbox.ts";
import { ADMIN, callAs, closeAll, sql, test } from "./helpers.ts";
import { createTeam, dropTeam, JANE } from "./fathom_support.ts";
import { AVERY, connectZoom, recordingEvent, sandboxZoomTokens, startZoomSandbox, withZoomApi, zoomWebhookRequest } from "./zoom_support.ts";

const VTT = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAvery: secret pricing\n";

/** A fake Zoom: participants name Jane, nothing listed, any other path is the VTT, held by `gate` when given. */
function fakeZoom(opts: { gate?: () => Promise<void>; downloading?: () => void } = {}) {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const u = new URL(req.url);
    if (u.pathname.includes("/participants")) return Response.json({ participants: [{ name: "Jane Doe", user_email: JANE.email }], next_page_token: "" });
    if (u.pathname.endsWith("/users/me/recordings")) return Response.json({ meetings: [], next_page_token: "" });
    opts.downloading?.();
    await opts.gate?.();
    return new Response(VTT, { headers: { "content-type": "text/vtt" } });
  });
  return { base: `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`, close: () => server.shutdown() };
}

const transcriptFile = (base: string) => ({
  id: "t1", file_type: "TRANSCRIPT", file_extension: "VTT", recording_type: "audio_transcript", status: "completed",
  download_url: `${base}/v2/rec/download/t1`,
});

/** A recording event with Zoom's event_ts set (null: left out). */
function ev(opts: Parameters<typeof recordingEvent>[0], eventTs: number | null): string {
  const e = JSON.parse(recordingEvent(opts));
  if (eventTs === null) delete e.event_ts;
  else e.event_ts = eventTs;
  return JSON.stringify(e);
}

async function post(body: string) {
  const res = await zoomHandler(await zoomWebhookRequest(body));
  await res.body?.cancel();
  assert.equal(res.status, 200);
}

const meetingOf = async (teamId: string) =>
  (await sql`select transcript is not null as has_transcript, share_url is not null as has_share_url, content_status,
                    provider_deleted_at is not null as deleted
               from public.meetings where team_id = ${teamId}`)[0];

const staleEvents = (teamId: string) =>
  sql`select payload from public.integration_events where team_id = ${teamId} and type = 'zoom.recording.stale_event_ignored'`;

const DELETED = { has_transcript: false, has_share_url: false, content_status: "failed", deleted: true };
const STORED = { has_transcript: true, has_share_url: true, content_status: "complete", deleted: false };

/** A team connected to a fake Zoom, one recording completed (ts 1000) and stored. */
async function withRecording(fn: (ctx: { teamId: string; integrationId: string; uuid: string; files: unknown[] }) => Promise<void>, zoomOpts = {}) {
  const zoom = fakeZoom(zoomOpts);
  const team = await createTeam();
  try {
    await withZoomApi(zoom.base, async () => {
      const integrationId = await connectZoom(team.teamId, AVERY, { access_token: "ok", refresh_token: null });
      const uuid = `Order${crypto.randomUUID().slice(0, 8)}==`;
      const files = [transcriptFile(zoom.base)];
      await post(ev({ uuid, files }, 1000));
      await inboxIdle();
      assert.deepEqual({ ...(await meetingOf(team.teamId)) }, STORED);
      await fn({ teamId: team.teamId, integrationId, uuid, files });
    });
  } finally {
    await inboxIdle();
    await zoom.close();
    await dropTeam(team.teamId);
  }
}

test("zoom order: a recovery older than a trash already processed (out of order, or retried late) stores nothing", async () => {
  await withRecording(async ({ teamId, uuid, files }) => {
    await post(ev({ uuid, event: "recording.trashed" }, 2000));
    await inboxIdle();
    await post(ev({ uuid, event: "recording.trashed" }, 4000));
    await inboxIdle();
    await post(ev({ uuid, event: "recording.recovered", files }, 3000));
    await inboxIdle();
    assert.deepEqual({ ...(await meetingOf(teamId)) }, DELETED);
    const [{ deleted }] = await sql`select deleted from public.provider_deletions where team_id = ${teamId}`;
    assert.equal(deleted, true);
    const stale = await staleEvents(teamId);
    assert.deepEqual(stale.map((e) => e.payload), [{ event: "recovered", event_ts: 3000, newer: "deleted", newer_at: new Date(4000).toISOString() }]);
    // the delivery itself is done (not failed, not retried): the recording's state is already newer
    const [row] = await sql`select status from public.webhook_deliveries where team_id = ${teamId} and webhook_message_id like 'recording.recovered:%'`;
    assert.equal(row.status, "imported");
  });
});

test("zoom order: a trash processed while a recovery downloads wins; the recovery stores nothing", async () => {
  let holding = false;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const downloading = new Promise<void>((r) => (started = r));
  try {
    await withRecording(async ({ teamId, integrationId, uuid, files }) => {
      await post(ev({ uuid, event: "recording.trashed" }, 2000));
      await inboxIdle();
      holding = true;
      await post(ev({ uuid, event: "recording.recovered", files }, 3000));
      await downloading; // the recovery is in prepare, its transcript download held
      await post(ev({ uuid, event: "recording.trashed" }, 4000));
      const [row] = await sql`select webhook_message_id from public.webhook_deliveries
                               where team_id = ${teamId} and webhook_message_id like 'recording.trashed:%:4000'`;
      assert.equal(await processZoomDelivery(integrationId, row.webhook_message_id), "imported");
      release();
      await inboxIdle();
      assert.deepEqual({ ...(await meetingOf(teamId)) }, DELETED);
      assert.equal((await staleEvents(teamId)).length, 1);
    }, { gate: () => (holding ? gate : Promise.resolve()), downloading: () => holding && started() });
  } finally {
    release();
  }
});

test("zoom order: an admin's Retry of a failed old recovery after the recording was trashed again stores nothing", async () => {
  await withRecording(async ({ teamId, integrationId, uuid, files }) => {
    await post(ev({ uuid, event: "recording.trashed" }, 2000));
    await inboxIdle();
    // the recovery (ts 3000) failed for good while Zoom was down: what a failed row keeps (no download_token)
    const recovered = JSON.parse(ev({ uuid, event: "recording.recovered", files }, 3000));
    delete recovered.download_token;
    await sql`insert into public.webhook_deliveries (integration_id, team_id, provider, webhook_message_id, status, body, attempts, last_error)
              values (${integrationId}, ${teamId}, 'zoom', ${`recording.recovered:${uuid}:3000`}, 'failed',
                      ${JSON.stringify(recovered)}, 6, 'ZoomApiError')`;
    await post(ev({ uuid, event: "recording.trashed" }, 4000));
    await inboxIdle();
    const [{ id }] = await sql`select id from public.webhook_deliveries where team_id = ${teamId} and status = 'failed'`;
    const res = await callAs(api, ADMIN, "POST", `/api/teams/${teamId}/integrations/zoom/activity/retry`, { kind: "delivery", id });
    assert.equal(res.status, 200);
    assert.deepEqual({ ...(await meetingOf(teamId)) }, DELETED);
  });
});

test("zoom order: a trash older than a recovery already recorded (Zoom's late retry) leaves the recording stored", async () => {
  await withRecording(async ({ teamId, uuid, files }) => {
    await post(ev({ uuid, event: "recording.recovered", files }, 3000));
    await inboxIdle();
    await post(ev({ uuid, event: "recording.trashed" }, 2000));
    await inboxIdle();
    assert.deepEqual({ ...(await meetingOf(teamId)) }, STORED);
    // the recovered state is kept (deleted false), and a later recording event still stores content
    const [state] = await sql`select deleted from public.provider_deletions where team_id = ${teamId}`;
    assert.equal(state.deleted, false);
    assert.deepEqual((await staleEvents(teamId)).map((e) => e.payload.event), ["deleted"]);
  });
});

test("zoom order: an event without event_ts counts as of its receipt", async () => {
  await withRecording(async ({ teamId, uuid, files }) => {
    // a trash stamped a minute ahead of now, then a recovery without event_ts received now: the trash is newer
    await post(ev({ uuid, event: "recording.trashed" }, Date.now() + 60_000));
    await inboxIdle();
    await post(ev({ uuid, event: "recording.recovered", files }, null));
    await inboxIdle();
    assert.deepEqual({ ...(await meetingOf(teamId)) }, DELETED);
    const [stale] = await staleEvents(teamId);
    assert.equal(stale.payload.event_ts, null);
  });
  await withRecording(async ({ teamId, uuid, files }) => {
    // a trash and a recovery, neither with event_ts: received in that order, the recording comes back
    await post(ev({ uuid, event: "recording.trashed" }, null));
    await inboxIdle();
    assert.deepEqual({ ...(await meetingOf(teamId)) }, DELETED);
    await post(ev({ uuid, event: "recording.recovered", files }, null));
    await inboxIdle();
    assert.deepEqual({ ...(await meetingOf(teamId)) }, STORED);
  });
});

test("zoom order (sandbox): a recovery in backoff (Zoom 503) that completes after a second trash stores nothing", async () => {
  const zoom = startZoomSandbox(zoomHandler);
  const team = await createTeam();
  try {
    const integrationId = await connectZoom(team.teamId, AVERY, await sandboxZoomTokens(zoom.base, AVERY.id));
    const control = async (uuid: string, action: string) => {
      const res = await zoom.sandbox.handler(new Request(`${zoom.base}/zoom/_sandbox/recordings/${encodeURIComponent(uuid)}/${action}`, { method: "POST" }));
      await res.body?.cancel();
      await inboxIdle();
    };
    const { meeting } = await zoom.sandbox.simulate({ participants: [JANE.email], topic: "Board call" });
    await inboxIdle();
    await control(meeting.uuid, "trash");
    zoom.sandbox.setFailure({ target: "api", kind: "server_error", times: 5 });
    await control(meeting.uuid, "recover"); // the recovery meets Zoom's 503: retried later with backoff
    zoom.sandbox.clearFailures();
    const [rec] = await sql`select webhook_message_id, status from public.webhook_deliveries
                             where team_id = ${team.teamId} and webhook_message_id like 'recording.recovered:%'`;
    assert.equal(rec.status, "received");
    // the sandbox's event_ts is in ms: wait past it so the second trash is a newer event, not a duplicate
    await new Promise((r) => setTimeout(r, 5));
    await control(meeting.uuid, "trash");
    await sql`update public.webhook_deliveries set next_attempt_at = now() where webhook_message_id = ${rec.webhook_message_id}`;
    assert.equal(await processZoomDelivery(integrationId, rec.webhook_message_id), "imported");
    const m = await meetingOf(team.teamId);
    assert.deepEqual({ deleted: m.deleted, has_share_url: m.has_share_url, has_transcript: m.has_transcript },
      { deleted: true, has_share_url: false, has_transcript: false });
  } finally {
    await inboxIdle();
    await zoom.close();
    await dropTeam(team.teamId);
  }
});

test("zz cleanup", async () => {
  await inboxIdle();
  await closeAll();
});
