// Zoom's event notifications to the app (providers.md §3, Z9-Z12): one endpoint URL and one secret token per app.
// Every request carries x-zm-request-timestamp (seconds) and x-zm-signature = "v0=" + hex(HMAC-SHA256(secret token,
// "v0:<timestamp>:<body>")). Before the first delivery to a URL (and when the URL changes) Zoom validates it with
// `endpoint.url_validation`: the answer must be 200 JSON {plainToken, encryptedToken: hex HMAC-SHA256(secret,
// plainToken)} within 3 s. A delivery is good on 200/204 within 3 s (the sandbox does not retry: its redeliver
// control plays Zoom's retry).

import { randomToken } from "../sandbox/ids.ts";
import type { ZoomContext } from "./context.ts";
import type { Delivery } from "./store.ts";

export const DELIVERY_TIMEOUT_MS = 3000;
const encoder = new TextEncoder();

export async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The two headers Zoom signs a request with. `timestampSeconds` as sent in x-zm-request-timestamp. */
export async function signatureHeaders(secret: string, timestampSeconds: number, body: string): Promise<Record<string, string>> {
  const signature = `v0=${await hmacHex(secret, `v0:${timestampSeconds}:${body}`)}`;
  return { "x-zm-request-timestamp": String(timestampSeconds), "x-zm-signature": signature };
}

async function post(ctx: ZoomContext, url: string, body: string): Promise<{ status: number | null; text: string; error: string | null }> {
  const headers = {
    "content-type": "application/json; charset=utf-8",
    "user-agent": "Zoom Marketplace/1.0a",
    "x-zm-trackingid": `sandbox_${randomToken("", 12)}`,
    ...(await signatureHeaders(ctx.store.settings.webhookSecretToken, Math.floor(ctx.now() / 1000), body)),
  };
  try {
    const res = await ctx.send(url, { method: "POST", headers, body, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS), redirect: "manual" });
    return { status: res.status, text: await res.text(), error: null };
  } catch (error) {
    return { status: null, text: "", error: error instanceof Error ? error.name : "request failed" };
  }
}

function record(ctx: ZoomContext, entry: Omit<Delivery, "at">): Delivery {
  const delivery = { at: new Date(ctx.now()).toISOString(), ...entry };
  ctx.store.deliveries.push(delivery);
  if (ctx.store.deliveries.length > 200) ctx.store.deliveries.splice(0, ctx.store.deliveries.length - 200);
  return delivery;
}

/** Challenges the configured URL; on success it is the validated one. */
export async function validateEndpoint(ctx: ZoomContext): Promise<Delivery> {
  const url = ctx.store.settings.webhookUrl;
  if (!url) return record(ctx, { event: "endpoint.url_validation", status: null, ok: false, error: "no endpoint URL configured", meeting_uuid: null });
  const plainToken = randomToken("", 16);
  const body = JSON.stringify({ payload: { plainToken }, event_ts: ctx.now(), event: "endpoint.url_validation" });
  const sent = await post(ctx, url, body);
  let ok = false;
  let error = sent.error;
  if (sent.status === 200) {
    try {
      const answer = JSON.parse(sent.text);
      ok = answer?.plainToken === plainToken && answer?.encryptedToken === await hmacHex(ctx.store.settings.webhookSecretToken, plainToken);
      if (!ok) error = "the answer did not prove the secret token";
    } catch {
      error = "the answer was not JSON";
    }
  } else if (sent.status !== null) {
    error = `answered ${sent.status}`;
  }
  ctx.store.settings.validatedUrl = ok ? url : null;
  return record(ctx, { event: "endpoint.url_validation", status: sent.status, ok, error, meeting_uuid: null });
}

/** Sends one event body (already serialised) to the app, validating the endpoint first when needed. */
export async function sendEvent(ctx: ZoomContext, event: string, body: string, meetingUuid: string | null): Promise<Delivery[]> {
  const url = ctx.store.settings.webhookUrl;
  if (!url) return [record(ctx, { event, status: null, ok: false, error: "no endpoint URL configured", meeting_uuid: meetingUuid })];
  const out: Delivery[] = [];
  if (ctx.store.settings.validatedUrl !== url) {
    const validation = await validateEndpoint(ctx);
    out.push(validation);
    if (!validation.ok) {
      out.push(record(ctx, { event, status: null, ok: false, error: "endpoint not validated: not sent", meeting_uuid: meetingUuid }));
      return out;
    }
  }
  if (meetingUuid) ctx.store.sentBodies.set(`${meetingUuid}|${event}`, body);
  const sent = await post(ctx, url, body);
  const ok = sent.status === 200 || sent.status === 204;
  out.push(record(ctx, { event, status: sent.status, ok, error: ok ? null : sent.error ?? `answered ${sent.status}`, meeting_uuid: meetingUuid }));
  return out;
}
