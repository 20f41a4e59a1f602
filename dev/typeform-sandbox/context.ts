// What every Typeform handler gets: options, the store, the code book, the failure switch, the clock and fetch
// (deliveries go out through it: tests hand in their own).

import type { CodeBook } from "../sandbox/codes.ts";
import type { FailureSwitch } from "../sandbox/failures.ts";
import type { TypeformStore } from "./store.ts";

export interface TypeformClient {
  clientId: string;
  clientSecret: string;
}

export interface CodePayload {
  clientId: string;
  redirectUri: string;
  scopes: string[];
}

export interface TypeformContext {
  options: { clients: TypeformClient[]; publicUrl: string };
  store: TypeformStore;
  codes: CodeBook<CodePayload>;
  failures: FailureSwitch;
  now(): number;
  fetch: typeof fetch;
  /** API request times (ms) of the last second, for the 2-a-second limit (not persisted). */
  recentCalls: number[];
}
