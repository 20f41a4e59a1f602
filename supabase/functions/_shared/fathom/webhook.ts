// An incoming Fathom delivery (fathom-api.md §4): route by the id in the URL, verify the Standard Webhooks
// signature over the RAW body with that integration's secret (standardwebhooks checks the ±5 min timestamp
// tolerance), then dedupe and import in ONE service transaction, so a failure stores nothing and Fathom's retry
// can succeed. No Fathom API call happens on this path: the delivery carries the content.
import { Webhook } from "standardwebhooks";
import { DecryptError, decryptSecret, integrationAad } from "../crypto.ts";
import { asService } from "../db.ts";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import { meetingSchema } from "./client.ts";
import { importMeeting } from "./import.ts";

export const ROUTE_ID = /^[A-Za-z0-9_-]{32,128}$/;

export interface Delivery {
  routeId: string;
  rawBody: string;
  headers: Headers;
}

export type DeliveryResult =
  | { duplicate: true }
  | { duplicate: false; meeting_id: string; linked_leads: number; created_leads: number };

interface Route {
  id: string;
  team_id: string;
  webhook_secret_encrypted: string | null;
}

async function findRoute(routeId: string): Promise<Route | null> {
  if (!ROUTE_ID.test(routeId)) return null;
  const rows = await asService((tx) =>
    tx<Route[]>`select id, team_id, webhook_secret_encrypted from public.team_integrations
                 where webhook_route_id = ${routeId} and provider = 'fathom'`
  );
  return rows[0] ?? null;
}

function signatureHeaders(headers: Headers): Record<string, string> {
  // Svix (which Fathom appears to use) may send svix-* instead of webhook-*; standardwebhooks reads webhook-*.
  const pick = (name: string) => headers.get(`webhook-${name}`) ?? headers.get(`svix-${name}`) ?? "";
  return { "webhook-id": pick("id"), "webhook-timestamp": pick("timestamp"), "webhook-signature": pick("signature") };
}

export async function receiveDelivery(delivery: Delivery): Promise<DeliveryResult> {
  const route = await findRoute(delivery.routeId);
  if (!route) throw new AppError("not_found", "Unknown webhook.");
  // No secret known: refuse. Verification is never skipped.
  if (!route.webhook_secret_encrypted) throw new AppError("unauthorized", "Webhook signature cannot be verified.");

  let secret: string;
  try {
    secret = await decryptSecret(route.webhook_secret_encrypted, integrationAad(route.team_id, "fathom", "webhook_secret"));
  } catch (err) {
    if (!(err instanceof DecryptError)) throw err;
    logError("fathom webhook", err);
    throw new AppError("unauthorized", "Webhook signature cannot be verified.");
  }

  const headers = signatureHeaders(delivery.headers);
  let payload: unknown;
  try {
    payload = new Webhook(secret).verify(delivery.rawBody, headers);
  } catch {
    throw new AppError("unauthorized", "Invalid webhook signature.");
  }
  const meeting = meetingSchema.safeParse(payload);
  if (!meeting.success) throw new AppError("invalid_request", "The delivery is not a Fathom meeting.");
  const messageId = headers["webhook-id"].slice(0, 200);

  return await asService(async (tx): Promise<DeliveryResult> => {
    const fresh = await tx`
      insert into public.webhook_deliveries (integration_id, team_id, provider, webhook_message_id, recording_id)
      values (${route.id}, ${route.team_id}, 'fathom', ${messageId}, ${meeting.data.recording_id})
      on conflict do nothing
      returning webhook_message_id`;
    // Seen before: the same message (a retry) or another message for the same recording.
    if (fresh.length === 0) return { duplicate: true };
    const result = await importMeeting(tx, {
      teamId: route.team_id,
      integrationId: route.id,
      meeting: meeting.data,
      source: "webhook",
    });
    return {
      duplicate: false,
      meeting_id: result.meetingId,
      linked_leads: result.linkedLeadIds.length,
      created_leads: result.createdLeadIds.length,
    };
  });
}
