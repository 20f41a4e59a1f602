// The engine's tunables, read from the environment when needed (never at import time).
import { z } from "zod";

const positiveInt = z.coerce.number().int().positive();

function intFromEnv(name: string, fallback: number): number {
  const parsed = positiveInt.safeParse(Deno.env.get(name)?.trim() || undefined);
  return parsed.success ? parsed.data : fallback;
}

/**
 * How long a claim holds an event or a run (AUTOMATION_LEASE_MS, default 120 s): longer than one run's slowest
 * pass (10 actions, each provider call bounded by its 10 s timeout), short enough that a crashed runner's work
 * is picked up again within minutes.
 */
export function leaseMs(): number {
  return intFromEnv("AUTOMATION_LEASE_MS", 120_000);
}

/** Events or runs taken per claim (AUTOMATION_CLAIM_BATCH, default 10). */
export function claimBatch(): number {
  return intFromEnv("AUTOMATION_CLAIM_BATCH", 10);
}

/** send_webhook's timeout for one POST, answer included (AUTOMATION_WEBHOOK_TIMEOUT_MS, default 10 s). */
export function webhookTimeoutMs(): number {
  return intFromEnv("AUTOMATION_WEBHOOK_TIMEOUT_MS", 10_000);
}

/** Dead runs in a row after which a rule is paused (i11 brief: 5). */
export const PAUSE_AFTER_DEAD_RUNS = 5;
