// /functions/v1/<name>[/rest]: Supabase's edge-runtime routing, in one process. Each function's
// handler.ts is imported once, on first use, and sees the path without the /functions/v1 prefix.
import { corsHeaders, isPreflight } from "./cors.ts";
import { directoryUrl } from "./file-url.ts";
import { errorEnvelope, jsonResponse } from "./http.ts";
import { bearerToken, verifyHs256 } from "./jwt.ts";
// the functions' own log redaction (docs/security.md "Never logged"): a value-free error description, and the
// path with a webhook's route id (its secret) as a short hash
import { describeError, routeLabel } from "../../supabase/functions/_shared/http.ts";

export type FunctionHandler = (req: Request) => Promise<Response>;

export interface FunctionsRouterOptions {
  functionsDir: string;
  verifyJwt(functionName: string): boolean;
  jwtKey: Uint8Array;
  /** Handlers not backed by a folder (tests, tooling). They win over a folder of the same name. */
  extraFunctions?: Record<string, FunctionHandler>;
}

export interface FunctionsRouter {
  names: string[];
  /** Serves a request whose pathname starts with /functions/v1/. */
  handle(req: Request): Promise<Response>;
}

const FUNCTIONS_PREFIX = "/functions/v1/";
const FUNCTION_NAME = /^[A-Za-z0-9_-]+$/;

export async function createFunctionsRouter(opts: FunctionsRouterOptions): Promise<FunctionsRouter> {
  const handlerFiles = await discoverFunctionFolders(opts.functionsDir);
  const extra = new Map(Object.entries(opts.extraFunctions ?? {}));
  const loading = new Map<string, Promise<FunctionHandler>>();

  function loadHandler(name: string): Promise<FunctionHandler> | null {
    const given = extra.get(name);
    if (given) return Promise.resolve(given);
    const file = handlerFiles.get(name);
    if (!file) return null;
    let pending = loading.get(name);
    if (!pending) {
      pending = importHandler(file);
      // A failed import is not cached, so the next request reports (and retries) it again.
      pending.catch(() => loading.delete(name));
      loading.set(name, pending);
    }
    return pending;
  }

  async function handle(req: Request): Promise<Response> {
    const { pathname } = new URL(req.url);
    const afterPrefix = pathname.slice(FUNCTIONS_PREFIX.length);
    const slash = afterPrefix.indexOf("/");
    const name = slash === -1 ? afterPrefix : afterPrefix.slice(0, slash);
    const rest = slash === -1 ? "" : afterPrefix.slice(slash);

    const pendingHandler = FUNCTION_NAME.test(name) ? loadHandler(name) : null;
    if (!pendingHandler) {
      const message = FUNCTION_NAME.test(name) ? `No function named "${name}"` : "No such function";
      return errorEnvelope(404, "function_not_found", message, corsHeaders(req));
    }

    // Preflight requests never carry credentials, so Supabase lets them through to the function.
    if (opts.verifyJwt(name) && !isPreflight(req)) {
      const refusal = await refuseWithoutValidJwt(req, opts.jwtKey);
      if (refusal) return refusal;
    }

    const functionRequest = rewritePath(req, `/${name}${rest}`);
    try {
      const handler = await pendingHandler;
      const response = await handler(functionRequest);
      if (!(response instanceof Response)) throw new TypeError("handler did not return a Response");
      return response;
    } catch (error) {
      // Server-side only: never the request body, a route id, or the values an error message quotes.
      console.error(`[gateway] function "${name}" failed on ${req.method} ${routeLabel(functionRequest)}: ${describeError(error)}`);
      return errorEnvelope(500, "internal_error", "Internal error", corsHeaders(req));
    }
  }

  return { names: [...new Set([...handlerFiles.keys(), ...extra.keys()])].sort(), handle };
}

/** Folders with a handler.ts, except shared code (`_*`), tests and hidden folders. */
export async function discoverFunctionFolders(functionsDir: string): Promise<Map<string, URL>> {
  const found = new Map<string, URL>();
  const root = directoryUrl(functionsDir);
  for await (const entry of Deno.readDir(root)) {
    if (!entry.isDirectory || /^[_.]/.test(entry.name) || entry.name === "tests") continue;
    if (!FUNCTION_NAME.test(entry.name)) continue;
    const handlerFile = new URL(`${entry.name}/handler.ts`, root);
    if (await isFile(handlerFile)) found.set(entry.name, handlerFile);
  }
  return found;
}

async function importHandler(file: URL): Promise<FunctionHandler> {
  const module = await import(file.href);
  const handler = module.handler ?? module.default;
  if (typeof handler !== "function") {
    throw new TypeError(`${file} exports neither handler() nor a default function`);
  }
  return handler as FunctionHandler;
}

/**
 * Same request, new pathname; the body stream is handed over, not read. The signal is not carried over:
 * Deno's request signal also aborts after a successful response, which would cut a function's
 * post-response work short.
 */
export function rewritePath(req: Request, pathname: string): Request {
  const url = new URL(req.url);
  url.pathname = pathname;
  return new Request(url, {
    method: req.method,
    headers: req.headers,
    body: req.body,
    redirect: req.redirect,
  });
}

/** Supabase's verify_jwt answers, including their exact bodies. */
async function refuseWithoutValidJwt(req: Request, key: Uint8Array): Promise<Response | null> {
  if (!req.headers.has("authorization")) {
    return jsonResponse({ code: 401, message: "Missing authorization header" }, 401, corsHeaders(req));
  }
  const token = bearerToken(req);
  const check = token ? await verifyHs256(token, key) : null;
  if (check?.ok) return null;
  return jsonResponse({ code: 401, message: "Invalid JWT" }, 401, corsHeaders(req));
}

async function isFile(path: URL): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
