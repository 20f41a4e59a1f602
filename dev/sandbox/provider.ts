// What a provider sandbox of the family (Slack, Discord) exposes: a handler mounted under its prefix, the records
// its controls and page show, and a summary for the family's home page.

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
