/**
 * An error from the back end, carrying the `{error:{code,message}}` envelope's code. `message` is for people (see
 * errorMessages.ts); `detail` keeps the server's own message, written for developers, for the console. This module is
 * in every page's entry chunk; errorMessages.ts, the sentences, loads with the first failure (errorText.ts).
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status?: number;
  /** seconds, from a 429's `Retry-After` header (when the server sent one and CORS exposes it) */
  readonly retryAfterSeconds?: number;
  /** the server's message as it came (never rendered) */
  readonly detail?: string;
  constructor(code: string, message: string, status?: number, retryAfterSeconds?: number, detail?: string) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    if (retryAfterSeconds !== undefined) this.retryAfterSeconds = retryAfterSeconds;
    if (detail !== undefined) this.detail = detail;
  }
}

/**
 * `Retry-After` (RFC 9110 §10.2.3) as whole seconds from now: delta-seconds or an HTTP date; undefined when absent
 * or unreadable. `now` in ms since the epoch.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v));
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** The sentence for a failure nothing more is known about (errorMessages.ts `internal_error`). */
export const SOMETHING_WENT_WRONG = "Something went wrong on our side. Please try again.";

/** The sentence for a request that never reached the server (errorMessages.ts `network_error`). */
export const NETWORK_ERROR = "Couldn't reach the server. Check your connection and try again.";

/**
 * Whether trying the same request again can succeed: network failures, 408, 429 and 5xx (and a lost race,
 * `connection_changed`). Any other 4xx says the request itself is wrong (too long, malformed, not allowed, gone):
 * a Retry button for it would fail the same way every time.
 */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true;
  if (err.code === "connection_changed" || err.code === "concurrent_change") return true;
  if (err.status === undefined) return err.code !== "invalid_response";
  return err.status === 408 || err.status === 429 || err.status >= 500;
}

/** A 404 of any kind (`not_found`, `lead_not_found`, ...): the thing asked for is not there for this person. */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 404 || err.code === "not_found" || err.code.endsWith("_not_found"));
}
