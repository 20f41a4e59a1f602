// Retry schedule for automation steps (issue 11 design; automations.md §5.3 d): exponential, base 30 s x 4 per
// attempt, capped at 6 h, full jitter (AWS "Exponential Backoff and Jitter": a uniform delay in [0, ceiling]), and
// never sooner than the provider's Retry-After. Six attempts in all (~9 h of trying, like Zapier's ~10.5 h).

export const MAX_ATTEMPTS = 6;
export const BASE_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 6 * 60 * 60 * 1000;

/**
 * Milliseconds to wait after failed attempt `attempt` (1 = the first try failed) before the next one.
 * `random` (a function giving a number in [0, 1), default Math.random; clamped) picks within
 * [0, min(cap, base x 4^(attempt-1))]; `retryAfterMs` (the provider's Retry-After) is a floor, above the 6 h cap too:
 * sooner would only be refused again. Fractions round down, anything below 1 (or NaN) counts as 1. Whole ms.
 */
export function retryDelayMs(attempt: number, options: { random?: () => number; retryAfterMs?: number } = {}): number {
  const n = Number.isFinite(attempt) ? Math.max(1, Math.floor(attempt)) : 1;
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 4 ** Math.min(n - 1, 20));
  const r = Math.min(Math.max(options.random ? options.random() : Math.random(), 0), 1);
  const jittered = Math.floor(ceiling * r);
  const floor = options.retryAfterMs !== undefined && Number.isFinite(options.retryAfterMs)
    ? Math.max(0, Math.ceil(options.retryAfterMs))
    : 0;
  return Math.max(jittered, floor);
}

/** True when a step that just failed its `attempt`-th try may be tried again. */
export function canRetry(attempt: number): boolean {
  return attempt < MAX_ATTEMPTS;
}
