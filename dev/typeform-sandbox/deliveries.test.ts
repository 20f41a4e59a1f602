import assert from "node:assert/strict";
import { base64 } from "../sandbox/ids.ts";
import { api, authorize, call, CONTACT, newTypeform } from "./test-helpers.ts";

async function expectedSignature(secret: string, body: string) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return `sha256=${base64(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body))))}`;
}

Deno.test("Typeform deliveries: each enabled webhook gets the event signed sha256=<base64 HMAC> over the raw body", async () => {
  const { typeform, clock, sent } = newTypeform();
  const { access_token } = await authorize(typeform);
  const put = (tag: string, body: unknown) => api(typeform, clock, access_token, `/forms/${CONTACT}/webhooks/${tag}`, { method: "PUT", body: JSON.stringify(body) });
  await put("crm", { url: "https://crm.test/typeform-webhook/route-a", secret: "s3cret", enabled: true });
  await put("off", { url: "https://crm.test/off", secret: "x", enabled: false });
  await put("plain", { url: "https://crm.test/plain", enabled: true });

  const res = await call(typeform, "/typeform/_sandbox/submit", { method: "POST", body: JSON.stringify({ form_id: CONTACT, answers: { email: "jane@acme.test", name: "Jane", Fc0mP: "ignored" } }) });
  assert.equal(res.status, 200);
  const done = await res.json();
  assert.deepEqual(done.deliveries.map((d: { tag: string; status: number }) => [d.tag, d.status]), [["crm", 200], ["plain", 200]]);
  assert.deepEqual(sent.map((s) => s.url), ["https://crm.test/typeform-webhook/route-a", "https://crm.test/plain"]);
  const [signed, plain] = sent;
  assert.equal(signed.headers.get("typeform-signature"), await expectedSignature("s3cret", signed.body));
  assert.equal(plain.headers.get("typeform-signature"), null, "no secret, no signature");
  const event = JSON.parse(signed.body);
  assert.equal(event.event_type, "form_response");
  assert.equal(event.form_response.token, done.response.token);
  assert.equal(event.form_response.definition.fields[0].title, "What's your email?");
  assert.deepEqual(event.form_response.answers.map((a: { type: string }) => a.type), ["email", "text"]);
  assert.equal(event.form_response.answers[0].email, "jane@acme.test");
  assert.equal(typeform.messages().length, 2);

  // the new response is listed by the API too, newest first
  const listed = await api(typeform, clock, access_token, `/forms/${CONTACT}/responses?page_size=1`);
  assert.equal(listed.body.items[0].token, done.response.token);
});

Deno.test("Typeform deliveries: a submission without e-mail, a redelivery of the same token, a 410 disables the webhook", async () => {
  const { typeform, clock, sent } = newTypeform({ answer: 410 });
  const { access_token } = await authorize(typeform);
  await api(typeform, clock, access_token, `/forms/${CONTACT}/webhooks/crm`, { method: "PUT", body: JSON.stringify({ url: "https://crm.test/h", secret: "s", enabled: true }) });
  const done = await typeform.submit({ formId: CONTACT, values: { email: "jane@acme.test", name: "Jane" }, noEmail: true });
  assert.ok(done);
  assert.deepEqual(done.response.answers.map((a) => a.type), ["text"]);
  assert.equal(done.deliveries[0].status, 410);
  const hook = await api(typeform, clock, access_token, `/forms/${CONTACT}/webhooks/crm`);
  assert.equal(hook.body.enabled, false, "410 disables the webhook at once (T13)");

  await api(typeform, clock, access_token, `/forms/${CONTACT}/webhooks/crm`, { method: "PUT", body: JSON.stringify({ url: "https://crm.test/h", secret: "s", enabled: true }) });
  const again = await call(typeform, "/typeform/_sandbox/redeliver", { method: "POST", body: JSON.stringify({ token: done.response.token }) });
  assert.equal(again.status, 200);
  assert.equal(JSON.parse(sent[1].body).form_response.token, done.response.token);
  assert.equal((await call(typeform, "/typeform/_sandbox/submit", { method: "POST", body: JSON.stringify({ form_id: "nope" }) })).status, 404);
  assert.equal((await call(typeform, "/typeform/_sandbox/submit", { method: "POST", body: "{" })).status, 400);
});

Deno.test("Typeform page: 'Simulate a submission' posts the form's answers and comes back with a notice", async () => {
  const { typeform, sent } = newTypeform();
  const res = await call(typeform, "/typeform/_sandbox/simulate", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ form_id: CONTACT, "field_Fe1mAiL0aaaa": "page@acme.test", "field_Fn4mE0bbbbbb": "Page" }).toString(),
  });
  assert.deepEqual([res.status, res.headers.get("location")], [303, "/typeform/"]);
  assert.equal(sent.length, 0, "no webhook yet");
  const html = await (await call(typeform, "/typeform/")).text();
  assert.match(html, /role="status">Response [a-z0-9]{6}… submitted; 0 webhook\(s\): none enabled/);
  assert.match(html, /Contact us <small><code>cT1cXk9a<\/code>, 4 responses/);
});
