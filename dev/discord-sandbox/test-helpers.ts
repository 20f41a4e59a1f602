// In-process Discord sandbox with a controllable clock, and the authorization dance in one call.

import { base64Url } from "../sandbox/ids.ts";
import { createDiscordSandbox, type DiscordSandbox, type DiscordSandboxOptions } from "./discord.ts";

export const BASE = "http://sandbox.test";
export const CLIENT_ID = "sandbox-discord-client-id";
export const CLIENT_SECRET = "sandbox-discord-client-secret";
export const REDIRECT_URI = "http://127.0.0.1:54321/functions/v1/discord-oauth-callback";
export const SALES = "1180000000000000012";
export const VERIFIER = "a".repeat(20) + "-verifier-" + "b".repeat(20);

export async function challengeOf(verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

export function newDiscord(options: DiscordSandboxOptions = {}) {
  const clock = { ms: Date.parse("2026-03-02T12:00:00Z") };
  const discord = createDiscordSandbox({ publicUrl: BASE, now: () => clock.ms, ...options });
  return { discord, clock };
}

export function call(discord: DiscordSandbox, path: string, init: RequestInit = {}): Promise<Response> {
  return discord.handler(new Request(path.startsWith("http") ? path : `${BASE}${path}`, init));
}

export function form(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(fields).toString() };
}

export const authorizeParams = { client_id: CLIENT_ID, response_type: "code", scope: "identify webhook.incoming", redirect_uri: REDIRECT_URI, state: "st-1" };

export async function decide(discord: DiscordSandbox, fields: Record<string, string> = {}): Promise<URL> {
  const res = await call(discord, "/discord/oauth2/authorize", form({ ...authorizeParams, channel_id: SALES, decision: "allow", ...fields }));
  if (res.status !== 302) throw new Error(`expected a redirect, got ${res.status}: ${await res.text()}`);
  return new URL(res.headers.get("location")!);
}

export const basic = (id = CLIENT_ID, secret = CLIENT_SECRET) => ({ authorization: `Basic ${btoa(`${id}:${secret}`)}` });

export async function token(discord: DiscordSandbox, fields: Record<string, string>, headers: Record<string, string> = basic()) {
  const res = await call(discord, "/discord/api/oauth2/token", form(fields, headers));
  return { status: res.status, body: await res.json() };
}

export async function authorize(discord: DiscordSandbox, fields: Record<string, string> = {}) {
  const code = (await decide(discord, fields)).searchParams.get("code")!;
  const res = await token(discord, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
  if (res.status !== 200) throw new Error(`token failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function execute(discord: DiscordSandbox, url: string, body: unknown) {
  const res = await call(discord, url, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: text ? JSON.parse(text) : null };
}
