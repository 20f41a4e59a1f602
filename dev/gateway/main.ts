// Serves the gateway on 127.0.0.1:GATEWAY_PORT (default 54321). The environment is the functions'
// environment too: they read it with Deno.env.get, in this same process.
// Run: deno run -A --config supabase/functions/deno.json --node-modules-dir=manual dev/gateway/main.ts
import { filePath } from "./file-url.ts";
import { createGateway, type Gateway } from "./gateway.ts";

const DEFAULT_PORT = 54321;
const SHUTDOWN_GRACE_MS = 3000;

function fail(message: string): never {
  console.error(message);
  Deno.exit(1);
}

const portText = Deno.env.get("GATEWAY_PORT") ?? String(DEFAULT_PORT);
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65535) fail(`GATEWAY_PORT must be a port number, got "${portText}".`);

const repoRoot = new URL("../../", import.meta.url);

// EXTRA_FUNCTIONS="name=path/to/handler.ts,...": handlers served beside the product's functions (the
// benchmarks' baseline). They check auth themselves, so the gateway does not (verify_jwt = false).
async function loadExtraFunctions(spec: string | undefined) {
  const entries = (spec ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const loaded = await Promise.all(entries.map(async (entry) => {
    const [name, path] = entry.split("=");
    const module = await import(new URL(path, repoRoot).href);
    return [name, module.handler ?? module.default] as const;
  }));
  return Object.fromEntries(loaded);
}

let gateway: Gateway;
try {
  gateway = await createGateway({
    functionsDir: filePath(new URL("supabase/functions/", repoRoot)),
    configToml: filePath(new URL("supabase/config.toml", repoRoot)),
    env: Deno.env.toObject(),
    extraFunctions: await loadExtraFunctions(Deno.env.get("EXTRA_FUNCTIONS")),
    extraFunctionsVerifyJwt: false,
  });
} catch (error) {
  fail(`Gateway cannot start: ${error instanceof Error ? error.message : String(error)}`);
}

let server: Deno.HttpServer<Deno.NetAddr>;
try {
  server = Deno.serve({
    hostname: "127.0.0.1",
    port,
    onListen: ({ hostname, port }) =>
      console.log(
        `Gateway listening on http://${hostname}:${port} (functions: ${gateway.functionNames.join(", ") || "none"})`,
      ),
  }, gateway.handler);
} catch (error) {
  await gateway.close();
  if (error instanceof Deno.errors.AddrInUse) fail(`Port ${port} is in use: set GATEWAY_PORT to another port.`);
  throw error;
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  // In-flight requests get a moment to finish; a stuck stream must not block the exit.
  await Promise.race([server.shutdown(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS))]);
  await gateway.close();
  Deno.exit(0);
}
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);
