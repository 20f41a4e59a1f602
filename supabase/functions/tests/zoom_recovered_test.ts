// recording.recovered (Zoom restores a trashed recording within 30 days; attacker review 12b, note 4): the deletion
// is cleared and the recording imported again through the recording path (GET /meetings/{uuid}/recordings, its
// participants and transcript); a trash after the recovery is a new event, not a duplicate. And app_deauthorized
// bodies without a user or a time are not collapsed into one delivery.
import assert from "node:assert/strict";
import { handler } from "../zoom-webhook/handler.ts";
import { inboxIdle } from "../_shared/inbox/queue.ts";
import { closeAll, sql, test } from "./helpers.ts";
import { dropTeam, JANE } from "./fathom_support.ts";
import { AVERY, sandboxZoomTeam, startZoomSandbox, zoomWebhookRequest } from "./zoom_support.ts";

const zoom = startZoomSandbox(handler);

const connected = () => sandboxZoomTeam(zoom);

async function control(uuid: string, action: "trash" | "recover") {
  const res = await zoom.sandbox.handler(new Request(`${zoom.base}/zoom/_sandbox/recordings/${encodeURIComponent(uuid)}/${action}`, { method: "POST" }));
  const body = await res.json();
  assert.equal(body.deliveries?.at(-1)?.ok, true, `${action}: ${JSON.stringify(body.deliveries)}`);
  await inboxIdle();
}

const meetingOf = async (teamId: string) =>
  (await sql`select id, transcript is not null as has_transcript, share_url is not null as has_share_url, content_status,
                    content_last_error, provider_deleted_at is not null as deleted
               from public.meetings where team_id = ${teamId}`)[0];

test("zoom: a trashed recording that Zoom recovers comes back with its transcript and links; trashed again, it goes again", async () => {
  const t = await connected();
  try {
    const { meeting } = await zoom.sandbox.simulate({ participants: [JANE.email], topic: "Recovered call" });
    await inboxIdle();
    const imported = await meetingOf(t.teamId);
    assert.deepEqual([imported.has_transcript, imported.content_status], [true, "complete"]);

    await control(meeting.uuid, "trash");
    const trashed = await meetingOf(t.teamId);
    assert.deepEqual([trashed.has_transcript, trashed.has_share_url, trashed.deleted], [false, false, true]);

    await control(meeting.uuid, "recover");
    const recovered = await meetingOf(t.teamId);
    assert.deepEqual({ ...recovered }, {
      id: imported.id, has_transcript: true, has_share_url: true, content_status: "complete", content_last_error: null, deleted: false,
    });
    // the deletion is over: the recording's newest state is "recovered" (kept, so an older trash is known stale)
    const states = await sql`select deleted from public.provider_deletions where team_id = ${t.teamId}`;
    assert.deepEqual(states.map((r) => r.deleted), [false], "the deletion is forgotten");
    const links = await sql`select lead_id from public.meeting_leads where meeting_id = ${imported.id}`;
    assert.deepEqual(links.map((l) => l.lead_id), [t.janeId]);

    await control(meeting.uuid, "trash");
    const again = await meetingOf(t.teamId);
    assert.deepEqual([again.has_transcript, again.deleted], [false, true], "a second trash is a new event, not a duplicate");
  } finally {
    await inboxIdle();
    await dropTeam(t.teamId);
  }
});

test("zoom: app_deauthorized bodies without a user or a time are told apart by their content, a retry is still a duplicate", async () => {
  const t = await connected();
  try {
    const deauth = (n: number) => JSON.stringify({ event: "app_deauthorized", event_ts: Date.now() + n, payload: { account_id: AVERY.account_id } });
    const post = async (body: string) => {
      const res = await handler(await zoomWebhookRequest(body));
      const json = await res.json();
      await inboxIdle();
      return json;
    };
    const first = deauth(1);
    assert.deepEqual(await post(first), { ok: true, routed: 1, duplicate: false });
    assert.deepEqual(await post(first), { ok: true, routed: 1, duplicate: true }, "Zoom's retry");
    assert.deepEqual(await post(deauth(2)), { ok: true, routed: 1, duplicate: false }, "another deauthorization");
    const rows = await sql`select webhook_message_id from public.webhook_deliveries where integration_id = ${t.integrationId}`;
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => !r.webhook_message_id.includes("-:-")), JSON.stringify(rows));
  } finally {
    await inboxIdle();
    await dropTeam(t.teamId);
  }
});

test("zz cleanup", async () => {
  await inboxIdle();
  await zoom.close();
  await closeAll();
});
