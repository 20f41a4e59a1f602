// HTTP plumbing shared by every function: CORS with an exact origin allowlist, the one JSON error envelope,
// a tiny method/path router, and the wrapper that maps errors to statuses exactly once.
import { appOrigins } from "./env.ts";
import { isTransientDbError } from "./db.ts";
import { AppError, type ErrorCode, errorStatus } from "./errors.ts";

export type Handler = (req: Request) => Promise<Response>;

const ALLOWED_HEADERS = "authorization, x-client-info, apikey, content-type";

export function jsonResponse(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set("content-type", "application/json; charset=utf-8");
  h.set("cache-control", "no-store");
  return new Response(JSON.stringify(body), { status, headers: h });
}

export function errorResponse(code: ErrorCode, message: string, status: number = errorStatus[code]): Response {
  return jsonResponse({ error: { code, message } }, status);
}

/**
 * Log what failed without what was sent: the error's name, code and a message with every quoted part hidden.
 * Never the request body, headers or a provider's response (they may carry codes or tokens). Database messages
 * quote the offending value (`invalid input syntax for type uuid: "…"`, `value too long … "…"`), so quoted text
 * is replaced; a PostgresError's identifiers (table, column, constraint) are safe to name and kept.
 */
export function logError(context: string, err: unknown): void {
  console.error(`[${context}] ${describeError(err)}`);
}

/** The one-line, value-free description logError prints (exported for tests). */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return `non-Error thrown: ${typeof err}`;
  const e = err as { code?: unknown; table_name?: unknown; column_name?: unknown; constraint_name?: unknown };
  const code = typeof e.code === "string" ? ` (${e.code})` : "";
  const where = [e.table_name, e.column_name, e.constraint_name].filter((v) => typeof v === "string" && v);
  return `${err.name}${code}: ${redactQuoted(err.message)}${where.length ? ` [${where.join(" ")}]` : ""}`;
}

/**
 * Quoted text may be a value, and values nest quotes (`"{"token":"…"}"`): everything from the first quote mark to
 * the last is replaced by its length. Control characters become spaces (no forged log lines).
 */
function redactQuoted(message: string): string {
  return message
    .replace(/["'`][\s\S]*["'`]/, (m) => `<${m.length} chars quoted>`)
    .replace(/[\u0000-\u001f\u007f]/g, " ")
    .slice(0, 300);
}

/**
 * A request's path for logs, with capability segments hidden: a webhook route id is the secret part of its URL, so
 * only a short hash of it is logged (`fathom-webhook/#1a2b3c4d`).
 */
export function routeLabel(req: Request): string {
  return new URL(req.url).pathname.replace(/(-webhook\/)([^/]+)/, (_, prefix, id) => `${prefix}#${shortHash(id)}`);
}

/** 32-bit FNV-1a, hex: enough to tell two routes apart in logs, nothing to recover the id from. */
function shortHash(value: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/** SQLSTATE 42501 (insufficient_privilege): a row-level security policy or a missing grant refused a statement. */
export function isPermissionDenied(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === "42501";
}

/**
 * Two requests changed the same rows at the same moment and PostgreSQL gave one of them up: a deadlock (40P01) or a
 * serialization failure (40001), e.g. two owners demoting each other. The database is fine; the person tries again.
 */
export function isConcurrentChange(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "40P01" || code === "40001";
}

/**
 * AppError -> its envelope and status; a statement refused by row-level security or a grant (42501) -> 403
 * forbidden; a deadlock or serialization failure with another request -> 409 concurrent_change; a database that is
 * restarting -> 503 database_unavailable; anything else -> 500 internal_error with a
 * generic message.
 */
export function withErrorHandling(handler: Handler): Handler {
  return async (req) => {
    try {
      return await handler(req);
    } catch (err) {
      if (err instanceof AppError) return errorResponse(err.code, err.message, err.status);
      if (isPermissionDenied(err)) {
        // row-level security or a privilege refused the caller's statement: the caller's fault, not ours
        logError(`${req.method} ${routeLabel(req)}`, err);
        return errorResponse("forbidden", "You are not allowed to make this change.");
      }
      if (isConcurrentChange(err)) {
        logError(`${req.method} ${routeLabel(req)}`, err);
        return errorResponse("concurrent_change", "Someone changed the same thing at the same moment. Please try again.");
      }
      if (isTransientDbError(err)) {
        logError(`${req.method} ${routeLabel(req)}`, err);
        return errorResponse("database_unavailable", "The service is briefly unavailable. Please try again.");
      }
      logError(`${req.method} ${routeLabel(req)}`, err);
      return errorResponse("internal_error", "Something went wrong. Please try again.");
    }
  };
}

/** The request's Origin when it is on the APP_ORIGIN allowlist (exact match), else null. */
export function allowedOrigin(req: Request): string | null {
  const origin = req.headers.get("origin");
  if (!origin) return null;
  return appOrigins().includes(origin) ? origin : null;
}

/**
 * CORS for browser-called functions. Only an allowlisted origin is echoed back (never `*`: these endpoints act on
 * user data); every response varies on Origin so caches never serve one origin's answer to another. Preflights
 * are answered here and never reach the handler.
 */
export function withCors(handler: Handler, methods: string[]): Handler {
  const allowMethods = [...new Set([...methods, "OPTIONS"])].join(", ");
  return async (req) => {
    const origin = allowedOrigin(req);
    const response = req.method === "OPTIONS" ? new Response(null, { status: 204 }) : await handler(req);
    const headers = new Headers(response.headers);
    headers.append("vary", "Origin");
    if (origin) {
      headers.set("access-control-allow-origin", origin);
      if (req.method === "OPTIONS") {
        headers.set("access-control-allow-methods", allowMethods);
        headers.set("access-control-allow-headers", ALLOWED_HEADERS);
        headers.set("access-control-max-age", "600");
      } else {
        // a 429's wait, for the app to say "try again in N seconds" (a cross-origin read needs the exposure)
        headers.set("access-control-expose-headers", "Retry-After");
      }
    }
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

export type RouteParams = Record<string, string>;
export type RouteHandler = (req: Request, params: RouteParams) => Promise<Response>;
export interface Route {
  method: string;
  /** e.g. "/api/teams/:teamId/integrations"; `:name` matches one non-empty path segment */
  path: string;
  handler: RouteHandler;
}

function compile(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) => segment.startsWith(":") ? `(?<${segment.slice(1)}>[^/]+)` : escapeRegExp(segment))
    .join("/");
  return new RegExp(`^${source}/?$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The function's own path. On Supabase a function sees `/<name>/...`; tolerate a `/functions/v1` prefix too so a
 * proxy that forwards the full path does not break routing.
 */
export function functionPath(req: Request): string {
  const { pathname } = new URL(req.url);
  return pathname.replace(/^\/functions\/v1(?=\/)/, "");
}

/** 404 not_found when no path matches, 405 method_not_allowed (with Allow) when the path matches another method. */
export function router(routes: Route[]): Handler {
  const compiled = routes.map((route) => ({ ...route, regex: compile(route.path) }));
  return async (req) => {
    const path = functionPath(req);
    const allowed: string[] = [];
    for (const route of compiled) {
      const match = route.regex.exec(path);
      if (!match) continue;
      if (route.method !== req.method) {
        allowed.push(route.method);
        continue;
      }
      const params: RouteParams = {};
      for (const [key, value] of Object.entries(match.groups ?? {})) {
        try {
          params[key] = decodeURIComponent(value);
        } catch {
          throw new AppError("invalid_request", "Malformed path.");
        }
        if (unstorableText(params[key])) throw new AppError("invalid_request", "Malformed path.");
      }
      return await route.handler(req, params);
    }
    if (allowed.length > 0) {
      const response = errorResponse("method_not_allowed", "Method not allowed.");
      response.headers.set("allow", allowed.join(", "));
      return response;
    }
    throw new AppError("not_found", "Not found.");
  };
}

/** The API's bodies are small (a lead: at most 10,000 characters of notes); anything larger is refused with 413. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

function tooLarge(): AppError {
  return new AppError("payload_too_large", "The request body is too large.");
}

/** The declared Content-Length when it is a plain number (else null: unknown or chunked). */
function declaredLength(req: Request): number | null {
  const header = req.headers.get("content-length");
  return header !== null && /^\d+$/.test(header.trim()) ? Number(header) : null;
}

/**
 * 413 payload_too_large before anything is read when Content-Length says the body exceeds `limit` bytes; the body
 * is cancelled so the connection is not kept busy streaming it.
 */
export async function refuseDeclaredOversize(req: Request, limit = MAX_JSON_BODY_BYTES): Promise<void> {
  const declared = declaredLength(req);
  if (declared !== null && declared > limit) {
    await req.body?.cancel().catch(() => {});
    throw tooLarge();
  }
}

/**
 * For handlers taking bodies: a body declared larger than `limit` is 413 before authentication, routing or any
 * database work (readJson still counts what a chunked body really sends).
 */
export function withBodyLimit(handler: Handler, limit = MAX_JSON_BODY_BYTES): Handler {
  return async (req) => {
    const declared = declaredLength(req);
    if (declared !== null && declared > limit) {
      await req.body?.cancel().catch(() => {});
      return errorResponse("payload_too_large", "The request body is too large.");
    }
    return await handler(req);
  };
}

/**
 * The body as UTF-8 text (invalid bytes become U+FFFD), at most `limit` bytes whatever Content-Length claims:
 * 413 payload_too_large as soon as more arrives, having read no more than the limit plus one chunk.
 */
export async function readBodyText(req: Request, limit = MAX_JSON_BODY_BYTES): Promise<string> {
  await refuseDeclaredOversize(req, limit);
  if (!req.body) return "";
  // A declared length within the limit frames the body (HTTP never delivers more than it): read it at once, the
  // webhook's hot path. Without one (chunked), count while reading.
  const declared = req.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim())) return await req.text();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** JSON bodies nest no deeper than this (ours nest 2 levels); deeper is 400, not a stack overflow later. */
export const MAX_JSON_DEPTH = 32;

/**
 * Why a string cannot be stored as PostgreSQL text, or null: NUL (U+0000) is refused by every text column, and
 * an unpaired UTF-16 surrogate has no UTF-8 form (the driver would silently store U+FFFD instead).
 */
export function unstorableText(value: string): string | null {
  if (value.includes("\u0000")) return "must not contain NUL characters";
  if (!value.isWellFormed()) return "must not contain unpaired surrogates";
  return null;
}

/**
 * Walks a parsed JSON value (iteratively: no recursion for an attacker to exhaust) and throws 400 invalid_request
 * for a string (key or value) that PostgreSQL cannot store, or nesting deeper than MAX_JSON_DEPTH. The message
 * names the field (`emails.0 must not contain NUL characters.`), never its value; a key that is not a plain
 * identifier is shown as `(key)`.
 */
export function assertStorableJson(value: unknown, where = "The request body"): void {
  const stack: [unknown, number, string][] = [[value, 0, ""]];
  while (stack.length > 0) {
    const [item, depth, path] = stack.pop()!;
    if (typeof item === "string") {
      const problem = unstorableText(item);
      if (problem) throw new AppError("invalid_request", `${path || where} ${problem}.`);
    } else if (item !== null && typeof item === "object") {
      if (depth >= MAX_JSON_DEPTH) throw new AppError("invalid_request", `${where} is nested too deeply.`);
      for (const [key, child] of Object.entries(item)) {
        const name = Array.isArray(item) || /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key) ? key : "(key)";
        const childPath = path ? `${path}.${name}` : name;
        const keyProblem = unstorableText(key);
        if (keyProblem) throw new AppError("invalid_request", `A key in ${path || "the request body"} ${keyProblem}.`);
        stack.push([child, depth + 1, childPath]);
      }
    }
  }
}

/**
 * Reads a JSON body of at most `limit` bytes (413 beyond); anything unparsable, or holding text PostgreSQL cannot
 * store, is the client's fault (400), never a 500. With `emptyAs`, a missing or blank body stands for that value
 * (for routes whose body is optional).
 */
export async function readJson(req: Request, opts: { emptyAs?: unknown; limit?: number } = {}): Promise<unknown> {
  const text = await readBodyText(req, opts.limit);
  if (opts.emptyAs !== undefined && !text.trim()) return opts.emptyAs;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("invalid_request", "The request body must be JSON.");
  }
  assertStorableJson(value);
  return value;
}

/** For single-purpose functions: anything but the given methods is 405 (preflight is answered by withCors). */
export function onlyMethods(methods: string[], handler: Handler): Handler {
  return async (req) => {
    if (methods.includes(req.method)) return await handler(req);
    const response = errorResponse("method_not_allowed", "Method not allowed.");
    response.headers.set("allow", methods.join(", "));
    return response;
  };
}

/** zod failure -> 400 invalid_request naming the offending fields (never echoing their values). */
export function invalidRequest(issues: { path: PropertyKey[] }[]): AppError {
  const fields = [...new Set(issues.map((issue) => issue.path.map(String).join(".") || "body"))];
  return new AppError("invalid_request", `Invalid or missing: ${fields.join(", ")}.`);
}

/** A redirect the browser follows without leaking the URL it came from (which carries the OAuth code). */
export function redirectResponse(location: string): Response {
  return new Response(null, {
    status: 302,
    headers: { location, "referrer-policy": "no-referrer", "cache-control": "no-store" },
  });
}
