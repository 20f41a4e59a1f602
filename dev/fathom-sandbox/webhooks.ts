// Webhook registration (POST/DELETE /webhooks) and signed deliveries of new recordings.

import type { SandboxContext } from "./context.ts";
import { Webhook, z } from "./deps.ts";
import { apiError, json, readJson } from "./http.ts";
import { newMessageId, newWebhookSecret, randomAlphanumeric } from "./ids.ts";
import { toWireMeeting } from "./meeting-wire.ts";
import type { DeliveryRecord, MeetingRecord, SandboxUser, WebhookRecord } from "./store.ts";

/** Fathom's CreateWebhook body: additionalProperties false, so unknown keys are rejected. */
export const CreateWebhookBody = z.strictObject({
  destination_url: z.url({ protocol: /^https?$/ }),
  triggered_for: z.array(
    z.enum(["my_recordings", "shared_external_recordings", "my_shared_with_team_recordings", "shared_team_recordings"]),
  ).min(1),
  include_transcript: z.boolean().default(false),
  include_summary: z.boolean().default(false),
  include_action_items: z.boolean().default(false),
  include_crm_matches: z.boolean().default(false),
});

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function webhookResponse(w: WebhookRecord) {
  return {
    id: w.id,
    url: w.url,
    secret: w.secret,
    created_at: iso(w.createdAtMs),
    include_transcript: w.includeTranscript,
    include_summary: w.includeSummary,
    include_action_items: w.includeActionItems,
    include_crm_matches: w.includeCrmMatches,
    triggered_for: w.triggeredFor,
  };
}

export async function createWebhook(ctx: SandboxContext, user: SandboxUser, req: Request): Promise<Response> {
  const raw = await readJson(req);
  if (raw === undefined) return apiError(400, "bad_request", "The body must be JSON");
  const parsed = CreateWebhookBody.safeParse(raw);
  if (!parsed.success) {
    return json({
      error: "bad_request",
      message: "Invalid webhook",
      details: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    }, 400);
  }
  const body = parsed.data;
  if (!body.include_transcript && !body.include_summary && !body.include_action_items && !body.include_crm_matches) {
    return apiError(422, "unprocessable_entity", "At least one of include_transcript, include_summary, include_action_items or include_crm_matches must be true");
  }
  const webhook: WebhookRecord = {
    id: randomAlphanumeric(16),
    ownerEmail: user.email,
    url: body.destination_url,
    secret: newWebhookSecret(),
    createdAtMs: ctx.now(),
    triggeredFor: [...new Set(body.triggered_for)],
    includeTranscript: body.include_transcript,
    includeSummary: body.include_summary,
    includeActionItems: body.include_action_items,
    includeCrmMatches: body.include_crm_matches,
  };
  ctx.store.webhooks.set(webhook.id, webhook);
  return json(webhookResponse(webhook), 201);
}

export function deleteWebhook(ctx: SandboxContext, user: SandboxUser, id: string): Response {
  const webhook = ctx.store.webhooks.get(id);
  // Another user's webhook is reported as missing, not forbidden: its existence is none of the caller's business.
  if (!webhook || webhook.ownerEmail !== user.email) return apiError(404, "not_found", "Webhook not found");
  ctx.store.webhooks.delete(id);
  return new Response(null, { status: 204 });
}

// ---------------------------------------------------------------------------------------------------------------
// Deliveries

export interface DeliveryOutcome {
  webhook_id: string;
  message_id: string;
  status: number | null;
  error: string | null;
}

/** Webhooks that fire for a new recording: the recorder's own, subscribed to my_recordings. */
export function webhooksFor(ctx: SandboxContext, meeting: MeetingRecord): WebhookRecord[] {
  return [...ctx.store.webhooks.values()].filter(
    (w) => w.ownerEmail === meeting.recorderEmail && w.triggeredFor.includes("my_recordings"),
  );
}

export async function deliverRecording(ctx: SandboxContext, meeting: MeetingRecord): Promise<DeliveryOutcome[]> {
  const deliveries = webhooksFor(ctx, meeting).map((webhook): DeliveryRecord => {
    // The payload is the bare Meeting object with only the sections the webhook asked for (fathom-api.md §4.2).
    const payload = toWireMeeting(meeting, {
      transcript: webhook.includeTranscript,
      summary: webhook.includeSummary,
      actionItems: webhook.includeActionItems,
      crmMatches: webhook.includeCrmMatches,
    }, ctx.wire);
    return {
      messageId: newMessageId(),
      webhookId: webhook.id,
      recordingId: meeting.recordingId,
      url: webhook.url,
      secret: webhook.secret,
      body: JSON.stringify(payload),
      attempts: [],
    };
  });
  ctx.store.deliveries.push(...deliveries);
  return await Promise.all(deliveries.map((d) => attempt(ctx, d)));
}

/** Sends the same message again: same webhook-id and body, fresh timestamp and signature (as Svix retries do). */
export async function redeliver(ctx: SandboxContext, messageId: string): Promise<DeliveryOutcome | null> {
  const delivery = ctx.store.deliveries.find((d) => d.messageId === messageId);
  return delivery ? await attempt(ctx, delivery) : null;
}

export function signedHeaders(secret: string, messageId: string, timestampMs: number, body: string): Record<string, string> {
  const timestamp = new Date(timestampMs);
  return {
    "content-type": "application/json",
    "user-agent": "Fathom-Sandbox-Webhooks/1.0",
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(timestampMs / 1000)),
    "webhook-signature": new Webhook(secret).sign(messageId, timestamp, body),
  };
}

async function attempt(ctx: SandboxContext, delivery: DeliveryRecord): Promise<DeliveryOutcome> {
  const attemptedAtMs = ctx.now();
  const started = performance.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ctx.options.deliveryTimeoutMs);
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(delivery.url, {
      method: "POST",
      headers: signedHeaders(delivery.secret, delivery.messageId, attemptedAtMs, delivery.body),
      body: delivery.body,
      signal: abort.signal,
      redirect: "manual",
    });
    status = res.status;
    await res.body?.cancel();
  } catch (e) {
    error = abort.signal.aborted ? "timeout" : e instanceof Error ? e.message : String(e);
  } finally {
    clearTimeout(timer);
  }
  delivery.attempts.push({ attemptedAtMs, status, durationMs: Math.round(performance.now() - started), error });
  return { webhook_id: delivery.webhookId, message_id: delivery.messageId, status, error };
}

export function deliveryView(d: DeliveryRecord) {
  const last = d.attempts.at(-1);
  return {
    message_id: d.messageId,
    webhook_id: d.webhookId,
    recording_id: d.recordingId,
    url: d.url,
    attempts: d.attempts.map((a) => ({
      attempted_at: new Date(a.attemptedAtMs).toISOString(),
      status: a.status,
      duration_ms: a.durationMs,
      error: a.error,
    })),
    status: last?.status ?? null,
    duration_ms: last?.durationMs ?? null,
  };
}
