// What a provider sandbox of the family (Slack, Discord) exposes: a handler mounted under its prefix, the records
// its controls and page show, and a summary for the family's home page.

import { z } from "./deps.ts";
import type { FailureRequest } from "./failures.ts";

/** One message posted to a provider's webhook, as `GET /<provider>/_sandbox/messages` lists it. */
export interface SandboxMessage {
  id: string;
  /** ISO 8601 */
  at: string;
  channel_id: string;
  /** "#sales"; null when the provider does not name it */
  channel: string | null;
  /** The JSON body as posted (already validated) */
  body: unknown;
}

/** One revocation, as `GET /<provider>/_sandbox/revocations` lists it. kind: "auth.revoke" | "token_revoke" | "webhook_delete". */
export interface SandboxRevocation {
  at: string;
  kind: string;
}

export interface ProviderSummary {
  activeGrants: number;
  grants: number;
  messages: number;
  revocations: number;
}

export interface ProviderSandbox {
  /** "slack" | "discord" */
  readonly id: string;
  /** "Slack" */
  readonly name: string;
  /** "/slack": every path the handler serves starts with it */
  readonly prefix: string;
  handler(req: Request): Promise<Response>;
  /** The family's public base URL (no prefix), e.g. http://127.0.0.1:54329; webhook URLs are built from it. */
  setPublicUrl(url: string): void;
  summary(): ProviderSummary;
  messages(): SandboxMessage[];
  revocations(): SandboxRevocation[];
  setFailure(failure: FailureRequest): void;
  clearFailures(): void;
  reset(): void;
  /** The persistent state (grants, tokens, webhooks, messages, revocations, settings) as JSON-safe data. */
  snapshot(): unknown;
}

/** Requests that never change a provider's persistent state. */
export const READ_ONLY_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** What every provider sandbox keeps that the family's common controls read. */
export interface ProviderContextBase {
  options: { publicUrl: string };
  store: { messages: SandboxMessage[]; revocations: SandboxRevocation[] };
  failures: { set(failure: FailureRequest): unknown; clear(): void };
}

/**
 * The handler of a provider mounted under `prefix`: paths outside it are 404, `route` gets the path without the
 * prefix ("/" at least), an exception becomes a 500 JSON answer (logged without the request), and every request
 * that may change state calls `changed` (the state file saves after it).
 */
export function mountProvider(
  name: string,
  prefix: string,
  route: (req: Request, url: URL, path: string) => Promise<Response>,
  changed: () => void,
): (req: Request) => Promise<Response> {
  return async (req) => {
    const url = new URL(req.url);
    if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) {
      return Response.json({ error: { code: "not_found", message: `Not a ${name} sandbox path` } }, { status: 404 });
    }
    const path = url.pathname.slice(prefix.length) || "/";
    let res: Response;
    try {
      res = await route(req, url, path);
    } catch (error) {
      console.error(`${name.toLowerCase()}-sandbox: unhandled error`, error);
      res = Response.json({ error: { code: "internal_error", message: "Unexpected sandbox error" } }, { status: 500 });
    }
    if (!READ_ONLY_METHODS.has(req.method)) changed();
    return res;
  };
}

/** The members of ProviderSandbox that read or switch the common parts of a provider's context. */
export function commonControls(ctx: ProviderContextBase) {
  return {
    setPublicUrl(url: string) {
      ctx.options.publicUrl = url.replace(/\/+$/, "");
    },
    messages: () => structuredClone(ctx.store.messages),
    revocations: () => structuredClone(ctx.store.revocations),
    setFailure: (failure: FailureRequest) => void ctx.failures.set(failure),
    clearFailures: () => ctx.failures.clear(),
  };
}

/** The state-file shapes of the records every provider keeps (see SandboxMessage, SandboxRevocation). */
export const MessageRecord = z.object({
  id: z.string(),
  at: z.string(),
  channel_id: z.string(),
  channel: z.string().nullable(),
  body: z.unknown(),
});
export const RevocationRecord = z.object({ at: z.string(), kind: z.string() });
/** A refresh token is single-use at both providers: `used` flips on its first use. */
export const RefreshTokenRecord = z.object({ grantId: z.string(), used: z.boolean() });
