// main.ts as a process: the start-up line, the busy-port message, and a clean exit on SIGTERM.
import assert from "node:assert/strict";
import { makeApiKeys } from "../lib/config.mjs";
import { TEST_JWT_SECRET, UNUSED_DB_URL } from "./test-support.ts";

const MAIN = new URL("./main.ts", import.meta.url).pathname;
const DENO = Deno.execPath();

async function mainEnv(port: number): Promise<Record<string, string>> {
  const keys = await makeApiKeys(TEST_JWT_SECRET);
  return {
    PATH: Deno.env.get("PATH") ?? "",
    GATEWAY_PORT: String(port),
    SUPABASE_URL: `http://127.0.0.1:${port}`,
    SUPABASE_DB_URL: UNUSED_DB_URL, // never queried here
    SUPABASE_JWT_SECRET: TEST_JWT_SECRET,
    SUPABASE_ANON_KEY: keys.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: keys.serviceRoleKey,
  };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

Deno.test("main.ts: a busy port is one line and exit code 1", async () => {
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = busy.addr as Deno.NetAddr;
  try {
    const result = await new Deno.Command(DENO, {
      args: ["run", "-A", MAIN],
      env: await mainEnv(port),
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(result.code, 1);
    const output = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
    assert.equal(output.trim(), `Port ${port} is in use: set GATEWAY_PORT to another port.`);
  } finally {
    busy.close();
  }
});

Deno.test("main.ts: prints one line when listening, serves /health, exits 0 on SIGTERM", async () => {
  const port = freePort();
  const child = new Deno.Command(DENO, {
    args: ["run", "-A", MAIN],
    env: await mainEnv(port),
    clearEnv: true,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    let output = "";
    while (!output.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      output += value;
    }
    assert.match(output, new RegExp(`^Gateway listening on http://127\\.0\\.0\\.1:${port} `));
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    assert.deepEqual(await health.json(), { ok: true });
    child.kill("SIGTERM");
    assert.equal((await child.status).code, 0);
  } finally {
    await reader.cancel().catch(() => {});
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
    await child.status;
  }
});
