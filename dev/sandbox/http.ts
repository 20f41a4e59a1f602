// Response and request helpers every sandbox of the family uses. Provider-specific error bodies live with each
// provider (Slack's ok:false JSON and plain-text hook errors, Discord's {code, message}).

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

export function textResponse(body: string, status = 200, headers: HeadersInit = {}): Response {
  const merged = new Headers(headers);
  merged.set("content-type", "text/plain; charset=utf-8");
  return new Response(body, { status, headers: merged });
}

export function redirect(location: string, status = 302): Response {
  return new Response(null, { status, headers: { location } });
}

/** redirect_uri plus these query parameters (null ones left out), as a 302. */
export function redirectWith(redirectUri: string, params: Record<string, string | null>): Response {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value);
  return redirect(url.toString());
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function isFormEncoded(req: Request): boolean {
  const type = req.headers.get("content-type") ?? "";
  return type.split(";")[0].trim().toLowerCase() === "application/x-www-form-urlencoded";
}

/** Parses a JSON body; undefined when the body is not valid JSON. An empty body reads as {}. */
export async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A form body as URLSearchParams; empty when the body is not form-encoded. */
export async function readForm(req: Request): Promise<URLSearchParams> {
  if (!isFormEncoded(req)) {
    await req.body?.cancel();
    return new URLSearchParams();
  }
  return new URLSearchParams(await req.text());
}

/**
 * Client credentials from `Authorization: Basic base64(id:secret)` (RFC 6749 §2.3.1: each part form-urlencoded),
 * else from the form's client_id / client_secret. Null fields when absent; a malformed Basic header reads as absent.
 */
export function clientCredentials(req: Request, form: URLSearchParams): { clientId: string | null; clientSecret: string | null; via: "basic" | "form" } {
  const header = req.headers.get("authorization") ?? "";
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match) {
    try {
      const decoded = atob(match[1]);
      const colon = decoded.indexOf(":");
      if (colon >= 0) {
        const decode = (part: string) => decodeURIComponent(part.replaceAll("+", " "));
        return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)), via: "basic" };
      }
    } catch {
      // not base64 or not URI-encoded: treated as no Basic credentials
    }
  }
  return { clientId: form.get("client_id"), clientSecret: form.get("client_secret"), via: "form" };
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(req: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
  return match ? match[1] : null;
}

/** Compares secrets without an early exit on the first differing byte. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
