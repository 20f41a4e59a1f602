import assert from "node:assert/strict";
import { createRateLimiter } from "./ratelimit.ts";
import { call, connect, getJson, newSandbox } from "./test-helpers.ts";
import { createSandbox } from "./sandbox.ts";

Deno.test("every authenticated REST response carries RateLimit-Limit, -Remaining and -Reset", async () => {
  const { sandbox } = newSandbox({ rateLimit: { limit: 5, windowMs: 60_000 } });
  const { access_token } = await connect(sandbox);
  const remaining: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { headers } = await getJson(sandbox, "/external/v1/teams", access_token);
    assert.equal(headers.get("RateLimit-Limit"), "5");
    assert.equal(headers.get("RateLimit-Reset"), "60");
    remaining.push(headers.get("RateLimit-Remaining")!);
  }
  assert.deepEqual(remaining, ["4", "3", "2"]);
});

Deno.test("over the limit: 429 with the headers, then recovery once the (short, real) window passes", async () => {
  const sandbox = createSandbox({ rateLimit: { limit: 3, windowMs: 400 } });
  const { access_token } = await connect(sandbox);
  for (let i = 0; i < 3; i++) assert.equal((await getJson(sandbox, "/external/v1/teams", access_token)).status, 200);
  const limited = await getJson(sandbox, "/external/v1/teams", access_token);
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("RateLimit-Remaining"), "0");
  assert.equal(limited.headers.get("RateLimit-Limit"), "3");
  assert.equal(limited.headers.get("RateLimit-Reset"), "1", "400 ms rounds up to one whole second");

  await new Promise((resolve) => setTimeout(resolve, 450));
  const recovered = await getJson(sandbox, "/external/v1/teams", access_token);
  assert.equal(recovered.status, 200);
  assert.equal(recovered.headers.get("RateLimit-Remaining"), "2");
});

Deno.test("the limit is per account: one user's burst does not throttle another", async () => {
  const { sandbox } = newSandbox({ rateLimit: { limit: 1, windowMs: 60_000 } });
  const sandy = await connect(sandbox);
  const other = await connect(sandbox, "other@sandbox.fathom.test");
  assert.equal((await call(sandbox, "/external/v1/teams", { headers: { authorization: `Bearer ${sandy.access_token}` } })).status, 200);
  assert.equal((await getJson(sandbox, "/external/v1/teams", sandy.access_token)).status, 429);
  assert.equal((await getJson(sandbox, "/external/v1/teams", other.access_token)).status, 200);
});

Deno.test("RateLimit-Reset counts down in whole seconds, rounded up", () => {
  let now = 0;
  const limiter = createRateLimiter({ limit: 2, windowMs: 60_000 }, () => now);
  assert.equal(limiter.hit("a").resetSeconds, 60);
  now = 59_001;
  const last = limiter.hit("a");
  assert.deepEqual([last.allowed, last.remaining, last.resetSeconds], [true, 0, 1]);
  assert.equal(limiter.hit("a").allowed, false);
  now = 60_000;
  assert.deepEqual(limiter.hit("a"), { allowed: true, limit: 2, remaining: 1, resetSeconds: 60 });
});
