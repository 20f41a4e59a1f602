import assert from "node:assert/strict";
import { createDiscordSandbox, type DiscordSandbox } from "../discord-sandbox/discord.ts";
import { createSlackSandbox, type SlackSandbox } from "../slack-sandbox/slack.ts";
import { openPersistentProvider } from "./persistent.ts";

const form = (fields: Record<string, string>): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

async function installSlack(slack: SlackSandbox): Promise<string> {
  const redirect_uri = "http://127.0.0.1:1/cb";
  const consent = await slack.handler(new Request("http://s/slack/oauth/v2/authorize", form({
    client_id: "sandbox-slack-client-id", scope: "incoming-webhook", redirect_uri, channel_id: "C0LEADS001", decision: "allow",
  })));
  const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
  const res = await slack.handler(new Request("http://s/slack/api/oauth.v2.access", form({
    client_id: "sandbox-slack-client-id", client_secret: "sandbox-slack-client-secret", code, redirect_uri,
  })));
  return (await res.json()).incoming_webhook.url;
}

Deno.test("a restarted Slack sandbox still accepts posts to the webhooks it created; a corrupt file starts fresh with a warning", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/slack-sandbox.json`;
  const warnings: string[] = [];
  const open = () => openPersistentProvider<SlackSandbox>(path, "slack-sandbox", (snapshot, onChange) => createSlackSandbox({ snapshot, onChange }), (m) => warnings.push(m));
  try {
    const first = await open();
    assert.equal(first.restored, false);
    const url = await installSlack(first.sandbox);
    const post = (s: SlackSandbox, text: string) => s.handler(new Request(url, { method: "POST", body: JSON.stringify({ text }) }));
    assert.equal(await (await post(first.sandbox, "before")).text(), "ok");
    assert.ok(await first.saver.flush());
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);

    const second = await open();
    assert.equal(second.restored, true);
    assert.equal(await (await post(second.sandbox, "after restart")).text(), "ok");
    assert.deepEqual(second.sandbox.messages().map((m) => (m.body as { text: string }).text), ["before", "after restart"]);

    await Deno.writeTextFile(path, "{broken");
    const third = await open();
    assert.equal(third.restored, false);
    assert.match(warnings.at(-1)!, /^slack-sandbox: warning: ignoring state file/);
    assert.equal(await (await post(third.sandbox, "x")).text(), "no_service");
    await third.saver.flush();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a Discord state file of the wrong shape is ignored with one warning", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/discord-sandbox.json`;
  const warnings: string[] = [];
  try {
    await Deno.writeTextFile(path, JSON.stringify({ version: 2 }));
    const opened = await openPersistentProvider<DiscordSandbox>(path, "discord-sandbox", (snapshot, onChange) => createDiscordSandbox({ snapshot, onChange }), (m) => warnings.push(m));
    assert.equal(opened.restored, false);
    assert.equal(warnings.length, 1);
    await opened.saver.flush();
    assert.equal(JSON.parse(await Deno.readTextFile(path)).version, 1, "overwritten with a fresh state");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
