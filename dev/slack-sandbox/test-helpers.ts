// In-process Slack sandbox with a controllable clock, and the install dance in one call.

import { createSlackSandbox, type SlackSandbox, type SlackSandboxOptions } from "./slack.ts";

export const BASE = "http://sandbox.test";
export const CLIENT_ID = "sandbox-slack-client-id";
export const CLIENT_SECRET = "sandbox-slack-client-secret";
export const REDIRECT_URI = "http://127.0.0.1:54321/functions/v1/slack-oauth-callback";

export function newSlack(options: SlackSandboxOptions = {}) {
  const clock = { ms: Date.parse("2026-03-02T12:00:00Z") };
  const slack = createSlackSandbox({ publicUrl: BASE, now: () => clock.ms, ...options });
  return { slack, clock };
}

export function call(slack: SlackSandbox, path: string, init: RequestInit = {}): Promise<Response> {
  return slack.handler(new Request(path.startsWith("http") ? path : `${BASE}${path}`, init));
}

export function form(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  };
}

export const authorizeParams = { client_id: CLIENT_ID, scope: "incoming-webhook,chat:write", redirect_uri: REDIRECT_URI, state: "st-1" };

/** Clicks Allow (or Cancel) on the consent page; returns the redirect's URL. */
export async function decide(slack: SlackSandbox, fields: Record<string, string> = {}): Promise<URL> {
  const res = await call(slack, "/slack/oauth/v2/authorize", form({ ...authorizeParams, channel_id: "C0SALES001", decision: "allow", ...fields }));
  if (res.status !== 302) throw new Error(`expected a redirect, got ${res.status}: ${await res.text()}`);
  return new URL(res.headers.get("location")!);
}

export async function access(slack: SlackSandbox, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await call(slack, "/slack/api/oauth.v2.access", form({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, ...fields }, headers));
  return { status: res.status, body: await res.json() };
}

/** Authorize + exchange: the token response. */
export async function install(slack: SlackSandbox, fields: Record<string, string> = {}) {
  const code = (await decide(slack, fields)).searchParams.get("code")!;
  const { body } = await access(slack, { code, redirect_uri: REDIRECT_URI });
  if (!body.ok) throw new Error(`install failed: ${body.error}`);
  return body;
}

export async function post(slack: SlackSandbox, url: string, body: unknown) {
  const res = await call(slack, url, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: res.status, type: res.headers.get("content-type"), retryAfter: res.headers.get("retry-after"), text: await res.text() };
}
