// POST { teamId, redirectUri } -> { authUrl }: the first leg of "Connect Fathom" (browser -> popup -> Fathom).
import { z } from "zod";
import { authenticate } from "../_shared/auth.ts";
import { invalidRequest, jsonResponse, onlyMethods, readJson, withCors, withErrorHandling } from "../_shared/http.ts";
import { startAuthorization } from "../_shared/oauth/engine.ts";

const body = z.object({
  teamId: z.uuid(),
  redirectUri: z.url({ protocol: /^https?$/ }),
});

export const handler = withCors(
  withErrorHandling(onlyMethods(["POST"], async (req) => {
    const claims = await authenticate(req);
    const parsed = body.safeParse(await readJson(req));
    if (!parsed.success) throw invalidRequest(parsed.error.issues);
    const result = await startAuthorization("fathom", { claims, ...parsed.data });
    return jsonResponse(result);
  })),
  ["POST"],
);
