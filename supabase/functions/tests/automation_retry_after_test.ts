// A provider's Retry-After longer than the backoff cap (backoff.ts MAX_DELAY_MS, 6 h) is not waited for: the run
// ends dead at once with a sentence saying how long it was asked to wait, instead of being parked for centuries
// (out of reach of Retry and Re-run) or overflowing make_interval (finishRun threw, the run was POSTed again after
// its lease). Webhook endpoints, Slack's header and Discord's retry_after alike. (atk11b, issue 11.)
import assert from "node:assert/strict";
import { asService } from "../_shared/db.ts";
import { createEndpoint } from "../_shared/automations/endpoints.ts";
import { describeWait, MAX_DELAY_MS, retryAfterMs, waitTooLong } from "../_shared/automations/backoff.ts";
import { rerun, retryRun } from "../_shared/automations/engine/index.ts";
import {
  ADMIN,
  drain,
  dropTeam,
  fakeChat,
  importLinkedMeeting,
  publishRule,
  runsOf,
  setupTeam,
} from "./automation_engine_support.ts";
import { connectChat } from "./chat_support.ts";
import { closeAll, sql, test } from "./helpers.ts";

test("retryAfterMs: delta-seconds and HTTP-dates; unreadable values are none, huge ones are kept for waitTooLong", async () => {
  const now = Date.parse("2026-11-30T12:00:00Z");
  assert.equal(retryAfterMs("120", now), 120_000);
  assert.equal(retryAfterMs(" 1.5 ", now), 1_500);
  assert.equal(retryAfterMs("Mon, 30 Nov 2026 12:01:00 GMT", now), 60_000);
  assert.equal(retryAfterMs("Mon, 30 Nov 2026 11:00:00 GMT", now), 0);
  for (const bad of [null, "", "-5", "soon", "1e3", "0x10", "Mon, 30 Nov 2026 12:01:00 +0100"]) {
    assert.equal(retryAfterMs(bad, now), undefined, String(bad));
  }
  assert.equal(retryAfterMs("99999999999", now), 99_999_999_999_000);
  assert.equal(retryAfterMs("9".repeat(400), now), Infinity);
  assert.ok(waitTooLong(retryAfterMs("Fri, 31 Dec 9999 23:59:59 GMT", now)));
  assert.ok(!waitTooLong(MAX_DELAY_MS) && waitTooLong(MAX_DELAY_MS + 1) && waitTooLong(Infinity) && waitTooLong(NaN));
  assert.ok(!waitTooLong(undefined));
  assert.equal(describeWait(99_999_999_999_000), "more than 1,000 years");
  assert.equal(describeWait(3 * 365.25 * 86_400_000 + 5), "3 years");
  assert.equal(describeWait(MAX_DELAY_MS), "6 hours");
  assert.equal(describeWait(2 * 86_400_000), "2 days");
});

/** A webhook endpoint answering 503 with `retryAfter`; resolves the run after one drain. */
async function webhookRun(teamId: string, retryAfter: string) {
  const controller = new AbortController();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} }, async (req) => {
    await req.text();
    return new Response("busy", { status: 503, headers: { "retry-after": retryAfter } });
  });
  try {
    const url = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}/h`;
    const { endpoint } = await asService((tx) => createEndpoint(tx, { teamId, name: "E", url }));
    await publishRule(teamId, { trigger: "meeting.linked_to_lead", actions: [{ type: "send_webhook", endpoint_id: endpoint.id }] });
    await importLinkedMeeting(teamId);
    await drain();
  } finally {
    controller.abort();
    await server.finished;
  }
  const [run] = await runsOf(teamId);
  return run;
}

const SENTENCE = /Step 1 \(Send a webhook\) failed: The endpoint answered HTTP 503\. It asked to wait (.+): longer than 6 hours, so it was not tried again\./;

for (const [retryAfter, wait] of [
  ["99999999999", "more than 1,000 years"],
  ["99999999999999999999", "more than 1,000 years"],
  ["9".repeat(400), "more than 1,000 years"],
  ["94672800", "3 years"],
  ["Fri, 31 Dec 9999 23:59:59 GMT", "more than 1,000 years"],
  ["21601", "6 hours"],
]) {
  test(`engine: a webhook's Retry-After of ${retryAfter.slice(0, 32)} ends the run dead, saying so; Retry and Re-run work`, async () => {
    const t = await setupTeam();
    try {
      const run = await webhookRun(t.teamId, retryAfter);
      assert.equal(run.status, "dead", JSON.stringify(run));
      assert.equal(run.error_code, "http_503");
      assert.equal(SENTENCE.exec(run.error_message ?? "")?.[1], wait, run.error_message ?? "");
      assert.equal((await retryRun({ teamId: t.teamId, runId: run.id, userId: ADMIN })).status, "queued");
      await sql`update public.automation_runs set status = 'dead' where id = ${run.id}`;
      assert.equal((await rerun({ teamId: t.teamId, runId: run.id, userId: ADMIN })).status, "queued");
    } finally {
      await dropTeam(t.teamId);
    }
  });
}

test("engine: a webhook's Retry-After within the cap is honoured (retrying, not before it)", async () => {
  const t = await setupTeam();
  try {
    const run = await webhookRun(t.teamId, String(MAX_DELAY_MS / 1000));
    assert.equal(run.status, "retrying");
    const [row] = await sql`select next_attempt_at - now() > interval '5 hours 59 minutes' as later,
                                   next_attempt_at - now() <= interval '6 hours' as capped
                              from public.automation_runs where id = ${run.id}`;
    assert.deepEqual({ ...row }, { later: true, capped: true });
  } finally {
    await dropTeam(t.teamId);
  }
});

test("engine: Slack's 429 with a Retry-After of years ends the run dead, saying so", async () => {
  const t = await setupTeam({ slack: true });
  try {
    fakeChat.reset();
    fakeChat.script(...Array.from({ length: 5 }, () => ({ status: 429, body: "rate_limited", headers: { "retry-after": "99999999999" } })));
    await publishRule(t.teamId, { trigger: "meeting.linked_to_lead", actions: [{ type: "post_slack", template: "Met {{lead.name}}" }] });
    await importLinkedMeeting(t.teamId);
    await drain();
    const [run] = await runsOf(t.teamId);
    assert.equal(run.status, "dead", JSON.stringify(run));
    assert.match(run.error_message ?? "", /^Step 1 \(Post to Slack\) failed: .* It asked to wait more than 1,000 years: longer than 6 hours/);
  } finally {
    fakeChat.reset();
    await dropTeam(t.teamId);
  }
});

test("engine: Discord's 429 with a retry_after of 1e12 seconds ends the run dead, saying so", async () => {
  const t = await setupTeam();
  try {
    await connectChat(t.teamId, "discord", { webhookId: "123", webhookToken: "tok" });
    fakeChat.reset();
    fakeChat.script(...Array.from({ length: 5 }, () => ({ status: 429, body: { message: "You are being rate limited.", retry_after: 1e12, global: false } })));
    await publishRule(t.teamId, { trigger: "meeting.linked_to_lead", actions: [{ type: "post_discord", template: "Met {{lead.name}}" }] });
    await importLinkedMeeting(t.teamId);
    await drain();
    const [run] = await runsOf(t.teamId);
    assert.equal(run.status, "dead", JSON.stringify(run));
    assert.match(run.error_message ?? "", /^Step 1 \(Post to Discord\) failed: .* It asked to wait more than 1,000 years: longer than 6 hours/);
  } finally {
    fakeChat.reset();
    await dropTeam(t.teamId);
  }
});

test("teardown", async () => {
  await fakeChat.close();
  await closeAll();
  await sql.end();
});
