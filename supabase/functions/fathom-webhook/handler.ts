// POST /fathom-webhook/:routeId: Fathom's signed delivery of a new meeting. verify_jwt = false (config.toml): the
// caller is Fathom, authenticated by the signature. Reads the raw body (bounded), hands it to the receiver, answers
// fast. Never logs the body, the headers or the secret.
import { AppError } from "../_shared/errors.ts";
import { jsonResponse, type RouteParams, router, withErrorHandling } from "../_shared/http.ts";
import { receiveDelivery } from "../_shared/fathom/webhook.ts";

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** The body as text, refusing more than `limit` bytes (413) whatever Content-Length claims. */
export async function readRawBody(req: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await req.body?.cancel();
    throw new AppError("payload_too_large", "The delivery is too large.");
  }
  if (!req.body) return "";
  // A declared length within the limit frames the body: HTTP never delivers more than it, so read it at once.
  if (Number.isFinite(declared) && req.headers.has("content-length")) return await req.text();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new AppError("payload_too_large", "The delivery is too large.");
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

async function deliver(req: Request, params: RouteParams): Promise<Response> {
  const rawBody = await readRawBody(req);
  const result = await receiveDelivery({ routeId: params.routeId, rawBody, headers: req.headers });
  return jsonResponse({ ok: true, ...result });
}

export const handler = withErrorHandling(router([
  { method: "POST", path: "/fathom-webhook/:routeId", handler: deliver },
]));
