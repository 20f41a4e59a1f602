// Retry schedule for automation steps (issue 11 design; automations.md §5.3 d): exponential, base 30 s x 4 per
// attempt, capped at 6 h, full jitter (AWS "Exponential Backoff and Jitter": a uniform delay in [0, ceiling]), and
// never sooner than the provider's Retry-After. Six attempts in all (~9 h of trying, like Zapier's ~10.5 h).
// A provider asking to wait longer than the cap is not waited for: the run ends dead saying so (finish.ts), so no
// run is parked for years (where neither Retry nor Re-run can reach it) and no delay overflows an interval.
import { retryAfterHeader } from "../chat/text.ts";

export const MAX_ATTEMPTS = 6;
export const BASE_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 6 * 60 * 60 * 1000;

/**
 * Milliseconds to wait after failed attempt `attempt` (1 = the first try failed) before the next one.
 * `random` (a function giving a number in [0, 1), default Math.random; clamped) picks within
 * [0, min(cap, base x 4^(attempt-1))]; `retryAfterMs` (the provider's Retry-After) is a floor (sooner would only be
 * refused again) up to the cap: the result is never above MAX_DELAY_MS (a longer wait is waitTooLong's, and the
 * caller's to refuse). Fractions round down, anything below 1 (or NaN) counts as 1. Whole ms.
 */
export function retryDelayMs(attempt: number, options: { random?: () => number; retryAfterMs?: number } = {}): number {
  const n = Number.isFinite(attempt) ? Math.max(1, Math.floor(attempt)) : 1;
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 4 ** Math.min(n - 1, 20));
  const r = Math.min(Math.max(options.random ? options.random() : Math.random(), 0), 1);
  const jittered = Math.floor(ceiling * r);
  const floor = options.retryAfterMs !== undefined && Number.isFinite(options.retryAfterMs)
    ? Math.max(0, Math.ceil(options.retryAfterMs))
    : 0;
  return Math.min(Math.max(jittered, floor), MAX_DELAY_MS);
}

/**
 * The wait a Retry-After header asks for, in whole ms: delta-seconds ("120", fractions rounded up) or an
 * HTTP-date (RFC 9110 §10.2.3; a date in the past is 0); undefined when absent or unreadable (negative, text,
 * "1e3"); Infinity when the number is too large to represent. Absurd but readable values are kept: waitTooLong
 * decides.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  const seconds = retryAfterHeader(header, now);
  if (seconds === null || Number.isNaN(seconds) || seconds < 0) return undefined;
  return Number.isFinite(seconds) ? Math.ceil(seconds * 1000) : Infinity;
}

/** True when a provider asks to wait (ms) longer than MAX_DELAY_MS, or an amount that is not a number at all. */
export function waitTooLong(ms: number | undefined): boolean {
  return ms !== undefined && (Number.isNaN(ms) || ms > MAX_DELAY_MS);
}

const UNITS: Array<[number, string]> = [
  [365.25 * 24 * 3600_000, "year"],
  [24 * 3600_000, "day"],
  [3600_000, "hour"],
  [60_000, "minute"],
];

/** "3 years", "2 days", "7 hours", "more than 1,000 years" (Infinity and NaN too): a wait, rounded down. */
export function describeWait(ms: number): string {
  if (!Number.isFinite(ms) || ms >= 1000 * UNITS[0][0]) return "more than 1,000 years";
  for (const [size, unit] of UNITS) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? "" : "s"}`;
  }
  return "less than a minute";
}

/** The sentence for a refused wait: "The endpoint asked to wait 3 years: longer than 6 hours, so it was not retried." */
export function tooLongSentence(ms: number): string {
  return `It asked to wait ${describeWait(ms)}: longer than ${describeWait(MAX_DELAY_MS)}, so it was not tried again.`;
}

/** True when a step that just failed its `attempt`-th try may be tried again. */
export function canRetry(attempt: number): boolean {
  return attempt < MAX_ATTEMPTS;
}
