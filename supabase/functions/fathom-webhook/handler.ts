// POST /fathom-webhook/:routeId: Fathom's signed delivery of a new meeting. verify_jwt = false (config.toml): the
// caller is Fathom, authenticated by the signature. Reads the raw body (bounded), hands it to the receiver, answers
// fast. Never logs the body, the headers or the secret.
import { jsonResponse, readBodyText, type RouteParams, router, withErrorHandling } from "../_shared/http.ts";
import { receiveDelivery } from "../_shared/fathom/webhook.ts";

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** The body as text, refusing more than `limit` bytes (413) whatever Content-Length claims (http.ts). */
export function readRawBody(req: Request, limit = MAX_BODY_BYTES): Promise<string> {
  return readBodyText(req, limit);
}

async function deliver(req: Request, params: RouteParams): Promise<Response> {
  const rawBody = await readRawBody(req);
  const result = await receiveDelivery({ routeId: params.routeId, rawBody, headers: req.headers });
  return jsonResponse({ ok: true, ...result });
}

export const handler = withErrorHandling(router([
  { method: "POST", path: "/fathom-webhook/:routeId", handler: deliver },
]));
