// GET ?code&state | ?error&state from Fathom (a browser navigation: no user JWT, verify_jwt = false). The state
// authenticates the request; the answer is always a 302 to the app's callback page with status/provider/code, and
// on success `status=pending` plus `#pending=<id>`: the team is connected only when the user who started confirms
// (oauth-confirm), so a completed authorization URL forwarded to someone else connects nothing.
import { appOrigins } from "../_shared/env.ts";
import { errorResponse, logError, redirectResponse } from "../_shared/http.ts";
import { hooksFor } from "../_shared/lifecycle.ts";
import { completeAuthorization } from "../_shared/oauth/engine.ts";

export async function handler(req: Request): Promise<Response> {
  if (req.method !== "GET") {
    const response = errorResponse("method_not_allowed", "Method not allowed.");
    response.headers.set("allow", "GET");
    return response;
  }
  try {
    const { location } = await completeAuthorization("fathom", new URL(req.url), hooksFor("fathom"));
    return redirectResponse(location);
  } catch (err) {
    // completeAuthorization turns failures into outcomes; this is the last line so the popup never shows a 500
    logError("fathom-oauth-callback", err);
    const [origin = ""] = appOrigins();
    return redirectResponse(`${origin}/fathom-callback.html?status=error&provider=fathom&code=internal_error`);
  }
}
