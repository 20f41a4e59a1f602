import assert from "node:assert/strict";
import { api, authorize, authorizeParams, call, CONTACT, newTypeform } from "./test-helpers.ts";

const XSS = `"><script>alert('x')</script>`;

Deno.test("Typeform consent page escapes what it takes from the URL", async () => {
  const { typeform } = newTypeform();
  const res = await call(typeform, `/typeform/oauth/authorize?${new URLSearchParams({ ...authorizeParams, state: XSS, redirect_uri: `http://127.0.0.1:9/cb?x=${XSS}` })}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.ok(!html.includes("<script"));
  assert.ok(html.includes(`name="state" value="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"`));
});

Deno.test("Typeform sandbox page shows no tokens or webhook secrets", async () => {
  const { typeform, clock } = newTypeform();
  const tokens = await authorize(typeform);
  await api(typeform, clock, tokens.access_token, `/forms/${CONTACT}/webhooks/crm`, { method: "PUT", body: JSON.stringify({ url: "https://crm.test/h", secret: "webhook-secret-value", enabled: true }) });
  await typeform.submit({ formId: CONTACT, values: { email: "x@y.test", name: XSS } });
  const html = await (await call(typeform, "/typeform/")).text();
  assert.ok(!html.includes("<script"));
  for (const secret of [tokens.access_token, tokens.refresh_token!, "webhook-secret-value"]) assert.ok(!html.includes(secret));
  assert.match(html, /<td>crm<\/td><td>enabled<\/td><td>signed<\/td>/);
});
