// The Typeform sandbox: a Web-standard handler for everything under /typeform (see dev/sandbox/README.md), plus
// programmatic controls for in-process tests. Routes (real host api.typeform.com):
//   GET/POST /typeform/oauth/authorize, POST /typeform/oauth/token
//   GET /typeform/me, GET /typeform/forms[/:id], GET|PUT|DELETE /typeform/forms/:id/webhooks[/:tag],
//   GET /typeform/forms/:id/responses
//   GET /typeform/ the sandbox page; /typeform/_sandbox/… the controls, plus
//   POST /typeform/_sandbox/submit {form_id, answers: {<field id or ref>: value}, no_email?, hidden?} (JSON)
//   POST /typeform/_sandbox/simulate (the page's form) and POST /typeform/_sandbox/redeliver {token}

import { createCodeBook } from "../sandbox/codes.ts";
import { handleControls } from "../sandbox/controls.ts";
import { z } from "../sandbox/deps.ts";
import { createFailureSwitch } from "../sandbox/failures.ts";
import { htmlResponse, json, readForm, readJson } from "../sandbox/http.ts";
import { commonControls, mountProvider, type ProviderSandbox } from "../sandbox/provider.ts";
import { CODE_TTL_SECONDS, DEFAULT_CLIENT, TYPEFORM_PREFIX } from "./account.ts";
import { seedResponses } from "./answers.ts";
import type { TypeformClient, TypeformContext } from "./context.ts";
import { deliver, type DeliveryResult, submit, type Submission } from "./deliveries.ts";
import { apiError } from "./errors.ts";
import { handleApi } from "./api.ts";
import { handleAuthorizeGet, handleAuthorizePost, handleToken } from "./oauth.ts";
import { providerPage } from "./pages.ts";
import { createStore, type StoredResponse, snapshotStore, storeFromSnapshot, type TypeformSnapshot } from "./store.ts";

export type { TypeformClient } from "./context.ts";
export type { TypeformSnapshot } from "./store.ts";

export interface TypeformSandboxOptions {
  /** Registered apps. None: sandbox-typeform-client-id / sandbox-typeform-client-secret. */
  clients?: TypeformClient[];
  /** The family's base URL without /typeform (default http://127.0.0.1:54329). */
  publicUrl?: string;
  codeTtlSeconds?: number;
  now?: () => number;
  /** How deliveries reach webhooks (default: the global fetch). */
  fetch?: typeof fetch;
  snapshot?: unknown;
  onChange?: () => void;
}

export interface TypeformSandbox extends ProviderSandbox {
  snapshot(): TypeformSnapshot;
  /** A new response to `formId`, delivered to its enabled webhooks; null for an unknown form. */
  submit(input: Submission): Promise<{ response: StoredResponse; deliveries: DeliveryResult[] } | null>;
}

const Settings = z.strictObject({});
const SubmitBody = z.strictObject({
  form_id: z.string().min(1),
  answers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  no_email: z.boolean().optional(),
  hidden: z.record(z.string(), z.string()).optional(),
});
const RedeliverBody = z.strictObject({ token: z.string().min(1) });

export function createTypeformSandbox(input: TypeformSandboxOptions = {}): TypeformSandbox {
  const now = input.now ?? Date.now;
  const changed = input.onChange ?? (() => {});
  const ctx: TypeformContext = {
    options: {
      clients: input.clients?.length ? input.clients : [{ ...DEFAULT_CLIENT }],
      publicUrl: (input.publicUrl ?? "http://127.0.0.1:54329").replace(/\/+$/, ""),
    },
    store: input.snapshot ? storeFromSnapshot(input.snapshot) : createStore(seedResponses(now())),
    codes: createCodeBook({ ttlMs: (input.codeTtlSeconds ?? CODE_TTL_SECONDS) * 1000, now }),
    failures: createFailureSwitch(),
    now,
    fetch: input.fetch ?? ((...args) => fetch(...args)),
    recentCalls: [],
  };
  let notice: string | null = null;

  function reset(): void {
    ctx.store = createStore(seedResponses(now()));
    ctx.codes.clear();
    ctx.failures.clear();
    ctx.recentCalls = [];
  }

  function summary() {
    const grants = [...ctx.store.grants.values()];
    return { grants: grants.length, activeGrants: grants.filter((g) => !g.revoked).length, messages: ctx.store.messages.length, revocations: ctx.store.revocations.length };
  }

  const badBody = (message: string) => json({ error: { code: "invalid_body", message } }, 400);

  async function controls(req: Request, path: string): Promise<Response> {
    switch (`${req.method} ${path}`) {
      case "POST /submit": {
        const body = SubmitBody.safeParse(await readJson(req));
        if (!body.success) return badBody(body.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
        const done = await submit(ctx, { formId: body.data.form_id, values: body.data.answers, noEmail: body.data.no_email, hidden: body.data.hidden });
        return done ? json(done) : json({ error: { code: "form_not_found", message: "No such form" } }, 404);
      }
      case "POST /simulate": {
        const form = await readForm(req);
        const values: Record<string, string> = {};
        for (const [key, value] of form) if (key.startsWith("field_")) values[key.slice("field_".length)] = value;
        const done = await submit(ctx, { formId: form.get("form_id") ?? "", values, noEmail: form.get("no_email") === "true" });
        notice = done
          ? `Response ${done.response.token.slice(0, 6)}… submitted; ${done.deliveries.length} webhook(s): ${done.deliveries.map((d) => d.status ?? d.error).join(", ") || "none enabled"}`
          : "No such form.";
        return new Response(null, { status: 303, headers: { location: `${TYPEFORM_PREFIX}/` } });
      }
      case "POST /redeliver": {
        const body = RedeliverBody.safeParse(await readJson(req));
        if (!body.success) return badBody("token: required");
        const response = ctx.store.responses.find((r) => r.token === body.data.token);
        if (!response) return json({ error: { code: "response_not_found", message: "No such response" } }, 404);
        return json({ deliveries: await deliver(ctx, response) });
      }
    }
    return await handleControls({
      messages: () => structuredClone(ctx.store.messages),
      revocations: () => structuredClone(ctx.store.revocations),
      state: () => ({ ...summary(), webhooks: ctx.store.webhooks.size, responses: ctx.store.responses.length, failures: ctx.failures.list() }),
      failures: ctx.failures,
      settings: { schema: Settings, apply: () => ({}) },
      reset,
    }, req, path);
  }

  async function route(req: Request, url: URL, path: string): Promise<Response> {
    switch (`${req.method} ${path}`) {
      case "GET /": {
        const html = providerPage({
          publicUrl: ctx.options.publicUrl,
          grants: [...ctx.store.grants.values()],
          webhooks: [...ctx.store.webhooks.values()],
          responses: ctx.store.responses,
          deliveries: ctx.store.messages,
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
    }
    if (path === "/_sandbox" || path.startsWith("/_sandbox/")) return await controls(req, path.slice("/_sandbox".length));
    const api = await handleApi(ctx, req, url, path);
    return api ?? apiError(404, "NOT_FOUND", `No route for ${req.method} ${TYPEFORM_PREFIX}${path}`);
  }

  const handler = mountProvider("Typeform", TYPEFORM_PREFIX, route, changed);

  return {
    id: "typeform",
    name: "Typeform",
    prefix: TYPEFORM_PREFIX,
    handler,
    ...commonControls(ctx),
    summary,
    reset() {
      reset();
      changed();
    },
    snapshot: () => snapshotStore(ctx.store),
    async submit(sub) {
      const done = await submit(ctx, sub);
      changed();
      return done;
    },
  };
}
