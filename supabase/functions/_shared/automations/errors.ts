// Classifies a failed automation step (issue 11 design, "Engine"; automations.md §3 "Retries and dead letters",
// after Twenty's is-transient-step-execution-error): transient errors are retried with backoff (backoff.ts),
// permanent ones end the run `dead` with the reason. Transient: HTTP 429 and 5xx, timeouts, network failures, the
// database restarting or losing a race (40001, 40P01, class 08, ...: db.ts isTransientDbError). Permanent: every
// other 4xx, validation errors, a missing lead or meeting, and anything unknown (a bug: retrying repeats it).
import { isTransientDbError } from "../db.ts";
import { AppError, type ErrorCode } from "../errors.ts";
import { ProviderRateLimited } from "../chat/notify.ts";
import { retryAfterMs } from "./backoff.ts";
import { TemplateError } from "./template.ts";
import { EndpointLookupError } from "./address.ts";

export type StepErrorKind = "transient" | "permanent";

/** What the run log shows and the engine decides on; `message` is safe to store and show (no URLs, <= 500 chars). */
export type StepError = { kind: StepErrorKind; code: string; message: string; retryAfterMs?: number };

/**
 * An HTTP answer that was not 2xx, thrown by an action that calls a URL itself (send_webhook). `retryAfterMs`
 * from the answer's Retry-After, when it had one.
 */
export class StepHttpError extends Error {
  override readonly name = "StepHttpError";
  constructor(readonly status: number, message: string, readonly retryAfterMs?: number) {
    super(message);
  }

  /** From a Response (its status and Retry-After); the body is not read. */
  static from(response: Response, message = `HTTP ${response.status}`): StepHttpError {
    return new StepHttpError(response.status, message, retryAfterMs(response.headers.get("retry-after")));
  }
}

// notify.ts's codes (and the database's): which of them are worth another try later
const TRANSIENT_APP_CODES = new Set<ErrorCode>([
  "provider_rate_limited",
  "provider_unavailable",
  "rate_limited",
  "database_unavailable",
  "concurrent_change",
]);

// a 5xx among them (message_rejected is 502: the provider refused this very message, sending it again fails again)
const PERMANENT_APP_CODES = new Set<ErrorCode>(["destination_gone", "message_rejected", "not_found", "not_supported"]);

const MAX_MESSAGE = 500;

// a scheme, `://`, and everything up to the next white space: quotes, parentheses and brackets are legal in a
// URL's path and query (WHATWG leaves ' ( ) unescaped), so stopping at them would leave the rest of a secret path
// behind; swallowing a closing parenthesis after the URL too is the lesser harm
const URL_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/\S*/gi;

/**
 * Error text without URLs (a webhook URL is a secret): each whole URL becomes `<url>`; one line, at most 500
 * characters. A second line of defence: fetch's own messages never get here (networkMessage).
 */
export function safeMessage(text: string): string {
  const clean = text.replace(URL_TEXT, "<url>").replace(/\s+/g, " ").trim();
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE - 1)}…` : clean || "unknown error";
}

function httpKind(status: number): StepErrorKind {
  return status === 429 || status === 408 || status >= 500 ? "transient" : "permanent";
}

const NETWORK_MESSAGE = /fetch|network|connect|request|dns|tls|socket|reset|refused|unreachable|timed out/i;

/**
 * The fixed sentence stored for a request that could not be made. fetch's own text names the URL (a secret) and,
 * for an internal host, says what answered there (refused, reset: a port scanner's oracle), so it is never kept.
 */
export function networkMessage(raw: string): string {
  if (/dns|lookup|resolve|name or service|no address|nodename/i.test(raw)) return "The server's host name could not be resolved.";
  if (/tls|ssl|certificate|handshake/i.test(raw)) return "A secure (TLS) connection to the server could not be made.";
  return "The server could not be reached.";
}

export const TIMEOUT_MESSAGE = "The server did not answer in time.";

/** `{kind, code, message, retryAfterMs?}` for whatever a step threw (see the header for the rules). */
export function classifyStepError(err: unknown): StepError {
  if (err instanceof ProviderRateLimited) {
    return { kind: "transient", code: err.code, message: safeMessage(err.message), retryAfterMs: err.retryAfterSeconds * 1000 };
  }
  if (err instanceof AppError) {
    const transient = !PERMANENT_APP_CODES.has(err.code) &&
      (TRANSIENT_APP_CODES.has(err.code) || err.status === 429 || (err.status >= 500 && err.code !== "internal_error"));
    return { kind: transient ? "transient" : "permanent", code: err.code, message: safeMessage(err.message) };
  }
  if (err instanceof StepHttpError) {
    const out: StepError = { kind: httpKind(err.status), code: `http_${err.status}`, message: safeMessage(err.message) };
    if (out.kind === "transient" && err.retryAfterMs !== undefined) out.retryAfterMs = err.retryAfterMs;
    return out;
  }
  if (err instanceof Response) return classifyStepError(StepHttpError.from(err));
  if (err instanceof TemplateError) return { kind: "permanent", code: "invalid_template", message: safeMessage(err.message) };
  if (err instanceof EndpointLookupError) return { kind: "transient", code: "network_error", message: err.message };
  if (err instanceof Error) {
    if (err.name === "TimeoutError" || err.name === "AbortError") {
      return { kind: "transient", code: "timeout", message: TIMEOUT_MESSAGE };
    }
    if (err.name === "ZodError") return { kind: "permanent", code: "invalid_input", message: safeMessage(err.message) };
    if (err.name === "PostgresError" || typeof (err as { code?: unknown }).code === "string") {
      const code = String((err as { code?: unknown }).code ?? "database_error");
      if (isTransientDbError(err)) return { kind: "transient", code, message: safeMessage(err.message) };
      if (err.name === "PostgresError") return { kind: "permanent", code, message: safeMessage(err.message) };
    }
    // fetch rejects with a TypeError when the request could not be made (DNS, refused, reset, TLS): try again;
    // any other TypeError is a bug in our code, and retrying it repeats it
    if (err instanceof TypeError && NETWORK_MESSAGE.test(err.message)) {
      return { kind: "transient", code: "network_error", message: networkMessage(err.message) };
    }
    if (isTransientDbError(err)) return { kind: "transient", code: "network_error", message: safeMessage(err.message) };
    return { kind: "permanent", code: "internal_error", message: safeMessage(err.message) };
  }
  return { kind: "permanent", code: "internal_error", message: safeMessage(String(err)) };
}
