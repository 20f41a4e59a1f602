import assert from "node:assert/strict";

const repoRoot = new URL("../../", import.meta.url);

Deno.test("main.ts prints one line when listening, serves, and exits cleanly on SIGTERM", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--node-modules-dir=manual", "dev/fathom-sandbox/main.ts"],
    cwd: repoRoot,
    env: { FATHOM_SANDBOX_PORT: "0", FATHOM_CLIENT_ID: "app-x", FATHOM_CLIENT_SECRET: "secret-x" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();

  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  while (!output.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    output += value;
  }
  const line = output.trim();
  assert.match(line, /^Fathom sandbox listening on http:\/\/127\.0\.0\.1:\d+ \(client id: app-x\)$/);
  const base = line.match(/http:\/\/\S+/)![0];

  const state = await (await fetch(`${base}/_sandbox/state`)).json();
  assert.deepEqual(state.clients, ["app-x"]);
  assert.equal(state.public_url, base);

  child.kill("SIGTERM");
  const status = await child.status;
  assert.equal(status.code, 0);
  reader.releaseLock();
  await child.stdout.cancel().catch(() => {});
});
