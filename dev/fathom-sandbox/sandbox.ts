// The Fathom sandbox: a Web-standard handler plus programmatic controls for in-process tests.

import { API_PREFIX, handleApi } from "./api.ts";
import { CONTROL_PREFIX, createApiKey, expireAccessTokens, handleControl, revokeGrants } from "./control.ts";
import { createInFlight, createRetryTimers } from "./background.ts";
import type { CursorMode, ResolvedOptions, SandboxClient, SandboxContext } from "./context.ts";
import { DEFAULT_CLIENT, SEEDED_TEAMS, SEEDED_USERS } from "./demo-data.ts";
import { createFailureSwitch, type FailureRequest, type FailureTarget } from "./failures.ts";
import { homePage } from "./home-page.ts";
import { apiError, htmlResponse, json } from "./http.ts";
import { handleAuthorizeGet, handleAuthorizePost, handleToken } from "./oauth.ts";
import { createRateLimiter, type RateLimitConfig } from "./ratelimit.ts";
import { addRecording, finishSummaries, generateMeetings, type NewRecordingInput, type NewRecordingResult, seedDemoMeetings } from "./recordings.ts";
import { findRecordingForPath, recordingPage } from "./recording-page.ts";
import { createRequestLog, type LoggedRequest } from "./request-log.ts";
import { type SandboxSnapshot, snapshotStore, storeFromSnapshot } from "./snapshot.ts";
import { createStore, nameFromEmail, normalizeEmail, type SandboxUser } from "./store.ts";
import { type DeliveryOutcome, deliveryView, redeliver, SVIX_RETRY_SCHEDULE_MS } from "./webhooks.ts";

export { DEMO_CONTACTS } from "./demo-data.ts";
export type { CursorMode, SandboxClient } from "./context.ts";
export { SVIX_RETRY_SCHEDULE_MS } from "./webhooks.ts";
export type { SandboxSnapshot } from "./snapshot.ts";

export const DEFAULT_PORT = 54329;

export interface SandboxOptions {
  /** Registered OAuth apps. None configured: the default sandbox-client-id / sandbox-client-secret pair. */
  clients?: SandboxClient[];
  /** Per-account limit on REST calls. Fathom: 60 per 60 s. */
  rateLimit?: Partial<RateLimitConfig>;
  /** Per-app limit on the token endpoint; defaults to 60 per rateLimit.windowMs. */
  tokenRateLimit?: Partial<RateLimitConfig>;
  accessTokenTtlSeconds?: number;
  codeTtlSeconds?: number;
  /** The sandbox's own base URL, used in meeting links and the home page. */
  publicUrl?: string;
  /** Seed the deterministic demo meetings (default true). */
  demoMeetings?: boolean;
  /** Items per page on list endpoints (Fathom: 10). */
  pageSize?: number;
  /** A webhook attempt without an answer by then counts as failed ("timeout"). Default 15000 (Svix: about 15 s). */
  deliveryTimeoutMs?: number;
  /**
   * Delays in ms before each automatic retry of a failed webhook delivery. Default SVIX_RETRY_SCHEDULE_MS (5 s, 5 min,
   * 30 min, 2 h, 5 h, 10 h, 10 h); tests shorten it, e.g. [100, 200, 400]; [] turns retries off.
   */
  retryScheduleMs?: number[];
  /** GET /meetings cursors: "keyset" (default; Fathom's observed multi-source keyset) or "page" (its documented page_num). */
  cursorMode?: CursorMode;
  /**
   * A summary that is not ready is finished this long after the sandbox started (seeded or restored meetings) or
   * after its recording was added. Default: never (until finishSummaries()); `npm start` sets 120000.
   */
  summaryDelayMs?: number | null;
  now?: () => number;
  /** Start from this state (see snapshot()) instead of the seed; demoMeetings is then ignored. */
  snapshot?: SandboxSnapshot;
  /**
   * Called after anything that may have changed the state snapshot() returns: every request other than
   * GET/HEAD/OPTIONS (whatever its status: a replayed code answers 400 and revokes a grant) and every mutating
   * method below. GET requests never change that state; keep it so.
   */
  onChange?: () => void;
}

export interface Sandbox {
  handler(req: Request): Promise<Response>;
  readonly options: Readonly<ResolvedOptions>;
  setPublicUrl(url: string): void;
  addRecording(input?: NewRecordingInput): Promise<NewRecordingResult>;
  generateMeetings(input: { userEmail?: string; count: number }): { created: number; first_recording_id: number | null; last_recording_id: number | null };
  /** Fathom finished these summaries (all when omitted): `/summary` answers them from now on. Returns how many. */
  finishSummaries(recordingIds?: number[]): number;
  redeliver(messageId: string): Promise<DeliveryOutcome | null>;
  deliveries(): ReturnType<typeof deliveryView>[];
  setFailure(failure: FailureRequest): void;
  clearFailures(target?: FailureTarget): void;
  requests(): LoggedRequest[];
  clearRequests(): void;
  createApiKey(userEmail: string): string;
  expireAccessTokens(userEmail?: string): number;
  revokeGrants(filter?: { userEmail?: string; clientId?: string }): number;
  ensureUser(email: string, name?: string | null, team?: string | null): SandboxUser;
  state(): SandboxState;
  /** The persistent state (users, meetings, grants and tokens, webhooks, API keys, recent deliveries), as a copy. */
  snapshot(): SandboxSnapshot;
  reset(): void;
  /** Stops pending webhook retries and aborts webhook requests in flight; resolves when none is left. */
  close(): Promise<void>;
}

export interface SandboxState {
  public_url: string;
  clients: string[];
  users: { email: string; name: string; team: string | null; meetings_recorded: number }[];
  counts: { meetings: number; webhooks: number; deliveries: number; active_grants: number; access_tokens: number; logged_requests: number };
  webhooks: { id: string; owner_email: string; url: string; triggered_for: string[]; created_at: string; include_transcript: boolean; include_summary: boolean; include_action_items: boolean; include_crm_matches: boolean }[];
  failures: ReturnType<ReturnType<typeof createFailureSwitch>["list"]>;
  rate_limit: RateLimitConfig;
}

/** Like spreading, but an explicit `undefined` (e.g. an unset env variable) keeps the default. */
function withDefaults(defaults: RateLimitConfig, overrides: Partial<RateLimitConfig> = {}): RateLimitConfig {
  return { limit: overrides.limit ?? defaults.limit, windowMs: overrides.windowMs ?? defaults.windowMs };
}

function resolveOptions(options: SandboxOptions): ResolvedOptions {
  const rateLimit = withDefaults({ limit: 60, windowMs: 60_000 }, options.rateLimit);
  return {
    clients: options.clients?.length ? options.clients : [{ ...DEFAULT_CLIENT }],
    rateLimit,
    // Fathom: 60 token requests per window per app, independent of the per-account API limit.
    tokenRateLimit: withDefaults({ limit: 60, windowMs: rateLimit.windowMs }, options.tokenRateLimit),
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    codeTtlSeconds: options.codeTtlSeconds ?? 300,
    publicUrl: (options.publicUrl ?? `http://127.0.0.1:${DEFAULT_PORT}`).replace(/\/+$/, ""),
    demoMeetings: options.demoMeetings ?? true,
    pageSize: options.pageSize ?? 10,
    deliveryTimeoutMs: options.deliveryTimeoutMs ?? 15_000,
    retryScheduleMs: [...(options.retryScheduleMs ?? SVIX_RETRY_SCHEDULE_MS)],
    cursorMode: options.cursorMode ?? "keyset",
    summaryDelayMs: options.summaryDelayMs ?? null,
  };
}

/** Requests that never change the persistent state (see SandboxOptions.onChange). */
const READ_ONLY_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Control routes and the home page are not "Fathom traffic", so they stay out of the request log. */
function isLoggedPath(pathname: string): boolean {
  return pathname.startsWith("/external/");
}

export function createSandbox(input: SandboxOptions = {}): Sandbox {
  const options = resolveOptions(input);
  const now = input.now ?? Date.now;
  const changed = input.onChange ?? (() => {});
  /** Runs a mutation, then reports the change (also when it throws halfway). */
  const mutating = <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A): R => {
    try {
      const result = fn(...args);
      if (result instanceof Promise) return result.finally(changed) as R;
      changed();
      return result;
    } catch (error) {
      changed();
      throw error;
    }
  };

  const ctx: SandboxContext = {
    options,
    store: createStore(),
    now,
    failures: createFailureSwitch(),
    apiLimiter: createRateLimiter(options.rateLimit, now),
    tokenLimiter: createRateLimiter(options.tokenRateLimit, now),
    log: createRequestLog(),
    retries: createRetryTimers(),
    inFlight: createInFlight(),
    changed: () => changed(),
    wire: {
      get publicUrl() {
        return options.publicUrl;
      },
      lookupUser: (email) => ctx.store.users.get(email),
    },
    ensureUser(email, name, team) {
      const key = normalizeEmail(email);
      const existing = ctx.store.users.get(key);
      if (existing) {
        if (name) existing.name = name;
        if (team !== undefined) existing.team = team;
        return existing;
      }
      const user: SandboxUser = { email: key, name: name || nameFromEmail(key), team: team ?? null, createdAtMs: now() };
      ctx.store.users.set(key, user);
      if (user.team && !ctx.store.teams.some((t) => t.name === user.team)) {
        ctx.store.teams.push({ name: user.team, createdAtMs: now() });
      }
      return user;
    },
  };

  function seed(): void {
    ctx.store = createStore();
    const createdAtMs = now() - 400 * 86_400_000; // the seeded org has existed for a while
    for (const name of SEEDED_TEAMS) ctx.store.teams.push({ name, createdAtMs });
    for (const u of SEEDED_USERS) ctx.store.users.set(u.email, { ...u, createdAtMs });
    if (options.demoMeetings) seedDemoMeetings(ctx);
  }

  function state(): SandboxState {
    const recorded = new Map<string, number>();
    for (const m of ctx.store.meetings.newestFirst()) recorded.set(m.recorderEmail, (recorded.get(m.recorderEmail) ?? 0) + 1);
    return {
      public_url: options.publicUrl,
      clients: options.clients.map((c) => c.clientId),
      users: [...ctx.store.users.values()].map((u) => ({ email: u.email, name: u.name, team: u.team, meetings_recorded: recorded.get(u.email) ?? 0 })),
      counts: {
        meetings: ctx.store.meetings.size,
        webhooks: ctx.store.webhooks.size,
        deliveries: ctx.store.deliveries.length,
        active_grants: [...ctx.store.grants.values()].filter((g) => !g.revoked).length,
        access_tokens: ctx.store.accessTokens.size,
        logged_requests: ctx.log.entries().length,
      },
      // Secrets stay out: the state endpoint is for assertions, not for impersonating Fathom.
      webhooks: [...ctx.store.webhooks.values()].map((w) => ({
        id: w.id,
        owner_email: w.ownerEmail,
        url: w.url,
        triggered_for: w.triggeredFor,
        created_at: new Date(w.createdAtMs).toISOString(),
        include_transcript: w.includeTranscript,
        include_summary: w.includeSummary,
        include_action_items: w.includeActionItems,
        include_crm_matches: w.includeCrmMatches,
      })),
      failures: ctx.failures.list(),
      rate_limit: options.rateLimit,
    };
  }

  /** Pending retries belong to deliveries that are about to be dropped or left behind. */
  function stopBackground(): void {
    ctx.retries.cancelAll();
    for (const d of ctx.store.deliveries) d.nextAttemptAtMs = null;
    ctx.inFlight.abortAll();
  }

  function reset(): void {
    stopBackground();
    seed();
    ctx.failures.clear();
    ctx.apiLimiter.reset();
    ctx.tokenLimiter.reset();
    ctx.log.clear();
  }

  async function dispatch(req: Request, url: URL): Promise<Response> {
    const { pathname } = url;
    if (pathname === "/external/v1/oauth2/authorize") {
      if (req.method === "GET") return await handleAuthorizeGet(ctx, url);
      if (req.method === "POST") return await handleAuthorizePost(ctx, req);
      return apiError(405, "method_not_allowed", "Use GET or POST", { allow: "GET, POST" });
    }
    if (pathname === "/external/v1/oauth2/token") {
      return req.method === "POST"
        ? await handleToken(ctx, req)
        : apiError(405, "method_not_allowed", "Use POST", { allow: "POST" });
    }
    if (pathname === API_PREFIX || pathname.startsWith(`${API_PREFIX}/`)) return await handleApi(ctx, req, url);
    if (pathname === CONTROL_PREFIX || pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      return await handleControl(ctx, { reset, state }, req, url);
    }
    if (pathname === "/" && req.method === "GET") return htmlResponse(homePage(ctx));
    if (req.method === "GET") {
      const meeting = findRecordingForPath(ctx, pathname);
      if (meeting) return htmlResponse(recordingPage(ctx, meeting));
    }
    return apiError(404, "not_found", `No route for ${req.method} ${pathname}`);
  }

  async function handler(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const finish = isLoggedPath(url.pathname) ? await ctx.log.start(req, now()) : null;
    const started = performance.now();
    let res: Response;
    try {
      res = await dispatch(req, url);
    } catch (error) {
      console.error("fathom-sandbox: unhandled error", error);
      res = json({ error: "internal_error", message: "Unexpected sandbox error" }, 500);
    }
    finish?.(res.status, performance.now() - started);
    if (!READ_ONLY_METHODS.has(req.method)) changed();
    return res;
  }

  if (input.snapshot) ctx.store = storeFromSnapshot(input.snapshot);
  else seed();
  if (options.summaryDelayMs !== null) {
    for (const meeting of ctx.store.meetings.newestFirst()) {
      if (!meeting.summaryReady) meeting.summaryReadyAtMs = Date.now() + options.summaryDelayMs;
    }
  }

  return {
    handler,
    options,
    setPublicUrl(url) {
      options.publicUrl = url.replace(/\/+$/, "");
    },
    addRecording: mutating((recording) => addRecording(ctx, recording)),
    generateMeetings: mutating((request) => generateMeetings(ctx, request)),
    finishSummaries: mutating((ids) => finishSummaries(ctx, ids)),
    redeliver: mutating((messageId) => redeliver(ctx, messageId)),
    deliveries: () => ctx.store.deliveries.map(deliveryView),
    setFailure: (failure) => void ctx.failures.set(failure),
    clearFailures: (target) => ctx.failures.clear(target),
    requests: () => ctx.log.entries(),
    clearRequests: () => ctx.log.clear(),
    createApiKey: mutating((email) => createApiKey(ctx, email)),
    expireAccessTokens: mutating((email) => expireAccessTokens(ctx, email && normalizeEmail(email))),
    revokeGrants: mutating((filter) => revokeGrants(ctx, { ...filter, userEmail: filter?.userEmail && normalizeEmail(filter.userEmail) })),
    ensureUser: mutating((email, name, team) => ctx.ensureUser(email, name, team)),
    state,
    snapshot: () => snapshotStore(ctx.store, now()),
    reset: mutating(reset),
    async close() {
      stopBackground();
      await ctx.inFlight.idle();
    },
  };
}
