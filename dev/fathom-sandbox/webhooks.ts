// Webhook registration (POST/DELETE /webhooks) and signed deliveries of new recordings.

import type { SandboxContext } from "./context.ts";
import { Webhook, z } from "./deps.ts";
import { apiError, json, readJson } from "./http.ts";
import { newMessageId, newWebhookSecret, randomAlphanumeric } from "./ids.ts";
import { toWireMeeting } from "./meeting-wire.ts";
import { type DeliveryRecord, type MeetingRecord, type SandboxUser, triggerFor, type TriggeredFor, type WebhookRecord } from "./store.ts";

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

/**
 * Svix's default retry schedule, which Fathom is believed to use (fathom-api.md §4.4, inferred, not published):
 * after the immediate attempt, retries 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after the previous failure.
 * Values are the delays in ms; options.retryScheduleMs replaces them (tests shorten them).
 */
export const SVIX_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];

/** Webhooks that fire for a new recording, each with the one trigger it fires for (see triggerFor in store.ts). */
export function webhooksFor(ctx: SandboxContext, meeting: MeetingRecord): { webhook: WebhookRecord; trigger: TriggeredFor }[] {
  const matched: { webhook: WebhookRecord; trigger: TriggeredFor }[] = [];
  for (const webhook of ctx.store.webhooks.values()) {
    const trigger = triggerFor(webhook.ownerEmail, meeting);
    if (trigger && webhook.triggeredFor.includes(trigger)) matched.push({ webhook, trigger });
  }
  return matched;
}

/** One message per matching webhook; the first attempts run now, failed ones are retried on the schedule. */
export async function deliverRecording(ctx: SandboxContext, meeting: MeetingRecord): Promise<DeliveryOutcome[]> {
  const deliveries = webhooksFor(ctx, meeting).map(({ webhook, trigger }): DeliveryRecord => {
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
      trigger,
      url: webhook.url,
      secret: webhook.secret,
      body: JSON.stringify(payload),
      attempts: [],
      nextAttemptAtMs: null,
    };
  });
  ctx.store.deliveries.push(...deliveries);
  return await Promise.all(deliveries.map((d) => attempt(ctx, d, "scheduled")));
}

/**
 * Sends the same message again by hand: same webhook-id and body, fresh timestamp and signature (as Svix retries
 * do). It does not move the automatic schedule, but a 2xx ends it.
 */
export async function redeliver(ctx: SandboxContext, messageId: string): Promise<DeliveryOutcome | null> {
  const delivery = ctx.store.deliveries.find((d) => d.messageId === messageId);
  return delivery ? await attempt(ctx, delivery, "manual") : null;
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

/** One POST of the message. A 2xx is a success; any other status, a network error or a timeout is a failure. */
async function send(ctx: SandboxContext, delivery: DeliveryRecord, attemptedAtMs: number): Promise<{ status: number | null; error: string | null }> {
  // A webhook failure rule stands in for a receiver that fails: status_5xx never reaches it, slow reaches it but
  // its answer counts as too late (the receiver may well have stored it: the retry is then a duplicate).
  const rule = ctx.failures.take("webhook", () => true);
  if (rule && rule.mode !== "slow") return { status: rule.mode === "status_503" ? 503 : 500, error: `injected failure (${rule.mode})` };
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ctx.options.deliveryTimeoutMs);
  const stop = ctx.inFlight.add(abort);
  try {
    const res = await fetch(delivery.url, {
      method: "POST",
      headers: signedHeaders(delivery.secret, delivery.messageId, attemptedAtMs, delivery.body),
      body: delivery.body,
      signal: abort.signal,
      redirect: "manual",
    });
    await res.body?.cancel();
    if (rule) return { status: null, error: "timeout (injected: slow)" };
    return { status: res.status, error: null };
  } catch (e) {
    return { status: null, error: abort.signal.aborted ? "timeout" : e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
    stop();
  }
}

const isSuccess = (status: number | null) => status !== null && status >= 200 && status < 300;

async function attempt(ctx: SandboxContext, delivery: DeliveryRecord, kind: "scheduled" | "manual"): Promise<DeliveryOutcome> {
  if (kind === "scheduled") delivery.nextAttemptAtMs = null;
  const attemptedAtMs = ctx.now();
  const started = performance.now();
  const { status, error } = await send(ctx, delivery, attemptedAtMs);
  delivery.attempts.push({ attemptedAtMs, status, durationMs: Math.round(performance.now() - started), error, manual: kind === "manual" });

  if (isSuccess(status)) {
    ctx.retries.cancel(delivery.messageId);
    delivery.nextAttemptAtMs = null;
  } else if (kind === "scheduled") {
    const retriesSoFar = delivery.attempts.filter((a) => !a.manual).length - 1;
    const delayMs = ctx.options.retryScheduleMs[retriesSoFar];
    if (delayMs !== undefined) {
      delivery.nextAttemptAtMs = ctx.now() + delayMs;
      ctx.retries.schedule(delivery.messageId, delayMs, () => void attempt(ctx, delivery, "scheduled").finally(ctx.changed));
    }
  }
  return { webhook_id: delivery.webhookId, message_id: delivery.messageId, status, error };
}

export function deliveryView(d: DeliveryRecord) {
  const last = d.attempts.at(-1);
  return {
    message_id: d.messageId,
    webhook_id: d.webhookId,
    recording_id: d.recordingId,
    trigger: d.trigger ?? null,
    url: d.url,
    attempts: d.attempts.map((a) => ({
      at: new Date(a.attemptedAtMs).toISOString(),
      status: a.status,
      error: a.error,
      duration_ms: a.durationMs,
      manual: a.manual ?? false,
    })),
    status: last?.status ?? null,
    duration_ms: last?.durationMs ?? null,
    delivered: d.attempts.some((a) => isSuccess(a.status)),
    next_attempt_at: d.nextAttemptAtMs === null ? null : new Date(d.nextAttemptAtMs).toISOString(),
  };
}
