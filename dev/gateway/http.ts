// Response helpers shared by the gateway's own answers (not by the functions it serves).

export function jsonResponse(body: unknown, status = 200, headers?: HeadersInit): Response {
  const merged = new Headers(headers);
  merged.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { status, headers: merged });
}

/** The project's error envelope (docs/architecture.md), used for gateway errors on /functions/v1. */
export function errorEnvelope(status: number, code: string, message: string, headers?: HeadersInit): Response {
  return jsonResponse({ error: { code, message } }, status, headers);
}

/** Headers of a Response can be immutable (e.g. from fetch), so copy instead of mutating. */
export function withHeaders(response: Response, extra: Headers): Response {
  const headers = new Headers(response.headers);
  extra.forEach((value, name) => {
    if (name === "vary" && headers.has("vary")) headers.append("vary", value);
    else headers.set(name, value);
  });
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
