// The API client's pacer with an injected clock against an in-test fixed-window limiter (Fathom's documented
// behaviour: N calls per window, RateLimit-* headers, Reset in whole seconds rounded up): full use of every window,
// no 429, and typed pauses when a wait does not fit the deadline. No network, no database.
import assert from "node:assert/strict";
import { createFathomClient, RateLimitedUntil } from "../_shared/fathom/client.ts";
import { type Clock, createPacer } from "../_shared/fathom/pacer.ts";

function fakeClock(start = 1_000_000): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += Math.max(0, ms);
      return Promise.resolve();
    },
  };
}

/** A fixed-window limited API on the fake clock; each call costs `costMs`. */
function limitedApi(clock: Clock & { advance?: number }, limit: number, windowMs: number, costMs = 10) {
  let windowStart = -Infinity;
  let count = 0;
  const calls: { at: number; status: number }[] = [];
  const fetch = (_input: unknown, _init?: unknown): Promise<Response> => {
    const t = clock.now();
    if (t >= windowStart + windowMs) {
      windowStart = t;
      count = 0;
    }
    count++;
    const headers = {
      "RateLimit-Limit": String(limit),
      "RateLimit-Remaining": String(Math.max(0, limit - count)),
      "RateLimit-Reset": String(Math.ceil((windowStart + windowMs - t) / 1000)),
    };
    const status = count > limit ? 429 : 200;
    calls.push({ at: t, status });
    void clock.sleep(costMs); // the request takes a little time
    return Promise.resolve(
      new Response(JSON.stringify({ items: [], limit: 10, next_cursor: null }), { status, headers }),
    );
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

test("pacer: 600 calls at 60/min use every window fully and never see a 429", async () => {
  const clock = fakeClock();
  const api = limitedApi(clock, 60, 60_000);
  const client = createFathomClient({ baseUrl: "https://fathom.test", accessToken: "t", fetch: api.fetch, clock });
  for (let i = 0; i < 600; i++) await client.listMeetings();
  assert.equal(api.calls.filter((c) => c.status === 429).length, 0);
  const windows = new Map<number, number>();
  let start = -Infinity;
  for (const c of api.calls) {
    if (c.at >= start + 60_000) start = c.at;
    windows.set(start, (windows.get(start) ?? 0) + 1);
  }
  assert.deepEqual([...windows.values()], Array(10).fill(60), "100% of the limit in every window");
  const elapsed = api.calls.at(-1)!.at - api.calls[0].at;
  assert.ok(elapsed < 9 * 60_000 + 10 * 1000, `${elapsed} ms for 10 windows`);
  assert.equal(client.pacer.stats.waits, 9);
});

test("pacer: a 429 waits RateLimit-Reset, then Retry-After, then the default, and retries", async () => {
  for (const [headers, expected] of [
    [{ "RateLimit-Reset": "7" }, 7025],
    [{ "Retry-After": "3" }, 3025],
    [{}, 60_000],
  ] as const) {
    const clock = fakeClock();
    let first = true;
    const fetch = () => {
      const res = first
        ? new Response("{}", { status: 429, headers })
        : new Response(JSON.stringify({ items: [], limit: 10, next_cursor: null }));
      first = false;
      return Promise.resolve(res);
    };
    const client = createFathomClient({ baseUrl: "https://f.test", accessToken: "t", fetch, clock });
    await client.listMeetings();
    assert.deepEqual(clock.slept, [expected]);
  }
});

test("pacer: a wait beyond the deadline is a typed RateLimitedUntil, not a sleep", async () => {
  const clock = fakeClock();
  const api = limitedApi(clock, 2, 60_000);
  const client = createFathomClient({
    baseUrl: "https://f.test",
    accessToken: "t",
    fetch: api.fetch,
    clock,
    deadline: clock.now() + 5_000,
  });
  await client.listMeetings();
  await client.listMeetings();
  await assert.rejects(client.listMeetings(), (e) => {
    assert.ok(e instanceof RateLimitedUntil);
    assert.ok(e.until >= clock.now() + 50_000);
    return true;
  });
  assert.equal(api.calls.length, 2, "the third call was never sent");
});

test("pacer: concurrent callers reserve calls so they do not overspend the window", async () => {
  const clock = fakeClock();
  const pacer = createPacer({ clock });
  pacer.observe(new Headers({ "RateLimit-Remaining": "2", "RateLimit-Reset": "10" }), 200);
  await pacer.acquire();
  await pacer.acquire();
  assert.equal(clock.slept.length, 0);
  await pacer.acquire();
  assert.deepEqual(clock.slept, [10_025]);
});

function test(name: string, fn: () => Promise<void>) {
  Deno.test({ name, fn });
}
