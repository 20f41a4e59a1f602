// What every Slack handler gets: options, the store, the code book, the failure switch and the clock.

import type { CodeBook } from "../sandbox/codes.ts";
import type { FailureSwitch } from "../sandbox/failures.ts";
import type { SlackStore } from "./store.ts";

export interface SlackClient {
  clientId: string;
  clientSecret: string;
}

export interface SlackOptionsResolved {
  clients: SlackClient[];
  /** The family's base URL without /slack, e.g. http://127.0.0.1:54329 */
  publicUrl: string;
  tokenRotationDefault: boolean;
}

/** What an authorization code stands for until it is exchanged. */
export interface CodePayload {
  clientId: string;
  /** null when the authorize request named none (then the token request may omit it too) */
  redirectUri: string | null;
  scopes: string[];
  userScopes: string[];
  channelId: string | null;
}

export interface SlackContext {
  options: SlackOptionsResolved;
  store: SlackStore;
  codes: CodeBook<CodePayload>;
  failures: FailureSwitch;
  now(): number;
}
