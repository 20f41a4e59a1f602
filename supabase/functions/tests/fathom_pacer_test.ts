// The API client's pacer with an injected clock against an in-test fixed-window limiter (Fathom's documented
// behaviour: N calls per window, RateLimit-* headers, Reset in whole seconds rounded up): full use of every window,
// no 429, and typed pauses when a wait does not fit the deadline. No network, no database.
import assert from "node:assert/strict";
import { createFathomClient, RateLimitedUntil } from "../_shared/fathom/client.ts";
import { budgetFor, type Clock, createPacer, pacerFor } from "../_shared/fathom/pacer.ts";

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
  const pacer = createPacer({ clock }).window("default");
  pacer.observe(new Headers({ "RateLimit-Remaining": "2", "RateLimit-Reset": "10" }), 200);
  await pacer.acquire();
  await pacer.acquire();
  assert.equal(clock.slept.length, 0);
  await pacer.acquire();
  assert.deepEqual(clock.slept, [10_025]);
});

test("pacer: a 429 with RateLimit-Reset 1 and Retry-After 5 waits the larger, 5 s (seconds or HTTP date)", async () => {
  for (const retryAfter of ["5", (start: number) => new Date(start + 5_000).toUTCString()]) {
    const clock = fakeClock(Date.parse("2026-11-30T12:00:00Z"));
    const header = typeof retryAfter === "string" ? retryAfter : retryAfter(clock.now());
    let first = true;
    const sentAt: number[] = [];
    const fetch = () => {
      sentAt.push(clock.now());
      const res = first
        ? new Response("{}", { status: 429, headers: { "RateLimit-Reset": "1", "Retry-After": header } })
        : new Response(JSON.stringify({ items: [], limit: 10, next_cursor: null }));
      first = false;
      return Promise.resolve(res);
    };
    const client = createFathomClient({ baseUrl: "https://f.test", accessToken: "t", fetch, clock });
    await client.listMeetings();
    assert.equal(sentAt.length, 2);
    assert.ok(sentAt[1] - sentAt[0] >= 5_000, `retried after ${sentAt[1] - sentAt[0]} ms of fake time`);
  }
  // and the other way round: the larger RateLimit-Reset wins over a smaller Retry-After
  const clock = fakeClock();
  const pacer = createPacer({ clock });
  assert.ok(pacer.window("default").retryDelayFor(new Headers({ "RateLimit-Reset": "9", "Retry-After": "2" })) >= 9_000);
});

/** One Fathom account with two budgets, as the docs describe: heavy /recordings/* calls and the rest. */
function twoBudgetApi(clock: Clock, limits: { heavy: number; rest: number }, windowMs = 60_000) {
  const windows = { heavy: { start: -Infinity, count: 0 }, rest: { start: -Infinity, count: 0 } };
  const calls: { path: string; at: number; status: number }[] = [];
  const fetch = (input: unknown): Promise<Response> => {
    const path = new URL(String(input)).pathname;
    const budget = path.startsWith("/recordings/") ? "heavy" : "rest";
    const w = windows[budget];
    const t = clock.now();
    if (t >= w.start + windowMs) Object.assign(w, { start: t, count: 0 });
    w.count++;
    const limit = limits[budget];
    const status = w.count > limit ? 429 : 200;
    calls.push({ path, at: t, status });
    const headers = {
      "RateLimit-Limit": String(limit),
      "RateLimit-Remaining": String(Math.max(0, limit - w.count)),
      "RateLimit-Reset": String(Math.ceil((w.start + windowMs - t) / 1000)),
    };
    const body = budget === "heavy"
      ? { transcript: [], summary: null }
      : { items: [], limit: 10, next_cursor: null };
    return Promise.resolve(new Response(JSON.stringify(body), { status, headers }));
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

test("pacer: exhausting the /recordings budget does not block a /meetings call", async () => {
  const clock = fakeClock();
  const api = twoBudgetApi(clock, { heavy: 3, rest: 60 });
  const pacer = createPacer({ clock });
  const client = createFathomClient({ baseUrl: "https://f.test", accessToken: "t", fetch: api.fetch, clock, pacer });
  for (let i = 0; i < 3; i++) await client.getTranscript(100 + i); // the heavy budget is now spent
  const before = clock.now();
  await client.listMeetings();
  assert.equal(clock.now(), before, "no wait for /meetings");
  assert.equal(clock.slept.length, 0);
  // the next heavy call waits for the heavy window, without a 429
  await client.getSummary(200);
  assert.equal(clock.slept.length, 1);
  assert.ok(clock.slept[0] >= 59_000);
  assert.equal(api.calls.filter((c) => c.status === 429).length, 0);
});

test("pacer: each budget is learnt from its own responses; pacerFor shares both per account", async () => {
  const clock = fakeClock();
  const api = twoBudgetApi(clock, { heavy: 30, rest: 60 });
  const pacer = createPacer({ clock });
  const client = createFathomClient({ baseUrl: "https://f.test", accessToken: "t", fetch: api.fetch, clock, pacer });
  for (let i = 0; i < 90; i++) await (i % 3 === 0 ? client.listMeetings() : client.getTranscript(i));
  // 30 list calls and 60 transcript calls: the rest budget never waits, the heavy one waits once
  assert.equal(api.calls.filter((c) => c.status === 429).length, 0);
  assert.equal(pacer.window("recordings").stats.waits, 1);
  assert.equal(pacer.window("default").stats.waits, 0);
  assert.equal(pacer.stats.waits, 1);
  const key = `acct-${crypto.randomUUID()}`;
  assert.equal(pacerFor(key), pacerFor(key));
  assert.notEqual(pacerFor(key).window("recordings"), pacerFor(key).window("default"));
  assert.equal(budgetFor("/recordings/12/transcript"), "recordings");
  assert.equal(budgetFor("/meetings"), "default");
  assert.equal(budgetFor("/webhooks/abc"), "default");
});

test("client: errors name the call, never a webhook or recording id (they reach the logs)", async () => {
  const fetch = () => Promise.resolve(new Response("{}", { status: 403 }));
  const client = createFathomClient({ baseUrl: "https://f.test", accessToken: "t", fetch, clock: fakeClock() });
  await assert.rejects(client.deleteWebhook("ikEoQ4bVoq4JYUmc"), (e: Error) => {
    assert.equal(e.message, "Fathom DELETE /webhooks/{id} answered 403");
    return true;
  });
  await assert.rejects(client.getSummary(123456789), (e: Error) => {
    assert.equal(e.message, "Fathom GET /recordings/{id}/summary answered 403");
    return true;
  });
});

function test(name: string, fn: () => Promise<void>) {
  Deno.test({ name, fn });
}
