import assert from "node:assert/strict";
import { call, CLIENT_ID, newSandbox } from "./test-helpers.ts";

const XSS = `"><script>alert('x')</script>`;

function assertNoInjectedMarkup(html: string) {
  assert.ok(!html.includes("<script"), "a raw <script> tag reached the page");
  assert.ok(!html.includes(`"">`), "an attribute was broken out of");
}

Deno.test("the consent page escapes state and redirect_uri taken from the URL", async () => {
  const { sandbox } = newSandbox();
  const redirectUri = `http://127.0.0.1:9/cb?next=${XSS}`;
  const params = new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: redirectUri, response_type: "code", scope: "public_api", state: XSS });
  const res = await call(sandbox, `/external/v1/oauth2/authorize?${params}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assertNoInjectedMarkup(html);
  assert.ok(
    html.includes(`name="state" value="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"`),
    "the state is carried escaped in its hidden field, not dropped",
  );
});

Deno.test("the error page escapes an unknown client_id and the redirect_uri", async () => {
  const { sandbox } = newSandbox();
  const params = new URLSearchParams({ client_id: XSS, redirect_uri: `http://x.test/${XSS}`, response_type: "code", state: XSS });
  const res = await call(sandbox, `/external/v1/oauth2/authorize?${params}`);
  assert.equal(res.status, 400);
  const html = await res.text();
  assertNoInjectedMarkup(html);
  assert.ok(html.includes("&lt;script&gt;"));
});

Deno.test("the consent page is branded as the sandbox, in Fathom purple, with Authorize and Deny buttons", async () => {
  const { sandbox } = newSandbox();
  const params = new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: "http://127.0.0.1:9/cb", response_type: "code", scope: "public_api" });
  const html = await (await call(sandbox, `/external/v1/oauth2/authorize?${params}`)).text();
  assert.match(html, /<title>Fathom sandbox/);
  assert.match(html, /not the real fathom\.video/);
  assert.match(html, /#5636D3/);
  assert.match(html, /value="sandy@sandbox\.fathom\.test"/, "Sandy is the default user");
  assert.equal(html.match(/<button[^>]*>Authorize<\/button>/g)?.length, 1);
  assert.equal(html.match(/<button[^>]*>Deny<\/button>/g)?.length, 1);
});
