// The Slack sandbox: a Web-standard handler for everything under /slack (see README.md), plus programmatic
// controls for in-process tests. Routes (real host in brackets):
//   GET/POST /slack/oauth/v2/authorize            [slack.com/oauth/v2/authorize]
//   POST     /slack/api/oauth.v2.access           [slack.com/api/oauth.v2.access]
//   POST     /slack/api/auth.test, auth.revoke    [slack.com/api/…]
//   POST     /slack/hooks/services/T…/B…/<secret> [hooks.slack.com/services/…]
//   GET      /slack/                               the sandbox page; /slack/_sandbox/… the controls

import { createCodeBook } from "../sandbox/codes.ts";
import { handleControls } from "../sandbox/controls.ts";
import { z } from "../sandbox/deps.ts";
import { createFailureSwitch } from "../sandbox/failures.ts";
import { htmlResponse, json } from "../sandbox/http.ts";
import { commonControls, mountProvider, type ProviderSandbox } from "../sandbox/provider.ts";
import { handleAuthRevoke, handleAuthTest } from "./auth-api.ts";
import type { SlackClient, SlackContext } from "./context.ts";
import { handleHook, isHookPath } from "./hooks.ts";
import { handleAccess, handleAuthorizeGet, handleAuthorizePost } from "./oauth.ts";
import { providerPage } from "./pages.ts";
import { createStore, snapshotStore, type SlackSnapshot, storeFromSnapshot } from "./store.ts";
import { CODE_TTL_SECONDS, DEFAULT_CLIENT, SLACK_PREFIX } from "./workspace.ts";

export type { SlackClient } from "./context.ts";
export type { SlackSnapshot } from "./store.ts";

export interface SlackSandboxOptions {
  /** Registered apps. None: sandbox-slack-client-id / sandbox-slack-client-secret. */
  clients?: SlackClient[];
  /** The family's base URL without /slack (default http://127.0.0.1:54329). */
  publicUrl?: string;
  /** Token rotation at start and after reset (default off, as for a new Slack app). */
  tokenRotation?: boolean;
  codeTtlSeconds?: number;
  now?: () => number;
  /** Start from this state (see snapshot()); throws if it is not a Slack snapshot. */
  snapshot?: unknown;
  /** Called after every request other than GET/HEAD/OPTIONS and every programmatic change. */
  onChange?: () => void;
}

export interface SlackSandbox extends ProviderSandbox {
  setTokenRotation(on: boolean): void;
  snapshot(): SlackSnapshot;
}

const Settings = z.strictObject({ tokenRotation: z.boolean() });

export function createSlackSandbox(input: SlackSandboxOptions = {}): SlackSandbox {
  const now = input.now ?? Date.now;
  const changed = input.onChange ?? (() => {});
  const ctx: SlackContext = {
    options: {
      clients: input.clients?.length ? input.clients : [{ ...DEFAULT_CLIENT }],
      publicUrl: (input.publicUrl ?? "http://127.0.0.1:54329").replace(/\/+$/, ""),
      tokenRotationDefault: input.tokenRotation ?? false,
    },
    store: input.snapshot ? storeFromSnapshot(input.snapshot) : createStore(input.tokenRotation ?? false),
    codes: createCodeBook({ ttlMs: (input.codeTtlSeconds ?? CODE_TTL_SECONDS) * 1000, now }),
    failures: createFailureSwitch(),
    now,
  };

  function reset(): void {
    ctx.store = createStore(ctx.options.tokenRotationDefault);
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
    const key = `${req.method} ${path}`;
    switch (key) {
      case "GET /":
        return htmlResponse(providerPage({
          publicUrl: ctx.options.publicUrl,
          tokenRotation: ctx.store.settings.tokenRotation,
          grants: [...ctx.store.grants.values()],
          webhooks: ctx.store.webhooks,
          messages: ctx.store.messages,
          revocations: ctx.store.revocations,
        }));
      case "GET /oauth/v2/authorize":
        return handleAuthorizeGet(ctx, url);
      case "POST /oauth/v2/authorize":
        return await handleAuthorizePost(ctx, req);
      case "POST /api/oauth.v2.access":
        return await handleAccess(ctx, req);
      case "POST /api/auth.test":
      case "GET /api/auth.test":
        return await handleAuthTest(ctx, req);
      case "POST /api/auth.revoke":
      case "GET /api/auth.revoke":
        return await handleAuthRevoke(ctx, req);
    }
    if (isHookPath(path)) return await handleHook(ctx, req, path);
    if (path === "/_sandbox" || path.startsWith("/_sandbox/")) {
      return await handleControls({
        messages: () => structuredClone(ctx.store.messages),
        revocations: () => structuredClone(ctx.store.revocations),
        state: () => ({ settings: { ...ctx.store.settings }, ...summary(), failures: ctx.failures.list() }),
        failures: ctx.failures,
        settings: {
          schema: Settings,
          apply(settings) {
            ctx.store.settings.tokenRotation = settings.tokenRotation;
            return { ...ctx.store.settings };
          },
        },
        reset,
      }, req, path.slice("/_sandbox".length));
    }
    // Slack's Web API answers an unknown method with ok:false.
    if (path.startsWith("/api/")) return json({ ok: false, error: "unknown_method" }, 404);
    return json({ error: { code: "not_found", message: `No Slack sandbox route for ${req.method} ${SLACK_PREFIX}${path}` } }, 404);
  }

  const handler = mountProvider("Slack", SLACK_PREFIX, route, changed);

  return {
    id: "slack",
    name: "Slack",
    prefix: SLACK_PREFIX,
    handler,
    ...commonControls(ctx),
    summary,
    setTokenRotation(on) {
      ctx.store.settings.tokenRotation = on;
      changed();
    },
    reset() {
      reset();
      changed();
    },
    snapshot: () => snapshotStore(ctx.store),
  };
}
