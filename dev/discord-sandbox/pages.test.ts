import assert from "node:assert/strict";
import { authorize, authorizeParams, call, execute, newDiscord } from "./test-helpers.ts";

const XSS = `"><script>alert('x')</script>`;

Deno.test("Discord consent page escapes what it takes from the URL", async () => {
  const { discord } = newDiscord();
  const res = await call(discord, `/discord/oauth2/authorize?${new URLSearchParams({ ...authorizeParams, state: XSS, redirect_uri: `http://127.0.0.1:9/cb?x=${XSS}`, prompt: XSS })}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.ok(!html.includes("<script"));
  assert.ok(html.includes(`name="state" value="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"`));
});

Deno.test("Discord sandbox page escapes posted content and shows no tokens", async () => {
  const { discord } = newDiscord();
  const tokens = await authorize(discord);
  await execute(discord, tokens.webhook.url, { content: XSS });
  const html = await (await call(discord, "/discord/")).text();
  assert.ok(!html.includes("<script"));
  assert.ok(html.includes("&lt;script&gt;"));
  for (const secret of [tokens.access_token, tokens.refresh_token, tokens.webhook.token]) assert.ok(!html.includes(secret));
});
