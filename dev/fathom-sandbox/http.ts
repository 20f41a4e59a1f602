// Response helpers. Error bodies follow RFC 6749 on OAuth routes and a small {error, message} shape on REST routes
// (Fathom does not document its REST error bodies).

export { delay, htmlResponse, isFormEncoded, json, readJson, redirect } from "../sandbox/http.ts";
import { json } from "../sandbox/http.ts";

export function oauthError(error: string, description: string, status = 400, headers: HeadersInit = {}): Response {
  const merged = new Headers(headers);
  merged.set("cache-control", "no-store");
  return json({ error, error_description: description }, status, merged);
}

export function apiError(status: number, error: string, message: string, headers: HeadersInit = {}): Response {
  return json({ error, message }, status, headers);
}
