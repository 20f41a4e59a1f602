// What every Zoom handler gets: options, the store, the code book, the failure switch, the clock and the sender of
// webhook deliveries (replaceable in tests).

import type { CodeBook } from "../sandbox/codes.ts";
import type { FailureSwitch } from "../sandbox/failures.ts";
import type { ZoomStore } from "./store.ts";

export interface ZoomClient {
  clientId: string;
  clientSecret: string;
}

/** What an authorization code stands for until it is exchanged. */
export interface CodePayload {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  userId: string;
  /** PKCE challenge sent at authorize; null when none was */
  codeChallenge: string | null;
  codeChallengeMethod: "S256" | "plain" | null;
}

/** POSTs one delivery to the app's event endpoint; tests swap in their own. */
export type Sender = (url: string, init: RequestInit) => Promise<Response>;

export interface ZoomContext {
  options: { clients: ZoomClient[]; publicUrl: string };
  store: ZoomStore;
  codes: CodeBook<CodePayload>;
  failures: FailureSwitch;
  now(): number;
  send: Sender;
}
