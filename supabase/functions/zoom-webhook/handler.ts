// POST /zoom-webhook: every Zoom event of the app (one URL for all installing accounts), signed with
// ZOOM_WEBHOOK_SECRET_TOKEN. verify_jwt = false (config.toml): the caller is Zoom, authenticated by x-zm-signature.
// Reads the raw body (bounded), hands it to the receiver (_shared/zoom/webhook.ts), answers within Zoom's 3 s:
//   endpoint.url_validation -> 200 {plainToken, encryptedToken}; a recording event -> 200 {ok, ...} (stored once,
//   imported after); any other event -> 200 {ok, ignored}. 401 bad signature or stale, 400 not JSON / not a
//   recording, 413 too big, 503 not configured. Never logs the body, the headers or the secret.
import { jsonResponse, readBodyText, router, withErrorHandling } from "../_shared/http.ts";
import { receiveZoomEvent } from "../_shared/zoom/webhook.ts";

/** Zoom's recording events are a few KB; a megabyte is far beyond any of them. */
export const MAX_BODY_BYTES = 1024 * 1024;

async function deliver(req: Request): Promise<Response> {
  const rawBody = await readBodyText(req, MAX_BODY_BYTES);
  const result = await receiveZoomEvent({ rawBody, headers: req.headers });
  switch (result.kind) {
    case "url_validation":
      return jsonResponse(result.answer);
    case "ignored":
      return jsonResponse({ ok: true, ignored: true });
    case "stored":
      return jsonResponse({ ok: true, routed: result.routed, duplicate: result.duplicate });
  }
}

export const handler = withErrorHandling(router([
  { method: "POST", path: "/zoom-webhook", handler: deliver },
]));
