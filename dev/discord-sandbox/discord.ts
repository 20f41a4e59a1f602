// The Discord sandbox: a Web-standard handler for everything under /discord (see README.md), plus programmatic
// controls for in-process tests. Routes (real host in brackets):
//   GET/POST /discord/oauth2/authorize                  [discord.com/oauth2/authorize]
//   POST     /discord/api/oauth2/token, …/token/revoke  [discord.com/api/oauth2/…]
//   GET      /discord/api/v10/users/@me                 [discord.com/api/v10/users/@me]
//   POST/DELETE/GET /discord/api[/v10]/webhooks/:id/:token
//   GET      /discord/                                   the sandbox page; /discord/_sandbox/… the controls

import { createCodeBook } from "../sandbox/codes.ts";
import { handleControls } from "../sandbox/controls.ts";
import { z } from "../sandbox/deps.ts";
import { createFailureSwitch } from "../sandbox/failures.ts";
import { htmlResponse, json } from "../sandbox/http.ts";
import { commonControls, mountProvider, type ProviderSandbox } from "../sandbox/provider.ts";
import type { DiscordClient, DiscordContext } from "./context.ts";
import { apiError } from "./errors.ts";
import { CODE_TTL_SECONDS, DEFAULT_CLIENT, DISCORD_PREFIX } from "./guild.ts";
import { handleAuthorizeGet, handleAuthorizePost, handleMe, handleRevoke, handleToken } from "./oauth.ts";
import { providerPage } from "./pages.ts";
import { createStore, type DiscordSnapshot, snapshotStore, storeFromSnapshot } from "./store.ts";
import { handleWebhook, isWebhookPath } from "./webhooks.ts";

export type { DiscordClient } from "./context.ts";
export type { DiscordSnapshot } from "./store.ts";

export interface DiscordSandboxOptions {
  /** Registered apps. None: sandbox-discord-client-id / sandbox-discord-client-secret. */
  clients?: DiscordClient[];
  /** The family's base URL without /discord (default http://127.0.0.1:54329). */
  publicUrl?: string;
  codeTtlSeconds?: number;
  now?: () => number;
  /** Start from this state (see snapshot()); throws if it is not a Discord snapshot. */
  snapshot?: unknown;
  /** Called after every request other than GET/HEAD/OPTIONS and every programmatic change. */
  onChange?: () => void;
}

export interface DiscordSandbox extends ProviderSandbox {
  snapshot(): DiscordSnapshot;
}

/** Discord has no settings to switch yet; the control takes an empty object. */
const Settings = z.strictObject({});

/** Discord's epoch (2015-01-01) in ms: snowflakes are (ms since then) << 22 | increment. */
const DISCORD_EPOCH = 1_420_070_400_000n;

export function createDiscordSandbox(input: DiscordSandboxOptions = {}): DiscordSandbox {
  const now = input.now ?? Date.now;
  const changed = input.onChange ?? (() => {});
  let increment = 0n;
  const ctx: DiscordContext = {
    options: {
      clients: input.clients?.length ? input.clients : [{ ...DEFAULT_CLIENT }],
      publicUrl: (input.publicUrl ?? "http://127.0.0.1:54329").replace(/\/+$/, ""),
    },
    store: input.snapshot ? storeFromSnapshot(input.snapshot) : createStore(),
    codes: createCodeBook({ ttlMs: (input.codeTtlSeconds ?? CODE_TTL_SECONDS) * 1000, now }),
    failures: createFailureSwitch(),
    now,
    nextId: () => String(((BigInt(now()) - DISCORD_EPOCH) << 22n) | (increment++ & 0xfffn)),
  };

  function reset(): void {
    ctx.store = createStore();
    ctx.codes.clear();
    ctx.failures.clear();
  }

  function summary() {
    const grants = [...ctx.store.grants.values()];
    return {
      grants: grants.length,
      activeGrants: grants.filter((g) => !g.revoked).length,
      messages: ctx.store.messages.length,
      revocations: ctx.store.revocations.length,
    };
  }

  async function route(req: Request, url: URL, path: string): Promise<Response> {
    switch (`${req.method} ${path}`) {
      case "GET /":
        return htmlResponse(providerPage({
          publicUrl: ctx.options.publicUrl,
          grants: [...ctx.store.grants.values()],
          webhooks: ctx.store.webhooks,
          messages: ctx.store.messages,
          revocations: ctx.store.revocations,
        }));
      case "GET /oauth2/authorize":
      case "GET /api/oauth2/authorize":
        return handleAuthorizeGet(ctx, url);
      case "POST /oauth2/authorize":
      case "POST /api/oauth2/authorize":
        return await handleAuthorizePost(ctx, req);
      case "POST /api/oauth2/token":
      case "POST /api/v10/oauth2/token":
        return await handleToken(ctx, req);
      case "POST /api/oauth2/token/revoke":
      case "POST /api/v10/oauth2/token/revoke":
        return await handleRevoke(ctx, req);
      case "GET /api/users/@me":
      case "GET /api/v10/users/@me":
        return handleMe(ctx, req);
    }
    if (isWebhookPath(path)) return await handleWebhook(ctx, req, url, path);
    if (path === "/_sandbox" || path.startsWith("/_sandbox/")) {
      return await handleControls({
        messages: () => structuredClone(ctx.store.messages),
        revocations: () => structuredClone(ctx.store.revocations),
        state: () => ({ ...summary(), failures: ctx.failures.list() }),
        failures: ctx.failures,
        settings: { schema: Settings, apply: () => ({}) },
        reset,
      }, req, path.slice("/_sandbox".length));
    }
    if (path.startsWith("/api/")) return apiError(404, 0, "404: Not Found");
    return json({ error: { code: "not_found", message: `No Discord sandbox route for ${req.method} ${DISCORD_PREFIX}${path}` } }, 404);
  }

  const handler = mountProvider("Discord", DISCORD_PREFIX, route, changed);

  return {
    id: "discord",
    name: "Discord",
    prefix: DISCORD_PREFIX,
    handler,
    ...commonControls(ctx),
    summary,
    reset() {
      reset();
      changed();
    },
    snapshot: () => snapshotStore(ctx.store),
  };
}
