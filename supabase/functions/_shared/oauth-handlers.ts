// The two edge functions every OAuth provider has, as one generic handler each; a provider's function folders bind
// them in one line (`export const handler = oauthStartHandler("slack");`). Outside oauth/ because the callback
// passes the provider's lifecycle hooks (lifecycle.ts), which oauth/ must never import.
//   <id>-oauth-start     POST { teamId, redirectUri } with the user's JWT -> { authUrl, confirmSecret }
//                        (400 invalid_request / invalid_redirect_uri, 401, 403 not_team_admin, 503 not configured)
//   <id>-oauth-callback  GET ?code&state | ?error&state from the provider (a browser navigation: no JWT,
//                        verify_jwt = false). The state authenticates it; the answer is always a 302 to the app's
//                        callback page with status/provider/code, on success `status=pending` + `#pending=<id>`: the
//                        team is connected only when the user who started confirms (oauth-confirm).
import { z } from "zod";
import { authenticate } from "./auth.ts";
import { appOrigins } from "./env.ts";
import {
  errorResponse,
  type Handler,
  invalidRequest,
  jsonResponse,
  logError,
  onlyMethods,
  readJson,
  redirectResponse,
  withCors,
  withErrorHandling,
} from "./http.ts";
import { hooksFor } from "./lifecycle.ts";
import { completeAuthorization, startAuthorization } from "./oauth/engine.ts";
import { getProvider } from "./oauth/registry.ts";
import type { ProviderId } from "./oauth/types.ts";

const startBody = z.object({
  teamId: z.uuid(),
  redirectUri: z.url({ protocol: /^https?$/ }),
});

/** The first leg of "Connect <provider>" (browser -> popup -> provider). */
export function oauthStartHandler(providerId: ProviderId): Handler {
  return withCors(
    withErrorHandling(onlyMethods(["POST"], async (req) => {
      const claims = await authenticate(req);
      const parsed = startBody.safeParse(await readJson(req));
      if (!parsed.success) throw invalidRequest(parsed.error.issues);
      return jsonResponse(await startAuthorization(providerId, { claims, ...parsed.data }));
    })),
    ["POST"],
  );
}

/** The provider's redirect back: always a 302 to the app, never a 500. */
export function oauthCallbackHandler(providerId: ProviderId): Handler {
  const provider = getProvider(providerId);
  return async (req) => {
    if (req.method !== "GET") {
      const response = errorResponse("method_not_allowed", "Method not allowed.");
      response.headers.set("allow", "GET");
      return response;
    }
    try {
      const { location } = await completeAuthorization(providerId, new URL(req.url), hooksFor);
      return redirectResponse(location);
    } catch (err) {
      // completeAuthorization turns failures into outcomes; this is the last line so the popup never shows a 500
      logError(provider.callbackFunction, err);
      const [origin = ""] = appOrigins();
      const query = new URLSearchParams({ status: "error", provider: providerId, code: "internal_error" });
      return redirectResponse(`${origin}${provider.callbackPage}?${query}`);
    }
  };
}
