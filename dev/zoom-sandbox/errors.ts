// Zoom's error bodies (providers.md §3; shapes as Zoom's API answers them, codes where the docs are silent are the
// sandbox's choice, see README): the OAuth endpoints answer `{reason, error}`, the REST API `{code, message}`; a 429
// carries Zoom's rate-limit headers (X-RateLimit-Category / -Type / -Limit / -Remaining, Retry-After as a date).

import { delay, json } from "../sandbox/http.ts";
import type { FailureRule } from "../sandbox/failures.ts";

export function oauthError(error: string, reason: string, status = 400): Response {
  return json({ reason, error }, status, { "cache-control": "no-store" });
}

export function apiError(status: number, code: number, message: string): Response {
  return json({ code, message }, status);
}

export const invalidToken = () => apiError(401, 124, "Invalid access token.");
export const expiredToken = () => apiError(401, 124, "Access token is expired.");
export const missingScopes = (scopes: readonly string[]) =>
  apiError(400, 4711, `Invalid access token, does not contain scopes:[${scopes.join(", ")}].`);

/** 429 as Zoom sends it for a per-second limit; Retry-After is an HTTP date-time when the limit resets. */
export function rateLimited(retryAfterSeconds: number, nowMs: number): Response {
  return json({ code: 429, message: "You have reached the maximum per-second rate limit for this API. Try again later." }, 429, {
    "x-ratelimit-category": "Medium",
    "x-ratelimit-type": "QPS",
    "x-ratelimit-limit": "20",
    "x-ratelimit-remaining": "0",
    "retry-after": new Date(nowMs + retryAfterSeconds * 1000).toISOString(),
  });
}

export function serverError(): Response {
  return new Response("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", {
    status: 503,
    headers: { "content-type": "text/html" },
  });
}

/** A failure switched on for a target, in Zoom's shapes; `gone` answers "this is gone". null: answer normally. */
export async function zoomOutage(rule: FailureRule | null, nowMs: number, gone: () => Response): Promise<Response | null> {
  if (!rule) return null;
  switch (rule.kind) {
    case "slow":
      await delay(rule.delayMs);
      return null;
    case "rate_limited":
      return rateLimited(rule.retryAfterSeconds, nowMs);
    case "server_error":
      return serverError();
    case "gone":
      return gone();
  }
}
