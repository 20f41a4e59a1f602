// typeform-webhook: the signature matrix (valid, wrong secret, altered body, missing header), routing by the hashed
// route id, dedupe on the response token (sequential and concurrent), leads by the one e-mail rule, a response
// without e-mail refused with its reason on the form's row, lead.created for a new lead. The 200 answers once the
// delivery is stored in the inbox (webhook_deliveries); the lead is made after it: tests wait with inboxIdle().
import assert from "node:assert/strict";
import { handler } from "../typeform-webhook/handler.ts";
import { typeformSignature, verifyTypeformSignature } from "../_shared/typeform/signature.ts";
import { handler as api } from "../api/handler.ts";
import { asUser } from "../_shared/db.ts";
import { inboxIdle } from "../_shared/inbox/queue.ts";
import { processDueTypeformDeliveries } from "../_shared/typeform/inbox.ts";
import { ADMIN, callAs, closeAll, MEMBER, OUTSIDER, sql, test } from "./helpers.ts";
import { createTypeformTeam, delivery, enableForm, signed } from "./typeform_support.ts";

function post(routeId: string, body: string, headers: Record<string, string>): Promise<Response> {
  return handler(new Request(`http://127.0.0.1:54399/functions/v1/typeform-webhook/${routeId}`, { method: "POST", headers, body }));
}

async function stored(teamId: string) {
  const [row] = await sql`
    select (select count(*)::int from public.typeform_responses where team_id = ${teamId}) as responses,
           (select count(*)::int from public.leads where team_id = ${teamId}) as leads`;
  return row;
}

async function setup() {
  const team = await createTypeformTeam();
  return { ...team, ...await enableForm(team.teamId, team.integrationId) };
}

test("typeform-webhook: signature matrix; only a valid signature stores anything", async () => {
  const { teamId, routeId, secret } = await setup();
  const body = delivery("tok1aaaaaaaaaaaaaaaaaaaaaaaaaaaa", { email: "jane@acme.test", name: "Jane Doe", company: "Acme" });

  const wrongSecret = await post(routeId, body, await signed("not-the-secret", body));
  assert.equal(wrongSecret.status, 401);
  const altered = await post(routeId, body.replace("jane@acme.test", "mallory@acme.test"), await signed(secret, body));
  assert.equal(altered.status, 401);
  const missing = await post(routeId, body, { "content-type": "application/json" });
  assert.equal(missing.status, 401);
  const hex = await post(routeId, body, { "typeform-signature": "sha256=" + "ab".repeat(32) });
  assert.equal(hex.status, 401, "hex is not Typeform's encoding");
  assert.deepEqual(await stored(teamId), { responses: 0, leads: 0 });

  const ok = await post(routeId, body, await signed(secret, body));
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { ok: true, result: "received", duplicate: false });
  await inboxIdle();
  const [lead] = await sql`select l.name, l.company, l.source, e.email from public.leads l join public.lead_emails e on e.lead_id = l.id where l.team_id = ${teamId}`;
  assert.deepEqual({ ...lead }, { name: "Jane Doe", company: "Acme", source: "typeform", email: "jane@acme.test" });
  const [response] = await sql`select status, reason, source, answers from public.typeform_responses where team_id = ${teamId}`;
  assert.equal(response.status, "imported");
  assert.equal(response.source, "webhook");
  assert.deepEqual(response.answers[0], { field_id: "Fe1mAiL0aaaa", title: "What's your email?", type: "email", value: "jane@acme.test" });
});

test("typeform-webhook: unknown route, a switched-off form and a malformed route are 404; a signed non-response is 400", async () => {
  const { teamId, routeId, secret } = await setup();
  const body = delivery("tok2aaaaaaaaaaaaaaaaaaaaaaaaaaaa", { email: "x@acme.test" });
  assert.equal((await post("A".repeat(43), body, await signed(secret, body))).status, 404);
  assert.equal((await post("../../etc", body, await signed(secret, body))).status, 404);
  await sql`update public.typeform_forms set enabled = false where team_id = ${teamId}`;
  assert.equal((await post(routeId, body, await signed(secret, body))).status, 404);
  await sql`update public.typeform_forms set enabled = true where team_id = ${teamId}`;
  for (const bad of ["not json", JSON.stringify({ event_type: "ping" }), delivery("tok3aaaaaaaaaaaaaaaaaaaaaaaaaaaa", { email: "x@acme.test" }, "otherForm1")]) {
    const res = await post(routeId, bad, await signed(secret, bad));
    assert.equal(res.status, 400, bad.slice(0, 30));
  }
  assert.deepEqual(await stored(teamId), { responses: 0, leads: 0 });
});

test("typeform-webhook: a route cached by an earlier delivery, switched off since, is 404 at once whatever the body", async () => {
  const { teamId, routeId, secret } = await setup();
  const first = delivery("tokFaaaaaaaaaaaaaaaaaaaaaaaaaaaa", { email: "first@acme.test" });
  assert.equal((await post(routeId, first, await signed(secret, first))).status, 200);
  await inboxIdle();
  await sql`update public.typeform_forms set enabled = false where team_id = ${teamId}`;
  const late = delivery("tokGaaaaaaaaaaaaaaaaaaaaaaaaaaaa", { email: "late@acme.test" });
  assert.equal((await post(routeId, late, await signed(secret, late))).status, 404, "signed");
  assert.equal((await post(routeId, late, await signed("wrong", late))).status, 404, "badly signed");
  assert.equal((await post(routeId, "not json", await signed(secret, "not json"))).status, 404, "not a response");
  assert.deepEqual(await stored(teamId), { responses: 1, leads: 1 });
});

test("typeform-webhook: the same response twice, and five at once, make one row and one lead", async () => {
  const { teamId, routeId, secret } = await setup();
  const body = delivery("tok4aaaaaaaaaaaaaaaaaaaaaaaaaaaa", { email: "dup@acme.test", name: "Dup" });
  const headers = await signed(secret, body);
  assert.equal((await (await post(routeId, body, headers)).json()).result, "received");
  assert.deepEqual(await (await post(routeId, body, headers)).json(), { ok: true, result: "duplicate", duplicate: true });
  await inboxIdle();
  assert.deepEqual(await (await post(routeId, body, headers)).json(), { ok: true, result: "duplicate", duplicate: true }, "also once imported");

  const other = delivery("tok5aaaaaaaaaaaaaaaaaaaaaaaaaaaa", { email: "burst@acme.test", name: "Burst" });
  const otherHeaders = await signed(secret, other);
  const results = await Promise.all(Array.from({ length: 5 }, () => post(routeId, other, otherHeaders).then((r) => r.json())));
  assert.deepEqual(results.map((r) => r.result).sort(), ["duplicate", "duplicate", "duplicate", "duplicate", "received"]);
  await inboxIdle();
  assert.deepEqual(await stored(teamId), { responses: 2, leads: 2 });
});

test("typeform-webhook: an existing lead is matched by the e-mail rule, not duplicated; its company is filled, not overwritten", async () => {
  const { teamId, routeId, secret } = await setup();
  const [lead] = await sql`insert into public.leads (team_id, name, source) values (${teamId}, 'Ada', 'manual') returning id`;
  await sql`insert into public.lead_emails (lead_id, team_id, email) values (${lead.id}, ${teamId}, 'Ada@Lovelace.example')`;
  const body = delivery("tok6aaaaaaaaaaaaaaaaaaaaaaaaaaaa", { email: "  ada@LOVELACE.example ", name: "Someone Else", company: "Engines" });
  assert.equal((await (await post(routeId, body, await signed(secret, body))).json()).result, "received");
  await inboxIdle();
  const leads = await sql`select id, name, company from public.leads where team_id = ${teamId}`;
  assert.deepEqual(leads.map((l) => ({ ...l })), [{ id: lead.id, name: "Ada", company: "Engines" }]);
  const second = delivery("tok7aaaaaaaaaaaaaaaaaaaaaaaaaaaa", { email: "ada@lovelace.example", company: "Other" });
  await post(routeId, second, await signed(secret, second));
  await inboxIdle();
  assert.equal((await sql`select company from public.leads where id = ${lead.id}`)[0].company, "Engines");
  const [{ n }] = await sql`select count(*)::int as n from public.typeform_responses where lead_id = ${lead.id}`;
  assert.equal(n, 2);
});

test("typeform-webhook: a response without e-mail is refused, stored with its reason, shown on the form's row", async () => {
  const { teamId, formRowId, routeId, secret } = await setup();
  const body = delivery("tok8aaaaaaaaaaaaaaaaaaaaaaaaaaaa", { name: "No Mail", email: "not-an-address" });
  const res = await post(routeId, body, await signed(secret, body));
  assert.deepEqual([res.status, (await res.json()).result], [200, "received"]);
  await inboxIdle();
  const [row] = await sql`select status, reason, lead_id from public.typeform_responses where team_id = ${teamId}`;
  assert.deepEqual([row.status, row.lead_id], ["refused", null]);
  assert.match(row.reason, /no e-mail/i);
  const [form] = await sql`select last_refusal_reason, last_refusal_at, last_refusal_respondent from public.typeform_forms where id = ${formRowId}`;
  assert.equal(form.last_refusal_reason, row.reason);
  assert.ok(form.last_refusal_at);
  assert.equal(form.last_refusal_respondent, "No Mail", "who sent it: the mapped name answer");
  assert.equal((await stored(teamId)).leads, 0);

  // a hostile name: escape sequences (whole), control, bidi and line-separator characters go, clipped to 120 characters
  const hostile = delivery("tok8baaaaaaaaaaaaaaaaaaaaaaaaaaa", { name: "Mallory\u0007\u001b[31m \u202Eevil\u2028" + "x".repeat(300) });
  await post(routeId, hostile, await signed(secret, hostile));
  await inboxIdle();
  const [after] = await sql`select last_refusal_respondent as r from public.typeform_forms where id = ${formRowId}`;
  assert.equal([...after.r].length, 120);
  assert.ok(after.r.startsWith("Mallory evil xxx"), after.r);
  assert.ok(after.r.endsWith("…"));
  assert.doesNotMatch(after.r, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2028]/);

  // no name answer: the first short text answers; nothing usable: null (the row shows the reason alone)
  const noName = delivery("tok8caaaaaaaaaaaaaaaaaaaaaaaaaaa", { company: "Initech", message: "Call me about pricing" });
  await post(routeId, noName, await signed(secret, noName));
  await inboxIdle();
  assert.equal((await sql`select last_refusal_respondent as r from public.typeform_forms where id = ${formRowId}`)[0].r, "Initech");
  const nothing = delivery("tok8daaaaaaaaaaaaaaaaaaaaaaaaaaa", { name: "\u200B\u0007 " });
  await post(routeId, nothing, await signed(secret, nothing));
  await inboxIdle();
  assert.equal((await sql`select last_refusal_respondent as r from public.typeform_forms where id = ${formRowId}`)[0].r, null);
});

test("typeform-webhook: a new lead is a lead.created automation event (the existing trigger); a matched one is not", async () => {
  const { teamId, routeId, secret } = await setup();
  const ruleId = crypto.randomUUID();
  const versionId = crypto.randomUUID();
  await sql.begin(async (tx) => {
    await tx`insert into public.automation_rules (id, team_id, name, trigger, enabled, current_version_id, version)
             values (${ruleId}, ${teamId}, 'Rule', 'lead.created', true, ${versionId}, 1)`;
    await tx`insert into public.automation_rule_versions (id, rule_id, team_id, version, name, trigger, conditions, actions)
             values (${versionId}, ${ruleId}, ${teamId}, 1, 'Rule', 'lead.created', ${sql.json({ match: "all", rules: [] })},
                     ${sql.json([{ type: "add_note", template: "hi" }])})`;
  });
  const body = delivery("tok9aaaaaaaaaaaaaaaaaaaaaaaaaaaa", { email: "new@acme.test", name: "New Person" });
  await post(routeId, body, await signed(secret, body));
  const again = delivery("tokAaaaaaaaaaaaaaaaaaaaaaaaaaaaa", { email: "NEW@acme.test" });
  await post(routeId, again, await signed(secret, again));
  await inboxIdle();
  const events = await sql`select type, source, payload from public.automation_events where team_id = ${teamId}`;
  assert.deepEqual(events.map((e) => [e.type, e.source, e.payload]), [["lead.created", "typeform", { lead_source: "typeform" }]]);
});

test("typeform-webhook: the answers land on the lead's timeline as a form_response (members read it)", async () => {
  const { teamId, routeId, secret } = await setup();
  const body = delivery("tokBaaaaaaaaaaaaaaaaaaaaaaaaaaaa", { email: "tl@acme.test", name: "Tim Line", message: "Pricing?" });
  await post(routeId, body, await signed(secret, body));
  await inboxIdle();
  const [lead] = await sql`select id from public.leads where team_id = ${teamId}`;
  const res = await callAs(api, ADMIN, "GET", `/api/teams/${teamId}/leads/${lead.id}/timeline`);
  assert.equal(res.status, 200);
  const item = res.body.items.find((i: { kind: string }) => i.kind === "form_response");
  assert.equal(item.at, "2026-03-02T12:00:00.000Z", "at: when it was submitted");
  assert.equal(item.response.form_title, "Contact us");
  assert.deepEqual(item.response.answers.map((a: { title: string; value: unknown }) => [a.title, a.value]), [
    ["What's your email?", "tl@acme.test"], ["What's your name?", "Tim Line"], ["How can we help?", "Pricing?"],
  ]);
});

test("typeform-webhook: acknowledged once stored in the inbox, ingested after; the sweep ingests what a crash left behind", async () => {
  const { teamId, integrationId, routeId, secret } = await setup();
  const body = delivery("tokCaaaaaaaaaaaaaaaaaaaaaaaaaaaa", { email: "inbox@acme.test", name: "In Box" });
  const res = await post(routeId, body, await signed(secret, body));
  assert.equal(res.status, 200);
  // the 200 means "stored": the raw delivery is in the inbox, keyed by form and response token
  const [delivered] = await sql`select provider, webhook_message_id from public.webhook_deliveries where integration_id = ${integrationId}`;
  assert.deepEqual({ ...delivered }, { provider: "typeform", webhook_message_id: "cT1cXk9a:tokCaaaaaaaaaaaaaaaaaaaaaaaaaaaa" });
  await inboxIdle();
  const [after] = await sql`select status, body from public.webhook_deliveries where integration_id = ${integrationId}`;
  assert.deepEqual({ ...after }, { status: "imported", body: null });
  assert.deepEqual(await stored(teamId), { responses: 1, leads: 1 });

  // an isolate that died after the acknowledgement leaves the row 'received': the every-minute sweep ingests it
  const left = delivery("tokDaaaaaaaaaaaaaaaaaaaaaaaaaaaa", { email: "left@acme.test" });
  await sql`insert into public.webhook_deliveries (integration_id, team_id, provider, webhook_message_id, status, body)
            values (${integrationId}, ${teamId}, 'typeform', 'cT1cXk9a:tokDaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'received', ${left})`;
  const counts = await processDueTypeformDeliveries();
  assert.equal(counts.imported, 1);
  assert.deepEqual(await stored(teamId), { responses: 2, leads: 2 });
  // a stored body that is not a response fails its row with a reason (it would fail however often it was tried)
  await sql`insert into public.webhook_deliveries (integration_id, team_id, provider, webhook_message_id, status, body)
            values (${integrationId}, ${teamId}, 'typeform', 'cT1cXk9a:tokEbroken', 'received', 'not json')`;
  assert.equal((await processDueTypeformDeliveries()).failed, 1);
  const [broken] = await sql`select status, last_error from public.webhook_deliveries where webhook_message_id = 'cT1cXk9a:tokEbroken'`;
  assert.deepEqual({ ...broken }, { status: "failed", last_error: "not a Typeform form_response: invalid JSON" });
});

test("typeform tables: members read forms and responses, never the route hash or the secret; outsiders see nothing; clients write nothing", async () => {
  const { teamId, formRowId } = await setup();
  const asUserDo = <T>(user: string, work: (tx: import("../_shared/db.ts").Tx) => Promise<T>) =>
    asUser({ sub: user, role: "authenticated" }, work);
  await sql`insert into public.team_members (team_id, user_id, role) values (${teamId}, ${MEMBER}, 'member')`;
  const seen = await asUserDo(MEMBER, (tx) => tx`select title, enabled from public.typeform_forms where id = ${formRowId}`);
  assert.deepEqual(seen.map((r) => ({ ...r })), [{ title: "Contact us", enabled: true }]);
  for (const column of ["route_id_hash", "webhook_secret_encrypted"]) {
    await assert.rejects(asUserDo(MEMBER, (tx) => tx`select ${tx(column)} from public.typeform_forms`), (err: { code?: string }) => err.code === "42501", column);
  }
  await assert.rejects(asUserDo(ADMIN, (tx) => tx`update public.typeform_forms set enabled = false where id = ${formRowId}`), (err: { code?: string }) => err.code === "42501");
  assert.equal((await asUserDo(OUTSIDER, (tx) => tx`select id from public.typeform_forms where id = ${formRowId}`)).length, 0);
  assert.equal((await asUserDo(OUTSIDER, (tx) => tx`select id from public.typeform_responses where team_id = ${teamId}`)).length, 0);
});

test("typeform signature: sha256=<base64 HMAC-SHA256> over the raw bytes (vector from openssl dgst -sha256 -hmac)", async () => {
  const expected = "sha256=qp4uNXX11wmLbKzNeQiIw21f22M0KnO62i1qUXR6hJQ=";
  assert.equal(await typeformSignature("secret", '{"a":1}'), expected);
  assert.equal(await verifyTypeformSignature("secret", '{"a":1}', expected), true);
  assert.equal(await verifyTypeformSignature("secret", '{"a": 1}', expected), false, "the raw bytes, not the JSON value");
  assert.equal(await verifyTypeformSignature("secret", '{"a":1}', expected.replace("sha256=", "sha1=")), false);
  assert.equal(await verifyTypeformSignature("secret", '{"a":1}', "sha256=not base64!"), false);
});

test("cleanup", async () => {
  await sql`delete from public.teams where name like 'Typeform test %'`;
  await closeAll();
});
