// Fixed-window rate limiting, as Fathom documents it: N calls per window per key, with RateLimit-* headers.

export interface RateLimitConfig {
  limit: number;
  windowMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets (rounded up, so a client that waits this long is never early). */
  resetSeconds: number;
}

export interface RateLimiter {
  hit(key: string): RateLimitResult;
  /** Current numbers without counting a call (for injected 429s). */
  peek(key: string): RateLimitResult;
  reset(): void;
}

export function createRateLimiter(config: RateLimitConfig, now: () => number): RateLimiter {
  const windows = new Map<string, { startMs: number; count: number }>();

  const current = (key: string) => {
    const t = now();
    let window = windows.get(key);
    if (!window || t >= window.startMs + config.windowMs) {
      window = { startMs: t, count: 0 };
      windows.set(key, window);
    }
    return window;
  };
  const result = (window: { startMs: number; count: number }): RateLimitResult => ({
    allowed: window.count <= config.limit,
    limit: config.limit,
    remaining: Math.max(0, config.limit - window.count),
    resetSeconds: Math.max(0, Math.ceil((window.startMs + config.windowMs - now()) / 1000)),
  });

  return {
    hit(key) {
      const window = current(key);
      window.count++;
      return result(window);
    },
    peek(key) {
      return result(current(key));
    },
    reset: () => windows.clear(),
  };
}

export function rateLimitHeaders(result: RateLimitResult): Record<string, string> {
  return {
    "RateLimit-Limit": String(result.limit),
    "RateLimit-Remaining": String(result.remaining),
    "RateLimit-Reset": String(result.resetSeconds),
  };
}
