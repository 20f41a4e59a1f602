// Posting's tunables, read from the environment when needed (never at import time), with defaults fit for a request
// a person is waiting on ("Send test message").
import { z } from "zod";

const positiveInt = z.coerce.number().int().positive();

function intFromEnv(name: string, fallback: number): number {
  const parsed = positiveInt.safeParse(Deno.env.get(name)?.trim() || undefined);
  return parsed.success ? parsed.data : fallback;
}

/** One POST to a webhook, answer included (CHAT_HTTP_TIMEOUT_MS, default 10 s). */
export function chatHttpTimeoutMs(): number {
  return intFromEnv("CHAT_HTTP_TIMEOUT_MS", 10_000);
}

/**
 * The longest rate-limit wait spent inside one notify() (CHAT_RETRY_MAX_WAIT_MS, default 5 s): a longer one is
 * handed back to the caller as provider_rate_limited with its seconds.
 */
export function chatRetryMaxWaitMs(): number {
  return intFromEnv("CHAT_RETRY_MAX_WAIT_MS", 5_000);
}

/** The pause before the one retry after a 5xx, a timeout or a network failure (CHAT_RETRY_DELAY_MS, default 500 ms). */
export function chatRetryDelayMs(): number {
  return intFromEnv("CHAT_RETRY_DELAY_MS", 500);
}
