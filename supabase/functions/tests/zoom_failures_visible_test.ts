// Zoom's webhook import failures and its "Import past recordings" are visible as Fathom's are (review 12, newcomer
// finding 2): the activity lists a Zoom delivery waiting out a rate limit (until when) and one given up on, in
// sentences naming Zoom; GET .../integrations/zoom/sync answers the import's state and the inbox; the pacer's
// message names Zoom. A failed delivery keeps no download_token (attacker note 8b).
import assert from "node:assert/strict";
import { handler as api } from "../api/handler.ts";
import { INBOX_MAX_ATTEMPTS, inboxIdle, reasonOf } from "../_shared/inbox/queue.ts";
import { createZoomClient, RateLimitedUntil } from "../_shared/zoom/client.ts";
import { classifyZoomFailure } from "../_shared/zoom/backfill-step.ts";
import { problemSentence } from "../_shared/activity/sentences.ts";
import { processDueZoomDeliveries } from "../_shared/zoom/inbox.ts";
import { callAs, closeAll, MEMBER, sql, test } from "./helpers.ts";
import { dropTeam } from "./fathom_support.ts";
import { deliverZoomEvent, recordingEvent, withZoomApi, zoomTeamWithMember } from "./zoom_support.ts";

/** A fake Zoom API answering `status` (with Retry-After on 429) to every call. */
function failingZoom(status: number) {
  const api = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, () =>
    new Response("no", { status, headers: status === 429 ? { "retry-after": "3000" } : {} }));
  return { base: `http://127.0.0.1:${(api.addr as Deno.NetAddr).port}`, api };
}

test("zoom activity: a delivery given up on is listed with a sentence naming Zoom, and keeps no download_token", async () => {
  const { base, api: fake } = failingZoom(503);
  const t = await zoomTeamWithMember();
  try {
    await withZoomApi(base, async () => {
      await deliverZoomEvent(recordingEvent());
      for (let i = 1; i < INBOX_MAX_ATTEMPTS; i++) {
        await sql`update public.webhook_deliveries set next_attempt_at = now() - interval '1 second'
                   where team_id = ${t.teamId} and status = 'received'`;
        await processDueZoomDeliveries();
      }
    });
    const [row] = await sql`select status, body from public.webhook_deliveries where team_id = ${t.teamId}`;
    assert.equal(row.status, "failed");
    assert.ok(row.body === null || !row.body.includes("download_token"), "the failed delivery kept Zoom's download_token");
    assert.ok(row.body === null || JSON.parse(row.body).payload?.object?.topic === "Pricing call");

    const res = await callAs(api, MEMBER, "GET", `/api/teams/${t.teamId}/integrations/zoom/activity`);
    assert.equal(res.status, 200);
    const { activity } = res.body;
    assert.equal(activity.deliveries.length, 1);
    assert.equal(activity.deliveries[0].result, "failed");
    assert.equal(activity.deliveries[0].reason, "Zoom had a server error.");
    assert.equal(activity.failed.length, 1);
    assert.equal(activity.failed[0].kind, "delivery");
    assert.doesNotMatch(JSON.stringify(activity), /Fathom|download_token|dl-token/);

    const sync = await callAs(api, MEMBER, "GET", `/api/teams/${t.teamId}/integrations/zoom/sync`);
    assert.equal(sync.status, 200);
    assert.equal(sync.body.inbox.failed, 1);
    assert.equal(sync.body.inbox.last_error_text, "Zoom had a server error.");
    assert.equal(sync.body.sync, null);
  } finally {
    await inboxIdle();
    await fake.shutdown();
    await dropTeam(t.teamId);
  }
});

test("zoom activity: a delivery waiting out Zoom's rate limit says so and until when", async () => {
  const { base, api: fake } = failingZoom(429);
  const t = await zoomTeamWithMember();
  try {
    await withZoomApi(base, () => deliverZoomEvent(recordingEvent()));
    const res = await callAs(api, MEMBER, "GET", `/api/teams/${t.teamId}/integrations/zoom/activity`);
    const [entry] = res.body.activity.deliveries;
    assert.equal(entry.result, "waiting");
    assert.match(entry.reason, /^Zoom's rate limit was reached/);
    assert.ok(entry.retry_at && Date.parse(entry.retry_at) > Date.now(), `no retry_at: ${JSON.stringify(entry)}`);
  } finally {
    await inboxIdle();
    await fake.shutdown();
    await dropTeam(t.teamId);
  }
});

test("zoom sync: GET and POST .../integrations/zoom/sync serve Zoom's import; another provider is 404", async () => {
  const t = await zoomTeamWithMember();
  try {
    await sql`insert into public.integration_syncs (integration_id, team_id, status, stage, listed_count, linked_count)
              values (${t.integrationId}, ${t.teamId}, 'completed', 'done', 4, 2)`;
    const res = await callAs(api, MEMBER, "GET", `/api/teams/${t.teamId}/integrations/zoom/sync`);
    assert.equal(res.status, 200);
    assert.equal(res.body.sync.status, "completed");
    assert.equal(res.body.sync.listed_count, 4);
    assert.equal(res.body.sync.linked_count, 2);
    // Fathom's view of the same team is its own: none
    assert.equal((await callAs(api, MEMBER, "GET", `/api/teams/${t.teamId}/integrations/fathom/sync`)).body.sync, null);
    assert.equal((await callAs(api, MEMBER, "GET", `/api/teams/${t.teamId}/integrations/slack/sync`)).status, 404);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("zoom client: no answer in time is a timeout, stored and worded as such (not 'answered with an error'); unreachable and 5xx keep theirs", async () => {
  const client = (fetch: typeof globalThis.fetch) =>
    createZoomClient({
      baseUrl: "http://zoom.invalid/v2",
      pacerKey: `zoom-pacer-${crypto.randomUUID()}`,
      tokens: { token: () => Promise.resolve("t"), refresh: () => Promise.resolve("t") },
      timeoutMs: 20,
      fetch,
    });
  // a Zoom that never answers: the request ends only when its signal aborts
  const silent = ((_url: string, init?: RequestInit) =>
    new Promise<Response>((_, reject) => {
      init?.signal?.addEventListener("abort", () => reject(init.signal?.reason), { once: true });
    })) as typeof fetch;
  const refused = (() => Promise.reject(new TypeError("connection refused"))) as typeof fetch;
  const failing = (() => Promise.resolve(new Response("no", { status: 503 }))) as typeof fetch;

  const slow = await client(silent).participants("u==").then(() => null, (e) => e);
  assert.equal(reasonOf(slow), "ZoomApiError (timeout)");
  assert.equal(problemSentence(reasonOf(slow), "Zoom"), "Zoom didn't answer in time.");
  assert.equal(classifyZoomFailure(slow).code, "zoom_timeout");
  assert.equal(problemSentence(classifyZoomFailure(slow).code, "Zoom"), "Zoom didn't answer in time.");

  const down = await client(refused).participants("u==").then(() => null, (e) => e);
  assert.equal(problemSentence(reasonOf(down), "Zoom"), "Zoom could not be reached.");
  const error = await client(failing).participants("u==").then(() => null, (e) => e);
  assert.equal(problemSentence(reasonOf(error), "Zoom"), "Zoom had a server error.");
  // a reason stored before the kind was still reads
  assert.equal(problemSentence("ZoomApiError", "Zoom"), "Zoom answered with an error.");
});

test("zoom pacer: a rate limit past the deadline names Zoom, not Fathom", async () => {
  const { base, api: fake } = failingZoom(429);
  try {
    const client = createZoomClient({
      baseUrl: `${base}/v2`,
      pacerKey: `zoom-pacer-${crypto.randomUUID()}`,
      tokens: { token: () => Promise.resolve("t"), refresh: () => Promise.resolve("t") },
      deadline: Date.now() + 1_000,
    });
    const err = await client.participants("u==").then(() => null, (e) => e);
    assert.ok(err instanceof RateLimitedUntil, String(err));
    assert.match(err.message, /^Zoom rate limit: resume after /);
  } finally {
    await fake.shutdown();
  }
});

test("zz cleanup", async () => {
  await inboxIdle();
  await closeAll();
});
