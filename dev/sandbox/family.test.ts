import assert from "node:assert/strict";
import { createDiscordSandbox } from "../discord-sandbox/discord.ts";
import { createSandbox } from "../fathom-sandbox/sandbox.ts";
import { createSlackSandbox } from "../slack-sandbox/slack.ts";
import { createFamily } from "./family.ts";

const BASE = "http://family.test";

function newFamily() {
  const fathom = createSandbox({ publicUrl: BASE, demoMeetings: false, retryScheduleMs: [] });
  const slack = createSlackSandbox();
  const discord = createDiscordSandbox();
  const family = createFamily({ fathom, providers: [slack, discord], publicUrl: BASE });
  family.setPublicUrl(BASE);
  const call = (path: string, init?: RequestInit) => family.handler(new Request(`${BASE}${path}`, init));
  return { fathom, slack, discord, family, call };
}

Deno.test("family routes by prefix: /slack and /discord to their modules, the rest to Fathom", async () => {
  const { fathom, call } = newFamily();
  try {
    const slack = await call("/slack/_sandbox/messages");
    assert.deepEqual(await slack.json(), { messages: [] });
    const discord = await call("/discord/_sandbox/revocations");
    assert.deepEqual(await discord.json(), { revocations: [] });
    const state = await call("/_sandbox/state");
    assert.equal(state.status, 200, "the stack's readiness check still reaches Fathom");
    assert.equal((await state.json()).public_url, BASE);
    const token = await call("/external/v1/oauth2/token", { method: "POST" });
    assert.equal(token.status, 400, "Fathom's token endpoint answers its own error");
    await token.body?.cancel();
    const slackMissing = await call("/slack/api/nope", { method: "POST" });
    assert.deepEqual(await slackMissing.json(), { ok: false, error: "unknown_method" });
    const notSlack = await call("/slackware");
    assert.equal(notSlack.status, 404, "a prefix match is by path segment");
    assert.equal((await notSlack.json()).error, "not_found", "…and falls to Fathom's 404");
    const bare = await call("/discord");
    assert.deepEqual([bare.status, bare.headers.get("location")], [301, `${BASE}/discord/`]);
  } finally {
    await fathom.close();
  }
});

Deno.test("family home page links every provider's page; Fathom's overview moved to /fathom/", async () => {
  const { fathom, call } = newFamily();
  try {
    const home = await (await call("/")).text();
    for (const href of [`href="/fathom/"`, `href="/slack/"`, `href="/discord/"`]) assert.ok(home.includes(href), href);
    const fathomPage = await (await call("/fathom/")).text();
    assert.match(fathomPage, /Simulate a new recording/);
    assert.match(await (await call("/slack/")).text(), /Slack sandbox: Acme Sales/);
    assert.match(await (await call("/discord/")).text(), /Discord sandbox: Acme/);
    const simulate = await call("/_sandbox/ui/simulate-recording", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "user_email=sandy%40sandbox.fathom.test",
    });
    assert.deepEqual([simulate.status, simulate.headers.get("location")], [303, "/fathom/"], "back to Fathom's page");
  } finally {
    await fathom.close();
  }
});

Deno.test("webhook URLs use the family's public URL set at listen time", async () => {
  const { slack, fathom, family } = newFamily();
  try {
    family.setPublicUrl("http://127.0.0.1:4567/");
    const page = await (await slack.handler(new Request("http://x/slack/"))).text();
    assert.ok(page.includes("http://127.0.0.1:4567/slack/oauth/v2/authorize"));
    assert.equal(fathom.options.publicUrl, "http://127.0.0.1:4567");
  } finally {
    await fathom.close();
  }
});
