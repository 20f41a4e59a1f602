// Zoom's app-level event endpoint (providers.md §3): every installing account's events arrive at ONE URL, signed with
// the app's secret token (ZOOM_WEBHOOK_SECRET_TOKEN). An inbox like Fathom's (fathom/webhook.ts + inbox/queue.ts):
// verify the signature over the RAW body and its freshness, then parse; answer `endpoint.url_validation`; route a
// recording event by `payload.account_id` (the account kept at connect) AND the host's e-mail (the connected user:
// a user-managed app connects one user, whose colleagues in the same Zoom account may have connected other teams);
// store the raw delivery once per routed integration, deduplicated on (integration, "<event>:<meeting uuid>") so a
// retry or a concurrent copy stores nothing (ONE insert ... on conflict do nothing answers "seen before?"); answer;
// import after (zoom/inbox.ts). Zoom waits 3 s and retries 3 times: an event for no connected team is still 200.
import { sha256Hex } from "../crypto.ts";
import { singleStatement } from "../db.ts";
import { optionalSecret } from "../env.ts";
import { AppError } from "../errors.ts";
import { ackStarted, scheduleJob } from "../inbox/queue.ts";
import { processZoomDelivery } from "./inbox.ts";
import { urlValidationAnswer, verifyZoomSignature } from "./signature.ts";
import { cleanTitle, LABEL_MAX } from "../display-name.ts";
import { isLifecycleEvent, parseDeauthorization, parseRecordingEvent, RECORDING_EVENTS } from "./wire.ts";

export interface ZoomDelivery {
  rawBody: string;
  headers: Headers;
}

export type ZoomDeliveryResult =
  | { kind: "url_validation"; answer: { plainToken: string; encryptedToken: string } }
  | { kind: "stored"; routed: number; stored: number; duplicate: boolean }
  | { kind: "ignored"; event: string };

/** The app's secret token: unset means the endpoint cannot verify anything, so it refuses everything. */
function secretToken(): string {
  const secret = optionalSecret("ZOOM_WEBHOOK_SECRET_TOKEN");
  if (!secret) throw new AppError("provider_not_configured", "Zoom events are not configured.");
  return secret;
}

/**
 * The dedupe key of a recording event: "<event>:<meeting uuid>" (at most 200 characters, a SHA-256 beyond). Zoom's
 * retry sends the same event for the same meeting; a transcript that comes later is another event, so another row.
 * A trash, a recovery and a trash again of the same recording are three events: those (wire.ts isLifecycleEvent)
 * add Zoom's event_ts, which a retry repeats ("<event>:<uuid>:<event_ts>").
 */
async function messageKey(event: string, uuid: string): Promise<string> {
  const key = `${event}:${uuid}`;
  return key.length <= 200 ? key : `sha256:${await sha256Hex(key)}`;
}

const PLAIN_TOKEN = /^[\x21-\x7e]{1,256}$/;

/**
 * Verify, answer or store one delivery. Errors (AppError): provider_not_configured (no secret token), unauthorized
 * (missing headers, malformed, stale or wrong signature), invalid_request (signed, but not JSON, or a validation
 * without a plainToken, or a recording event without its meeting). Never logs the body, the headers or the secret.
 */
export async function receiveZoomEvent(delivery: ZoomDelivery, nowMs = Date.now()): Promise<ZoomDeliveryResult> {
  const ended = ackStarted();
  try {
    return await receive(delivery, nowMs);
  } finally {
    ended();
  }
}

async function receive(delivery: ZoomDelivery, nowMs: number): Promise<ZoomDeliveryResult> {
  const secret = secretToken();
  const check = await verifyZoomSignature({
    secret,
    timestamp: delivery.headers.get("x-zm-request-timestamp"),
    signature: delivery.headers.get("x-zm-signature"),
    rawBody: delivery.rawBody,
    nowMs,
  });
  if (!check.ok) {
    throw new AppError("unauthorized", check.reason === "stale" ? "The delivery's timestamp is too old or too far ahead." : "Invalid webhook signature.");
  }
  let body: unknown;
  try {
    body = JSON.parse(delivery.rawBody);
  } catch {
    throw new AppError("invalid_request", "The delivery is not valid JSON.");
  }
  const event = typeof body === "object" && body !== null ? (body as { event?: unknown }).event : undefined;
  if (event === "endpoint.url_validation") {
    const plainToken = (body as { payload?: { plainToken?: unknown } }).payload?.plainToken;
    if (typeof plainToken !== "string" || !PLAIN_TOKEN.test(plainToken)) {
      throw new AppError("invalid_request", "The validation request has no plainToken.");
    }
    return { kind: "url_validation", answer: await urlValidationAnswer(secret, plainToken) };
  }
  if (event === "app_deauthorized") return await storeDeauthorization(body, delivery.rawBody);
  if (typeof event !== "string" || !(RECORDING_EVENTS as readonly string[]).includes(event)) {
    return { kind: "ignored", event: typeof event === "string" ? event.slice(0, 100) : "unknown" };
  }
  const parsed = parseRecordingEvent(body);
  if (!parsed.ok) throw new AppError("invalid_request", "The delivery is not a Zoom recording.");
  const { value } = parsed;
  const key = await messageKey(
    value.event,
    isLifecycleEvent(value.event) && value.eventTs !== null ? `${value.recording.uuid}:${value.eventTs}` : value.recording.uuid,
  );

  // One statement: the connected integrations of this account and host, and the raw body stored for each unless
  // this event of this meeting was received before (the primary key (integration_id, webhook_message_id)).
  const [row] = await singleStatement((sql) =>
    sql<{ routed: number; stored: string[] }[]>`
      with route as (
        select id, team_id from public.team_integrations
         where provider = 'zoom' and status <> 'disconnected' and access_token_encrypted is not null
           and account_id = ${value.accountId}
           and private.normalize_email(account_email) = private.normalize_email(${value.recording.host_email ?? ""})
      ), stored as (
        insert into public.webhook_deliveries (integration_id, team_id, provider, webhook_message_id, status, body,
                                               label, subject_ref, event_kind)
        select id, team_id, 'zoom', ${key}, 'received', ${delivery.rawBody},
               ${cleanTitle(value.recording.topic, LABEL_MAX)}, left(${value.recording.uuid}, ${LABEL_MAX}),
               ${value.event} from route
        on conflict do nothing
        returning integration_id
      )
      select (select count(*) from route)::int as routed, array(select integration_id::text from stored) as stored`
  );
  const duplicates = row.routed - row.stored.length;
  if (duplicates > 0) {
    // informational, like Fathom's: counted on the row it duplicates, in its own statement (the ack's cost stays one)
    await singleStatement((sql) =>
      sql`update public.webhook_deliveries d set duplicate_count = d.duplicate_count + 1, last_duplicate_at = now()
           where d.provider = 'zoom' and d.webhook_message_id = ${key}
             and d.integration_id in (
               select id from public.team_integrations where provider = 'zoom' and account_id = ${value.accountId})
             and not (d.integration_id::text = any(${row.stored}))`
    );
  }
  for (const integrationId of row.stored) scheduleJob(() => processZoomDelivery(integrationId, key));
  return { kind: "stored", routed: row.routed, stored: row.stored.length, duplicate: row.routed > 0 && row.stored.length === 0 };
}

/**
 * `app_deauthorized`: a Zoom user removed the app. Routed by account only (the event names the Zoom user by an id
 * the CRM does not keep), stored once per connected integration of the account ("app_deauthorized:<user>:<time>";
 * a body without the user or the time is keyed by its SHA-256 instead, so two different ones are not one delivery),
 * then each integration checks its own grant (zoom/deauthorize.ts): a colleague's connection in the same account
 * keeps working.
 */
async function storeDeauthorization(body: unknown, rawBody: string): Promise<ZoomDeliveryResult> {
  const parsed = parseDeauthorization(body);
  if (!parsed.ok) throw new AppError("invalid_request", "The deauthorization has no account.");
  const { accountId, userId, at } = parsed.value;
  const key = userId && at
    ? await messageKey("app_deauthorized", `${userId}:${at}`)
    : `app_deauthorized:sha256:${await sha256Hex(rawBody)}`;
  const [row] = await singleStatement((sql) =>
    sql<{ routed: number; stored: string[] }[]>`
      with route as (
        select id, team_id from public.team_integrations
         where provider = 'zoom' and status <> 'disconnected' and access_token_encrypted is not null
           and account_id = ${accountId}
      ), stored as (
        insert into public.webhook_deliveries (integration_id, team_id, provider, webhook_message_id, status, body,
                                               event_kind)
        select id, team_id, 'zoom', ${key}, 'received', ${rawBody}, 'app_deauthorized' from route
        on conflict do nothing
        returning integration_id
      )
      select (select count(*) from route)::int as routed, array(select integration_id::text from stored) as stored`
  );
  for (const integrationId of row.stored) scheduleJob(() => processZoomDelivery(integrationId, key));
  return { kind: "stored", routed: row.routed, stored: row.stored.length, duplicate: row.routed > 0 && row.stored.length === 0 };
}
