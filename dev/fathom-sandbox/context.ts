// What every route handler receives: resolved options, state and the shared services.

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
}

export interface SandboxContext {
  options: ResolvedOptions;
  store: SandboxStore;
  now(): number;
  failures: FailureSwitch;
  apiLimiter: RateLimiter;
  tokenLimiter: RateLimiter;
  log: RequestLog;
  wire: WireContext;
  /** Finds a user by e-mail, creating it on first sight (any e-mail typed on the consent page signs in). */
  ensureUser(email: string, name?: string | null, team?: string | null): SandboxUser;
}
