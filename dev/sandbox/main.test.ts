import assert from "node:assert/strict";

const repoRoot = new URL("../../", import.meta.url);

Deno.test("dev/sandbox/main.ts serves Fathom, Slack and Discord on one port and exits cleanly on SIGTERM", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "dev/sandbox/main.ts"],
    cwd: repoRoot,
    env: {
      FATHOM_SANDBOX_PORT: "0",
      FATHOM_CLIENT_ID: "app-x",
      FATHOM_CLIENT_SECRET: "secret-x",
      SLACK_CLIENT_ID: "slack-x",
      SLACK_CLIENT_SECRET: "slack-secret",
      FATHOM_SANDBOX_STATE_FILE: "",
      SLACK_SANDBOX_STATE_FILE: "",
      DISCORD_SANDBOX_STATE_FILE: "",
    },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  while (output.split("\n").length < 3) {
    const { value, done } = await reader.read();
    if (done) break;
    output += value;
  }
  const [first, second] = output.trim().split("\n");
  assert.match(first, /^Fathom sandbox listening on http:\/\/127\.0\.0\.1:\d+ \(client id: app-x\)$/);
  const base = first.match(/http:\/\/\S+/)![0];
  assert.equal(second, `Slack sandbox at ${base}/slack/, Discord sandbox at ${base}/discord/, all sandboxes at ${base}/`);

  assert.deepEqual((await (await fetch(`${base}/_sandbox/state`)).json()).clients, ["app-x"]);
  const page = await (await fetch(`${base}/slack/oauth/v2/authorize?client_id=slack-x&scope=incoming-webhook`)).text();
  assert.match(page, /Post to/, "Slack knows the app from SLACK_CLIENT_ID");
  assert.deepEqual(await (await fetch(`${base}/discord/_sandbox/messages`)).json(), { messages: [] });
  assert.equal((await (await fetch(`${base}/zoom/_sandbox/state`)).json()).meetings, 0, "Zoom is in the family");
  await (await fetch(`${base}/`)).body?.cancel();

  child.kill("SIGTERM");
  assert.equal((await child.status).code, 0);
  reader.releaseLock();
  await child.stdout.cancel().catch(() => {});
});
