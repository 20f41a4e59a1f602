// The failure switch of the Slack and Discord sandboxes (contract of issue 9): a test or the sandbox page turns a
// failure on for one target ("token", "post", "revoke", "api": a provider's REST API, Zoom's and Typeform's); each provider answers it in its own shape (Slack: plain-text
// hook errors and ok:false JSON; Discord: {code, message} JSON). Fathom's older switch (fathom-sandbox/failures.ts)
// has other targets and modes and stays separate.

import { z } from "./deps.ts";

export const FAILURE_TARGETS = ["token", "post", "revoke", "api"] as const;
export const FAILURE_KINDS = ["rate_limited", "gone", "server_error", "slow"] as const;

/** Body of `POST /<provider>/_sandbox/failures`. */
export const FailureRequest = z.strictObject({
  target: z.enum(FAILURE_TARGETS),
  kind: z.enum(FAILURE_KINDS),
  /** How many matching requests fail (default 1). */
  times: z.number().int().min(1).max(1_000_000).optional(),
  /** rate_limited: seconds to wait; fractions allowed (Discord's retry_after is a float). Default 1. */
  retryAfterSeconds: z.number().min(0).max(3600).optional(),
  /** slow: milliseconds to wait before answering normally. Default 3000. */
  delayMs: z.number().int().min(0).max(120_000).optional(),
});
export type FailureRequest = z.infer<typeof FailureRequest>;
export type FailureTarget = FailureRequest["target"];
export type FailureKind = FailureRequest["kind"];

export interface FailureRule {
  target: FailureTarget;
  kind: FailureKind;
  remaining: number;
  retryAfterSeconds: number;
  delayMs: number;
}

export const DEFAULT_SLOW_MS = 3000;
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

export interface FailureSwitch {
  /** One rule per target: a new one replaces the old. */
  set(request: FailureRequest): FailureRule;
  clear(): void;
  /** The target's rule, one use consumed; null when none is set. */
  take(target: FailureTarget): FailureRule | null;
  list(): FailureRule[];
}

export function createFailureSwitch(): FailureSwitch {
  const rules = new Map<FailureTarget, FailureRule>();
  return {
    set(request) {
      const rule: FailureRule = {
        target: request.target,
        kind: request.kind,
        remaining: request.times ?? 1,
        retryAfterSeconds: request.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
        delayMs: request.delayMs ?? DEFAULT_SLOW_MS,
      };
      rules.set(request.target, rule);
      return { ...rule };
    },
    clear: () => rules.clear(),
    take(target) {
      const rule = rules.get(target);
      if (!rule) return null;
      if (--rule.remaining <= 0) rules.delete(target);
      return { ...rule };
    },
    list: () => [...rules.values()].map((rule) => ({ ...rule })),
  };
}
