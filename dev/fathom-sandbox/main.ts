// Serves the Fathom sandbox on 127.0.0.1. Configuration comes from the environment (see README.md).

import { createSandbox } from "./sandbox.ts";
import { fathomOptionsFromEnv, portFromEnv } from "./env.ts";
import { openPersistentSandbox, type PersistentSandbox } from "./state-file.ts";

const port = portFromEnv();
const options = fathomOptionsFromEnv();

// With a state file, tokens, webhooks and meetings survive a restart (as at the real Fathom); without, memory only.
const stateFile = Deno.env.get("FATHOM_SANDBOX_STATE_FILE") || undefined;
const persistent: PersistentSandbox | undefined = stateFile ? await openPersistentSandbox(stateFile, options) : undefined;
const sandbox = persistent?.sandbox ?? createSandbox(options);

const controller = new AbortController();
const server = Deno.serve({
  port,
  hostname: "127.0.0.1",
  signal: controller.signal,
  onListen({ hostname, port }) {
    if (!Deno.env.get("FATHOM_SANDBOX_PUBLIC_URL")) sandbox.setPublicUrl(`http://${hostname}:${port}`);
    console.log(`Fathom sandbox listening on ${sandbox.options.publicUrl} (client id: ${sandbox.options.clients.map((c) => c.clientId).join(", ")})`);
    if (persistent) {
      const { counts } = sandbox.state();
      const how = persistent.loaded.kind === "loaded"
        ? `restored: meetings ${counts.meetings}, active grants ${counts.active_grants}, webhooks ${counts.webhooks}`
        : "fresh state";
      console.log(`Fathom sandbox state file: ${stateFile} (${how})`);
    }
  },
}, sandbox.handler);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    if (stopping) return;
    stopping = true;
    // Save at once, in case in-flight requests (slow failures, webhook deliveries) outlast the grace period...
    void persistent?.saver.flush();
    // Pending webhook retries would otherwise keep the process alive for up to ten hours.
    void sandbox.close();
    controller.abort();
  });
}
await server.finished;
// ...and again once they are done.
const saved = (await persistent?.saver.flush()) ?? true;
Deno.exit(saved ? 0 : 1);
