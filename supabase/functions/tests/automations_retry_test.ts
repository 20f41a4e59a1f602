// Retry policy of automation steps: backoff (backoff.ts), error classes (errors.ts), loop guard (loop-guard.ts).
// Pure: no database, no network (errors are built by hand in the shapes fetch, postgres.js and notify.ts throw).
import assert from "node:assert/strict";
import { BASE_DELAY_MS, canRetry, MAX_ATTEMPTS, MAX_DELAY_MS, retryDelayMs } from "../_shared/automations/backoff.ts";
import { classifyStepError, safeMessage, StepHttpError } from "../_shared/automations/errors.ts";
import { loopGuard, MAX_DEPTH } from "../_shared/automations/loop-guard.ts";
import { TemplateError } from "../_shared/automations/template.ts";
import { AppError } from "../_shared/errors.ts";
import { ProviderRateLimited } from "../_shared/chat/notify.ts";
import { parseRuleBody } from "../_shared/automations/rule.ts";
import { z } from "zod";

const fixed = (r: number) => ({ random: () => r });

Deno.test("retryDelayMs: full jitter within [0, 30 s x 4^(attempt-1)], capped at 6 h", () => {
  assert.equal(MAX_ATTEMPTS, 6);
  assert.equal(BASE_DELAY_MS, 30_000);
  const ceilings = [30_000, 120_000, 480_000, 1_920_000, 7_680_000, MAX_DELAY_MS, MAX_DELAY_MS];
  ceilings.forEach((ceiling, i) => {
    const attempt = i + 1;
    assert.equal(retryDelayMs(attempt, fixed(0)), 0, `attempt ${attempt} low`);
    assert.equal(retryDelayMs(attempt, fixed(0.5)), ceiling / 2, `attempt ${attempt} middle`);
    assert.equal(retryDelayMs(attempt, fixed(0.999999)), Math.floor(ceiling * 0.999999), `attempt ${attempt} high`);
  });
  assert.equal(MAX_DELAY_MS, 21_600_000);
  // huge attempt numbers stay at the cap, nonsense counts as attempt 1
  assert.equal(retryDelayMs(1000, fixed(0.5)), MAX_DELAY_MS / 2);
  assert.equal(retryDelayMs(0, fixed(0.5)), 15_000);
  assert.equal(retryDelayMs(-3, fixed(0.5)), 15_000);
  assert.equal(retryDelayMs(NaN, fixed(0.5)), 15_000);
  assert.equal(retryDelayMs(2.7, fixed(0.5)), 60_000);
  // a random source out of range is clamped; the default is Math.random within bounds
  assert.equal(retryDelayMs(1, fixed(7)), 30_000);
  assert.equal(retryDelayMs(1, fixed(-1)), 0);
  for (let i = 0; i < 200; i++) {
    const delay = retryDelayMs(3);
    assert.ok(Number.isInteger(delay) && delay >= 0 && delay <= 480_000, String(delay));
  }
});

Deno.test("retryDelayMs: never below Retry-After, never above the cap", () => {
  assert.equal(retryDelayMs(1, { ...fixed(0), retryAfterMs: 45_000 }), 45_000);
  assert.equal(retryDelayMs(3, { ...fixed(0.5), retryAfterMs: 1_000 }), 240_000);
  assert.equal(retryDelayMs(1, { ...fixed(0), retryAfterMs: 1_500.2 }), 1_501);
  // never above the cap: a longer wait ends the run instead (finish.ts, automation_retry_after_test.ts)
  assert.equal(retryDelayMs(6, { ...fixed(0), retryAfterMs: 2 * MAX_DELAY_MS }), MAX_DELAY_MS);
  assert.equal(retryDelayMs(1, { ...fixed(0.5), retryAfterMs: -5 }), 15_000);
  assert.equal(retryDelayMs(1, { ...fixed(0.5), retryAfterMs: NaN }), 15_000);
});

Deno.test("canRetry: attempts 1..5 may be followed by another, the 6th is the last", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map(canRetry), [true, true, true, true, true, false, false]);
});

const pgError = (code: string, message = "db") => Object.assign(new Error(message), { name: "PostgresError", code });
const kind = (err: unknown) => classifyStepError(err).kind;

Deno.test("classifyStepError: HTTP statuses (429, 408, 5xx transient; other 4xx permanent) with Retry-After", () => {
  for (const status of [429, 408, 500, 502, 503, 504, 599]) assert.equal(kind(new StepHttpError(status, "x")), "transient", String(status));
  for (const status of [400, 401, 403, 404, 405, 409, 410, 413, 422]) assert.equal(kind(new StepHttpError(status, "x")), "permanent", String(status));
  assert.deepEqual(classifyStepError(new StepHttpError(503, "HTTP 503", 12_000)), { kind: "transient", code: "http_503", message: "HTTP 503", retryAfterMs: 12_000 });
  assert.deepEqual(classifyStepError(new StepHttpError(404, "HTTP 404", 12_000)), { kind: "permanent", code: "http_404", message: "HTTP 404" });
  const limited = classifyStepError(StepHttpError.from(new Response("slow down", { status: 429, headers: { "retry-after": "7" } })));
  assert.deepEqual(limited, { kind: "transient", code: "http_429", message: "HTTP 429", retryAfterMs: 7_000 });
  assert.deepEqual(classifyStepError(new Response(null, { status: 500 })), { kind: "transient", code: "http_500", message: "HTTP 500" });
  assert.equal(kind(new Response(null, { status: 410 })), "permanent");
});

Deno.test("classifyStepError: notify.ts's AppError codes and the other AppErrors", () => {
  assert.deepEqual(classifyStepError(new ProviderRateLimited("Slack", 3)), {
    kind: "transient", code: "provider_rate_limited", message: "Slack is limiting how often we post. Try again in a moment.", retryAfterMs: 3_000,
  });
  assert.equal(kind(new AppError("provider_rate_limited", "x")), "transient");
  assert.equal(kind(new AppError("provider_unavailable", "x")), "transient");
  assert.equal(kind(new AppError("database_unavailable", "x")), "transient");
  assert.equal(kind(new AppError("concurrent_change", "x")), "transient");
  for (const code of ["destination_gone", "message_rejected", "not_found", "not_supported", "invalid_request", "lead_not_found", "meeting_not_found", "forbidden", "internal_error"] as const) {
    const out = classifyStepError(new AppError(code, "no"));
    assert.equal(out.kind, "permanent", code);
    assert.equal(out.code, code);
  }
  assert.equal(kind(new AppError("token_exchange_failed", "x")), "transient"); // 502 from a provider
});

Deno.test("classifyStepError: PostgreSQL races and lost connections are transient, bad data permanent", () => {
  for (const code of ["40001", "40P01", "57P01", "08006", "53300"]) {
    assert.deepEqual(classifyStepError(pgError(code, "could not serialize")), { kind: "transient", code, message: "could not serialize" });
  }
  for (const code of ["23505", "22001", "42P01", "P0001"]) assert.equal(kind(pgError(code)), "permanent", code);
  assert.equal(kind(Object.assign(new Error("write CONNECTION_CLOSED"), { code: "CONNECTION_CLOSED" })), "transient");
  assert.equal(kind(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })), "transient");
  assert.equal(kind(Object.assign(new Error("reset"), { name: "ConnectionReset" })), "transient");
});

Deno.test("classifyStepError: timeouts and network TypeErrors transient; validation, templates, bugs and non-errors permanent", () => {
  assert.deepEqual(classifyStepError(new DOMException("Signal timed out.", "TimeoutError")), { kind: "transient", code: "timeout", message: "The server did not answer in time." });
  assert.equal(kind(new DOMException("The signal has been aborted", "AbortError")), "transient");
  const network = classifyStepError(new TypeError("error sending request for url (https://hooks.slack.com/services/T0/B0/secret): connection refused"));
  assert.deepEqual(network, { kind: "transient", code: "network_error", message: "The server could not be reached." });
  assert.equal(kind(new TypeError("Failed to fetch")), "transient");
  assert.deepEqual(classifyStepError(new TypeError("Cannot read properties of undefined (reading 'id')")), {
    kind: "permanent", code: "internal_error", message: "Cannot read properties of undefined (reading 'id')",
  });
  assert.deepEqual(classifyStepError(new TemplateError("unknown variable {{x.y}}")), { kind: "permanent", code: "invalid_template", message: "unknown variable {{x.y}}" });
  const zodError = z.object({ a: z.string() }).safeParse({}).error;
  assert.equal(classifyStepError(zodError).code, "invalid_input");
  assert.equal(kind(zodError), "permanent");
  let ruleError: unknown;
  try {
    parseRuleBody({});
  } catch (err) {
    ruleError = err;
  }
  assert.deepEqual(classifyStepError(ruleError), { kind: "permanent", code: "invalid_rule", message: (ruleError as Error).message });
  assert.deepEqual(classifyStepError("boom"), { kind: "permanent", code: "internal_error", message: "boom" });
  assert.deepEqual(classifyStepError(undefined), { kind: "permanent", code: "internal_error", message: "undefined" });
  assert.equal(kind(new RangeError("bad")), "permanent");
});

Deno.test("safeMessage: no URL (a webhook URL is a secret), one line, at most 500 characters", () => {
  assert.equal(safeMessage("POST https://discord.com/api/webhooks/1/tok?wait=true failed\n  at x"), "POST <url> failed at x");
  assert.equal(safeMessage("http://127.0.0.1:54329/slack/hooks/services/T/B/x"), "<url>");
  assert.equal(safeMessage("   "), "unknown error");
  const long = safeMessage("x".repeat(2000));
  assert.equal(long.length, 500);
  assert.ok(long.endsWith("…"));
  assert.ok(!classifyStepError(new AppError("message_rejected", "see https://hooks.slack.com/services/T/B/secret")).message.includes("secret"));
});

Deno.test("loopGuard: depths 0..2 run, 3 and deeper are skipped (and so is a depth that is not a count)", () => {
  assert.equal(MAX_DEPTH, 3);
  assert.deepEqual([0, 1, 2, 3, 4, 100].map(loopGuard), ["run", "run", "run", "skip", "skip", "skip"]);
  for (const bad of [-1, 1.5, NaN, Infinity]) assert.equal(loopGuard(bad), "skip", String(bad));
});
