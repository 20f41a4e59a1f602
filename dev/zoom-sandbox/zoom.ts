// The Zoom sandbox: a Web-standard handler for everything under /zoom (see ../sandbox/README.md), plus programmatic
// controls for in-process tests. Routes (real host in brackets):
//   GET/POST /zoom/oauth/authorize                  [zoom.us/oauth/authorize]   consent with an account/user picker
//   POST     /zoom/oauth/token, /zoom/oauth/revoke  [zoom.us/oauth/…]           Basic client auth
//   GET      /zoom/v2/…                             [api.zoom.us/v2/…]          users/me, recordings, participants
//   GET      /zoom/rec/download/:fileId             [zoom.us/rec/download/…]    recording files (the VTT transcript)
//   GET      /zoom/                                  the sandbox page; /zoom/_sandbox/… the controls:
//     the family's (messages, revocations, state, failures, settings {webhookUrl?, webhookSecretToken?}, reset) and
//     POST recordings (SimulateRequest JSON) -> {meeting, deliveries}; POST simulate (the page's form, 303 back);
//     POST recordings/:uuid/transcript -> recording.transcript_completed; POST recordings/:uuid/redeliver {event};
//     POST recordings/:uuid/trash -> recording.trashed; POST recordings/:uuid/recover -> recording.recovered;
//     POST validate -> endpoint.url_validation now; GET deliveries; GET recordings.

import { createCodeBook } from "../sandbox/codes.ts";
import { handleControls } from "../sandbox/controls.ts";
import { z } from "../sandbox/deps.ts";
import { createFailureSwitch } from "../sandbox/failures.ts";
import { htmlResponse, json, readJson, redirect } from "../sandbox/http.ts";
import { mountProvider, type ProviderSandbox } from "../sandbox/provider.ts";
import { CODE_TTL_SECONDS, DEFAULT_CLIENT, DEFAULT_WEBHOOK_SECRET_TOKEN, ZOOM_PREFIX } from "./account.ts";
import { handleApi, handleDownload } from "./api.ts";
import type { Sender, ZoomClient, ZoomContext } from "./context.ts";
import { apiError } from "./errors.ts";
import { handleAuthorizeGet, handleAuthorizePost, handleRevoke, handleToken } from "./oauth.ts";
import { providerPage } from "./pages.ts";
import { completeTranscript, meetingWire, redeliver, setTrashed, SimulateRequest, simulateMeeting } from "./recordings.ts";
import { createStore, snapshotStore, storeFromSnapshot, type ZoomSnapshot } from "./store.ts";
import { validateEndpoint } from "./webhooks.ts";

export type { ZoomClient } from "./context.ts";
export type { ZoomSnapshot } from "./store.ts";

export interface ZoomSandboxOptions {
  /** Registered apps. None: sandbox-zoom-client-id / sandbox-zoom-client-secret. */
  clients?: ZoomClient[];
  /** The family's base URL without /zoom (default http://127.0.0.1:54329). */
  publicUrl?: string;
  /** The app's event notification endpoint (the CRM's zoom-webhook); null or unset: none until settings name one. */
  webhookUrl?: string | null;
  /** The app's secret token (ZOOM_WEBHOOK_SECRET_TOKEN on the CRM's side). */
  webhookSecretToken?: string;
  codeTtlSeconds?: number;
  now?: () => number;
  /** How deliveries are sent (default fetch). */
  send?: Sender;
  /** Start from this state (see snapshot()); throws if it is not a Zoom snapshot. */
  snapshot?: unknown;
  onChange?: () => void;
}

export interface ZoomSandbox extends ProviderSandbox {
  snapshot(): ZoomSnapshot;
  /** The app's event endpoint, or null (not a secret: the secret token is never shown). */
  webhookUrl(): string | null;
  /** Records a meeting like the control does (tests). */
  simulate(request: z.input<typeof SimulateRequest>): ReturnType<typeof simulateMeeting>;
}

const Settings = z.strictObject({
  webhookUrl: z.url({ protocol: /^https?$/ }).nullable().optional(),
  webhookSecretToken: z.string().min(1).max(200).optional(),
});

function notFoundControl(path: string): Response {
  return json({ error: { code: "not_found", message: `No sandbox control ${path}` } }, 404);
}

export function createZoomSandbox(input: ZoomSandboxOptions = {}): ZoomSandbox {
  const now = input.now ?? Date.now;
  const changed = input.onChange ?? (() => {});
  const initialSettings = { webhookUrl: input.webhookUrl ?? null, webhookSecretToken: input.webhookSecretToken ?? DEFAULT_WEBHOOK_SECRET_TOKEN };
  const ctx: ZoomContext = {
    options: {
      clients: input.clients?.length ? input.clients : [{ ...DEFAULT_CLIENT }],
      publicUrl: (input.publicUrl ?? "http://127.0.0.1:54329").replace(/\/+$/, ""),
    },
    store: input.snapshot ? storeFromSnapshot(input.snapshot) : createStore(initialSettings),
    codes: createCodeBook({ ttlMs: (input.codeTtlSeconds ?? CODE_TTL_SECONDS) * 1000, now }),
    failures: createFailureSwitch(),
    now,
    send: input.send ?? ((url, init) => fetch(url, init)),
  };
  // The environment wins over a restored file for the endpoint: the stack's ports may have changed.
  if (input.snapshot && input.webhookUrl) ctx.store.settings.webhookUrl = input.webhookUrl;
  if (input.snapshot && input.webhookSecretToken) ctx.store.settings.webhookSecretToken = input.webhookSecretToken;
  let notice: string | null = null;

  function reset(): void {
    ctx.store = createStore(initialSettings);
    ctx.codes.clear();
    ctx.failures.clear();
  }

  function summary() {
    const grants = [...ctx.store.grants.values()];
    return { grants: grants.length, activeGrants: grants.filter((g) => !g.revoked).length, messages: ctx.store.deliveries.length, revocations: ctx.store.revocations.length };
  }

  const decodeUuid = (raw: string) => {
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  };

  /** Controls beyond the family's common ones; null when the path is not one of them. */
  async function zoomControl(req: Request, path: string): Promise<Response | null> {
    let m: RegExpExecArray | null;
    if (req.method === "GET" && path === "/deliveries") return json({ deliveries: structuredClone(ctx.store.deliveries) });
    if (req.method === "GET" && path === "/recordings") return json({ meetings: ctx.store.meetings.map((mt) => meetingWire(ctx, mt)) });
    if (req.method === "POST" && path === "/validate") return json({ delivery: await validateEndpoint(ctx) });
    if (req.method === "POST" && path === "/recordings") {
      const body = await readJson(req);
      const parsed = SimulateRequest.safeParse(body);
      if (!parsed.success) {
        return json({ error: { code: "invalid_body", message: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") } }, 400);
      }
      try {
        return json(await simulateMeeting(ctx, parsed.data), 201);
      } catch (error) {
        if (error instanceof RangeError) return json({ error: { code: "invalid_body", message: "hostId: not a sandbox user" } }, 400);
        throw error;
      }
    }
    if (req.method === "POST" && path === "/simulate") {
      // the page's form: participants comma-separated
      const form = new URLSearchParams(await req.text());
      const participants = (form.get("participants") ?? "").split(/[\s,;]+/).filter(Boolean);
      const parsed = SimulateRequest.safeParse({
        hostId: form.get("hostId") || undefined,
        topic: form.get("topic") || undefined,
        participants,
        transcript: form.get("transcript") || undefined,
      });
      if (!parsed.success) {
        notice = `Not recorded: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`;
      } else {
        const result = await simulateMeeting(ctx, parsed.data);
        const last = result.deliveries.at(-1);
        notice = `Recorded "${result.meeting.topic}". ${last ? `recording.completed: ${last.ok ? "delivered" : last.error}` : ""}`;
      }
      return redirect(`${ZOOM_PREFIX}/`, 303);
    }
    if (req.method === "POST" && (m = /^\/recordings\/([^/]+)\/transcript$/.exec(path))) {
      const result = await completeTranscript(ctx, decodeUuid(m[1]));
      if (!result) return notFoundControl(path);
      if (req.headers.get("content-type")?.startsWith("application/x-www-form-urlencoded")) {
        notice = `Transcript completed. ${result.deliveries.at(-1)?.ok ? "Delivered." : ""}`;
        return redirect(`${ZOOM_PREFIX}/`, 303);
      }
      return json(result);
    }
    if (req.method === "POST" && (m = /^\/recordings\/([^/]+)\/(trash|recover)$/.exec(path))) {
      const result = await setTrashed(ctx, decodeUuid(m[1]), m[2] === "trash");
      return result ? json(result) : notFoundControl(path);
    }
    if (req.method === "POST" && (m = /^\/recordings\/([^/]+)\/redeliver$/.exec(path))) {
      const body = await readJson(req) as { event?: unknown } | undefined;
      const event = typeof body?.event === "string" ? body.event : "recording.completed";
      const deliveries = await redeliver(ctx, decodeUuid(m[1]), event);
      return deliveries ? json({ deliveries }) : notFoundControl(path);
    }
    return null;
  }

  async function route(req: Request, url: URL, path: string): Promise<Response> {
    switch (`${req.method} ${path}`) {
      case "GET /": {
        const html = providerPage({
          grants: [...ctx.store.grants.values()],
          meetings: ctx.store.meetings,
          deliveries: ctx.store.deliveries,
          revocations: ctx.store.revocations,
          settings: ctx.store.settings,
          notice,
        });
        notice = null;
        return htmlResponse(html);
      }
      case "GET /oauth/authorize":
        return handleAuthorizeGet(ctx, url);
      case "POST /oauth/authorize":
        return await handleAuthorizePost(ctx, req);
      case "POST /oauth/token":
        return await handleToken(ctx, req);
      case "POST /oauth/revoke":
        return await handleRevoke(ctx, req);
    }
    if (path.startsWith("/v2/")) return await handleApi(ctx, req, url, path.slice("/v2".length));
    const download = /^\/rec\/download\/([A-Za-z0-9]+)$/.exec(path);
    if (download && req.method === "GET") return await handleDownload(ctx, req, url, download[1]);
    if (path === "/_sandbox" || path.startsWith("/_sandbox/")) {
      const sub = path.slice("/_sandbox".length);
      const own = await zoomControl(req, sub);
      if (own) return own;
      return await handleControls({
        messages: () => [],
        revocations: () => structuredClone(ctx.store.revocations),
        state: () => ({
          settings: { webhookUrl: ctx.store.settings.webhookUrl, validated: ctx.store.settings.validatedUrl === ctx.store.settings.webhookUrl && ctx.store.settings.webhookUrl !== null },
          ...summary(),
          meetings: ctx.store.meetings.length,
          failures: ctx.failures.list(),
        }),
        failures: ctx.failures,
        settings: {
          schema: Settings,
          apply(settings) {
            if (settings.webhookUrl !== undefined) ctx.store.settings.webhookUrl = settings.webhookUrl;
            if (settings.webhookSecretToken !== undefined) {
              ctx.store.settings.webhookSecretToken = settings.webhookSecretToken;
              ctx.store.settings.validatedUrl = null; // a new secret token is validated again
            }
            return { webhookUrl: ctx.store.settings.webhookUrl };
          },
        },
        reset,
      }, req, sub);
    }
    return apiError(404, 404, `No Zoom sandbox route for ${req.method} ${ZOOM_PREFIX}${path}`);
  }

  const handler = mountProvider("Zoom", ZOOM_PREFIX, route, changed);

  return {
    id: "zoom",
    name: "Zoom",
    prefix: ZOOM_PREFIX,
    handler,
    // the family's common controls, but Zoom posts nothing to channels: its "messages" are none, deliveries its own
    setPublicUrl(url: string) {
      ctx.options.publicUrl = url.replace(/\/+$/, "");
    },
    messages: () => [],
    revocations: () => structuredClone(ctx.store.revocations),
    setFailure: (failure) => void ctx.failures.set(failure),
    clearFailures: () => ctx.failures.clear(),
    summary,
    reset() {
      reset();
      changed();
    },
    snapshot: () => snapshotStore(ctx.store),
    webhookUrl: () => ctx.store.settings.webhookUrl,
    async simulate(request) {
      const result = await simulateMeeting(ctx, SimulateRequest.parse(request));
      changed();
      return result;
    },
  };
}
