// Shared test plumbing: an in-process sandbox with a controllable clock, and the OAuth dance in one call.

import { createSandbox, type Sandbox, type SandboxOptions } from "./sandbox.ts";

export const BASE = "http://sandbox.test";
export const CLIENT_ID = "sandbox-client-id";
export const CLIENT_SECRET = "sandbox-client-secret";
export const REDIRECT_URI = "http://127.0.0.1:54321/functions/v1/fathom-oauth-callback";
export const SANDY = "sandy@sandbox.fathom.test";

export interface TestClock {
  ms: number;
  now: () => number;
  advance(ms: number): void;
}

export function testClock(start = Date.parse("2026-03-02T12:00:00Z")): TestClock {
  const clock: TestClock = {
    ms: start,
    now: () => clock.ms,
    advance: (ms) => void (clock.ms += ms),
  };
  return clock;
}

export function newSandbox(options: SandboxOptions = {}): { sandbox: Sandbox; clock: TestClock } {
  const clock = testClock();
  const sandbox = createSandbox({ now: clock.now, publicUrl: BASE, ...options });
  return { sandbox, clock };
}

export function call(sandbox: Sandbox, path: string, init: RequestInit = {}): Promise<Response> {
  return sandbox.handler(new Request(`${BASE}${path}`, init));
}

export function form(fields: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  };
}

export function postJson(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

/** Submits the consent form as a user would by clicking Authorize (or Deny); returns the redirect target. */
export async function decide(
  sandbox: Sandbox,
  { clientId = CLIENT_ID, redirectUri = REDIRECT_URI, state = "state-123", userEmail = SANDY, decision = "allow" } = {},
): Promise<URL> {
  const res = await call(sandbox, "/external/v1/oauth2/authorize", form({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: "public_api",
    state,
    user_email: userEmail,
    decision,
  }));
  if (res.status !== 302) throw new Error(`expected a redirect, got ${res.status}: ${await res.text()}`);
  return new URL(res.headers.get("location")!);
}

export async function authorizationCode(sandbox: Sandbox, options: Parameters<typeof decide>[1] = {}): Promise<string> {
  const location = await decide(sandbox, options);
  const code = location.searchParams.get("code");
  if (!code) throw new Error(`no code in ${location}`);
  return code;
}

export function tokenRequest(sandbox: Sandbox, fields: Record<string, string>): Promise<Response> {
  return call(sandbox, "/external/v1/oauth2/token", form({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, ...fields }));
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  scope: string;
}

/** Authorize + code exchange: what the product's connect flow does. */
export async function connect(sandbox: Sandbox, userEmail = SANDY): Promise<Tokens> {
  const code = await authorizationCode(sandbox, { userEmail });
  const res = await tokenRequest(sandbox, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${await res.text()}`);
  return await res.json();
}

export function bearer(token: string): RequestInit {
  return { headers: { authorization: `Bearer ${token}` } };
}

/** Tests read arbitrary JSON shapes on purpose: asserting the shape is their job. */
// deno-lint-ignore no-explicit-any
export type Json = any;

export async function getJson(sandbox: Sandbox, path: string, token: string): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await call(sandbox, path, bearer(token));
  return { status: res.status, body: await res.json(), headers: res.headers };
}

export interface ReceivedDelivery {
  headers: Record<string, string>;
  body: string;
}

/**
 * A throwaway webhook receiver on a random port. `answer` decides each response (by the 0-based request number);
 * it may wait, to play a slow receiver.
 */
export async function withWebhookReceiver(
  answer: (index: number) => number | Promise<number>,
  run: (url: string, received: ReceivedDelivery[]) => Promise<void>,
): Promise<void> {
  const received: ReceivedDelivery[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const index = received.push({ headers: Object.fromEntries(req.headers), body: await req.text() }) - 1;
    return new Response(null, { status: await answer(index) });
  });
  try {
    await run(`http://127.0.0.1:${server.addr.port}/hooks/fathom`, received);
  } finally {
    await server.shutdown();
  }
}

/** Polls until check() is truthy; for background work such as webhook retries (fails after timeoutMs). */
export async function eventually<T>(check: () => T | null | undefined | false, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
