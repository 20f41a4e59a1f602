// Discord's error bodies: OAuth2 endpoints answer RFC 6749 JSON; the REST API answers {code, message[, errors]};
// a 429 carries retry_after (float seconds) in the body and Retry-After in the headers (providers.md §1, D8).

import { delay, json } from "../sandbox/http.ts";
import type { FailureRule } from "../sandbox/failures.ts";

export function oauthError(error: string, description?: string, status = 400): Response {
  return json(description === undefined ? { error } : { error, error_description: description }, status, { "cache-control": "no-store" });
}

export function apiError(status: number, code: number, message: string, errors?: unknown): Response {
  return json(errors === undefined ? { code, message } : { code, errors, message }, status);
}

export const unknownWebhook = () => apiError(404, 10015, "Unknown Webhook");
export const unauthorized = () => apiError(401, 0, "401: Unauthorized");

export function rateLimited(retryAfterSeconds: number): Response {
  return json({ message: "You are being rate limited.", retry_after: retryAfterSeconds, global: false }, 429, {
    "retry-after": String(Math.ceil(retryAfterSeconds)),
    "x-ratelimit-limit": "5",
    "x-ratelimit-remaining": "0",
    "x-ratelimit-reset-after": String(retryAfterSeconds),
    "x-ratelimit-scope": "user",
  });
}

export function serverError(): Response {
  return json({ message: "500: Internal Server Error", code: 0 }, 500);
}

/**
 * A failure switched on for a target, in Discord's shapes; `gone` is the caller's answer for "this is gone".
 * null: answer normally (after any delay).
 */
export async function discordOutage(rule: FailureRule | null, gone: () => Response): Promise<Response | null> {
  if (!rule) return null;
  switch (rule.kind) {
    case "slow":
      await delay(rule.delayMs);
      return null;
    case "rate_limited":
      return rateLimited(rule.retryAfterSeconds);
    case "server_error":
      return serverError();
    case "gone":
      return gone();
  }
}
