// Webhook deliveries (T11, T13): each enabled webhook of the form gets `POST <url>` with the JSON event, signed
// `Typeform-Signature: sha256=<base64 HMAC-SHA256(secret, raw body)>` when the webhook has a secret (base64, not
// hex, over the exact bytes sent). Every delivery is recorded with the receiver's status.

import { base64 } from "../sandbox/ids.ts";
import { randomAlphanumeric } from "../sandbox/ids.ts";
import { type FormDef, formById } from "./account.ts";
import { answersFor, definitionOf, responseToken } from "./answers.ts";
import type { TypeformContext } from "./context.ts";
import type { StoredResponse, Webhook } from "./store.ts";

export const DELIVERY_TIMEOUT_MS = 10_000;

/** `sha256=<base64 HMAC-SHA256(secret, body)>` */
export async function typeformSignature(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body));
  return `sha256=${base64(new Uint8Array(mac))}`;
}

/** The event a delivery carries (T12's example payload). */
export function eventFor(form: FormDef, response: StoredResponse) {
  return {
    event_id: randomAlphanumeric(26).toUpperCase(),
    event_type: "form_response",
    form_response: {
      form_id: form.id,
      token: response.token,
      landed_at: response.landed_at,
      submitted_at: response.submitted_at,
      hidden: response.hidden,
      calculated: { score: 0 },
      definition: definitionOf(form),
      answers: response.answers,
    },
  };
}

export interface DeliveryResult {
  tag: string;
  /** the receiver's HTTP status; null when it could not be reached */
  status: number | null;
  error: string | null;
}

async function deliverOne(ctx: TypeformContext, form: FormDef, hook: Webhook, body: string): Promise<DeliveryResult> {
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Typeform Webhooks (sandbox)" };
  if (hook.secret) headers["typeform-signature"] = await typeformSignature(hook.secret, body);
  let result: DeliveryResult;
  try {
    const res = await ctx.fetch(hook.url, { method: "POST", headers, body, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS), redirect: "manual" });
    await res.body?.cancel();
    result = { tag: hook.tag, status: res.status, error: null };
    // T13: 410 and 404 disable the webhook at once
    if (res.status === 404 || res.status === 410) hook.enabled = false;
  } catch (error) {
    result = { tag: hook.tag, status: null, error: error instanceof Error ? error.name : "error" };
  }
  ctx.store.messages.push({
    id: randomAlphanumeric(16),
    at: new Date(ctx.now()).toISOString(),
    channel_id: form.id,
    channel: form.title,
    body: { tag: hook.tag, status: result.status, error: result.error, event: JSON.parse(body) },
  });
  return result;
}

/** Sends `response` to every enabled webhook of its form (the same body to each). */
export async function deliver(ctx: TypeformContext, response: StoredResponse): Promise<DeliveryResult[]> {
  const form = formById(response.form_id);
  if (!form) return [];
  const hooks = [...ctx.store.webhooks.values()].filter((h) => h.form_id === form.id && h.enabled);
  const body = JSON.stringify(eventFor(form, response));
  const results: DeliveryResult[] = [];
  for (const hook of hooks) results.push(await deliverOne(ctx, form, hook, body));
  return results;
}

export interface Submission {
  formId: string;
  /** keyed by field id or ref */
  values: Record<string, unknown>;
  /** leave every e-mail answer out (a response the CRM must refuse) */
  noEmail?: boolean;
  hidden?: Record<string, string>;
}

/** Stores a new response as if someone submitted the form, then delivers it. null: unknown form. */
export async function submit(ctx: TypeformContext, input: Submission): Promise<{ response: StoredResponse; deliveries: DeliveryResult[] } | null> {
  const form = formById(input.formId);
  if (!form) return null;
  const nowIso = new Date(ctx.now()).toISOString();
  let answers = answersFor(form, input.values);
  if (input.noEmail) answers = answers.filter((a) => a.type !== "email");
  const response: StoredResponse = {
    form_id: form.id,
    token: responseToken(),
    landed_at: new Date(ctx.now() - 45_000).toISOString(),
    submitted_at: nowIso,
    hidden: input.hidden ?? {},
    answers,
  };
  ctx.store.responses.push(response);
  return { response, deliveries: await deliver(ctx, response) };
}
