// CORS as Supabase's API gateway (Kong) answers it for /auth/v1: any origin, a fixed header list.
// The API version header must be exposed, or supabase-js in a browser cannot read it and falls back
// to the legacy error format.

export const CORS_ALLOWED_HEADERS = "authorization, x-client-info, apikey, content-type, x-supabase-api-version";
export const CORS_ALLOWED_METHODS = "GET, POST, PUT, DELETE, OPTIONS";

export function corsHeaders(req: Request): Headers {
  const origin = req.headers.get("origin");
  const headers = new Headers({
    "access-control-allow-methods": CORS_ALLOWED_METHODS,
    "access-control-allow-headers": CORS_ALLOWED_HEADERS,
    "access-control-expose-headers": "X-Supabase-Api-Version",
    "access-control-max-age": "3600",
  });
  if (origin) {
    headers.set("access-control-allow-origin", origin);
    headers.set("access-control-allow-credentials", "true");
    headers.set("vary", "Origin");
  } else {
    headers.set("access-control-allow-origin", "*");
  }
  return headers;
}

export function isPreflight(req: Request): boolean {
  return req.method === "OPTIONS";
}

export function preflightResponse(req: Request): Response {
  return new Response(null, { status: 204, headers: corsHeaders(req) });
}
