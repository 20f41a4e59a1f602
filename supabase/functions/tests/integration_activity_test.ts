// Integration activity: GET /api/teams/:teamId/integrations/:provider/activity (members) and POST .../activity/retry
// (admins). The import history is written by real imports against the Fathom sandbox (a failure injected with its
// controls), deliveries by the real webhook handler; retry goes through the import's own code.
import assert from "node:assert/strict";
import { MAX_STEP_FAILURES, startSyncFor } from "../_shared/fathom/backfill-state.ts";
import { driveSync } from "../_shared/fathom/backfill.ts";
import { runSyncStep } from "../_shared/fathom/backfill-step.ts";
import { inboxIdle } from "../_shared/fathom/inbox.ts";
import { problemSentence } from "../_shared/activity/sentences.ts";
import { handler as api } from "../api/handler.ts";
import { handler as webhook } from "../fathom-webhook/handler.ts";
import { ADMIN, callAs, closeAll, MEMBER, OUTSIDER, sql, test } from "./helpers.ts";
import {
  connectFathom,
  createTeam,
  dropTeam,
  installWebhookSecret,
  SANDY,
  sandboxTokens,
  signedHeaders,
  startSandbox,
  wireMeeting,
} from "./fathom_support.ts";

const activityPath = (teamId: string, provider = "fathom") => `/api/teams/${teamId}/integrations/${provider}/activity`;
const retryPath = (teamId: string, provider = "fathom") => `${activityPath(teamId, provider)}/retry`;

/** A team (ADMIN owner, MEMBER member) connected to a fresh sandbox with real tokens and a known webhook secret. */
async function sandboxTeam(meetings = 0) {
  const fathom = startSandbox({ demoMeetings: false, rateLimit: { limit: 1000, windowMs: 60_000 } });
  if (meetings > 0) fathom.sandbox.generateMeetings({ userEmail: SANDY, count: meetings });
  fathom.sandbox.finishSummaries();
  const team = await createTeam();
  await sql`insert into public.team_members (team_id, user_id, role) values (${team.teamId}, ${MEMBER}, 'member')`;
  const integrationId = await connectFathom(team.teamId, await sandboxTokens(fathom.base));
  const route = await installWebhookSecret(integrationId, team.teamId); // webhook_id set: the import registers none
  return { fathom, ...team, integrationId, ...route };
}

async function deliver(routeId: string, secret: string, meeting: Record<string, unknown>, id?: string) {
  const body = JSON.stringify(meeting);
  const res = await webhook(new Request(`http://127.0.0.1:54399/functions/v1/fathom-webhook/${routeId}`, {
    method: "POST",
    headers: signedHeaders(secret, body, { id }),
    body,
  }));
  await inboxIdle();
  assert.equal(res.status, 200);
  return await res.json();
}

test("activity: each import run is kept with its counts and its problem in a sentence, newest first", async () => {
  const t = await sandboxTeam(3);
  try {
    // Fathom answers every listing call with a cut-off body: each step retries, records the failure and backs off;
    // the MAX_STEP_FAILURES-th marks the import failed (the backoff is skipped, not waited for)
    t.fathom.sandbox.setFailure({ target: "api", mode: "malformed" });
    await startSyncFor(t.integrationId);
    let state = "";
    for (let step = 1; step <= MAX_STEP_FAILURES && state !== "failed"; step++) {
      state = (await runSyncStep(t.integrationId, { budgetMs: 10_000 })).state;
      await sql`update public.integration_syncs set resume_after = now() where integration_id = ${t.integrationId}
                  and status = 'running'`;
    }
    assert.equal(state, "failed");
    t.fathom.sandbox.clearFailures();
    let activity = (await callAs(api, MEMBER, "GET", activityPath(t.teamId))).body.activity;
    assert.equal(activity.runs.length, 1);
    assert.equal(activity.runs[0].status, "failed");
    assert.equal(activity.runs[0].error, "Fathom answered with something the CRM could not read.");

    // an admin resumes it: the same run completes, and keeps what went wrong on the way
    await startSyncFor(t.integrationId);
    assert.equal((await driveSync(t.integrationId, { reschedule: false, budgetMs: 20_000 })).state, "done");
    // a second import lists only what is new: a run of its own
    await startSyncFor(t.integrationId);
    assert.equal((await driveSync(t.integrationId, { reschedule: false, budgetMs: 20_000 })).state, "done");

    const res = await callAs(api, MEMBER, "GET", activityPath(t.teamId));
    assert.equal(res.status, 200);
    activity = res.body.activity;
    assert.equal(activity.runs.length, 2);
    const [second, first] = activity.runs;
    assert.deepEqual(
      [first.status, first.incremental, first.listed_count, first.content_done, first.content_failed, first.error],
      ["completed", false, 3, 3, 0, "Fathom answered with something the CRM could not read."],
    );
    assert.ok(first.finished_at && first.started_at <= first.finished_at);
    assert.deepEqual([second.status, second.incremental, second.error], ["completed", true, null]);
    assert.ok(second.started_at > first.started_at);
    assert.deepEqual(Object.keys(first).sort(), [
      "content_done", "content_failed", "content_total", "earlier_connection", "error", "error_at", "finished_at", "id", "incremental",
      "linked_count", "listed_count", "stage", "started_at", "status",
    ]);
  } finally {
    await dropTeam(t.teamId);
    await t.fathom.close();
  }
});

test("activity: the last 20 runs of an integration are kept", async () => {
  const t = await sandboxTeam();
  try {
    await startSyncFor(t.integrationId);
    await sql`update public.integration_syncs set status = 'failed', locked_until = null where integration_id = ${t.integrationId}`;
    for (let i = 1; i <= 22; i++) {
      // what startSyncFor does to a completed import, 22 times: a new started_at is a new run
      await sql`update public.integration_syncs set started_at = now() + make_interval(secs => ${i}), status = 'completed'
                 where integration_id = ${t.integrationId}`;
    }
    const [kept] = await sql`select count(*)::int as n, min(started_at) > now() + interval '2 seconds' as oldest_gone
                               from public.integration_sync_runs where integration_id = ${t.integrationId}`;
    assert.deepEqual([kept.n, kept.oldest_gone], [20, true]);
    const { body } = await callAs(api, ADMIN, "GET", activityPath(t.teamId));
    assert.equal(body.activity.runs.length, 20);
  } finally {
    await dropTeam(t.teamId);
    await t.fathom.close();
  }
});

test("activity: the import history outlives a disconnect and reconnect (earlier runs marked), and stays the team's own", async () => {
  const t = await sandboxTeam();
  const other = await sandboxTeam();
  try {
    await startSyncFor(t.integrationId);
    await sql`update public.integration_syncs set status = 'completed', stage = 'done', listed_count = 7, locked_until = null
               where integration_id = ${t.integrationId}`;
    await startSyncFor(other.integrationId);
    // a disconnect removes the connection's row (oauth/engine.ts), then the team connects again
    await sql`delete from public.team_integrations where id = ${t.integrationId}`;
    const again = await connectFathom(t.teamId, await sandboxTokens(t.fathom.base));
    await startSyncFor(again);

    const { body } = await callAs(api, MEMBER, "GET", activityPath(t.teamId));
    const runs = body.activity.runs as { listed_count: number; earlier_connection: boolean }[];
    assert.equal(runs.length, 2, JSON.stringify(runs));
    assert.deepEqual(runs.map((r) => r.earlier_connection), [false, true]);
    assert.equal(runs[1].listed_count, 7);
    // the other team's run (its member is MEMBER too) is not among them, nor another provider's runs
    const zoom = await callAs(api, MEMBER, "GET", activityPath(t.teamId, "zoom"));
    assert.deepEqual(zoom.body.activity.runs, []);
  } finally {
    await dropTeam(t.teamId);
    await dropTeam(other.teamId);
    await t.fathom.close();
    await other.fathom.close();
  }
});

test("activity: an import running or paused when the connection is removed is closed then (stopped: disconnected), not running for good", async () => {
  const t = await sandboxTeam();
  try {
    await startSyncFor(t.integrationId);
    await sql`update public.integration_syncs set status = 'paused_rate_limited', locked_until = null
               where integration_id = ${t.integrationId}`;
    // the admin's Disconnect (oauth/engine.ts): integration_syncs goes with the connection, the run stays
    const del = await callAs(api, ADMIN, "DELETE", `/api/teams/${t.teamId}/integrations/fathom`);
    assert.equal(del.status, 204);
    await connectFathom(t.teamId, await sandboxTokens(t.fathom.base));
    const { body } = await callAs(api, MEMBER, "GET", activityPath(t.teamId));
    const runs = body.activity.runs as { status: string; finished_at: string | null; error: string | null; earlier_connection: boolean }[];
    assert.equal(runs.length, 1, JSON.stringify(runs));
    assert.equal(runs[0].earlier_connection, true);
    assert.equal(runs[0].status, "failed");
    assert.ok(runs[0].finished_at);
    assert.equal(runs[0].error, "Fathom was disconnected.");
  } finally {
    await dropTeam(t.teamId);
    await t.fathom.close();
  }
});

test("activity: deliveries received, with their result: imported (linking the meeting), duplicate, waiting, failed", async () => {
  const t = await sandboxTeam();
  try {
    const meeting = wireMeeting({ title: "Delivered call" });
    assert.deepEqual(await deliver(t.routeId, t.secret, meeting), { ok: true, duplicate: false });
    // Fathom sends the same recording again under another message id, then the same message again
    assert.deepEqual(await deliver(t.routeId, t.secret, meeting), { ok: true, duplicate: true });
    const again = wireMeeting({ title: "Sent twice" });
    await deliver(t.routeId, t.secret, again, "msg_same");
    assert.deepEqual(await deliver(t.routeId, t.secret, again, "msg_same"), { ok: true, duplicate: true });
    // one waiting out a backoff after a failed attempt (what the inbox leaves during a database outage)
    await sql`insert into public.webhook_deliveries (integration_id, team_id, webhook_message_id, recording_id, status,
                body, attempts, last_error, next_attempt_at)
              values (${t.integrationId}, ${t.teamId}, 'msg_waiting', 424242, 'received', '{"recording_id":424242}', 1,
                      'PostgresError (57P01)', now() + interval '1 hour')`;

    const { status, body } = await callAs(api, MEMBER, "GET", activityPath(t.teamId));
    assert.equal(status, 200);
    const deliveries = body.activity.deliveries as { result: string; meeting: { id: string; title: string } | null;
      recording_id: number; count?: number; reason: string | null }[];
    const [imported] = await sql`select id from public.meetings where team_id = ${t.teamId} and provider_meeting_id = ${String(meeting.recording_id)}`;
    const of = (recordingId: number, result: string) =>
      deliveries.filter((d) => d.recording_id === recordingId && d.result === result);
    assert.deepEqual(of(meeting.recording_id, "imported").map((d) => d.meeting), [{ id: imported.id, title: "Delivered call" }]);
    assert.deepEqual(of(meeting.recording_id, "duplicate").map((d) => d.count), [1]);
    assert.deepEqual(of(again.recording_id, "duplicate").map((d) => d.count), [1]);
    assert.deepEqual(of(424242, "waiting").map((d) => d.reason), ["The CRM's database was briefly unavailable."]);
    assert.equal(deliveries.length, 5);
    // no secret and no provider message id in the answer
    const text = JSON.stringify(body);
    for (const secret of [t.routeId, t.secret, "msg_same", "msg_waiting", "wh_test"]) assert.ok(!text.includes(secret), secret);
  } finally {
    await dropTeam(t.teamId);
    await t.fathom.close();
  }
});

/** A meeting imported by webhook without content, whose content fetch was given up on (as content.ts leaves it). */
async function failedMeeting(t: Awaited<ReturnType<typeof sandboxTeam>>) {
  const recordingId = t.fathom.sandbox.generateMeetings({ userEmail: SANDY, count: 1 }).first_recording_id;
  t.fathom.sandbox.finishSummaries();
  await deliver(t.routeId, t.secret, wireMeeting({ recording_id: recordingId, transcript: null, default_summary: null }));
  const [row] = await sql<{ id: string }[]>`
    update public.meetings set content_status = 'failed', content_attempts = 3, content_last_error = 'http_404',
           transcript = null, summary_markdown = null
     where team_id = ${t.teamId} and provider_meeting_id = ${recordingId} returning id`;
  return { meetingId: row.id, recordingId };
}

test("activity: a failed meeting is listed and Retry imports its content; a second Retry has nothing to do", async () => {
  const t = await sandboxTeam();
  try {
    const { meetingId, recordingId } = await failedMeeting(t);
    const listed = (await callAs(api, MEMBER, "GET", activityPath(t.teamId))).body.activity.failed;
    assert.deepEqual(
      listed.map((f: { kind: string; id: string; reason: string }) => [f.kind, f.id, f.reason]),
      [["meeting", meetingId, "Fathom no longer has this recording, or this account cannot see it."]],
    );

    const transcriptCalls = () => t.fathom.requests(`/external/v1/recordings/${recordingId}/transcript`).length;
    const before = transcriptCalls();
    const retried = await callAs(api, ADMIN, "POST", retryPath(t.teamId), { kind: "meeting", id: meetingId });
    assert.deepEqual([retried.status, retried.body], [200, { result: "imported", reason: null }]);
    const [m] = await sql`select content_status, transcript is not null as has_transcript from public.meetings where id = ${meetingId}`;
    assert.deepEqual([m.content_status, m.has_transcript], ["complete", true]);
    assert.equal(transcriptCalls(), before + 1);

    const twice = await callAs(api, ADMIN, "POST", retryPath(t.teamId), { kind: "meeting", id: meetingId });
    assert.deepEqual([twice.status, twice.body.result], [200, "already_done"]);
    assert.equal((await callAs(api, MEMBER, "GET", activityPath(t.teamId))).body.activity.failed.length, 0);
  } finally {
    await dropTeam(t.teamId);
    await t.fathom.close();
  }
});

test("activity: two Retry clicks at once retry once", async () => {
  const t = await sandboxTeam();
  try {
    const { meetingId, recordingId } = await failedMeeting(t);
    const before = t.fathom.requests(`/external/v1/recordings/${recordingId}/transcript`).length;
    const results = await Promise.all([1, 2, 3].map(() =>
      callAs(api, ADMIN, "POST", retryPath(t.teamId), { kind: "meeting", id: meetingId })
    ));
    assert.deepEqual(results.map((r) => r.status), [200, 200, 200]);
    assert.equal(results.filter((r) => r.body.result === "imported").length, 1, JSON.stringify(results));
    assert.equal(t.fathom.requests(`/external/v1/recordings/${recordingId}/transcript`).length, before + 1);
  } finally {
    await dropTeam(t.teamId);
    await t.fathom.close();
  }
});

test("activity: Retry of a failed delivery imports it through the inbox, once", async () => {
  const t = await sandboxTeam();
  try {
    const meeting = wireMeeting({ title: "Given up on" });
    // what the inbox leaves after INBOX_MAX_ATTEMPTS during a database outage: failed, the body kept
    await sql`insert into public.webhook_deliveries (integration_id, team_id, webhook_message_id, recording_id, status,
                body, attempts, last_error, processed_at)
              values (${t.integrationId}, ${t.teamId}, 'msg_failed', ${meeting.recording_id}, 'failed',
                      ${JSON.stringify(meeting)}, 6, 'PostgresError (57P01)', now())`;
    const listed = (await callAs(api, MEMBER, "GET", activityPath(t.teamId))).body.activity;
    assert.equal(listed.failed.length, 1);
    const failed = listed.failed[0];
    assert.deepEqual([failed.kind, failed.recording_id], ["delivery", meeting.recording_id]);
    assert.deepEqual(listed.deliveries.map((d: { result: string }) => d.result), ["failed"]);

    const results = await Promise.all([1, 2].map(() =>
      callAs(api, ADMIN, "POST", retryPath(t.teamId), { kind: "delivery", id: failed.id })
    ));
    assert.deepEqual(results.map((r) => r.status), [200, 200]);
    assert.ok(results.every((r) => ["imported", "in_progress", "already_done"].includes(r.body.result)));
    assert.equal(results.filter((r) => r.body.result === "imported").length, 1, JSON.stringify(results));
    const [row] = await sql`select d.status, m.title from public.webhook_deliveries d
                              join public.meetings m on m.id = d.meeting_id where d.id = ${failed.id}`;
    assert.deepEqual([row.status, row.title], ["imported", "Given up on"]);
    const after = (await callAs(api, MEMBER, "GET", activityPath(t.teamId))).body.activity;
    assert.deepEqual([after.failed.length, after.deliveries[0].result], [0, "imported"]);
  } finally {
    await dropTeam(t.teamId);
    await t.fathom.close();
  }
});

test("activity: a rate-limited Retry is 429 with Retry-After; the meeting waits for the sweep", async () => {
  const t = await sandboxTeam();
  try {
    const { meetingId } = await failedMeeting(t);
    t.fathom.sandbox.setFailure({ target: "api", mode: "rate_limited" });
    const { jwtFor, request } = await import("./helpers.ts");
    const res = await api(request(retryPath(t.teamId), {
      method: "POST",
      token: await jwtFor(ADMIN),
      body: JSON.stringify({ kind: "meeting", id: meetingId }),
    }));
    assert.equal(res.status, 429);
    assert.equal((await res.json()).error.code, "rate_limited");
    assert.match(res.headers.get("retry-after") ?? "", /^[1-9][0-9]*$/);
    const [m] = await sql`select content_status from public.meetings where id = ${meetingId}`;
    assert.equal(m.content_status, "pending");
  } finally {
    t.fathom.sandbox.clearFailures();
    await dropTeam(t.teamId);
    await t.fathom.close();
  }
});

test("activity: members read but cannot retry (403); outsiders get 404; bad input is 400; unknown provider 404", async () => {
  const t = await sandboxTeam();
  try {
    const { meetingId } = await failedMeeting(t);
    const member = await callAs(api, MEMBER, "POST", retryPath(t.teamId), { kind: "meeting", id: meetingId });
    assert.deepEqual([member.status, member.body.error.code], [403, "not_team_admin"]);
    const outsiderRead = await callAs(api, OUTSIDER, "GET", activityPath(t.teamId));
    assert.deepEqual([outsiderRead.status, outsiderRead.body.error.code], [404, "team_not_found"]);
    const outsiderRetry = await callAs(api, OUTSIDER, "POST", retryPath(t.teamId), { kind: "meeting", id: meetingId });
    assert.deepEqual([outsiderRetry.status, outsiderRetry.body.error.code], [404, "team_not_found"]);

    // another team's meeting, retried by an admin of this team, is not found
    const other = await createTeam();
    try {
      const stranger = await callAs(api, ADMIN, "POST", retryPath(other.teamId), { kind: "meeting", id: meetingId });
      assert.deepEqual([stranger.status, stranger.body.error.code], [404, "meeting_not_found"]);
      const [still] = await sql`select content_status from public.meetings where id = ${meetingId}`;
      assert.equal(still.content_status, "failed");
      // and RLS keeps this team's activity from another team's GET
      const otherView = (await callAs(api, ADMIN, "GET", activityPath(other.teamId))).body.activity;
      assert.deepEqual([otherView.runs, otherView.deliveries, otherView.failed], [[], [], []]);
    } finally {
      await dropTeam(other.teamId);
    }

    for (const body of [{}, { kind: "meeting" }, { kind: "lead", id: meetingId }, { kind: "meeting", id: "nope" },
      { kind: "meeting", id: meetingId, extra: 1 }]) {
      const bad = await callAs(api, ADMIN, "POST", retryPath(t.teamId), body);
      assert.deepEqual([bad.status, bad.body.error.code], [400, "invalid_request"], JSON.stringify(body));
    }
    const unknown = await callAs(api, ADMIN, "GET", activityPath(t.teamId, "myspace"));
    assert.equal(unknown.status, 404);
  } finally {
    await dropTeam(t.teamId);
    await t.fathom.close();
  }
});

test("activity: a chat provider lists the posts the chat store keeps (test messages, a lost channel)", async () => {
  const t = await sandboxTeam();
  try {
    await sql`insert into public.integration_events (team_id, provider, type, subject_type, payload, occurred_at)
              values (${t.teamId}, 'slack', 'slack.integration.test_message_sent', 'integration', '{}', now() - interval '1 minute'),
                     (${t.teamId}, 'slack', 'slack.integration.destination_gone', 'integration', '{"reason":"channel_not_found"}', now())`;
    const { status, body } = await callAs(api, MEMBER, "GET", activityPath(t.teamId, "slack"));
    assert.equal(status, 200);
    assert.deepEqual(
      body.activity.messages.map((m: { kind: string; result: string }) => [m.kind, m.result]),
      [["destination_gone", "failed"], ["test_message", "sent"]],
    );
    assert.equal((await callAs(api, MEMBER, "GET", activityPath(t.teamId))).body.activity.messages, null);
  } finally {
    await dropTeam(t.teamId);
    await t.fathom.close();
  }
});

test("activity: every recorded reason reads as a sentence, never as the stored code or provider text", async () => {
  const cases: [string | null, string | null][] = [
    [null, null],
    ["fathom_http_503", "Fathom had a server error."],
    ["fathom_http_0", "Fathom could not be reached."],
    ["http_404", "Fathom no longer has this recording, or this account cannot see it."],
    ["http_418", "Fathom refused the request."],
    ["needs_reauth", "Fathom needs to be reconnected: it refused the connection's credentials."],
    ["summary_not_ready", "Fathom has not finished the summary yet."],
    ["not a Fathom meeting: invalid JSON", "The delivery was not a Fathom meeting the CRM could read."],
    ["refused by the database: PostgresError (22P05)", "The meeting's data could not be stored."],
    ["PostgresError (57P01)", "The CRM's database was briefly unavailable."],
    ["PostgresError (23505)", "The import stopped on an unexpected error."],
    ["TypeError", "The import stopped on an unexpected error."],
    ["token=abc secret from somewhere", "Something went wrong."],
  ];
  for (const [reason, sentence] of cases) assert.equal(problemSentence(reason), sentence, String(reason));
});

test("activity: close", async () => {
  await closeAll();
});
