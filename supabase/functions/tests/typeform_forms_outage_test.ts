// Typeform slow or down while the dialog works (issue 12 review, newcomer finding 8): a call that runs out of time is
// 504 provider_timeout in Typeform's words (the request and its body alike), never a 500; the dialog still lists
// the forms the CRM knows when Typeform fails; a webhook a switch-off could not delete is remembered on the form's
// row, and a later disconnect deletes it.
import assert from "node:assert/strict";
import { handler as api } from "../api/handler.ts";
import { handler as webhook } from "../typeform-webhook/handler.ts";
import { AppError } from "../_shared/errors.ts";
import { backfillsIdle } from "../_shared/typeform/backfill.ts";
import { createPacer, createTypeformClient } from "../_shared/typeform/client.ts";
import { atTypeform } from "../_shared/typeform/forms.ts";
import { ADMIN, callAs, closeAll, MEMBER, sql, test } from "./helpers.ts";
import { connectTypeform, startTypeformSandbox } from "./typeform_support.ts";

// the sandbox's seed, read by file URL at run time as typeform_support.ts loads the sandbox (supabase/ never imports dev/)
const { seedResponses } = await import(new URL("../../../dev/typeform-sandbox/answers.ts", import.meta.url).href) as {
  seedResponses(nowMs: number): { form_id: string }[];
};
const CONTACT = "cT1cXk9a";
const sandbox = await startTypeformSandbox(webhook);
const path = (teamId: string, rest = "") => `/api/teams/${teamId}/integrations/typeform/forms${rest}`;
const failures = (body?: unknown) =>
  sandbox.typeform.handler(new Request(`${sandbox.base}/typeform/_sandbox/failures`, body === undefined ? { method: "DELETE" } : { method: "POST", body: JSON.stringify(body) }));

function clientWith(fetchImpl: typeof fetch) {
  return createTypeformClient({
    baseUrl: "https://api.typeform.test",
    tokens: { token: () => Promise.resolve("t"), refresh: () => Promise.reject(new Error("no refresh")) },
    pacer: createPacer(0),
    fetch: fetchImpl,
  });
}
const timedOut = () => new DOMException("Signal timed out.", "TimeoutError");

test("typeform timeout: no answer in time is 504 provider_timeout in Typeform's words, for the request and its body", async () => {
  const noAnswer = clientWith(() => Promise.reject(timedOut()));
  const bodyStalls = clientWith(() =>
    Promise.resolve(new Response(new ReadableStream({ start: (c) => c.error(timedOut()) }), { status: 200 }))
  );
  for (const [what, call] of [
    ["list, no answer", () => noAnswer.listForms()],
    ["form, no answer", () => noAnswer.getForm(CONTACT)],
    ["webhook, no answer", () => noAnswer.putWebhook(CONTACT, "crm-x", { url: "https://x.test", secret: "s" })],
    ["responses, no answer", () => noAnswer.listResponses(CONTACT)],
    ["list, the body stalls", () => bodyStalls.listForms()],
    ["form, the body stalls", () => bodyStalls.getForm(CONTACT)],
  ] as [string, () => Promise<unknown>][]) {
    await assert.rejects(atTypeform(call), (err: unknown) => {
      assert.ok(err instanceof AppError, `${what}: ${err}`);
      assert.deepEqual([err.code, err.status, err.message], ["provider_timeout", 504, "Typeform didn't answer in time. Try again in a moment."], what);
      return true;
    });
  }
  // refused outright stays "could not be reached"
  const refused = clientWith(() => Promise.reject(new TypeError("connection refused")));
  await assert.rejects(atTypeform(() => refused.listForms()), (err: unknown) => (err as AppError).code === "provider_unavailable");
});

test("typeform outage: the forms the CRM knows stay listed with a notice; switch-off works; its leftover webhook is on the row and a disconnect deletes it", async () => {
  const { teamId } = await connectTypeform(sandbox.tokens);
  assert.equal((await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: true })).status, 200);
  await backfillsIdle();
  const [{ webhook_tag: tag }] = await sql`select webhook_tag from public.typeform_forms where team_id = ${teamId} and form_id = ${CONTACT}`;

  await failures({ target: "api", kind: "server_error", times: 1000 });
  try {
    const listed = await callAs(api, MEMBER, "GET", path(teamId));
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.equal(listed.body.unavailable.code, "provider_error");
    assert.deepEqual(listed.body.forms.map((f: { form_id: string; enabled: boolean }) => [f.form_id, f.enabled]), [[CONTACT, true]]);

    // switched off while Typeform is down: off here, its webhook left at Typeform and said so on the row
    const off = await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: false });
    assert.equal(off.status, 200);
    assert.equal(off.body.warning.code, "webhook_cleanup_failed");
    assert.deepEqual([off.body.form.enabled, off.body.form.webhook_left], [false, true]);
    const again = await callAs(api, ADMIN, "GET", path(teamId));
    assert.deepEqual(again.body.forms.map((f: { enabled: boolean; webhook_left: boolean }) => [f.enabled, f.webhook_left]), [[false, true]]);
    assert.ok(!JSON.stringify(again.body).includes(tag), "the tag itself is not shown");
  } finally {
    await failures();
  }
  assert.ok(sandbox.typeform.snapshot().webhooks.some((h) => h.tag === tag), "Typeform still has it");
  const gone = await callAs(api, ADMIN, "DELETE", `/api/teams/${teamId}/integrations/typeform`);
  assert.equal(gone.status, 204);
  assert.ok(!sandbox.typeform.snapshot().webhooks.some((h) => h.tag === tag), "the disconnect deleted the webhook left behind");
});

test("typeform outage: a team whose forms the CRM doesn't know yet still gets the error (nothing to list)", async () => {
  const { teamId } = await connectTypeform(sandbox.tokens);
  await failures({ target: "api", kind: "server_error", times: 1000 });
  try {
    const listed = await callAs(api, ADMIN, "GET", path(teamId));
    assert.deepEqual([listed.status, listed.body.error?.code], [502, "provider_error"]);
  } finally {
    await failures();
  }
});

test("typeform form detail: a form that is off says how many past responses switching it on imports; one on doesn't ask", async () => {
  const { teamId } = await connectTypeform(sandbox.tokens);
  const off = await callAs(api, ADMIN, "GET", path(teamId, `/${CONTACT}`));
  assert.equal(off.status, 200);
  // what Typeform's responses page says (total_items), here the sandbox's seeded Contact us responses
  assert.equal(off.body.form.past_responses, seedResponses(Date.now()).filter((r) => r.form_id === CONTACT).length);
  assert.equal((await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: true })).status, 200);
  await backfillsIdle();
  assert.equal((await callAs(api, ADMIN, "GET", path(teamId, `/${CONTACT}`))).body.form.past_responses, null);
  await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: false });
});

test("cleanup", async () => {
  await backfillsIdle();
  await sql`delete from public.teams where name like 'Typeform test %'`;
  await sandbox.server.shutdown();
  await closeAll();
});
