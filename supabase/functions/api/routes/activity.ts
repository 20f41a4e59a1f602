// Integration activity: GET /api/teams/:teamId/integrations/:provider/activity (members; RLS decides every row)
// answers { activity } (_shared/activity/read.ts); POST .../activity/retry (admins) with
// { kind: "meeting" | "delivery", id } retries one failed item through its provider's own import code (a delivery of
// Fathom, Zoom or Typeform: _shared/activity/retry.ts; a Fathom meeting's content: _shared/fathom/retry.ts) and
// answers 200 { result, reason }. A rate-limited retry is 429 rate_limited with Retry-After.
import { z } from "zod";
import { readActivity } from "../../_shared/activity/read.ts";
import { AppError } from "../../_shared/errors.ts";
import { FathomRateLimited } from "../../_shared/fathom/content.ts";
import { canRetryDeliveries, retryDelivery } from "../../_shared/activity/retry.ts";
import { retryMeetingContent } from "../../_shared/fathom/retry.ts";
import { errorResponse, jsonResponse, type Route } from "../../_shared/http.ts";
import { isProviderId } from "../../_shared/oauth/registry.ts";
import { teamRoute } from "./team_route.ts";

const retrySchema = z.strictObject({
  kind: z.enum(["meeting", "delivery"]),
  id: z.string().uuid().transform((v) => v.toLowerCase()),
});

function providerOf(params: Record<string, string>): string {
  if (!isProviderId(params.provider)) throw new AppError("not_found", "Unknown provider.");
  return params.provider;
}

const getActivity = teamRoute(async ({ params, teamId, asMember }) => {
  const provider = providerOf(params);
  const activity = await asMember((tx) => readActivity(tx, teamId, provider));
  return jsonResponse({ activity });
});

const retry = teamRoute(async ({ params, teamId, body }) => {
  const provider = providerOf(params);
  const input = await body(retrySchema, { gate: "admin", refusal: "Only a team owner or admin can retry an import." });
  // a meeting's content is fetched again only where the provider is asked for it (Fathom); Zoom pushes its transcript
  const retryable = input.kind === "meeting" ? provider === "fathom" : canRetryDeliveries(provider);
  if (!retryable) throw new AppError("not_found", "Nothing to retry for this integration.");
  try {
    const result = input.kind === "meeting"
      ? await retryMeetingContent(teamId, input.id)
      : await retryDelivery(teamId, provider, input.id);
    return jsonResponse(result);
  } catch (err) {
    if (!(err instanceof FathomRateLimited)) throw err;
    const response = errorResponse(err.code, err.message, err.status);
    response.headers.set("retry-after", String(err.retryAfterSeconds));
    return response;
  }
});

export const activityRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/integrations/:provider/activity", handler: getActivity },
  { method: "POST", path: "/api/teams/:teamId/integrations/:provider/activity/retry", handler: retry },
];
