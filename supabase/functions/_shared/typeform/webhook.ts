// An incoming Typeform delivery (providers.md §4, T12/T13), an inbox like Fathom's and Zoom's: the route id in the URL
// names one enabled form (by its hash), the signature is checked over the RAW body with that form's secret before
// anything is parsed, the body must be a form_response of that form with a response token, then the raw delivery
// is stored with ONE statement deduplicated on (integration, "<form id>:<response token>") (webhook_deliveries'
// primary key: a retry or a concurrent copy stores nothing), answered, and ingested after (inbox.ts, through
// inbox/queue.ts: one response row and one lead however often it comes; a refusal recorded on the form's row).
// Answers (T13): 200 received / duplicate; 401 bad or missing signature; 404 unknown or switched-off route (Typeform
// disables the webhook after a 404 or 410, which is right for a form switched off); 400 a signed body that is not a
// form_response of this form. Never logs the body, the headers, the route id or the secret.
// A 404 to the old route of a form switched off (typeform_forms.stale_route_id_hash) is recorded once on the form's
// row (webhook_refused_at), so a webhook a failed switch-off left at Typeform reads as refused, and so disabled, on
// the dialog's row. That costs the 404 path one indexed statement, and only for a well-formed route id.
import { DecryptError } from "../crypto.ts";
import { asService, singleStatement } from "../db.ts";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import { cleanTitle, LABEL_MAX } from "../display-name.ts";
import { ackStarted, scheduleJob } from "../inbox/queue.ts";
import { parseFormResponse, processTypeformDelivery, typeformMessageId } from "./inbox.ts";
import { decryptFormSecret, ROUTE_ID, routeHash } from "./route.ts";
import { SIGNATURE_HEADER, verifyTypeformSignature } from "./signature.ts";

export interface TypeformDelivery {
  routeId: string;
  rawBody: string;
  headers: Headers;
}

interface RouteRow {
  id: string;
  team_id: string;
  integration_id: string;
  form_id: string;
  webhook_secret_encrypted: string;
}

/** `received`: stored, ingested after the answer; `duplicate`: this response was received before, nothing stored. */
export type TypeformDeliveryResult = "received" | "duplicate";

/**
 * Verify and store one delivery. Errors (AppError): not_found (malformed, unknown or switched-off route),
 * unauthorized (missing or wrong signature, a secret that cannot be decrypted), invalid_request (signed, but not a
 * form_response of this form, or without a response token).
 */
export async function receiveTypeformDelivery(d: TypeformDelivery): Promise<{ result: TypeformDeliveryResult }> {
  const ended = ackStarted();
  try {
    return await receive(d);
  } finally {
    ended();
  }
}

/**
 * Routes looked up in this isolate, by route id: the form row and its decrypted secret, for ROUTE_TTL_MS (Fathom's
 * approach, fathom/webhook.ts): under a burst that saves a transaction (three round trips) and a decryption per
 * delivery. Safe to cache: switching a form on makes a new route id and secret, and the storing statement re-checks
 * that the route is still this form's and enabled, so a form switched off is 404 at once; a delivery a cached route
 * would refuse (401, 400) looks the route up again first, so a switched-off route is 404 whatever the body.
 */
const routes = new Map<string, { form: RouteRow; secret: string; expires: number }>();
const ROUTE_TTL_MS = 30_000;

async function findRoute(routeId: string, hash: string): Promise<{ form: RouteRow; secret: string; cached: boolean } | null> {
  const cached = routes.get(routeId);
  if (cached && cached.expires > Date.now()) return { ...cached, cached: true };
  const [form] = await asService((tx) =>
    tx<RouteRow[]>`
      select id, team_id, integration_id, form_id, webhook_secret_encrypted from public.typeform_forms
       where route_id_hash = ${hash} and enabled`
  );
  if (!form) return null; // not cached: a form switched on a moment later must work at once
  let secret: string;
  try {
    secret = await decryptFormSecret(form.team_id, form.id, form.webhook_secret_encrypted);
  } catch (err) {
    if (!(err instanceof DecryptError)) throw err;
    logError("typeform webhook", err);
    throw new AppError("unauthorized", "Webhook signature cannot be verified.");
  }
  if (routes.size > 1000) routes.clear();
  routes.set(routeId, { form, secret, expires: Date.now() + ROUTE_TTL_MS });
  return { form, secret, cached: false };
}

/** For tests: forget cached routes. */
export function forgetTypeformRoutes(): void {
  routes.clear();
}

async function receive(d: TypeformDelivery): Promise<{ result: TypeformDeliveryResult }> {
  if (!ROUTE_ID.test(d.routeId)) throw new AppError("not_found", "Unknown webhook route.");
  const hash = await routeHash(d.routeId);
  try {
    return await receiveOnRoute(d, hash);
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") await recordStaleRefusal(hash);
    throw err;
  }
}

/**
 * A 404 for a route that was a form's before it was switched off: the first one is stored on the form's row (its
 * left webhook is now disabled at Typeform). One single statement that writes nothing for any other route or once
 * recorded. Never fails the answer: an error here is logged and the 404 stands.
 */
async function recordStaleRefusal(hash: string): Promise<void> {
  try {
    await singleStatement((sql) =>
      sql`update public.typeform_forms set webhook_refused_at = now()
           where stale_route_id_hash = ${hash} and not enabled and webhook_refused_at is null`
    );
  } catch (err) {
    logError("typeform webhook", err);
  }
}

async function receiveOnRoute(d: TypeformDelivery, hash: string): Promise<{ result: TypeformDeliveryResult }> {
  const route = await findRoute(d.routeId, hash);
  if (!route) throw new AppError("not_found", "Unknown webhook route.");
  const { form, secret } = route;
  /** `err`, unless the route was cached and is no longer valid: then 404, as for any switched-off route. */
  const refuse = async (err: AppError): Promise<never> => {
    if (route.cached) {
      routes.delete(d.routeId);
      if (!await findRoute(d.routeId, hash)) throw new AppError("not_found", "Unknown webhook route.");
    }
    throw err;
  };
  if (!await verifyTypeformSignature(secret, d.rawBody, d.headers.get(SIGNATURE_HEADER))) {
    return await refuse(new AppError("unauthorized", "Webhook signature is missing or wrong."));
  }
  const parsed = parseFormResponse(d.rawBody);
  if (!parsed.ok) {
    return await refuse(new AppError(
      "invalid_request",
      parsed.reason === "no response token" ? "The delivery has no response token." : "The delivery is not a Typeform form_response.",
    ));
  }
  if (parsed.value.formId !== form.form_id) return await refuse(new AppError("invalid_request", "The delivery is for another form."));
  const key = await typeformMessageId(form.form_id, parsed.value.response.token);

  // One statement: the route is re-checked (a cached one may have been switched off a moment ago) and the raw body
  // stored unless this response of this form was received before; a duplicate is counted on the row it duplicates
  // (the activity panel's) by the same statement, through the primary key. xmax = 0 only on a row it inserted.
  const [row] = await singleStatement((sql) =>
    sql<{ inserted: boolean }[]>`
      insert into public.webhook_deliveries (integration_id, team_id, provider, webhook_message_id, status, body,
                                             label, subject_ref)
      select integration_id, team_id, 'typeform', ${key}, 'received', ${d.rawBody},
             ${cleanTitle(parsed.value.formTitle, LABEL_MAX)}, left(${parsed.value.response.token}, ${LABEL_MAX})
        from public.typeform_forms
       where id = ${form.id} and route_id_hash = ${hash} and enabled
      on conflict (integration_id, webhook_message_id) do update
        set duplicate_count = public.webhook_deliveries.duplicate_count + 1, last_duplicate_at = now()
      returning (xmax = 0) as inserted`
  );
  if (!row) {
    routes.delete(d.routeId);
    throw new AppError("not_found", "Unknown webhook route.");
  }
  if (!row.inserted) return { result: "duplicate" };
  scheduleJob(() => processTypeformDelivery(form.integration_id, key));
  return { result: "received" };
}
