// Client-side pacing for Fathom's fixed-window rate limits (fathom-api.md §5). Fathom documents 60 calls per 60 s
// per account, and a lower limit for heavy calls (30 per 60 s; which endpoints are heavy is not listed: the
// per-recording transcript and summary calls are the likely ones). So one account has two budgets, `recordings`
// (/recordings/*) and `default` (everything else), and each is a window of its own, learnt only from the
// RateLimit-Limit / RateLimit-Remaining / RateLimit-Reset headers of its own responses: spending the heavy budget
// never holds up a page listing or a webhook call.
//
// A window never guesses: it spends exactly what the server says is left, and when Remaining reaches 0 it waits
// until the window resets before the next call. That keeps utilisation near 100% of the limit without a 429. When
// a 429 arrives anyway (another worker shares the account, or Fathom lowered the limit under load), it waits the
// LARGER of RateLimit-Reset and Retry-After (seconds or an HTTP date), else a default, and the caller retries. A
// wait that would run past the caller's deadline is not slept: the window throws RateLimitedUntil so a resumable
// step can checkpoint and stop. Every wait the server asks for is capped at MAX_WAIT_MS (an hour): a header of a
// year, of 9999 or of 1e308 is a fault, not a plan; a resumable step pauses until then and asks again.

export class RateLimitedUntil extends Error {
  override readonly name = "RateLimitedUntil";
  /**
   * `until`: epoch ms when calls may resume; `provider`: the display name of whose limit it is ("Fathom", "Zoom"),
   * so a log line names the provider that asked us to wait (the pacer is shared by both).
   */
  constructor(readonly until: number, readonly provider: string) {
    const when = new Date(until);
    super(`${provider} rate limit: resume after ${Number.isNaN(when.getTime()) ? String(until) : when.toISOString()}`);
  }
}

/** The longest wait (ms) any rate-limit header can impose; the same for Fathom and Zoom (which share this pacer). */
export const MAX_WAIT_MS = 60 * 60 * 1000;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

export interface PacerOptions {
  /** whose limit this is, as its display name ("Fathom" when left out): named in RateLimitedUntil's message */
  provider?: string;
  clock?: Clock;
  /** wait after a 429 that carries neither RateLimit-Reset nor Retry-After */
  defaultWaitMs?: number;
  /** added to every computed wait: the server's clock and ours are never exactly aligned */
  marginMs?: number;
}

/** One rate-limit window (one budget of one account). */
export interface RateWindow {
  /** Resolves when a call may be made; throws RateLimitedUntil when that moment lies beyond `deadline`. */
  acquire(deadline?: number): Promise<void>;
  /** Feed every response's headers back (429s included). */
  observe(headers: Headers, status: number): void;
  /** How long to wait after this 429 (ms): max(RateLimit-Reset, Retry-After) capped at MAX_WAIT_MS, plus the margin, else the default. */
  retryDelayFor(headers: Headers): number;
  /** Calls waited on so far and total ms spent waiting (for logs and benchmarks). */
  readonly stats: { waits: number; waitedMs: number; rateLimited: number };
}

function headerNumber(headers: Headers, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === "") return null;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

/** Retry-After is seconds or an HTTP date. */
function retryAfterMs(headers: Headers, now: number): number | null {
  const raw = headers.get("retry-after");
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** A single window (the state machine behind each budget). */
export function createRateWindow(options: PacerOptions = {}): RateWindow {
  const clock = options.clock ?? systemClock;
  const defaultWaitMs = options.defaultWaitMs ?? 60_000;
  const marginMs = options.marginMs ?? 25;
  const provider = options.provider ?? "Fathom";
  // What the last response told us. null: unknown (no call yet), so the first call goes straight through.
  let remaining: number | null = null;
  let lastObservedRemaining: number | null = null;
  let resetAt = 0;
  const stats = { waits: 0, waitedMs: 0, rateLimited: 0 };

  async function acquire(deadline?: number): Promise<void> {
    for (;;) {
      const now = clock.now();
      if (remaining === null || remaining > 0 || now >= resetAt) {
        if (now >= resetAt && remaining !== null && remaining <= 0) remaining = null; // a new window
        if (remaining !== null) remaining--; // reserve our call so concurrent callers don't overspend
        return;
      }
      if (deadline !== undefined && resetAt > deadline) throw new RateLimitedUntil(resetAt, provider);
      stats.waits++;
      stats.waitedMs += resetAt - now;
      await clock.sleep(resetAt - now);
    }
  }

  function observe(headers: Headers, status: number): void {
    const now = clock.now();
    const left = headerNumber(headers, "ratelimit-remaining");
    const reset = headerNumber(headers, "ratelimit-reset");
    if (status === 429) {
      stats.rateLimited++;
      remaining = 0;
      resetAt = now + retryDelayFor(headers);
      return;
    }
    // RateLimit-Reset is whole seconds, rounded up: each response gives an upper bound on the window's end.
    // Within one window (Remaining only falls) keep the tightest bound, or a 1 s window would idle ~1 s each time.
    const sameWindow = left !== null && lastObservedRemaining !== null && left < lastObservedRemaining && now < resetAt;
    if (left !== null) remaining = left;
    if (reset !== null) {
      const bound = now + Math.min(reset * 1000, MAX_WAIT_MS) + marginMs;
      resetAt = sameWindow ? Math.min(resetAt, bound) : bound;
    }
    lastObservedRemaining = left;
  }

  function retryDelayFor(headers: Headers): number {
    const reset = headerNumber(headers, "ratelimit-reset");
    const after = retryAfterMs(headers, clock.now());
    // Both may come: the docs ask callers to wait at least what the 429 says, so the later of the two wins.
    if (reset === null && after === null) return Math.min(defaultWaitMs, MAX_WAIT_MS);
    return Math.min(Math.max(reset === null ? 0 : reset * 1000, after ?? 0), MAX_WAIT_MS) + marginMs;
  }

  return { acquire, observe, retryDelayFor, stats };
}

/** Fathom's rate-limit budgets: heavy per-recording calls, and the rest. */
export type Budget = "recordings" | "default";

/** The budget a request path (relative to the API base, e.g. `/recordings/12/transcript`) is paced against. */
export function budgetFor(path: string): Budget {
  return path.startsWith("/recordings/") ? "recordings" : "default";
}

/** The pacer of one account (Fathom's, or Zoom's with one budget): one window per budget, created on first use. */
export interface Pacer {
  window(budget: Budget): RateWindow;
  /** summed over the budgets (for logs and benchmarks) */
  readonly stats: { waits: number; waitedMs: number; rateLimited: number };
}

export function createPacer(options: PacerOptions = {}): Pacer {
  const windows = new Map<Budget, RateWindow>();
  const window = (budget: Budget): RateWindow => {
    let w = windows.get(budget);
    if (!w) windows.set(budget, w = createRateWindow(options));
    return w;
  };
  return {
    window,
    get stats() {
      const sum = { waits: 0, waitedMs: 0, rateLimited: 0 };
      for (const w of windows.values()) {
        sum.waits += w.stats.waits;
        sum.waitedMs += w.stats.waitedMs;
        sum.rateLimited += w.stats.rateLimited;
      }
      return sum;
    },
  };
}

// One pacer per Fathom account (our integration) per isolate: every client built for the same integration shares
// its windows, so a content fetch and a page listing running side by side do not overspend either budget.
const shared = new Map<string, Pacer>();

export function pacerFor(key: string, options?: PacerOptions): Pacer {
  let pacer = shared.get(key);
  if (!pacer) {
    pacer = createPacer(options);
    shared.set(key, pacer);
  }
  return pacer;
}
