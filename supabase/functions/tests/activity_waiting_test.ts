// Review 12b (newcomer A, A2, B, C): what waits and why, where a person looks.
// - A delivery held back after a failed attempt (Zoom's 429, its 5xx) is listed under `waiting` (the panel counts it
//   under "Needs attention" without opening a list), named by the recording's topic from the event (kept at receipt
//   in webhook_deliveries.label, so it outlives the body's scrub), with its reason and next try.
// - The meeting read says that a transcript delivery for the meeting is waiting on an error (content_waiting: what
//   kind, the reason, the next try) and, while a pushed transcript is awaited, until when (content_wait_until).
// - Typeform has an activity: deliveries with the form title, the lead or the refusal and who answered, the
//   past-responses imports, failures; a failed Zoom or Typeform delivery is retried through its provider's import.
import assert from "node:assert/strict";
import { handler as api } from "../api/handler.ts";
import { handler as typeformWebhook } from "../typeform-webhook/handler.ts";
import { inboxIdle } from "../_shared/inbox/queue.ts";
import { asService } from "../_shared/db.ts";
import { storeMeeting } from "../_shared/meetings/store.ts";
import { processDueTypeformDeliveries } from "../_shared/typeform/inbox.ts";
import { ADMIN, callAs, closeAll, MEMBER, sql, test } from "./helpers.ts";
import { dropTeam } from "./fathom_support.ts";
import { deliverZoomEvent, recordingEvent, withZoomApi, zoomTeamWithMember } from "./zoom_support.ts";
import { createTypeformTeam, delivery, enableForm, signed } from "./typeform_support.ts";

const VTT = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAvery: hello\n";

/** A fake Zoom API: `state.status` (with Retry-After on 429) to every call while set, else participants and VTT. */
function switchableZoom() {
  const state: { status: number | null } = { status: null };
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
    if (state.status !== null) {
      return new Response("no", { status: state.status, headers: state.status === 429 ? { "retry-after": "3000" } : {} });
    }
    const u = new URL(req.url);
    if (u.pathname.includes("/participants")) return Response.json({ participants: [], next_page_token: "" });
    return new Response(VTT, { headers: { "content-type": "text/vtt" } });
  });
  return { base: `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`, server, state };
}

/** A recording event about `topic` (its JSON written by hand: the topic may hold characters JSON escapes). */
function eventWithTopic(topic: string, opts: Parameters<typeof recordingEvent>[0] = {}): string {
  const event = JSON.parse(recordingEvent(opts));
  event.payload.object.topic = topic;
  return JSON.stringify(event);
}

test("activity: a Zoom delivery held by a 429 is listed as waiting, named by its topic, with its reason and next try", async () => {
  const zoom = switchableZoom();
  zoom.state.status = 429;
  const t = await zoomTeamWithMember();
  try {
    await withZoomApi(zoom.base, () => deliverZoomEvent(eventWithTopic("Globex call\n during \u202E429\u0007")));
    // the name outlives the body: scrubbed as an import or a retention pass would
    await sql`update public.webhook_deliveries set body = null where team_id = ${t.teamId}`;
    const res = await callAs(api, MEMBER, "GET", `/api/teams/${t.teamId}/integrations/zoom/activity`);
    assert.equal(res.status, 200);
    const { activity } = res.body;
    assert.equal(activity.waiting?.length, 1, `nothing waiting: ${JSON.stringify(activity)}`);
    const [waiting] = activity.waiting;
    assert.equal(waiting.title, "Globex call during 429");
    assert.equal(waiting.recording_id, null); // Zoom's meeting uuid is no number
    assert.match(waiting.reason, /^Zoom's rate limit was reached/);
    assert.ok(waiting.retry_at && Date.parse(waiting.retry_at) > Date.now());
    assert.equal(activity.deliveries[0].title, "Globex call during 429");
    assert.doesNotMatch(JSON.stringify(activity), /download_token|dl-token|Unknown recording/);
  } finally {
    await inboxIdle();
    await zoom.server.shutdown();
    await dropTeam(t.teamId);
  }
});

// attacker review 12c, finding 2: one cleaning (display-name.ts) for every provider name and title. The label is
// written by the acknowledgement (no SQL cleaning of its own): escape sequences go whole, blank fillers and lone
// variation selectors leave nothing, and it is bounded to 200 characters.
test("delivery label: written by the acknowledgement, cleaned like every provider name (escapes whole, fillers), bounded", async () => {
  const zoom = switchableZoom();
  zoom.state.status = 503; // the imports wait: the rows stay listed under waiting, named by their labels
  const t = await zoomTeamWithMember();
  try {
    const uuids: string[] = [];
    await withZoomApi(zoom.base, async () => {
      for (const topic of [
        "\u001b[31mGlobex\u001b[0m call\u001b]8;;http://evil.example\u0007x\u001b]8;;\u0007",
        "\u3164\u2800\u115f",
        "\uFE0F\u200D\uFE0F",
        ` A\u2066\tB ${"x".repeat(500)}`,
      ]) {
        const uuid = `Label${uuids.length}${crypto.randomUUID().slice(0, 8)}==`;
        uuids.push(uuid);
        await deliverZoomEvent(eventWithTopic(topic, { uuid }));
      }
    });
    const rows = await sql`select label, subject_ref from public.webhook_deliveries where team_id = ${t.teamId}`;
    const byRef = new Map(rows.map((r) => [r.subject_ref, r.label]));
    assert.deepEqual(uuids.map((u) => byRef.get(u)), ["Globex callx", null, null, `A B ${"x".repeat(196)}`]);
    const res = await callAs(api, MEMBER, "GET", `/api/teams/${t.teamId}/integrations/zoom/activity`);
    const titles = (res.body.activity.waiting ?? []).map((w: { title: string | null }) => w.title);
    assert.equal(titles.length, 4);
    for (const title of titles) assert.doesNotMatch(title ?? "", /\[\d+m|\]8;;|[\u3164\u2800\u115f\uFE0F]/);
  } finally {
    await inboxIdle();
    await zoom.server.shutdown();
    await dropTeam(t.teamId);
  }
});

test("delivery label: a Typeform delivery is named by its form's title, cleaned the same way; subject_ref is its token", async () => {
  const a = await createTypeformTeam();
  try {
    const form = await enableForm(a.teamId, a.integrationId);
    const json = JSON.parse(delivery("tokLabelxxxxxxxxxxxxxxxxxxxxxxxx", { email: "label@acme.test", name: "La Bel" }));
    json.form_response.definition.title = "\u001b[1mContact\u001b[0m\u3164 us\u001b]8;;http://evil.example\u0007";
    const body = JSON.stringify(json);
    const res = await typeformWebhook(new Request(`http://127.0.0.1:54399/functions/v1/typeform-webhook/${form.routeId}`, {
      method: "POST", headers: await signed(form.secret, body), body,
    }));
    assert.equal(res.status, 200);
    await res.body?.cancel();
    await inboxIdle();
    const [row] = await sql`select label, subject_ref from public.webhook_deliveries where team_id = ${a.teamId}`;
    assert.deepEqual({ ...row }, { label: "Contact us", subject_ref: "tokLabelxxxxxxxxxxxxxxxxxxxxxxxx" });
  } finally {
    await inboxIdle();
    await sql`delete from public.teams where id = ${a.teamId}`;
  }
});

test("meeting titles: a Zoom topic and a Fathom title are stored cleaned like names (escape tails, bidi, fillers)", async () => {
  const zoom = switchableZoom();
  const t = await zoomTeamWithMember();
  try {
    await withZoomApi(zoom.base, async () => {
      await deliverZoomEvent(eventWithTopic("Invoice \u202Egpj.exe\u001b[2J\u0007 review\u3164"));
    });
    const [zoomMeeting] = await sql`select title, meeting_title from public.meetings where team_id = ${t.teamId} and provider = 'zoom'`;
    assert.deepEqual({ ...zoomMeeting }, { title: "Invoice gpj.exe review", meeting_title: "Invoice gpj.exe review" });
    const act = await callAs(api, MEMBER, "GET", `/api/teams/${t.teamId}/integrations/zoom/activity`);
    assert.equal(act.body.activity.deliveries?.[0]?.title, "Invoice gpj.exe review");
    // every provider's titles go through the meetings upsert's cleaning (meetings/store.ts)
    const stored = await asService((tx) =>
      storeMeeting(tx, { teamId: t.teamId, integrationId: null, provider: "fathom", source: "webhook" } as never, {
        providerMeetingId: `fathom-title-${crypto.randomUUID()}`,
        title: "\u001b[31m\u2800\uFE0F",
        meetingTitle: "Weekly\u001b]8;;http://evil.example\u0007 sync\u001b]8;;\u0007",
        invitees: [],
      })
    );
    const [fathomMeeting] = await sql`select title, meeting_title from public.meetings where id = ${stored.meetingId}`;
    assert.deepEqual({ ...fathomMeeting }, { title: "Weekly sync", meeting_title: "Weekly sync" });
  } finally {
    await inboxIdle();
    await zoom.server.shutdown();
    await dropTeam(t.teamId);
  }
});

// attacker review 12c, note 3: a failed Typeform delivery keeps the respondent's e-mail and answers for a retry by
// hand, 30 days (Typeform's own re-delivery window); the every-minute sweep drops them after that, the row stays
test("typeform: the sweep drops the body of a failed delivery older than 30 days and keeps a younger one's", async () => {
  const a = await createTypeformTeam();
  try {
    const insert = (key: string, days: number) =>
      sql`insert into public.webhook_deliveries (integration_id, team_id, provider, webhook_message_id, status, body,
                                                 attempts, last_error, received_at)
          values (${a.integrationId}, ${a.teamId}, 'typeform', ${key}, 'failed', '{"email":"old@acme.test"}', 6,
                  'TypeformFormGone', now() - make_interval(days => ${days}))`;
    await insert("old", 31);
    await insert("young", 29);
    await processDueTypeformDeliveries();
    const rows = await sql`select webhook_message_id, body is not null as has_body, status from public.webhook_deliveries
                            where team_id = ${a.teamId} order by webhook_message_id`;
    assert.deepEqual(rows.map((r) => ({ ...r })), [
      { webhook_message_id: "old", has_body: false, status: "failed" },
      { webhook_message_id: "young", has_body: true, status: "failed" },
    ]);
  } finally {
    await sql`delete from public.teams where id = ${a.teamId}`;
  }
});

test("meeting read: a pending Zoom transcript whose download is failing says so (kind, reason, next try); the wait's end is given", async () => {
  const zoom = switchableZoom();
  const t = await zoomTeamWithMember();
  try {
    const uuid = `WaitUuid${crypto.randomUUID().slice(0, 12)}==`;
    const [meeting] = await sql`
      insert into public.meetings (team_id, provider, provider_meeting_id, title, recording_start_time, recording_end_time,
                                   content_status, source)
      values (${t.teamId}, 'zoom', ${uuid}, 'Hooli renewal', now() - interval '1 hour', now() - interval '30 minutes',
              'pending', 'webhook')
      returning id`;
    const path = `/api/teams/${t.teamId}/meetings/${meeting.id}`;
    const before = await callAs(api, MEMBER, "GET", path);
    assert.equal(before.status, 200);
    assert.equal(before.body.meeting.content_status, "pending");
    assert.equal(before.body.meeting.content_waiting, null);
    const until = Date.parse(before.body.meeting.content_wait_until);
    assert.ok(Math.abs(until - (Date.now() + 23.5 * 3_600_000)) < 120_000, `wait until ${before.body.meeting.content_wait_until}`);

    zoom.state.status = 503;
    const files = [{
      id: "t1", file_type: "TRANSCRIPT", file_extension: "VTT", recording_type: "audio_transcript", status: "completed",
      download_url: `${zoom.base}/v2/rec/download/t1`,
    }];
    await withZoomApi(zoom.base, () => deliverZoomEvent(recordingEvent({ uuid, event: "recording.transcript_completed", files })));
    const during = await callAs(api, MEMBER, "GET", path);
    assert.equal(during.body.meeting.content_status, "pending");
    const waiting = during.body.meeting.content_waiting;
    assert.ok(waiting, `no content_waiting: ${JSON.stringify(during.body.meeting)}`);
    assert.equal(waiting.kind, "download_failed");
    assert.match(waiting.reason, /^Zoom /);
    assert.ok(waiting.retry_at && Date.parse(waiting.retry_at) > Date.now());
    // the list carries the wait's end too (no per-row lookup there)
    const list = await callAs(api, MEMBER, "GET", `/api/teams/${t.teamId}/meetings`);
    assert.equal(list.body.meetings[0].content_wait_until, before.body.meeting.content_wait_until);
    assert.equal(list.body.meetings[0].content_waiting, undefined);
  } finally {
    await inboxIdle();
    await zoom.server.shutdown();
    await dropTeam(t.teamId);
  }
});

test("meeting read: a Zoom transcript download given up on says so (final, no retry time, the delivery to retry), even past the wait", async () => {
  const zoom = switchableZoom();
  const t = await zoomTeamWithMember();
  await sql`insert into public.team_members (team_id, user_id, role) values (${t.teamId}, ${ADMIN}, 'admin')
            on conflict do nothing`;
  try {
    const uuid = `FailUuid${crypto.randomUUID().slice(0, 12)}==`;
    // ended two days ago: past the day's wait, which alone would read "no transcript"
    const [meeting] = await sql`
      insert into public.meetings (team_id, provider, provider_meeting_id, title, recording_start_time, recording_end_time,
                                   content_status, source)
      values (${t.teamId}, 'zoom', ${uuid}, 'Globex pricing', now() - interval '49 hours', now() - interval '48 hours',
              'pending', 'webhook')
      returning id`;
    const path = `/api/teams/${t.teamId}/meetings/${meeting.id}`;
    zoom.state.status = 503;
    const files = [{
      id: "t1", file_type: "TRANSCRIPT", file_extension: "VTT", recording_type: "audio_transcript", status: "completed",
      download_url: `${zoom.base}/v2/rec/download/t1`,
    }];
    const event = recordingEvent({ uuid, event: "recording.transcript_completed", files });
    await withZoomApi(zoom.base, () => deliverZoomEvent(event));
    // the inbox's last attempt failed (inbox/queue.ts: status 'failed', no next attempt, the body kept)
    await sql`update public.webhook_deliveries set status = 'failed', next_attempt_at = null, body = ${event}
               where team_id = ${t.teamId} and subject_ref = ${uuid}`;
    const read = await callAs(api, MEMBER, "GET", path);
    assert.equal(read.status, 200);
    assert.equal(read.body.meeting.content_status, "pending", JSON.stringify(read.body.meeting));
    assert.equal(read.body.meeting.content_reason, null);
    const waiting = read.body.meeting.content_waiting;
    assert.ok(waiting, `no content_waiting: ${JSON.stringify(read.body.meeting)}`);
    assert.equal(waiting.kind, "download_failed");
    assert.equal(waiting.final, true);
    assert.equal(waiting.retry_at, null);
    assert.match(waiting.reason, /^Zoom /);
    const [delivery] = await sql`select id from public.webhook_deliveries where team_id = ${t.teamId} and subject_ref = ${uuid}`;
    assert.equal(waiting.delivery_id, delivery.id);

    // the admin's retry of that delivery imports the transcript; the read then has nothing waiting
    zoom.state.status = null;
    const retry = await withZoomApi(zoom.base, () =>
      callAs(api, ADMIN, "POST", `/api/teams/${t.teamId}/integrations/zoom/activity/retry`, { kind: "delivery", id: waiting.delivery_id })
    );
    assert.equal(retry.body.result, "imported", JSON.stringify(retry.body));
    const after = await callAs(api, MEMBER, "GET", path);
    assert.equal(after.body.meeting.content_status, "complete");
    assert.equal(after.body.meeting.content_waiting, null);
  } finally {
    await inboxIdle();
    await zoom.server.shutdown();
    await dropTeam(t.teamId);
  }
});

test("meeting read: only a delivery that brings the content is a download to retry; a trash, deletion or recovery is not, failed or imported", async () => {
  const zoom = switchableZoom();
  const t = await zoomTeamWithMember();
  try {
    const meetingOf = async (uuid: string, title: string) => {
      const [m] = await sql`
        insert into public.meetings (team_id, provider, provider_meeting_id, title, recording_start_time, recording_end_time,
                                     content_status, source)
        values (${t.teamId}, 'zoom', ${uuid}, ${title}, now() - interval '2 hours', now() - interval '1 hour', 'pending', 'webhook')
        returning id`;
      return `/api/teams/${t.teamId}/meetings/${m.id}`;
    };
    // a lifecycle event of the recording whose store failed for good, or that was imported (a stale trash ignored),
    // as the acknowledgement writes it (event_kind: the event's name)
    const lifecycle = (uuid: string, event: string, status: "failed" | "imported", ts: number) =>
      sql`insert into public.webhook_deliveries (integration_id, team_id, provider, webhook_message_id, status, body,
                                                 attempts, last_error, label, subject_ref, event_kind, received_at)
          values (${t.integrationId}, ${t.teamId}, 'zoom', ${`${event}:${uuid}:${ts}`}, ${status},
                  ${status === "failed" ? recordingEvent({ uuid, event }) : null}, 6,
                  ${status === "failed" ? "PostgresError" : null}, 'Globex pricing', ${uuid}, ${event},
                  now() + make_interval(secs => ${ts}))`;

    // 1. a failed trash, deletion and recovery: nothing to download, nothing offered
    const onlyLifecycle = `TrashFail${crypto.randomUUID().slice(0, 8)}==`;
    const path1 = await meetingOf(onlyLifecycle, "Globex pricing");
    await lifecycle(onlyLifecycle, "recording.trashed", "failed", 1);
    await lifecycle(onlyLifecycle, "recording.recovered", "failed", 2);
    await lifecycle(onlyLifecycle, "recording.deleted", "failed", 3);
    const r1 = await callAs(api, MEMBER, "GET", path1);
    assert.equal(r1.status, 200);
    assert.equal(r1.body.meeting.content_waiting, null, JSON.stringify(r1.body.meeting.content_waiting));

    // 2. a transcript download given up on, then a later trash imported and a later recovery failed: the transcript's
    // delivery is still the one offered
    const uuid = `Content${crypto.randomUUID().slice(0, 8)}==`;
    const path2 = await meetingOf(uuid, "Hooli renewal");
    zoom.state.status = 503;
    const files = [{
      id: "t1", file_type: "TRANSCRIPT", file_extension: "VTT", recording_type: "audio_transcript", status: "completed",
      download_url: `${zoom.base}/v2/rec/download/t1`,
    }];
    const event = recordingEvent({ uuid, event: "recording.transcript_completed", files });
    await withZoomApi(zoom.base, () => deliverZoomEvent(event));
    const [transcript] = await sql`
      update public.webhook_deliveries set status = 'failed', next_attempt_at = null, body = ${event}
       where team_id = ${t.teamId} and subject_ref = ${uuid}
      returning id, event_kind`;
    assert.equal(transcript.event_kind, "recording.transcript_completed"); // written by the acknowledgement
    await lifecycle(uuid, "recording.trashed", "imported", 10);
    await lifecycle(uuid, "recording.recovered", "failed", 20);
    const r2 = await callAs(api, MEMBER, "GET", path2);
    const waiting = r2.body.meeting.content_waiting;
    assert.ok(waiting, `no content_waiting: ${JSON.stringify(r2.body.meeting)}`);
    assert.equal(waiting.kind, "download_failed");
    assert.equal(waiting.delivery_id, transcript.id);
  } finally {
    await inboxIdle();
    await zoom.server.shutdown();
    await dropTeam(t.teamId);
  }
});

test("activity retry: a failed Zoom delivery is retried through Zoom's import (members may not)", async () => {
  const zoom = switchableZoom();
  const t = await zoomTeamWithMember();
  await sql`insert into public.team_members (team_id, user_id, role) values (${t.teamId}, ${ADMIN}, 'admin')
            on conflict do nothing`;
  try {
    zoom.state.status = 503;
    await withZoomApi(zoom.base, () => deliverZoomEvent(eventWithTopic("Initech review")));
    await sql`update public.webhook_deliveries set status = 'failed', next_attempt_at = null,
                     body = ${JSON.stringify({ ...JSON.parse(eventWithTopic("Initech review")), download_token: undefined })}
               where team_id = ${t.teamId}`;
    const before = await callAs(api, MEMBER, "GET", `/api/teams/${t.teamId}/integrations/zoom/activity`);
    const [failed] = before.body.activity.failed;
    assert.equal(failed.kind, "delivery");
    assert.equal(failed.title, "Initech review");

    const path = `/api/teams/${t.teamId}/integrations/zoom/activity/retry`;
    assert.equal((await callAs(api, MEMBER, "POST", path, { kind: "delivery", id: failed.id })).status, 403);
    zoom.state.status = null;
    const res = await withZoomApi(zoom.base, () => callAs(api, ADMIN, "POST", path, { kind: "delivery", id: failed.id }));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.result, "imported");
    const [m] = await sql`select title from public.meetings where team_id = ${t.teamId}`;
    assert.equal(m?.title, "Initech review");
    // a Zoom meeting's content is not fetched by hand (Zoom pushes it): 404, not Fathom's code
    const meeting = await callAs(api, ADMIN, "POST", path, { kind: "meeting", id: crypto.randomUUID() });
    assert.equal(meeting.status, 404);
  } finally {
    await inboxIdle();
    await zoom.server.shutdown();
    await dropTeam(t.teamId);
  }
});

function postTypeform(routeId: string, body: string, headers: Record<string, string>) {
  return typeformWebhook(new Request(`http://127.0.0.1:54399/functions/v1/typeform-webhook/${routeId}`, { method: "POST", headers, body }));
}

test("activity: Typeform lists its deliveries (form title, lead or refusal, who answered), its past-responses imports and failures; a failed one is retried", async () => {
  const team = await createTypeformTeam();
  await sql`insert into public.team_members (team_id, user_id, role) values (${team.teamId}, ${MEMBER}, 'member')`;
  try {
    const form = await enableForm(team.teamId, team.integrationId);
    await sql`update public.typeform_forms set backfill_status = 'done', backfill_imported = 0 where id = ${form.formRowId}`;
    const ok = delivery("tokAaaaaaaaaaaaaaaaaaaaaaaaaaaaa", { email: "jane@acme.test", name: "Jane Doe" });
    const refused = delivery("tokBbbbbbbbbbbbbbbbbbbbbbbbbbbbb", { name: "Anon Person", company: "NoMail Inc" });
    for (const body of [ok, refused]) {
      const res = await postTypeform(form.routeId, body, await signed(form.secret, body));
      assert.equal(res.status, 200);
      await res.body?.cancel();
    }
    await inboxIdle();
    const path = `/api/teams/${team.teamId}/integrations/typeform/activity`;
    const { activity } = (await callAs(api, MEMBER, "GET", path)).body;
    const byResult = Object.fromEntries(activity.deliveries.map((d: { result: string }) => [d.result, d]));
    assert.equal(byResult.imported?.title, "Contact us", JSON.stringify(activity.deliveries));
    assert.equal(byResult.imported.lead?.name, "Jane Doe");
    assert.equal(byResult.refused?.title, "Contact us");
    assert.equal(byResult.refused.respondent, "Anon Person");
    assert.match(byResult.refused.reason, /no e-mail address/);
    assert.deepEqual(activity.form_imports, [{ form_title: "Contact us", status: "done", imported: 0, refused: 0, error: null }]);
    assert.deepEqual(activity.failed, []);

    // a delivery that failed (its body kept: typeform/inbox.ts) is retried through Typeform's import
    const third = delivery("tokCccccccccccccccccccccccccccccc", { email: "carl@acme.test", name: "Carl" });
    const res = await postTypeform(form.routeId, third, await signed(form.secret, third));
    await res.body?.cancel();
    await inboxIdle();
    await sql`delete from public.typeform_responses where team_id = ${team.teamId} and response_token like 'tokC%'`;
    await sql`update public.webhook_deliveries set status = 'failed', last_error = 'TypeformFormGone', body = ${third}
               where team_id = ${team.teamId} and subject_ref like 'tokC%'`;
    const failed = (await callAs(api, MEMBER, "GET", path)).body.activity.failed;
    assert.equal(failed.length, 1);
    assert.equal(failed[0].title, "Contact us");
    const retry = await callAs(api, ADMIN, "POST", `${path}/retry`, { kind: "delivery", id: failed[0].id });
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.equal(retry.body.result, "imported");
    const [carl] = await sql`select status from public.typeform_responses where team_id = ${team.teamId} and response_token like 'tokC%'`;
    assert.equal(carl?.status, "imported");
  } finally {
    await inboxIdle();
    await sql`delete from public.teams where id = ${team.teamId}`;
  }
});

test("failed bodies: the sweep drops Typeform's and Zoom's after 30 days; Retry of such a row says why and leaves it be; the activity offers no Retry", async () => {
  const a = await createTypeformTeam();
  await sql`insert into public.team_members (team_id, user_id, role) values (${a.teamId}, ${MEMBER}, 'member') on conflict do nothing`;
  const z = await zoomTeamWithMember();
  await sql`insert into public.team_members (team_id, user_id, role) values (${z.teamId}, ${ADMIN}, 'admin') on conflict do nothing`;
  try {
    const insert = (team: { teamId: string; integrationId: string }, provider: string, key: string, days: number) =>
      sql`insert into public.webhook_deliveries (integration_id, team_id, provider, webhook_message_id, status, body,
                                                 attempts, last_error, received_at)
          values (${team.integrationId}, ${team.teamId}, ${provider}, ${key}, 'failed', '{"email":"old@acme.test"}', 6,
                  'TypeformFormGone', now() - make_interval(days => ${days}))
          returning id`;
    const [old] = await insert(a, "typeform", "old", 31);
    await insert(a, "typeform", "young", 29);
    await insert(z, "zoom", "recording.completed:old", 31);
    await insert(z, "zoom", "recording.completed:young", 29);
    await processDueTypeformDeliveries();
    const rows = await sql`select provider, webhook_message_id, body is not null as has_body from public.webhook_deliveries
                            where team_id in (${a.teamId}, ${z.teamId}) order by provider, webhook_message_id`;
    assert.deepEqual(rows.map((r) => ({ ...r })), [
      { provider: "typeform", webhook_message_id: "old", has_body: false },
      { provider: "typeform", webhook_message_id: "young", has_body: true },
      { provider: "zoom", webhook_message_id: "recording.completed:old", has_body: false },
      { provider: "zoom", webhook_message_id: "recording.completed:young", has_body: true },
    ]);

    const path = `/api/teams/${a.teamId}/integrations/typeform/activity`;
    const before = await callAs(api, MEMBER, "GET", path);
    const failed = before.body.activity.failed as { id: string; reason: string; retryable: boolean }[];
    const byId = Object.fromEntries(failed.map((f) => [f.id, f]));
    assert.equal(byId[old.id].retryable, false);
    assert.equal(byId[old.id].reason, "Kept for 30 days; it can no longer be imported. Ask the respondent to submit again.");
    assert.ok(failed.filter((f) => f.id !== old.id).every((f) => f.retryable === true), JSON.stringify(failed));

    const res = await callAs(api, ADMIN, "POST", `${path}/retry`, { kind: "delivery", id: old.id });
    await inboxIdle();
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, {
      result: "failed",
      reason: "Kept for 30 days; it can no longer be imported. Ask the respondent to submit again.",
    });
    // the row is left as it was: its first reason kept, not overwritten by "no body"
    const [row] = await sql`select status, last_error, attempts from public.webhook_deliveries where id = ${old.id}`;
    assert.deepEqual({ ...row }, { status: "failed", last_error: "TypeformFormGone", attempts: 6 });

    // Zoom's: the generic sentence
    const zf = await callAs(api, ADMIN, "GET", `/api/teams/${z.teamId}/integrations/zoom/activity`);
    const zOld = (zf.body.activity.failed as { retryable: boolean; reason: string }[]).find((f) => !f.retryable);
    assert.equal(zOld?.reason, "The delivery's content is no longer kept; it can no longer be imported.");
  } finally {
    await inboxIdle();
    await sql`delete from public.teams where id = ${a.teamId}`;
    await dropTeam(z.teamId);
  }
});

test("zz cleanup", async () => {
  await inboxIdle();
  await closeAll();
});
