// The every-minute sweep (fathom-sync) gives each provider its own share (attacker review 12b, finding 2): a Zoom
// that hangs does not hold back Typeform's due deliveries in the same sweep, and one sweep takes a bounded number
// of Zoom's due rows (the rest stay due for the next). Counts, not timings.
import assert from "node:assert/strict";
import { handler } from "../fathom-sync/handler.ts";
import { inboxIdle } from "../_shared/inbox/queue.ts";
import { processDueZoomDeliveries, SWEEP_ROWS } from "../_shared/zoom/inbox.ts";
import { closeAll, sql, test } from "./helpers.ts";
import { createTeam, dropTeam } from "./fathom_support.ts";
import { createTypeformTeam, delivery, enableForm, FORM_ID } from "./typeform_support.ts";
import { AVERY, connectZoom, recordingEvent, withZoomApi } from "./zoom_support.ts";

const SECRET = "a-cron-secret-for-tests-0123456789";

/** Other files' due rows and imports are not this test's: moved out of the sweep's way. */
async function setAsideOthers() {
  await sql`update public.webhook_deliveries set next_attempt_at = now() + interval '1 day' where status = 'received'`;
  await sql`update public.integration_syncs set status = 'failed', resume_after = null
             where status in ('running', 'paused_rate_limited') or (status = 'failed' and resume_after is not null)`;
}

async function dueZoomDelivery(teamId: string, integrationId: string): Promise<string> {
  const uuid = `Sweep${crypto.randomUUID().slice(0, 12)}==`;
  const messageId = `recording.completed:${uuid}`;
  await sql`insert into public.webhook_deliveries (integration_id, team_id, provider, webhook_message_id, status, body)
            values (${integrationId}, ${teamId}, 'zoom', ${messageId}, 'received', ${recordingEvent({ uuid })})`;
  return messageId;
}

test("sweep: a Zoom that hangs does not hold back Typeform's due deliveries in the same sweep", async () => {
  await setAsideOthers();
  const zoomTeam = await createTeam();
  const tf = await createTypeformTeam();
  const typeformImported = async () =>
    (await sql`select count(*)::int n from public.webhook_deliveries where team_id = ${tf.teamId} and status = 'imported'`)[0].n === 1;
  let typeformDoneWhileZoomHeld: boolean | null = null;
  // Zoom answers only once Typeform's delivery is imported, or after 100 looks (then the old order shows)
  const api = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async () => {
    let done = false;
    for (let i = 0; i < 100 && !done; i++) {
      done = await typeformImported();
      if (!done) await new Promise((r) => setTimeout(r, 50));
    }
    typeformDoneWhileZoomHeld ??= done;
    return Response.json({ participants: [], next_page_token: "" });
  });
  Deno.env.set("FATHOM_SYNC_SECRET", SECRET);
  try {
    await withZoomApi(`http://127.0.0.1:${(api.addr as Deno.NetAddr).port}`, async () => {
      const zoomIntegration = await connectZoom(zoomTeam.teamId, AVERY, { access_token: "ok", refresh_token: null });
      await dueZoomDelivery(zoomTeam.teamId, zoomIntegration);
      await enableForm(tf.teamId, tf.integrationId);
      const token = "sweepTf0000000000000000000000000";
      await sql`insert into public.webhook_deliveries (integration_id, team_id, provider, webhook_message_id, status, body)
                values (${tf.integrationId}, ${tf.teamId}, 'typeform', ${`${FORM_ID}:${token}`}, 'received',
                        ${delivery(token, { email: "sweep@acme.test", name: "Sweep" })})`;
      const res = await handler(new Request("http://127.0.0.1:54321/functions/v1/fathom-sync", {
        method: "POST",
        headers: { authorization: `Bearer ${SECRET}` },
      }));
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.equal(typeformDoneWhileZoomHeld, true, "Typeform's delivery waited for Zoom");
      assert.ok(body.inbox.imported >= 2, JSON.stringify(body.inbox));
      assert.ok(await typeformImported());
    });
  } finally {
    Deno.env.delete("FATHOM_SYNC_SECRET");
    await inboxIdle();
    await api.shutdown();
    await dropTeam(zoomTeam.teamId);
    await sql`delete from public.teams where id = ${tf.teamId}`;
  }
});

test("sweep: one sweep takes at most SWEEP_ROWS of Zoom's due deliveries; the rest stay due for the next", async () => {
  await setAsideOthers();
  const team = await createTeam();
  const api = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, () => Response.json({ participants: [], next_page_token: "" }));
  try {
    await withZoomApi(`http://127.0.0.1:${(api.addr as Deno.NetAddr).port}`, async () => {
      const integrationId = await connectZoom(team.teamId, AVERY, { access_token: "ok", refresh_token: null });
      for (let i = 0; i < SWEEP_ROWS + 5; i++) await dueZoomDelivery(team.teamId, integrationId);
      const counts = await processDueZoomDeliveries();
      assert.equal(counts.imported, SWEEP_ROWS);
      const rows = await sql`select status, count(*)::int n from public.webhook_deliveries where team_id = ${team.teamId} group by 1 order by 1`;
      assert.deepEqual(rows.map((r) => [r.status, r.n]), [["imported", SWEEP_ROWS], ["received", 5]]);
      assert.equal((await processDueZoomDeliveries()).imported, 5, "the next sweep takes the rest");
    });
  } finally {
    await inboxIdle();
    await api.shutdown();
    await dropTeam(team.teamId);
  }
});

test("zz cleanup", async () => {
  await inboxIdle();
  await closeAll();
});
