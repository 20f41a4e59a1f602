import assert from "node:assert/strict";
import { authorizeParams, call, install, newSlack, post } from "./test-helpers.ts";

const XSS = `"><script>alert('x')</script>`;

Deno.test("Slack consent page escapes state and redirect_uri from the URL", async () => {
  const { slack } = newSlack();
  const res = await call(slack, `/slack/oauth/v2/authorize?${new URLSearchParams({ ...authorizeParams, state: XSS, redirect_uri: `http://127.0.0.1:9/cb?x=${XSS}` })}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.ok(!html.includes("<script"));
  assert.ok(html.includes(`name="state" value="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"`));
});

Deno.test("Slack error page and sandbox page escape what they show, and the page holds no secrets", async () => {
  const { slack } = newSlack();
  const err = await call(slack, `/slack/oauth/v2/authorize?${new URLSearchParams({ ...authorizeParams, client_id: XSS })}`);
  assert.ok(!(await err.text()).includes("<script"));

  const tokens = await install(slack);
  await post(slack, tokens.incoming_webhook.url, { text: XSS });
  const html = await (await call(slack, "/slack/")).text();
  assert.ok(!html.includes("<script"));
  assert.ok(html.includes("&lt;script&gt;"), "the posted text is shown, escaped");
  assert.ok(html.includes("#sales"));
  assert.ok(!html.includes(tokens.access_token), "no token on the page");
  assert.ok(!html.includes(tokens.incoming_webhook.url.split("/").at(-1)), "no webhook secret on the page");
});
