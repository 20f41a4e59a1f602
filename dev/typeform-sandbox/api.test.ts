import assert from "node:assert/strict";
import { api, authorize, call, CONTACT, newTypeform } from "./test-helpers.ts";

Deno.test("Typeform API: forms newest first, a form's fields with types and titles, FORM_NOT_FOUND", async () => {
  const { typeform, clock } = newTypeform();
  const { access_token } = await authorize(typeform);
  const list = await api(typeform, clock, access_token, "/forms?page_size=200");
  assert.equal(list.status, 200);
  assert.equal(list.body.total_items, 3);
  assert.deepEqual(list.body.items.map((f: { title: string }) => f.title), ["Product feedback", "Webinar sign-up", "Contact us"]);
  assert.equal((await api(typeform, clock, access_token, "/forms?page_size=201")).body.code, "VALIDATION_ERROR");
  const paged = await api(typeform, clock, access_token, "/forms?page_size=2&page=2");
  assert.deepEqual([paged.body.page_count, paged.body.items.length], [2, 1]);

  const one = await api(typeform, clock, access_token, `/forms/${CONTACT}`);
  assert.deepEqual(one.body.fields.map((f: { type: string; title: string }) => [f.type, f.title]), [
    ["email", "What's your email?"], ["short_text", "What's your name?"], ["short_text", "Company"], ["long_text", "How can we help?"],
  ]);
  assert.deepEqual((await api(typeform, clock, access_token, "/forms/nope")).body, { code: "FORM_NOT_FOUND", description: "Non existing form with uid nope" });
});

Deno.test("Typeform API: PUT creates then updates a webhook (secret never answered), enabled defaults to false, DELETE", async () => {
  const { typeform, clock } = newTypeform();
  const { access_token } = await authorize(typeform);
  const path = `/forms/${CONTACT}/webhooks/crm`;
  const created = await api(typeform, clock, access_token, path, { method: "PUT", body: JSON.stringify({ url: "https://crm.test/hook/a", secret: "s3cret", enabled: true }) });
  assert.equal(created.status, 201);
  assert.deepEqual([created.body.form_id, created.body.tag, created.body.enabled, created.body.verify_ssl, "secret" in created.body], [CONTACT, "crm", true, true, false]);
  const updated = await api(typeform, clock, access_token, path, { method: "PUT", body: JSON.stringify({ url: "https://crm.test/hook/b" }) });
  assert.deepEqual([updated.status, updated.body.id, updated.body.enabled], [200, created.body.id, false]);
  assert.equal((await api(typeform, clock, access_token, path, { method: "PUT", body: JSON.stringify({ enabled: true }) })).body.code, "VALIDATION_ERROR");
  assert.equal((await api(typeform, clock, access_token, `/forms/${CONTACT}/webhooks`)).body.items.length, 1);
  assert.equal((await api(typeform, clock, access_token, path, { method: "DELETE" })).status, 204);
  assert.deepEqual((await api(typeform, clock, access_token, path, { method: "DELETE" })).body.code, "WEBHOOK_NOT_FOUND");
});

Deno.test("Typeform API: scopes are enforced (403 FORBIDDEN)", async () => {
  const { typeform, clock } = newTypeform();
  const { access_token } = await authorize(typeform, { scope: "accounts:read forms:read" });
  assert.equal((await api(typeform, clock, access_token, `/forms/${CONTACT}/responses`)).status, 403);
  assert.equal((await api(typeform, clock, access_token, `/forms/${CONTACT}/webhooks/crm`, { method: "PUT", body: "{}" })).body.code, "FORBIDDEN");
});

Deno.test("Typeform API: responses newest first, paged with before tokens, since / until; unknown token refused", async () => {
  const { typeform, clock } = newTypeform();
  const { access_token } = await authorize(typeform);
  const all = await api(typeform, clock, access_token, `/forms/${CONTACT}/responses?page_size=1000`);
  assert.equal(all.body.total_items, 3);
  const tokens = all.body.items.map((r: { token: string }) => r.token);
  const first = await api(typeform, clock, access_token, `/forms/${CONTACT}/responses?page_size=2`);
  assert.deepEqual(first.body.items.map((r: { token: string }) => r.token), tokens.slice(0, 2));
  const next = await api(typeform, clock, access_token, `/forms/${CONTACT}/responses?page_size=2&before=${tokens[1]}`);
  assert.deepEqual(next.body.items.map((r: { token: string }) => r.token), tokens.slice(2));
  const newest = all.body.items[0];
  assert.equal(newest.answers.find((a: { type: string }) => a.type === "email").email, "Ada@Lovelace.example");
  const since = await api(typeform, clock, access_token, `/forms/${CONTACT}/responses?since=${encodeURIComponent(newest.submitted_at)}`);
  assert.deepEqual(since.body.items.map((r: { token: string }) => r.token), [newest.token]);
  assert.equal((await api(typeform, clock, access_token, `/forms/${CONTACT}/responses?before=zzz`)).body.code, "VALIDATION_ERROR");
  assert.equal((await api(typeform, clock, access_token, `/forms/${CONTACT}/responses?since=yesterday`)).status, 400);
});

Deno.test("Typeform API: 2 requests a second per account, the third is 429 with Retry-After; the api failure switch", async () => {
  const { typeform, clock } = newTypeform();
  const { access_token } = await authorize(typeform);
  const get = () => call(typeform, "/typeform/me", { headers: { authorization: `Bearer ${access_token}` } });
  assert.equal((await get()).status, 200);
  assert.equal((await get()).status, 200);
  const third = await get();
  assert.deepEqual([third.status, third.headers.get("retry-after"), (await third.json()).code], [429, "1", "RATE_LIMITED"]);
  clock.ms += 1000;
  assert.equal((await get()).status, 200);

  await call(typeform, "/typeform/_sandbox/failures", { method: "POST", body: JSON.stringify({ target: "api", kind: "server_error" }) });
  assert.equal((await api(typeform, clock, access_token, "/forms")).status, 500);
  await call(typeform, "/typeform/_sandbox/failures", { method: "POST", body: JSON.stringify({ target: "api", kind: "gone" }) });
  assert.equal((await api(typeform, clock, access_token, "/forms")).body.code, "AUTHENTICATION_FAILED");
  assert.equal((await api(typeform, clock, access_token, "/forms")).status, 200);
});
