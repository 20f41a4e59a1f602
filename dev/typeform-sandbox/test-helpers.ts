// In-process Typeform sandbox with a controllable clock and a recording fetch, and the authorization dance in one call.

import { createTypeformSandbox, type TypeformSandbox, type TypeformSandboxOptions } from "./typeform.ts";

export const BASE = "http://sandbox.test";
export const CLIENT_ID = "sandbox-typeform-client-id";
export const CLIENT_SECRET = "sandbox-typeform-client-secret";
export const REDIRECT_URI = "http://127.0.0.1:54321/functions/v1/typeform-oauth-callback";
export const SCOPES = "offline accounts:read forms:read webhooks:read webhooks:write responses:read";
export const CONTACT = "cT1cXk9a";

export interface Sent {
  url: string;
  headers: Headers;
  body: string;
}

export function newTypeform(options: TypeformSandboxOptions & { answer?: number } = {}) {
  const clock = { ms: Date.parse("2026-03-02T12:00:00Z") };
  const sent: Sent[] = [];
  const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({ url: String(input), headers: new Headers(init?.headers), body: String(init?.body) });
    return new Response(null, { status: options.answer ?? 200 });
  }) as typeof fetch;
  const typeform = createTypeformSandbox({ publicUrl: BASE, now: () => clock.ms, fetch: fakeFetch, ...options });
  return { typeform, clock, sent };
}

export function call(typeform: TypeformSandbox, path: string, init: RequestInit = {}): Promise<Response> {
  return typeform.handler(new Request(path.startsWith("http") ? path : `${BASE}${path}`, init));
}

export function form(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(fields).toString() };
}

export const authorizeParams = { client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, scope: SCOPES, state: "st-1" };

export async function decide(typeform: TypeformSandbox, fields: Record<string, string> = {}): Promise<URL> {
  const res = await call(typeform, "/typeform/oauth/authorize", form({ ...authorizeParams, decision: "allow", ...fields }));
  if (res.status !== 302) throw new Error(`expected a redirect, got ${res.status}: ${await res.text()}`);
  return new URL(res.headers.get("location")!);
}

export async function token(typeform: TypeformSandbox, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await call(typeform, "/typeform/oauth/token", form({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, ...fields }, headers));
  return { status: res.status, body: await res.json() };
}

export async function authorize(typeform: TypeformSandbox, fields: Record<string, string> = {}) {
  const code = (await decide(typeform, fields)).searchParams.get("code")!;
  const res = await token(typeform, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
  if (res.status !== 200) throw new Error(`token failed: ${JSON.stringify(res.body)}`);
  return res.body as { access_token: string; refresh_token?: string; expires_in: number; token_type: string; scope: string };
}

/** An API call with the bearer token; the clock moves a second first so the rate limit never interferes. */
export async function api(typeform: TypeformSandbox, clock: { ms: number }, accessToken: string, path: string, init: RequestInit = {}) {
  clock.ms += 1000;
  const res = await call(typeform, `/typeform${path}`, { ...init, headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json", ...init.headers } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
