// Issue 7 item 9, product side: the Fathom sandbox retries a failed webhook delivery (Svix's schedule, shortened
// here), and the product ends up with the meeting exactly once: one meeting row, one fathom.meeting.imported event.
// The webhook handler is served over real HTTP, as in fathom_webhook_test.ts; the end state is awaited by polling,
// since the handler may answer before it imports.
import assert from "node:assert/strict";
import { handler } from "../fathom-webhook/handler.ts";
import { ensureWebhook } from "../_shared/fathom/webhook-registration.ts";
import { createFathomClient } from "../_shared/fathom/client.ts";
import { closeAll, sql, test, withEnv } from "./helpers.ts";
import {
  connectFathom,
  createTeam,
  dropTeam,
  eventually,
  JANE,
  recordAtSandbox,
  SANDY,
  sandboxTokens,
  startSandbox,
} from "./fathom_support.ts";

/** A sandbox whose retries come 50, 100, 200 and 400 ms after a failure, and a team subscribed to it. */
async function withSubscribedTeam(run: (ctx: {
  fathom: ReturnType<typeof startSandbox>;
  teamId: string;
  janeId: string;
}) => Promise<void>) {
  const fathom = startSandbox({ demoMeetings: false, retryScheduleMs: [50, 100, 200, 400], deliveryTimeoutMs: 5_000 });
  const controller = new AbortController();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} }, handler);
  const functionsBase = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
  const team = await createTeam();
  try {
    const tokens = await sandboxTokens(fathom.base);
    const integrationId = await connectFathom(team.teamId, tokens);
    await withEnv({ SUPABASE_URL: functionsBase }, async () => {
      const client = createFathomClient({ baseUrl: `${fathom.base}/external/v1`, accessToken: tokens.access_token });
      assert.equal(await ensureWebhook(client, integrationId), true);
    });
    await run({ fathom, teamId: team.teamId, janeId: team.janeId });
  } finally {
    await fathom.sandbox.close();
    await dropTeam(team.teamId);
    controller.abort();
    await server.finished;
    await fathom.close();
  }
}

async function recordForJane(fathom: ReturnType<typeof startSandbox>, title: string): Promise<number> {
  // Not shared with the team, so my_recordings fires whatever else the product subscribes to: this test is about
  // redelivery, not triggers.
  const { recording_id } = await recordAtSandbox(fathom.base, {
    user_email: SANDY, title, invitees: [{ name: JANE.name, email: JANE.email }], shared_with_team: false,
  });
  return recording_id;
}

async function storedOnce(teamId: string, recordingId: number) {
  const meetings = await sql`select id, title, source from public.meetings where team_id = ${teamId} and provider_meeting_id = ${recordingId}`;
  const events = await sql`select id from public.integration_events
                           where team_id = ${teamId} and type = 'fathom.meeting.imported'`;
  return { meetings, events };
}

/** Waits until the sandbox has seen a 2xx for the recording's delivery and nothing more is scheduled. */
async function deliveredAfterRetries(fathom: ReturnType<typeof startSandbox>, recordingId: number) {
  return await eventually(async () => {
    const d = fathom.sandbox.deliveries().find((x: { recording_id: number }) => x.recording_id === recordingId);
    return d?.delivered && d.next_attempt_at === null ? d : null;
  });
}

for (const mode of ["status_500", "slow"] as const) {
  test(`sandbox delivery: a first attempt that fails (${mode}) is stored by a retry, exactly once`, async () => {
    await withSubscribedTeam(async ({ fathom, teamId, janeId }) => {
      // status_500: the attempt never reaches the product. slow: it does (and may be stored), but its answer counts
      // as too late, so the retry is a duplicate the product must recognise.
      fathom.sandbox.setFailure({ target: "webhook", mode, times: 1 });
      const recordingId = await recordForJane(fathom, `Acme retry ${mode}`);

      const delivery = await deliveredAfterRetries(fathom, recordingId);
      const statuses = delivery.attempts.map((a: { status: number | null }) => a.status);
      assert.equal(statuses[0], mode === "status_500" ? 500 : null, JSON.stringify(delivery.attempts));
      assert.equal(statuses.at(-1), 200);

      const { meetings } = await eventually(async () => {
        const s = await storedOnce(teamId, recordingId);
        return s.meetings.length ? s : null;
      });
      assert.equal(meetings.length, 1);
      assert.deepEqual([meetings[0].title, meetings[0].source], [`Acme retry ${mode}`, "webhook"]);
      // Give any late import of the duplicate its chance before counting.
      await eventually(async () => (await storedOnce(teamId, recordingId)).events.length >= 1);
      const after = await storedOnce(teamId, recordingId);
      assert.equal(after.meetings.length, 1, "one meeting row");
      assert.equal(after.events.length, 1, "one fathom.meeting.imported event");
      const [link] = await sql`select lead_id from public.meeting_leads where meeting_id = ${meetings[0].id}`;
      assert.equal(link.lead_id, janeId);
    });
  });
}

test("sandbox delivery: a receiver that keeps failing gets the whole (shortened) schedule, and nothing is half-stored", async () => {
  await withSubscribedTeam(async ({ fathom, teamId }) => {
    fathom.sandbox.setFailure({ target: "webhook", mode: "status_500" });
    const recordingId = await recordForJane(fathom, "Acme never delivered");
    const delivery = await eventually(async () => {
      const d = fathom.sandbox.deliveries().find((x: { recording_id: number }) => x.recording_id === recordingId);
      return d && d.attempts.length === 5 && d.next_attempt_at === null ? d : null;
    });
    assert.equal(delivery.delivered, false);
    assert.equal((await storedOnce(teamId, recordingId)).meetings.length, 0);
    fathom.sandbox.clearFailures("webhook");
  });
  await closeAll();
});
