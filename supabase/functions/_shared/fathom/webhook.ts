// An incoming Fathom delivery (fathom-api.md §4), acknowledged as an inbox: route by the id in the URL, verify the
// Standard Webhooks signature over the RAW body with that integration's secret (standardwebhooks checks the ±5 min
// timestamp tolerance), then parse, then store the raw delivery durably, deduplicated on (integration, webhook-id)
// and (integration, recording), and answer. The import runs right after (inbox.ts), off the acknowledgement path:
// Fathom's sender waits only for one insert. Signature first, then parse: a signed body that is not JSON is 400.
import { Webhook } from "standardwebhooks";
import { DecryptError, decryptSecret, integrationAad, sha256Hex } from "../crypto.ts";
import { asService, singleStatement } from "../db.ts";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import { ackStarted, scheduleImport } from "./inbox.ts";
import { cleanRecordingId } from "./wire.ts";

export const ROUTE_ID = /^[A-Za-z0-9_-]{32,128}$/;

export interface Delivery {
  routeId: string;
  rawBody: string;
  headers: Headers;
}

export type DeliveryResult = { duplicate: boolean };

interface Route {
  id: string;
  team_id: string;
  verifier: Webhook;
}

/**
 * Routes looked up in this isolate: id, team and the decrypted secret, for ROUTE_TTL_MS. Under a burst of
 * deliveries that saves a round trip and a decryption per delivery. A route that stopped being valid meanwhile
 * (disconnect, reconnect) is caught by the insert, which re-checks it in the same statement.
 */
const routes = new Map<string, { route: Route | null; expires: number }>();
const ROUTE_TTL_MS = 30_000;

async function findRoute(routeId: string): Promise<Route | null> {
  if (!ROUTE_ID.test(routeId)) return null;
  const cached = routes.get(routeId);
  if (cached && cached.expires > Date.now()) return cached.route;
  const [row] = await asService((tx) =>
    tx<{ id: string; team_id: string; webhook_secret_encrypted: string | null }[]>`
      select id, team_id, webhook_secret_encrypted from public.team_integrations
       where webhook_route_id = ${routeId} and provider = 'fathom'`
  );
  if (!row) return null; // not cached: a route registered a moment later must work at once
  // No secret known: refuse. Verification is never skipped.
  if (!row.webhook_secret_encrypted) throw new AppError("unauthorized", "Webhook signature cannot be verified.");
  let secret: string;
  try {
    secret = await decryptSecret(row.webhook_secret_encrypted, integrationAad(row.team_id, "fathom", "webhook_secret"));
  } catch (err) {
    if (!(err instanceof DecryptError)) throw err;
    logError("fathom webhook", err);
    throw new AppError("unauthorized", "Webhook signature cannot be verified.");
  }
  const route = { id: row.id, team_id: row.team_id, verifier: new Webhook(secret) };
  if (routes.size > 1000) routes.clear();
  routes.set(routeId, { route, expires: Date.now() + ROUTE_TTL_MS });
  return route;
}

/** For tests: forget cached routes. */
export function forgetRoutes(): void {
  routes.clear();
}

function signatureHeaders(headers: Headers): Record<string, string> {
  // Svix (which Fathom appears to use) may send svix-* instead of webhook-*; standardwebhooks reads webhook-*.
  const pick = (name: string) => headers.get(`webhook-${name}`) ?? headers.get(`svix-${name}`) ?? "";
  return { "webhook-id": pick("id"), "webhook-timestamp": pick("timestamp"), "webhook-signature": pick("signature") };
}

/**
 * The dedupe key of a webhook-id: the id itself up to 200 characters (Svix's are ~30), a SHA-256 of it beyond, so
 * two long ids that share a prefix are never taken for the same message.
 */
async function messageKey(id: string): Promise<string> {
  return id.length <= 200 ? id : `sha256:${await sha256Hex(id)}`;
}

/** The delivery's recording id, as wire.ts reads it, or null. The rest of the body is cleaned by the import. */
function recordingIdOf(payload: unknown): number | null {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return null;
  return cleanRecordingId((payload as { recording_id?: unknown }).recording_id);
}

/**
 * Verify, store and acknowledge one delivery. Errors (AppError): not_found (unknown route), unauthorized (bad or
 * unverifiable signature), invalid_request (signed, but not JSON or not a meeting). A duplicate (same webhook-id,
 * or another message for a recording already received) is acknowledged and not stored again.
 */
export async function receiveDelivery(delivery: Delivery): Promise<DeliveryResult> {
  const ended = ackStarted();
  try {
    return await receive(delivery);
  } finally {
    ended();
  }
}

/**
 * A delivery that was not stored is counted on the one it duplicates (same message, or a live delivery of the same
 * recording), for the activity panel (migration 20261202000300_integration_activity.sql). Its own statement, run only
 * for duplicates: inside the acknowledging statement it cost every delivery a scan (webhook ack p99 1.31 -> 1.59 of
 * the baseline, bench/webhook). Informational, so a lost race between two duplicates counts one.
 */
async function countDuplicate(integrationId: string, messageId: string, recordingId: number): Promise<void> {
  await singleStatement((sql) =>
    sql`update public.webhook_deliveries d set duplicate_count = d.duplicate_count + 1, last_duplicate_at = now()
         where d.integration_id = ${integrationId}
           and (d.webhook_message_id = ${messageId} or (d.recording_id = ${recordingId} and d.status <> 'failed'))`
  );
}

async function receive(delivery: Delivery): Promise<DeliveryResult> {
  const route = await findRoute(delivery.routeId);
  if (!route) throw new AppError("not_found", "Unknown webhook.");

  const headers = signatureHeaders(delivery.headers);
  try {
    route.verifier.verify(delivery.rawBody, headers, { jsonParse: false });
  } catch {
    throw new AppError("unauthorized", "Invalid webhook signature.");
  }
  let payload: unknown;
  try {
    payload = JSON.parse(delivery.rawBody);
  } catch {
    throw new AppError("invalid_request", "The delivery is not valid JSON.");
  }
  const recordingId = recordingIdOf(payload);
  if (recordingId === null) throw new AppError("invalid_request", "The delivery is not a Fathom meeting.");
  const messageId = await messageKey(headers["webhook-id"]);

  // One statement: the route is re-checked (a cached one may have been disconnected a moment ago) and the raw
  // body stored unless this message or this recording was received before.
  const [row] = await singleStatement((sql) =>
    sql<{ routed: boolean; stored: boolean }[]>`
      with route as (
        select id, team_id from public.team_integrations
         where id = ${route.id} and webhook_route_id = ${delivery.routeId} and provider = 'fathom'
      ), stored as (
        insert into public.webhook_deliveries (integration_id, team_id, provider, webhook_message_id, recording_id,
                                               status, body)
        select id, team_id, 'fathom', ${messageId}, ${recordingId}, 'received', ${delivery.rawBody} from route
        on conflict do nothing
        returning 1
      )
      select exists (select 1 from route) as routed, exists (select 1 from stored) as stored`
  );
  if (!row.routed) {
    routes.delete(delivery.routeId);
    throw new AppError("not_found", "Unknown webhook.");
  }
  if (!row.stored) {
    await countDuplicate(route.id, messageId, recordingId);
    return { duplicate: true };
  }
  scheduleImport(route.id, messageId);
  return { duplicate: false };
}
