// A Typeform delivery that fails in the inbox keeps its body (attacker review 12b, finding 3): Typeform's retry of
// the same response is a duplicate of the failed row, so the kept body is what a retry by hand imports again.
import assert from "node:assert/strict";
import { INBOX_MAX_ATTEMPTS, inboxIdle } from "../_shared/inbox/queue.ts";
import { processTypeformDelivery } from "../_shared/typeform/inbox.ts";
import { closeAll, sql, test } from "./helpers.ts";
import { createTypeformTeam, delivery, enableForm } from "./typeform_support.ts";

test("typeform inbox: a delivery that fails for good keeps its body, and a re-armed row imports the response from it", async () => {
  const { teamId, integrationId } = await createTypeformTeam();
  try {
    const token = "failKeep000000000000000000000000";
    const body = delivery(token, { email: "kept@acme.test", name: "Kept" });
    const messageId = `cT1cXk9a:${token}`;
    // the last attempt, and the form's row is not there (a race with switching the form on or with a disconnect)
    await sql`insert into public.webhook_deliveries (integration_id, team_id, provider, webhook_message_id, status, body, attempts)
              values (${integrationId}, ${teamId}, 'typeform', ${messageId}, 'received', ${body}, ${INBOX_MAX_ATTEMPTS - 1})`;
    assert.equal(await processTypeformDelivery(integrationId, messageId), "failed");
    const [failed] = await sql`select status, body from public.webhook_deliveries where integration_id = ${integrationId} and webhook_message_id = ${messageId}`;
    assert.equal(failed.status, "failed");
    assert.equal(failed.body, body, "the failed row keeps the response");

    // what a retry does: the form is there now, the row is received again
    await enableForm(teamId, integrationId);
    await sql`update public.webhook_deliveries set status = 'received', attempts = 0, next_attempt_at = now()
               where integration_id = ${integrationId} and webhook_message_id = ${messageId}`;
    assert.equal(await processTypeformDelivery(integrationId, messageId), "imported");
    const responses = await sql`select response_token from public.typeform_responses where team_id = ${teamId}`;
    assert.deepEqual(responses.map((r) => r.response_token), [token]);
  } finally {
    await sql`delete from public.teams where id = ${teamId}`;
  }
});

test("zz cleanup", async () => {
  await inboxIdle();
  await closeAll();
});
