// A webhook a failed switch-off left at Typeform, and what the dialog says of it (newcomer review 12b, finding G and
// row 13): once Typeform delivers to the old route, the CRM answers 404 (Typeform disables the webhook) and records
// when on the form's row, whether the route was still cached in this isolate or not; a switch-on clears it; a 404 for
// any other route records nothing. And the form's detail says how many of its past responses are here already, so
// the dialog's "will be imported" counts only new ones.
import assert from "node:assert/strict";
import { handler as api } from "../api/handler.ts";
import { handler as webhook } from "../typeform-webhook/handler.ts";
import { backfillsIdle } from "../_shared/typeform/backfill.ts";
import { inboxIdle } from "../_shared/inbox/queue.ts";
import { forgetTypeformRoutes } from "../_shared/typeform/webhook.ts";
import { ADMIN, callAs, closeAll, MEMBER, sql, test } from "./helpers.ts";
import { connectTypeform, startTypeformSandbox } from "./typeform_support.ts";

const CONTACT = "cT1cXk9a";
const sandbox = await startTypeformSandbox(webhook);
const path = (teamId: string, rest = "") => `/api/teams/${teamId}/integrations/typeform/forms${rest}`;
const failures = (body?: unknown) =>
  sandbox.typeform.handler(new Request(`${sandbox.base}/typeform/_sandbox/failures`, body === undefined ? { method: "DELETE" } : { method: "POST", body: JSON.stringify(body) }));

/** Contact us on, then off while Typeform fails: off here, its webhook left at Typeform. */
async function switchedOffWithWebhookLeft(teamId: string) {
  assert.equal((await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: true })).status, 200);
  await backfillsIdle();
  await failures({ target: "api", kind: "server_error", times: 1000 });
  try {
    const off = await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: false });
    assert.deepEqual([off.status, off.body.form.webhook_left, off.body.form.webhook_refused_at], [200, true, null]);
  } finally {
    await failures();
  }
}

const contactRow = async (teamId: string) =>
  (await callAs(api, MEMBER, "GET", path(teamId))).body.forms.find((f: { form_id: string }) => f.form_id === CONTACT);

for (const cached of [false, true]) {
  test(`typeform stale webhook (route ${cached ? "cached" : "not cached"}): its refused delivery is recorded on the form's row; a switch-on clears it`, async () => {
    const { teamId } = await connectTypeform(sandbox.tokens);
    if (cached) {
      // a delivery while on: this isolate caches the route, so the refusal comes from the storing statement
      assert.equal((await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: true })).status, 200);
      const sent = await sandbox.typeform.submit({ formId: CONTACT, values: { email: "before.off@acme.test" } });
      assert.deepEqual(sent?.deliveries.map((d) => d.status), [200]);
      await inboxIdle();
    } else {
      forgetTypeformRoutes();
    }
    await switchedOffWithWebhookLeft(teamId);
    const before = Date.now();
    // the sandbox keeps every response (a later switch-on imports it): an address of this test's own
    const email = `after.off.${cached ? "cached" : "fresh"}@acme.test`;

    const sent = await sandbox.typeform.submit({ formId: CONTACT, values: { email } });
    assert.deepEqual(sent?.deliveries.map((d) => d.status), [404], "the CRM refuses the old route");
    const row = await contactRow(teamId);
    assert.equal(row.webhook_left, true, "Typeform still holds it (disabled): the next switch-off or a disconnect deletes it");
    assert.ok(row.webhook_refused_at, "the refusal is recorded");
    assert.ok(Math.abs(Date.parse(row.webhook_refused_at) - before) < 60_000);
    const [{ n }] = await sql`select count(*)::int as n from public.leads l join public.lead_emails e on e.lead_id = l.id
                               where l.team_id = ${teamId} and e.email = ${email}`;
    assert.equal(n, 0, "no lead from a form that is off");

    // switched on again: a new route, nothing left, nothing refused
    assert.equal((await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: true })).status, 200);
    await backfillsIdle();
    const on = await contactRow(teamId);
    assert.deepEqual([on.enabled, on.webhook_left, on.webhook_refused_at], [true, false, null]);
    const [stale] = await sql`select stale_route_id_hash, webhook_refused_at from public.typeform_forms where team_id = ${teamId} and form_id = ${CONTACT}`;
    assert.deepEqual(stale, { stale_route_id_hash: null, webhook_refused_at: null });
    await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: false });
  });
}

test("typeform stale webhook: a 404 for an unknown route records nothing; an off form without a left webhook shows no refusal", async () => {
  const { teamId } = await connectTypeform(sandbox.tokens);
  await switchedOffWithWebhookLeft(teamId);
  const unknown = await webhook(new Request(`http://127.0.0.1/typeform-webhook/${"A".repeat(43)}`, { method: "POST", body: "{}" }));
  assert.equal(unknown.status, 404);
  assert.equal((await contactRow(teamId)).webhook_refused_at, null);
  // a clean switch-off (the webhook deleted): a late delivery to the old route changes nothing the row shows
  assert.equal((await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: false })).body.form.webhook_left, false);
  assert.deepEqual([(await contactRow(teamId)).webhook_left, (await contactRow(teamId)).webhook_refused_at], [false, null]);
});

test("typeform form detail: known_responses counts this form's responses already here, so the import's new ones are past - known", async () => {
  const { teamId } = await connectTypeform(sandbox.tokens);
  const first = (await callAs(api, ADMIN, "GET", path(teamId, `/${CONTACT}`))).body.form;
  assert.ok(first.past_responses > 0);
  assert.equal(first.known_responses, 0, "nothing here yet: all past responses are new");
  assert.equal((await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: true })).status, 200);
  await backfillsIdle();
  assert.equal((await callAs(api, ADMIN, "GET", path(teamId, `/${CONTACT}`))).body.form.known_responses, null, "a form on asks nothing");
  assert.equal((await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: false })).status, 200);
  const again = (await callAs(api, ADMIN, "GET", path(teamId, `/${CONTACT}`))).body.form;
  assert.deepEqual([again.past_responses, again.known_responses], [first.past_responses, first.past_responses], "all imported or refused before");
  // switching on again imports none of them: the row's "No new past responses" and the panel agree
  assert.equal((await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: true })).status, 200);
  await backfillsIdle();
  assert.deepEqual((await contactRow(teamId)).backfill, { status: "done", imported: 0, error: null });
  await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: false });
});

test("cleanup", async () => {
  await backfillsIdle();
  await inboxIdle();
  await sql`delete from public.teams where name like 'Typeform test %'`;
  await sandbox.server.shutdown();
  await closeAll();
});
