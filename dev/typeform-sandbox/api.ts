// Typeform's REST API, the part a CRM uses (T9, T10): GET /forms, GET /forms/{id} (fields with types and titles),
// GET|PUT|DELETE /forms/{id}/webhooks/{tag}, GET /forms/{id}/webhooks, GET /forms/{id}/responses. Every call needs a
// live bearer token with the call's scope and counts against 2 requests a second per account (429 beyond).

import { json, readJson } from "../sandbox/http.ts";
import { randomAlphanumeric } from "../sandbox/ids.ts";
import { type FormDef, formById, FORMS, RATE_LIMIT_PER_SECOND } from "./account.ts";
import type { TypeformContext } from "./context.ts";
import { definitionOf } from "./answers.ts";
import { rateLimited, typeformOutage, unauthenticated, validationError, webhookNotFound, formNotFound } from "./errors.ts";
import { handleMe, requireScope, tokenGrant } from "./oauth.ts";
import { type StoredResponse, type Webhook, webhookKey } from "./store.ts";

const TAG = /^[A-Za-z0-9_-]{1,100}$/;

/** A sliding one-second window over the account's API calls; a refused call does not count. */
function overLimit(ctx: TypeformContext): Response | null {
  const now = ctx.now();
  ctx.recentCalls = ctx.recentCalls.filter((t) => t > now - 1000);
  if (ctx.recentCalls.length >= RATE_LIMIT_PER_SECOND) return rateLimited((ctx.recentCalls[0] + 1000 - now) / 1000);
  ctx.recentCalls.push(now);
  return null;
}

function formSummary(ctx: TypeformContext, form: FormDef) {
  const base = `${ctx.options.publicUrl}/typeform`;
  return {
    id: form.id,
    type: "form",
    title: form.title,
    last_updated_at: form.created_at,
    created_at: form.created_at,
    settings: { is_public: true },
    self: { href: `${base}/forms/${form.id}` },
    theme: { href: `${base}/themes/default` },
    _links: { display: `${base}/to/${form.id}`, responses: `${base}/forms/${form.id}/responses` },
  };
}

function intParam(url: URL, name: string, fallback: number, min: number, max: number): number | Response {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) return validationError(`${name} must be an integer between ${min} and ${max}`);
  return n;
}

/** GET /forms?page&page_size (max 200, default 10)&search: newest first. */
function listForms(ctx: TypeformContext, url: URL): Response {
  const page = intParam(url, "page", 1, 1, 1_000_000);
  const size = intParam(url, "page_size", 10, 1, 200);
  if (page instanceof Response) return page;
  if (size instanceof Response) return size;
  const search = (url.searchParams.get("search") ?? "").toLowerCase();
  const all = [...FORMS].filter((f) => f.title.toLowerCase().includes(search)).sort((a, b) => b.created_at.localeCompare(a.created_at));
  return json({
    total_items: all.length,
    page_count: Math.max(1, Math.ceil(all.length / size)),
    items: all.slice((page - 1) * size, page * size).map((f) => formSummary(ctx, f)),
  });
}

function webhookOut(hook: Webhook) {
  const { secret: _secret, ...visible } = hook;
  return visible;
}

const PutWebhook = (body: unknown): { url: string; enabled: boolean; secret: string | null; verify_ssl: boolean } | string => {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "The body must be a JSON object";
  const b = body as Record<string, unknown>;
  if (typeof b.url !== "string") return "url is required";
  try {
    const u = new URL(b.url);
    if (u.protocol !== "https:" && u.protocol !== "http:") return "url must be an http(s) URL";
  } catch {
    return "url must be a valid URL";
  }
  if (b.enabled !== undefined && typeof b.enabled !== "boolean") return "enabled must be a boolean";
  if (b.verify_ssl !== undefined && typeof b.verify_ssl !== "boolean") return "verify_ssl must be a boolean";
  if (b.secret !== undefined && b.secret !== null && (typeof b.secret !== "string" || b.secret.length > 1000)) return "secret must be a string";
  // the official SDK defaults `enabled` to false (T11): a webhook put without it stays off
  return { url: b.url, enabled: b.enabled === true, secret: (b.secret as string | undefined) || null, verify_ssl: b.verify_ssl !== false };
};

async function putWebhook(ctx: TypeformContext, req: Request, form: FormDef, tag: string): Promise<Response> {
  const body = await readJson(req);
  const parsed = body === undefined ? "The body is not valid JSON" : PutWebhook(body);
  if (typeof parsed === "string") return validationError(parsed);
  const key = webhookKey(form.id, tag);
  const nowIso = new Date(ctx.now()).toISOString();
  const old = ctx.store.webhooks.get(key);
  const hook: Webhook = {
    id: old?.id ?? randomAlphanumeric(26).toUpperCase(),
    form_id: form.id,
    tag,
    ...parsed,
    created_at: old?.created_at ?? nowIso,
    updated_at: nowIso,
  };
  ctx.store.webhooks.set(key, hook);
  return json(webhookOut(hook), old ? 200 : 201);
}

/** A token given as `before` / `after` must be one of the form's responses. */
function responsesOf(ctx: TypeformContext, form: FormDef, url: URL): Response {
  const size = intParam(url, "page_size", 25, 1, 1000);
  if (size instanceof Response) return size;
  const time = (name: string): number | null | Response => {
    const raw = url.searchParams.get(name);
    if (raw === null) return null;
    const ms = /^\d+$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw);
    return Number.isFinite(ms) ? ms : validationError(`${name} must be an ISO 8601 date or a Unix timestamp`);
  };
  const since = time("since");
  const until = time("until");
  if (since instanceof Response) return since;
  if (until instanceof Response) return until;
  // newest first, as Typeform's default sort (submitted_at desc)
  let rows: StoredResponse[] = ctx.store.responses.filter((r) => r.form_id === form.id).reverse();
  rows = rows.filter((r) => (since === null || Date.parse(r.submitted_at) >= since) && (until === null || Date.parse(r.submitted_at) <= until));
  const total = rows.length;
  for (const [name, keep] of [["before", (i: number) => rows.slice(i + 1)], ["after", (i: number) => rows.slice(0, i)]] as const) {
    const token = url.searchParams.get(name);
    if (token === null) continue;
    const i = rows.findIndex((r) => r.token === token);
    if (i < 0) return validationError(`${name} is not a response token of this form`);
    rows = keep(i);
  }
  return json({
    total_items: total,
    page_count: Math.max(1, Math.ceil(total / size)),
    items: rows.slice(0, size).map((r) => ({
      landing_id: r.token,
      token: r.token,
      response_id: r.token,
      landed_at: r.landed_at,
      submitted_at: r.submitted_at,
      metadata: { user_agent: "sandbox", platform: "other", referer: "", network_id: "", browser: "default" },
      hidden: r.hidden,
      calculated: { score: 0 },
      answers: r.answers,
    })),
  });
}

/** Routes a path under the API (`/me`, `/forms...`); null when it is not an API path. */
export async function handleApi(ctx: TypeformContext, req: Request, url: URL, path: string): Promise<Response | null> {
  const m = /^\/forms(?:\/([^/]+)(?:\/(webhooks|responses)(?:\/([^/]+))?)?)?$/.exec(path);
  if (path !== "/me" && !m) return null;
  const auth = tokenGrant(ctx, req);
  if ("error" in auth) return auth.error;
  const limited = overLimit(ctx);
  if (limited) return limited;
  const outage = await typeformOutage(ctx.failures.take("api"), unauthenticated);
  if (outage) return outage;
  const { grant } = auth;
  if (path === "/me") return req.method === "GET" ? handleMe(grant) : validationError("Method not allowed");
  const [, formId, sub, tag] = m!;
  if (!formId) return req.method === "GET" ? (requireScope(grant, "forms:read") ?? listForms(ctx, url)) : validationError("Method not allowed");
  const form = formById(decodeURIComponent(formId));
  if (!sub) {
    if (req.method !== "GET") return validationError("Method not allowed");
    return requireScope(grant, "forms:read") ?? (form ? json({ ...definitionOf(form), type: "form", hidden: [], settings: { is_public: true } }) : formNotFound(formId));
  }
  if (sub === "responses") {
    if (tag !== undefined || req.method !== "GET") return validationError("Method not allowed");
    return requireScope(grant, "responses:read") ?? (form ? responsesOf(ctx, form, url) : formNotFound(formId));
  }
  // webhooks
  const scope = req.method === "GET" ? "webhooks:read" : "webhooks:write";
  const refused = requireScope(grant, scope);
  if (refused) return refused;
  if (!form) return formNotFound(formId);
  if (tag === undefined) {
    if (req.method !== "GET") return validationError("Method not allowed");
    return json({ items: [...ctx.store.webhooks.values()].filter((h) => h.form_id === form.id).map(webhookOut) });
  }
  const decodedTag = decodeURIComponent(tag);
  if (!TAG.test(decodedTag)) return validationError("tag may hold letters, digits, - and _ (1-100)");
  const key = webhookKey(form.id, decodedTag);
  switch (req.method) {
    case "GET": {
      const hook = ctx.store.webhooks.get(key);
      return hook ? json(webhookOut(hook)) : webhookNotFound();
    }
    case "PUT":
      return await putWebhook(ctx, req, form, decodedTag);
    case "DELETE":
      if (!ctx.store.webhooks.delete(key)) return webhookNotFound();
      return new Response(null, { status: 204 });
    default:
      return validationError("Method not allowed");
  }
}
