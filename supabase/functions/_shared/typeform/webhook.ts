// An incoming Typeform delivery (providers.md §4, T12/T13): the route id in the URL names one enabled form (by its
// hash), the signature is checked over the RAW body with that form's secret before anything is parsed, then the
// response is cleaned and ingested in one transaction. Answers (T13): 200 imported / refused / duplicate (refused
// is ours to show, not Typeform's to retry); 401 bad or missing signature; 404 unknown or switched-off route (Typeform
// disables the webhook after a 404 or 410, which is right for a form switched off); 400 a signed body that is not a
// form_response of this form. Never logs the body, the headers, the route id or the secret.
import { z } from "zod";
import { DecryptError } from "../crypto.ts";
import { asService } from "../db.ts";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import { ingestResponse, type IngestResult } from "./ingest.ts";
import type { Mapping } from "./mapping.ts";
import { decryptFormSecret, ROUTE_ID, routeHash } from "./route.ts";
import { SIGNATURE_HEADER, verifyTypeformSignature } from "./signature.ts";
import { cleanFields, cleanResponse } from "./wire.ts";

export interface TypeformDelivery {
  routeId: string;
  rawBody: string;
  headers: Headers;
}

const eventSchema = z.object({
  event_type: z.literal("form_response"),
  form_response: z.object({ form_id: z.string(), definition: z.object({ fields: z.unknown() }).partial().nullish() }).loose(),
});

interface RouteRow {
  id: string;
  team_id: string;
  form_id: string;
  title: string;
  mapping: Partial<Mapping>;
  webhook_secret_encrypted: string;
}

export async function receiveTypeformDelivery(d: TypeformDelivery): Promise<{ result: IngestResult["outcome"] }> {
  if (!ROUTE_ID.test(d.routeId)) throw new AppError("not_found", "Unknown webhook route.");
  const hash = await routeHash(d.routeId);
  const [form] = await asService((tx) =>
    tx<RouteRow[]>`
      select id, team_id, form_id, title, mapping, webhook_secret_encrypted from public.typeform_forms
       where route_id_hash = ${hash} and enabled`
  );
  if (!form) throw new AppError("not_found", "Unknown webhook route.");
  let secret: string;
  try {
    secret = await decryptFormSecret(form.team_id, form.id, form.webhook_secret_encrypted);
  } catch (err) {
    if (!(err instanceof DecryptError)) throw err;
    logError("typeform webhook", err);
    throw new AppError("unauthorized", "Webhook signature cannot be verified.");
  }
  if (!await verifyTypeformSignature(secret, d.rawBody, d.headers.get(SIGNATURE_HEADER))) {
    throw new AppError("unauthorized", "Webhook signature is missing or wrong.");
  }
  let parsed: z.infer<typeof eventSchema>;
  try {
    const result = eventSchema.safeParse(JSON.parse(d.rawBody));
    if (!result.success) throw new Error("shape");
    parsed = result.data;
  } catch {
    throw new AppError("invalid_request", "The delivery is not a Typeform form_response.");
  }
  if (parsed.form_response.form_id !== form.form_id) throw new AppError("invalid_request", "The delivery is for another form.");
  const response = cleanResponse(parsed.form_response, cleanFields(parsed.form_response.definition?.fields));
  if (!response) throw new AppError("invalid_request", "The delivery has no response token.");
  const outcome = await asService((tx) => ingestResponse(tx, form, response, "webhook"));
  return { result: outcome.outcome };
}
