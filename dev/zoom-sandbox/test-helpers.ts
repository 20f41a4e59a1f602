// In-process Zoom sandbox with a controllable clock, a recording sender for deliveries, and the authorization dance
// in one call.

import { base64Url } from "../sandbox/ids.ts";
import { USERS } from "./account.ts";
import { createZoomSandbox, type ZoomSandbox, type ZoomSandboxOptions } from "./zoom.ts";

export const BASE = "http://sandbox.test";
export const CLIENT_ID = "sandbox-zoom-client-id";
export const CLIENT_SECRET = "sandbox-zoom-client-secret";
export const REDIRECT_URI = "http://127.0.0.1:54321/functions/v1/zoom-oauth-callback";
export const HOOK_URL = "http://app.test/functions/v1/zoom-webhook";
export const SECRET = "test-secret-token";
export const VERIFIER = "a".repeat(20) + "-verifier-" + "b".repeat(20);
export const [AVERY, SAM, ROBIN] = USERS;

export async function challengeOf(verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

export interface Received {
  url: string;
  headers: Headers;
  body: string;
}

/** A fake app endpoint: answers URL validation like zoom-webhook should (when `answer` says so), records the rest. */
export function fakeApp(secret = SECRET) {
  const received: Received[] = [];
  const state = { status: 200, validate: true };
  const send = async (url: string, init: RequestInit) => {
    const body = String(init.body);
    received.push({ url, headers: new Headers(init.headers), body });
    const parsed = JSON.parse(body);
    if (parsed.event === "endpoint.url_validation") {
      if (!state.validate) return new Response("no", { status: 401 });
      const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(parsed.payload.plainToken)));
      const encryptedToken = [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
      return Response.json({ plainToken: parsed.payload.plainToken, encryptedToken });
    }
    return new Response(null, { status: state.status });
  };
  return { received, state, send };
}

export function newZoom(options: ZoomSandboxOptions = {}) {
  const clock = { ms: Date.parse("2026-03-02T12:00:00Z") };
  const app = fakeApp();
  const zoom = createZoomSandbox({ publicUrl: BASE, now: () => clock.ms, webhookUrl: HOOK_URL, webhookSecretToken: SECRET, send: app.send, ...options });
  return { zoom, clock, app };
}

export function call(zoom: ZoomSandbox, path: string, init: RequestInit = {}): Promise<Response> {
  return zoom.handler(new Request(path.startsWith("http") ? path : `${BASE}${path}`, init));
}

export function form(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(fields).toString() };
}

export const authorizeParams = { client_id: CLIENT_ID, response_type: "code", redirect_uri: REDIRECT_URI, state: "st-1" };

export async function decide(zoom: ZoomSandbox, fields: Record<string, string> = {}): Promise<URL> {
  const res = await call(zoom, "/zoom/oauth/authorize", form({ ...authorizeParams, user_id: AVERY.id, decision: "allow", ...fields }));
  if (res.status !== 302) throw new Error(`expected a redirect, got ${res.status}: ${await res.text()}`);
  return new URL(res.headers.get("location")!);
}

export const basic = (id = CLIENT_ID, secret = CLIENT_SECRET) => ({ authorization: `Basic ${btoa(`${id}:${secret}`)}` });

export async function token(zoom: ZoomSandbox, fields: Record<string, string>, headers: Record<string, string> = basic()) {
  const res = await call(zoom, "/zoom/oauth/token", form(fields, headers));
  return { status: res.status, headers: res.headers, body: await res.json() };
}

export async function authorize(zoom: ZoomSandbox, fields: Record<string, string> = {}) {
  const code = (await decide(zoom, fields)).searchParams.get("code")!;
  const res = await token(zoom, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
  if (res.status !== 200) throw new Error(`token failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function api(zoom: ZoomSandbox, path: string, accessToken: string) {
  const res = await call(zoom, `/zoom/v2${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: res.status, headers: res.headers, body: await res.json() };
}
