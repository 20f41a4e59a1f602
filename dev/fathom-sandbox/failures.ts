// Failure injection: tests switch a failure on for one part of "Fathom" and prove the product recovers.

import { z } from "./deps.ts";

/** Webhook deliveries can only fail the ways a receiver fails: an error status, or an answer that comes too late. */
const WEBHOOK_MODES = ["status_500", "status_503", "slow"];

export const FailureRequest = z.strictObject({
  target: z.enum(["token", "api", "authorize", "webhook"]),
  mode: z.enum(["status_500", "status_503", "slow", "malformed", "invalid_grant", "rate_limited", "not_found"]),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  /** How many matching requests (for target webhook: delivery attempts) fail; omitted = until cleared. */
  times: z.number().int().min(1).optional(),
}).refine((f) => f.target !== "webhook" || WEBHOOK_MODES.includes(f.mode), {
  message: `target webhook takes mode ${WEBHOOK_MODES.join(", ")}`,
  path: ["mode"],
}).refine((f) => f.mode !== "not_found" || f.target === "api", {
  // a recording gone from Fathom (deleted, or no longer shared with this account): only the API answers that
  message: "mode not_found applies to target api",
  path: ["mode"],
});
export type FailureRequest = z.infer<typeof FailureRequest>;
export type FailureTarget = FailureRequest["target"];
export type FailureMode = FailureRequest["mode"];

export interface FailureRule {
  target: FailureTarget;
  mode: FailureMode;
  delayMs: number;
  remaining: number | null;
}

export interface FailureSwitch {
  /** One rule per target: setting a new one replaces the old. */
  set(request: FailureRequest): FailureRule;
  clear(target?: FailureTarget): void;
  /** Consumes one use of the target's rule if its mode is one the caller can apply at this point. */
  take(target: FailureTarget, applicable: (mode: FailureMode) => boolean): FailureRule | null;
  list(): FailureRule[];
}

export const DEFAULT_SLOW_MS = 3000;

export function createFailureSwitch(): FailureSwitch {
  const rules = new Map<FailureTarget, FailureRule>();
  return {
    set(request) {
      const rule: FailureRule = {
        target: request.target,
        mode: request.mode,
        delayMs: request.delayMs ?? DEFAULT_SLOW_MS,
        remaining: request.times ?? null,
      };
      rules.set(request.target, rule);
      return { ...rule };
    },
    clear(target) {
      if (target) rules.delete(target);
      else rules.clear();
    },
    take(target, applicable) {
      const rule = rules.get(target);
      if (!rule || !applicable(rule.mode)) return null;
      if (rule.remaining !== null && --rule.remaining <= 0) rules.delete(target);
      return { ...rule };
    },
    list: () => [...rules.values()].map((rule) => ({ ...rule })),
  };
}

/** A 200 whose body claims to be JSON but is cut off mid-document, like a proxy truncating the response. */
export function malformedResponse(): Response {
  return new Response('{"items": [{"recording_id": 12', {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

export function serverErrorResponse(mode: "status_500" | "status_503"): Response {
  const status = mode === "status_500" ? 500 : 503;
  const text = status === 500 ? "Internal Server Error" : "Service Unavailable";
  return new Response(`<html><body><h1>${status} ${text}</h1></body></html>`, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", ...(status === 503 ? { "retry-after": "1" } : {}) },
  });
}
