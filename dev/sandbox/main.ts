// Serves the sandbox family on 127.0.0.1, one port: Fathom at its own paths, Slack under /slack, Discord under
// /discord, the home page at /. Environment (see README.md): Fathom's variables (dev/fathom-sandbox/README.md,
// FATHOM_SANDBOX_PORT and FATHOM_SANDBOX_PUBLIC_URL apply to the family), plus
//   SLACK_CLIENT_ID / SLACK_CLIENT_SECRET, DISCORD_CLIENT_ID / DISCORD_CLIENT_SECRET   the registered apps
//   TYPEFORM_CLIENT_ID / TYPEFORM_CLIENT_SECRET                                        the registered Typeform app
//   SLACK_SANDBOX_STATE_FILE, DISCORD_SANDBOX_STATE_FILE, TYPEFORM_SANDBOX_STATE_FILE  state files (unset: memory)
//   SLACK_SANDBOX_TOKEN_ROTATION=true                                                  Slack token rotation at start
//   ZOOM_CLIENT_ID / ZOOM_CLIENT_SECRET, ZOOM_SANDBOX_STATE_FILE                       the Zoom app, its state file
//   ZOOM_SANDBOX_WEBHOOK_URL, ZOOM_WEBHOOK_SECRET_TOKEN                                where Zoom's events go, signed

import { createDiscordSandbox, type DiscordSandbox } from "../discord-sandbox/discord.ts";
import { fathomOptionsFromEnv, portFromEnv } from "../fathom-sandbox/env.ts";
import { createSandbox } from "../fathom-sandbox/sandbox.ts";
import { openPersistentSandbox, type PersistentSandbox } from "../fathom-sandbox/state-file.ts";
import { createSlackSandbox, type SlackSandbox } from "../slack-sandbox/slack.ts";
import { createZoomSandbox, type ZoomSandbox } from "../zoom-sandbox/zoom.ts";
import { createTypeformSandbox, type TypeformSandbox } from "../typeform-sandbox/typeform.ts";
import { createFamily } from "./family.ts";
import { openPersistentProvider, type PersistentProvider } from "./persistent.ts";
import type { ProviderSandbox } from "./provider.ts";

function client(prefix: string) {
  const clientId = Deno.env.get(`${prefix}_CLIENT_ID`);
  const clientSecret = Deno.env.get(`${prefix}_CLIENT_SECRET`);
  return clientId && clientSecret ? [{ clientId, clientSecret }] : [];
}

async function open<P extends ProviderSandbox>(variable: string, label: string, create: (snapshot: unknown, onChange?: () => void) => P) {
  const path = Deno.env.get(variable) || undefined;
  if (!path) return { sandbox: create(undefined), persistent: undefined as PersistentProvider<P> | undefined, path };
  const persistent = await openPersistentProvider(path, label, create);
  return { sandbox: persistent.sandbox, persistent, path };
}

const port = portFromEnv();
const fathomOptions = fathomOptionsFromEnv();
const fathomStateFile = Deno.env.get("FATHOM_SANDBOX_STATE_FILE") || undefined;
const fathomPersistent: PersistentSandbox | undefined = fathomStateFile ? await openPersistentSandbox(fathomStateFile, fathomOptions) : undefined;
const fathom = fathomPersistent?.sandbox ?? createSandbox(fathomOptions);

const slack = await open<SlackSandbox>("SLACK_SANDBOX_STATE_FILE", "slack-sandbox", (snapshot, onChange) =>
  createSlackSandbox({ clients: client("SLACK"), tokenRotation: Deno.env.get("SLACK_SANDBOX_TOKEN_ROTATION") === "true", snapshot, onChange }));
const discord = await open<DiscordSandbox>("DISCORD_SANDBOX_STATE_FILE", "discord-sandbox", (snapshot, onChange) =>
  createDiscordSandbox({ clients: client("DISCORD"), snapshot, onChange }));
const typeform = await open<TypeformSandbox>("TYPEFORM_SANDBOX_STATE_FILE", "typeform-sandbox", (snapshot, onChange) =>
  createTypeformSandbox({ clients: client("TYPEFORM"), snapshot, onChange }));

const zoom = await open<ZoomSandbox>("ZOOM_SANDBOX_STATE_FILE", "zoom-sandbox", (snapshot, onChange) =>
  createZoomSandbox({
    clients: client("ZOOM"),
    webhookUrl: Deno.env.get("ZOOM_SANDBOX_WEBHOOK_URL") || null,
    webhookSecretToken: Deno.env.get("ZOOM_WEBHOOK_SECRET_TOKEN") || undefined,
    snapshot,
    onChange,
  }));

const family = createFamily({ fathom, providers: [slack.sandbox, discord.sandbox, zoom.sandbox, typeform.sandbox], publicUrl: fathom.options.publicUrl });
const flushAll = async () => {
  const results = await Promise.all([fathomPersistent?.saver.flush(), slack.persistent?.saver.flush(), discord.persistent?.saver.flush(), zoom.persistent?.saver.flush(), typeform.persistent?.saver.flush()]);
  return results.every((ok) => ok !== false);
};

const controller = new AbortController();
const server = Deno.serve({
  port,
  hostname: "127.0.0.1",
  signal: controller.signal,
  onListen({ hostname, port }) {
    family.setPublicUrl(Deno.env.get("FATHOM_SANDBOX_PUBLIC_URL") || `http://${hostname}:${port}`);
    const base = family.publicUrl;
    // The first line keeps Fathom's wording: scripts and tests wait for it.
    console.log(`Fathom sandbox listening on ${base} (client id: ${fathom.options.clients.map((c) => c.clientId).join(", ")})`);
    console.log(`Slack sandbox at ${base}/slack/, Discord sandbox at ${base}/discord/, all sandboxes at ${base}/`);
    console.log(`Zoom sandbox at ${base}/zoom/ (events to ${zoom.sandbox.webhookUrl() ?? "no endpoint yet"})`);
    for (const [name, file, restored] of [
      ["Fathom", fathomStateFile, fathomPersistent?.loaded.kind === "loaded"],
      ["Slack", slack.path, slack.persistent?.restored],
      ["Discord", discord.path, discord.persistent?.restored],
      ["Zoom", zoom.path, zoom.persistent?.restored],
      ["Typeform", typeform.path, typeform.persistent?.restored],
    ] as const) {
      if (file) console.log(`${name} sandbox state file: ${file} (${restored ? "restored" : "fresh state"})`);
    }
  },
}, family.handler);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    if (stopping) return;
    stopping = true;
    void flushAll();
    void fathom.close();
    controller.abort();
  });
}
await server.finished;
Deno.exit((await flushAll()) ? 0 : 1);
