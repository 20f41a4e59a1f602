// Typeform's error bodies. The REST API answers `{code, description[, details]}` with upper-case codes
// (AUTHENTICATION_FAILED, FORM_NOT_FOUND, VALIDATION_ERROR, ...); the OAuth token endpoint's shape is UNCONFIRMED
// (providers.md §4), so it answers RFC 6749 JSON like the other providers' token endpoints. The 429 body and its
// Retry-After header are UNCONFIRMED too: the sandbox sends both.

import { delay, json } from "../sandbox/http.ts";
import type { FailureRule } from "../sandbox/failures.ts";

export function oauthError(error: string, description?: string, status = 400): Response {
  return json(description === undefined ? { error } : { error, error_description: description }, status, { "cache-control": "no-store" });
}

export function apiError(status: number, code: string, description: string, details?: unknown): Response {
  return json(details === undefined ? { code, description } : { code, description, details }, status);
}

export const unauthenticated = () => apiError(401, "AUTHENTICATION_FAILED", "Authentication credentials not found on the Request Headers");
export const forbidden = (scope: string) => apiError(403, "FORBIDDEN", `The token does not have the scope ${scope}`);
export const formNotFound = (id: string) => apiError(404, "FORM_NOT_FOUND", `Non existing form with uid ${id}`);
export const webhookNotFound = () => apiError(404, "WEBHOOK_NOT_FOUND", "Webhook not found");
export const validationError = (description: string) => apiError(400, "VALIDATION_ERROR", description);

export function rateLimited(retryAfterSeconds: number): Response {
  return json({ code: "RATE_LIMITED", description: "Too many requests: 2 requests per second per account" }, 429, {
    "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });
}

export const serverError = () => apiError(500, "INTERNAL_SERVER_ERROR", "Something went wrong");

/** A failure switched on for a target, in Typeform's shapes. null: answer normally (after any delay). */
export async function typeformOutage(rule: FailureRule | null, gone: () => Response): Promise<Response | null> {
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
