// Response helpers. Error bodies follow RFC 6749 on OAuth routes and a small {error, message} shape on REST routes
// (Fathom does not document its REST error bodies).

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const merged = new Headers(headers);
  merged.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { status, headers: merged });
}

export function htmlResponse(body: string, status = 200, headers: HeadersInit = {}): Response {
  const merged = new Headers(headers);
  merged.set("content-type", "text/html; charset=utf-8");
  return new Response(body, { status, headers: merged });
}

export function oauthError(error: string, description: string, status = 400, headers: HeadersInit = {}): Response {
  const merged = new Headers(headers);
  merged.set("cache-control", "no-store");
  return json({ error, error_description: description }, status, merged);
}

export function apiError(status: number, error: string, message: string, headers: HeadersInit = {}): Response {
  return json({ error, message }, status, headers);
}

export function redirect(location: string, status = 302): Response {
  return new Response(null, { status, headers: { location } });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function isFormEncoded(req: Request): boolean {
  const type = req.headers.get("content-type") ?? "";
  return type.split(";")[0].trim().toLowerCase() === "application/x-www-form-urlencoded";
}

/** Parses a JSON body; undefined when the body is not valid JSON. */
export async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
