// POST /typeform-webhook/:routeId: Typeform's signed delivery of a form response (_shared/typeform/webhook.ts).
// verify_jwt = false (config.toml): the caller is Typeform, authenticated by the signature. Reads the raw body
// (bounded), never logs it, its headers or the route id. Answers as soon as the delivery is stored (the lead is made
// after, through the inbox): 200 {ok, result: "received" | "duplicate", duplicate}, 401, 404, 400, 413.
import { jsonResponse, readBodyText, type RouteParams, router, withErrorHandling } from "../_shared/http.ts";
import { receiveTypeformDelivery } from "../_shared/typeform/webhook.ts";

/** Typeform responses are small; a file upload is a URL, not its bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

async function deliver(req: Request, params: RouteParams): Promise<Response> {
  const rawBody = await readBodyText(req, MAX_BODY_BYTES);
  const { result } = await receiveTypeformDelivery({ routeId: params.routeId, rawBody, headers: req.headers });
  return jsonResponse({ ok: true, result, duplicate: result === "duplicate" });
}

export const handler = withErrorHandling(router([
  { method: "POST", path: "/typeform-webhook/:routeId", handler: deliver },
]));
