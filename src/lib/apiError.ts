/**
 * An error from the back end, carrying the `{error:{code,message}}` envelope's code. `message` is for people (see
 * errorMessages.ts); `detail` keeps the server's own message, written for developers, for the console.
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
