// Serves the Fathom sandbox on 127.0.0.1. Configuration comes from the environment (see README.md).

import { createSandbox, type CursorMode, DEFAULT_PORT, type SandboxClient, type SandboxOptions } from "./sandbox.ts";
import { openPersistentSandbox, type PersistentSandbox } from "./state-file.ts";

function numberFromEnv(name: string): number | undefined {
  const raw = Deno.env.get(name);
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

/** "100,200,400" -> [100, 200, 400]; "" or unset -> the default; "none" -> no retries. */
function scheduleFromEnv(name: string): number[] | undefined {
  const raw = Deno.env.get(name)?.trim();
  if (!raw) return undefined;
  if (raw === "none") return [];
  const values = raw.split(",").map((part) => Number(part.trim()));
  if (values.some((v) => !Number.isFinite(v) || v < 0)) throw new Error(`${name} must be comma-separated milliseconds, e.g. 100,200,400; got "${raw}"`);
  return values;
}

function cursorModeFromEnv(name: string): CursorMode | undefined {
  const raw = Deno.env.get(name)?.trim();
  if (!raw) return undefined;
  if (raw !== "page" && raw !== "keyset") throw new Error(`${name} must be page or keyset, got "${raw}"`);
  return raw;
}

const port = numberFromEnv("FATHOM_SANDBOX_PORT") ?? DEFAULT_PORT;
const clientId = Deno.env.get("FATHOM_CLIENT_ID");
const clientSecret = Deno.env.get("FATHOM_CLIENT_SECRET");
const clients: SandboxClient[] = clientId && clientSecret ? [{ clientId, clientSecret }] : [];

const options: SandboxOptions = {
  clients,
  rateLimit: {
    limit: numberFromEnv("FATHOM_SANDBOX_RATE_LIMIT"),
    windowMs: numberFromEnv("FATHOM_SANDBOX_RATE_WINDOW_MS"),
  },
  accessTokenTtlSeconds: numberFromEnv("FATHOM_SANDBOX_TOKEN_TTL"),
  publicUrl: Deno.env.get("FATHOM_SANDBOX_PUBLIC_URL") || undefined,
  demoMeetings: Deno.env.get("FATHOM_SANDBOX_DEMO_MEETINGS") !== "false",
  deliveryTimeoutMs: numberFromEnv("FATHOM_SANDBOX_DELIVERY_TIMEOUT_MS"),
  retryScheduleMs: scheduleFromEnv("FATHOM_SANDBOX_RETRY_SCHEDULE_MS"),
  cursorMode: cursorModeFromEnv("FATHOM_SANDBOX_CURSOR_MODE"),
  // Fathom finishes a late summary within minutes; "never" keeps it unfinished (POST /_sandbox/summaries/ready)
  summaryDelayMs: Deno.env.get("FATHOM_SANDBOX_SUMMARY_DELAY_MS")?.trim() === "never"
    ? null
    : numberFromEnv("FATHOM_SANDBOX_SUMMARY_DELAY_MS") ?? 120_000,
};

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
