// POST { pendingId, confirmSecret } with the user's JWT -> { status: "connected", provider, teamId }: the last leg of
// every provider's connect flow. The callback parked the tokens; only the user who started the flow, holding the
// start response's confirm secret and the pending id the callback page received, turns them into the team's
// connection (RFC 9700 §4.7.1; docs/decisions.md "OAuth binding"). Errors: 400 invalid_request / invalid_state /
// state_expired, 401 unauthorized, 403 not_team_admin.
import { z } from "zod";
import { authenticate } from "../_shared/auth.ts";
import { invalidRequest, jsonResponse, onlyMethods, readJson, withCors, withErrorHandling } from "../_shared/http.ts";
import { hooksFor } from "../_shared/lifecycle.ts";
import { confirmAuthorization } from "../_shared/oauth/engine.ts";
import { SECRET_PATTERN } from "../_shared/oauth/state.ts";

const body = z.strictObject({
  pendingId: z.string().regex(SECRET_PATTERN),
  confirmSecret: z.string().regex(SECRET_PATTERN),
});

export const handler = withCors(
  withErrorHandling(onlyMethods(["POST"], async (req) => {
    const claims = await authenticate(req);
    const parsed = body.safeParse(await readJson(req));
    if (!parsed.success) throw invalidRequest(parsed.error.issues);
    const { provider, teamId } = await confirmAuthorization({ claims, ...parsed.data }, hooksFor);
    return jsonResponse({ status: "connected", provider, teamId });
  })),
  ["POST"],
);
