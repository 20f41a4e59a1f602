// Typeform forms in the dialog, against the Typeform sandbox: the account's forms live with their saved state, a
// form's fields and guessed mapping, switching on (webhook created at Typeform with our URL and a secret, past
// responses imported, paced), a submission delivered and signed by the sandbox becoming a lead, a response without
// e-mail refused on the form's row, switching off (webhook deleted), admins only, bad mappings refused.
import assert from "node:assert/strict";
import { handler as api } from "../api/handler.ts";
import { handler as webhook } from "../typeform-webhook/handler.ts";
import { backfillsIdle } from "../_shared/typeform/backfill.ts";
import { inboxIdle } from "../_shared/inbox/queue.ts";
import { createPacer, TypeformApiError, typeformClientFor } from "../_shared/typeform/client.ts";
import { switchOn } from "../_shared/typeform/forms.ts";
import { ADMIN, callAs, closeAll, MEMBER, OUTSIDER, sql, test } from "./helpers.ts";
import { connectTypeform, startTypeformSandbox } from "./typeform_support.ts";

const CONTACT = "cT1cXk9a";
const FEEDBACK = "fD3kP7sV";
const sandbox = await startTypeformSandbox(webhook);

const path = (teamId: string, rest = "") => `/api/teams/${teamId}/integrations/typeform/forms${rest}`;

test("typeform forms: the account's forms live, a form's fields and guessed mapping; members read, outsiders 404", async () => {
  const { teamId } = await connectTypeform(sandbox.tokens);
  const list = await callAs(api, MEMBER, "GET", path(teamId));
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.forms.map((f: { title: string; enabled: boolean }) => [f.title, f.enabled]), [
    ["Product feedback", false], ["Webinar sign-up", false], ["Contact us", false],
  ]);
  assert.equal((await callAs(api, OUTSIDER, "GET", path(teamId))).status, 404);

  const one = await callAs(api, MEMBER, "GET", path(teamId, `/${CONTACT}`));
  assert.equal(one.status, 200);
  assert.deepEqual(one.body.form.suggested, { email: "Fe1mAiL0aaaa", name: "Fn4mE0bbbbbb", company: "FcOmP0cccccc", notes: "FhElP0dddddd" });
  assert.deepEqual(one.body.form.fields[0], { id: "Fe1mAiL0aaaa", title: "What's your email?", type: "email" });
  const webinar = await callAs(api, MEMBER, "GET", path(teamId, "/wB8nR2qL"));
  assert.deepEqual(webinar.body.form.suggested, { email: "We1mAiL0ffff", name: "Wn4mE0eeeeee" });
  assert.equal((await callAs(api, MEMBER, "GET", path(teamId, "/nope"))).status, 404);
  assert.equal((await callAs(api, MEMBER, "GET", path(teamId, "/bad%20id"))).body.error.code, "form_not_found");
});

test("typeform forms: switching on is admins' and needs an e-mail field the form has", async () => {
  const { teamId } = await connectTypeform(sandbox.tokens);
  assert.equal((await callAs(api, MEMBER, "PATCH", path(teamId, `/${CONTACT}`), { enabled: true })).status, 403);
  const noEmailField = await callAs(api, ADMIN, "PATCH", path(teamId, `/${FEEDBACK}`), { enabled: true });
  assert.deepEqual([noEmailField.status, noEmailField.body.error.code], [400, "invalid_mapping"]);
  const foreign = await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: true, mapping: { email: "FsCoRe0iiiii" } });
  assert.deepEqual([foreign.status, foreign.body.error.code], [400, "invalid_mapping"]);
  assert.equal((await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: "yes" })).status, 400);
  const [{ n }] = await sql`select count(*)::int as n from public.typeform_forms where team_id = ${teamId} and enabled`;
  assert.equal(n, 0);
});

test("typeform forms: on -> webhook at Typeform + past responses imported; a submission becomes a lead; no e-mail is refused on the row; off -> webhook gone", async () => {
  const { teamId } = await connectTypeform(sandbox.tokens);
  const on = await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: true });
  assert.equal(on.status, 200);
  assert.equal(on.body.form.enabled, true);
  assert.equal(JSON.stringify(on.body).includes("route"), false, "no route id, hash or secret in the answer");
  await backfillsIdle();

  // the webhook at Typeform: enabled, signed, pointing at our function with a route id we only keep hashed
  const hooks = sandbox.typeform.snapshot().webhooks.filter((h) => h.form_id === CONTACT);
  assert.equal(hooks.length, 1);
  const [hook] = hooks;
  assert.equal(hook.enabled, true);
  assert.ok(hook.secret && hook.secret.length >= 32);
  const url = new URL(hook.url);
  assert.match(url.pathname, /^\/functions\/v1\/typeform-webhook\/[A-Za-z0-9_-]{43}$/);
  const routeId = url.pathname.split("/").pop()!;
  const [row] = await sql`select * from public.typeform_forms where team_id = ${teamId} and form_id = ${CONTACT}`;
  assert.ok(!JSON.stringify(row).includes(routeId), "the route id is stored hashed only");
  assert.ok(!JSON.stringify(row).includes(hook.secret!), "the secret is stored encrypted only");

  // backfill: the three past responses (Ada twice, differently cased; Grace) -> two leads
  const view = await callAs(api, MEMBER, "GET", path(teamId));
  const contact = view.body.forms.find((f: { form_id: string }) => f.form_id === CONTACT);
  assert.deepEqual(contact.backfill, { status: "done", imported: 3, error: null });
  const leads = await sql`select l.name, e.email from public.leads l join public.lead_emails e on e.lead_id = l.id where l.team_id = ${teamId} order by l.name`;
  assert.deepEqual(leads.map((l) => [l.name, l.email]), [["Ada Lovelace", "ada@lovelace.example"], ["Grace Hopper", "grace@hopper.example"]]);

  // a live submission, delivered and signed by the sandbox
  const sent = await sandbox.typeform.submit({ formId: CONTACT, values: { email: "jane@acme.test", name: "Jane Doe", company: "Acme" } });
  assert.deepEqual(sent!.deliveries.map((d) => d.status), [200]);
  await inboxIdle();
  const [jane] = await sql`select l.name, l.company, l.source from public.leads l join public.lead_emails e on e.lead_id = l.id where e.email = 'jane@acme.test' and l.team_id = ${teamId}`;
  assert.deepEqual({ ...jane }, { name: "Jane Doe", company: "Acme", source: "typeform" });
  // the same response again (a Typeform retry): acknowledged as a duplicate, nothing new
  const redelivered = await sandbox.typeform.handler(new Request(`${sandbox.base}/typeform/_sandbox/redeliver`, { method: "POST", body: JSON.stringify({ token: sent!.response.token }) }));
  assert.deepEqual((await redelivered.json()).deliveries.map((d: { status: number }) => d.status), [200]);
  await inboxIdle();
  const [{ n }] = await sql`select count(*)::int as n from public.typeform_responses where team_id = ${teamId} and response_token = ${sent!.response.token}`;
  assert.equal(n, 1);

  const refused = await sandbox.typeform.submit({ formId: CONTACT, values: { email: "x@acme.test", name: "Nomail" }, noEmail: true });
  assert.deepEqual(refused!.deliveries.map((d) => d.status), [200]);
  await inboxIdle();
  const afterRefusal = await callAs(api, MEMBER, "GET", path(teamId));
  const refusedRow = afterRefusal.body.forms.find((f: { form_id: string }) => f.form_id === CONTACT);
  assert.match(refusedRow.last_refusal.reason, /no e-mail/i);
  assert.equal(refusedRow.last_refusal.respondent, "Nomail", "who sent the refused response (review 12, finding 9)");

  const off = await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: false });
  assert.deepEqual([off.status, off.body.form.enabled, off.body.warning], [200, false, undefined]);
  assert.equal(sandbox.typeform.snapshot().webhooks.filter((h) => h.form_id === CONTACT).length, 0, "the webhook is deleted at Typeform");
  const late = await sandbox.typeform.submit({ formId: CONTACT, values: { email: "late@acme.test" } });
  assert.deepEqual(late!.deliveries, [], "no webhook, no delivery");
  // an old delivery replayed to the old route now finds nothing
  const replay = await webhook(new Request(hook.url, { method: "POST", body: "{}", headers: { "typeform-signature": "sha256=x" } }));
  assert.equal(replay.status, 404);
});

test("typeform forms: not connected is 409; Typeform's failures are ours to word (502 / 429), no half-switched form", async () => {
  const teamId = crypto.randomUUID();
  await sql`insert into public.teams (id, name) values (${teamId}, ${"Typeform test nc"})`;
  await sql`insert into public.team_members (team_id, user_id, role) values (${teamId}, ${ADMIN}, 'owner')`;
  assert.equal((await callAs(api, ADMIN, "GET", path(teamId))).body.error.code, "not_connected");

  const connected = await connectTypeform(sandbox.tokens);
  const fail = (body: unknown) => sandbox.typeform.handler(new Request(`${sandbox.base}/typeform/_sandbox/failures`, { method: "POST", body: JSON.stringify(body) }));
  await fail({ target: "api", kind: "server_error" });
  const listed = await callAs(api, ADMIN, "GET", path(connected.teamId));
  assert.deepEqual([listed.status, listed.body.error.code], [502, "provider_error"]);
  assert.ok(!JSON.stringify(listed.body).includes("INTERNAL_SERVER_ERROR"), "Typeform's text is not passed on");

  // Typeform keeps answering 429 (three attempts): 429 provider_rate_limited, nothing switched on
  await fail({ target: "api", kind: "rate_limited", retryAfterSeconds: 0, times: 3 });
  const limited = await callAs(api, ADMIN, "PATCH", path(connected.teamId, `/${CONTACT}`), { enabled: true });
  assert.deepEqual([limited.status, limited.body.error.code], [429, "provider_rate_limited"]);
  assert.equal((await sql`select 1 from public.typeform_forms where team_id = ${connected.teamId} and enabled`).length, 0);
  await sandbox.typeform.handler(new Request(`${sandbox.base}/typeform/_sandbox/failures`, { method: "DELETE" }));

  // the form definition comes, the webhook PUT is refused: the form is put back off, its route forgotten
  const refusing = {
    ...typeformClientFor(connected.integrationId),
    putWebhook: () => Promise.reject(new TypeformApiError(500, null)),
  };
  await assert.rejects(switchOn(connected.teamId, connected.integrationId, CONTACT, null, refusing), (err: unknown) => (err as { code?: string }).code === "provider_error");
  const [row] = await sql`select enabled, route_id_hash, webhook_secret_encrypted from public.typeform_forms where team_id = ${connected.teamId} and form_id = ${CONTACT}`;
  assert.deepEqual({ ...row }, { enabled: false, route_id_hash: null, webhook_secret_encrypted: null });
});

test("typeform disconnect: the forms' webhooks are deleted at Typeform; the responses and the lead's answers stay", async () => {
  const { teamId } = await connectTypeform(sandbox.tokens);
  assert.equal((await callAs(api, ADMIN, "PATCH", path(teamId, `/${CONTACT}`), { enabled: true })).status, 200);
  await backfillsIdle();
  const [{ webhook_tag: tag }] = await sql`select webhook_tag from public.typeform_forms where team_id = ${teamId} and form_id = ${CONTACT}`;
  assert.ok(sandbox.typeform.snapshot().webhooks.some((h) => h.tag === tag));
  const count = async () => (await sql`select count(*)::int as n from public.typeform_responses where team_id = ${teamId}`)[0].n;
  const before = await count();
  assert.ok(before >= 3);
  const gone = await callAs(api, ADMIN, "DELETE", `/api/teams/${teamId}/integrations/typeform`);
  assert.equal(gone.status, 204);
  assert.ok(!sandbox.typeform.snapshot().webhooks.some((h) => h.tag === tag), "the webhook is deleted at Typeform");
  assert.equal(await count(), before, "the responses stay");
  const [lead] = await sql`select l.id from public.leads l join public.lead_emails e on e.lead_id = l.id where l.team_id = ${teamId} and e.email = 'grace@hopper.example'`;
  const timeline = await callAs(api, MEMBER, "GET", `/api/teams/${teamId}/leads/${lead.id}/timeline`);
  const item = timeline.body.items.find((i: { kind: string }) => i.kind === "form_response");
  assert.equal(item.response.form_title, "Contact us");
});

test("typeform pacer: calls are spaced 500 ms apart (2 a second), a 429 pauses everyone", async () => {
  const waits: number[] = [];
  const pacer = createPacer(500, (ms) => {
    waits.push(ms);
    return Promise.resolve();
  });
  await pacer.turn();
  await pacer.turn();
  await pacer.turn();
  assert.equal(waits.length, 2, "the first call goes at once");
  assert.ok(waits.every((ms) => ms > 0 && ms <= 1000), JSON.stringify(waits));
  pacer.pause(5000);
  await pacer.turn();
  assert.ok(waits.at(-1)! > 4000);
});

test("cleanup", async () => {
  await backfillsIdle();
  await sql`delete from public.teams where name like 'Typeform test %'`;
  await sandbox.server.shutdown();
  await closeAll();
});
