// What every Discord handler gets: options, the store, the code book, the failure switch and the clock.

import type { CodeBook } from "../sandbox/codes.ts";
import type { FailureSwitch } from "../sandbox/failures.ts";
import type { DiscordStore } from "./store.ts";

export interface DiscordClient {
  clientId: string;
  clientSecret: string;
}

export interface CodePayload {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  channelId: string | null;
  /** PKCE S256 challenge sent at authorize; null when none was (then no verifier is asked for). */
  codeChallenge: string | null;
}

export interface DiscordContext {
  options: { clients: DiscordClient[]; publicUrl: string };
  store: DiscordStore;
  codes: CodeBook<CodePayload>;
  failures: FailureSwitch;
  now(): number;
  /** Discord snowflake-like ids, increasing. */
  nextId(): string;
}
