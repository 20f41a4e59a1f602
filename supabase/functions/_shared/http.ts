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
 * Log what failed without what was sent: only the error's name, code and message. Never the request body,
 * headers or a provider's response (they may carry codes or tokens).
 */
export function logError(context: string, err: unknown): void {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    console.error(`[${context}] ${err.name}${typeof code === "string" ? ` (${code})` : ""}: ${err.message}`);
  } else {
    console.error(`[${context}] non-Error thrown: ${typeof err}`);
  }
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

/**
 * AppError -> its envelope and status; a database that is restarting -> 503 database_unavailable; anything else
 * -> 500 internal_error with a generic message.
 */
export function withErrorHandling(handler: Handler): Handler {
  return async (req) => {
    try {
      return await handler(req);
    } catch (err) {
      if (err instanceof AppError) return errorResponse(err.code, err.message, err.status);
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

/**
 * Reads a JSON body; anything unparsable is the client's fault (400), never a 500. With `emptyAs`, a missing or
 * blank body stands for that value (for routes whose body is optional).
 */
export async function readJson(req: Request, opts: { emptyAs?: unknown } = {}): Promise<unknown> {
  try {
    const text = await req.text();
    if (opts.emptyAs !== undefined && !text.trim()) return opts.emptyAs;
    return JSON.parse(text);
  } catch {
    throw new AppError("invalid_request", "The request body must be JSON.");
  }
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
