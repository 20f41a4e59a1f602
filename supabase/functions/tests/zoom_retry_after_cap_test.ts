// Retry-After (and RateLimit-Reset) are untrusted: the shared provider pacer (fathom/pacer.ts, used by the Zoom and
// Fathom clients) caps any wait at MAX_WAIT_MS, never builds an invalid date, and one absurd header does not leave
// the account's cached pacer broken for the later calls of the isolate.
import assert from "node:assert/strict";
import { createRateWindow, MAX_WAIT_MS, RateLimitedUntil } from "../_shared/fathom/pacer.ts";
import { createZoomClient } from "../_shared/zoom/client.ts";

const tokens = { token: async () => "t", refresh: async () => "t" };

Deno.test("zoom client: an absurd Retry-After (1e308, a year, the year 9999) pauses at most an hour, with a valid date", async () => {
  for (const ra of ["1e308", "31536000", "Fri, 31 Dec 9999 23:59:59 GMT"]) {
    const client = createZoomClient({
      baseUrl: "https://api.zoom.us/v2",
      tokens,
      pacerKey: `cap-${ra}-${crypto.randomUUID()}`,
      deadline: Date.now() + 30_000,
      fetch: (async () => new Response("{}", { status: 429, headers: { "retry-after": ra } })) as typeof fetch,
    });
    const err = await client.listRecordings({ from: "2026-01-01", to: "2026-01-28" }).then(() => null, (e) => e);
    assert.ok(err instanceof RateLimitedUntil, `${ra}: ${err}`);
    assert.ok(err.until - Date.now() <= MAX_WAIT_MS + 1_000, `${ra}: paused until ${err.until}`);
    assert.doesNotThrow(() => new Date(err.until).toISOString(), ra);
  }
});

Deno.test("zoom client: after one absurd Retry-After the account's pacer still serves the next calls", async () => {
  const pacerKey = `cap-stuck-${crypto.randomUUID()}`;
  let now = Date.now();
  const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
  const make = (f: typeof fetch) => createZoomClient({ baseUrl: "https://api.zoom.us/v2", tokens, pacerKey, clock, deadline: now + 5_000, fetch: f });
  await make((async () => new Response("{}", { status: 429, headers: { "retry-after": "1e308" } })) as typeof fetch)
    .listRecordings({ from: "2026-01-01", to: "2026-01-28" }).catch(() => {});
  now += MAX_WAIT_MS + 60_000; // the capped pause is over
  let calls = 0;
  const page = await make((async () => (calls++, Response.json({ meetings: [] }))) as typeof fetch)
    .listRecordings({ from: "2026-01-01", to: "2026-01-28" });
  assert.deepEqual(page.meetings, []);
  assert.equal(calls, 1);
});

Deno.test("pacer: RateLimit-Reset and Retry-After are capped alike; RateLimitedUntil's message is safe for any number", () => {
  const w = createRateWindow({ marginMs: 0 });
  assert.equal(w.retryDelayFor(new Headers({ "retry-after": "1e308" })), MAX_WAIT_MS);
  assert.equal(w.retryDelayFor(new Headers({ "ratelimit-reset": "1e308" })), MAX_WAIT_MS);
  assert.equal(w.retryDelayFor(new Headers({ "retry-after": "30" })), 30_000);
  assert.doesNotThrow(() => new RateLimitedUntil(Infinity, "Zoom"));
});
