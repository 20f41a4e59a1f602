// What every route handler receives: resolved options, state and the shared services.

import type { InFlight, RetryTimers } from "./background.ts";
import type { FailureSwitch } from "./failures.ts";
import type { WireContext } from "./meeting-wire.ts";
import type { RateLimitConfig, RateLimiter } from "./ratelimit.ts";
import type { RequestLog } from "./request-log.ts";
import type { SandboxStore, SandboxUser } from "./store.ts";

export interface SandboxClient {
  clientId: string;
  clientSecret: string;
  /** When given, redirect_uri must be one of these exactly (like a registered app); otherwise any http(s) URL. */
  redirectUris?: string[];
}

export interface ResolvedOptions {
  clients: SandboxClient[];
  rateLimit: RateLimitConfig;
  tokenRateLimit: RateLimitConfig;
  accessTokenTtlSeconds: number;
  codeTtlSeconds: number;
  publicUrl: string;
  demoMeetings: boolean;
  pageSize: number;
  deliveryTimeoutMs: number;
  /** Delays (ms) before each automatic webhook retry after a failed attempt; [] = no retries. */
  retryScheduleMs: number[];
  /** What GET /meetings cursors hold: Fathom's documented page number, or its observed multi-source keyset. */
  cursorMode: CursorMode;
  summaryDelayMs: number | null;
}

export type CursorMode = "page" | "keyset";

export interface SandboxContext {
  options: ResolvedOptions;
  store: SandboxStore;
  now(): number;
  failures: FailureSwitch;
  apiLimiter: RateLimiter;
  tokenLimiter: RateLimiter;
  log: RequestLog;
  wire: WireContext;
  /** Pending webhook retries, and webhook requests in flight. */
  retries: RetryTimers;
  inFlight: InFlight;
  /** Reports a change made outside a request (a background retry), for the state file. */
  changed(): void;
  /** Finds a user by e-mail, creating it on first sight (any e-mail typed on the consent page signs in). */
  ensureUser(email: string, name?: string | null, team?: string | null): SandboxUser;
}
