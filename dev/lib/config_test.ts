import assert from "node:assert/strict";
import { makeApiKeys } from "./config.mjs";

Deno.test("makeApiKeys derives the same keys from the same secret, whenever it runs", async () => {
  const first = await makeApiKeys("a-jwt-secret-of-at-least-thirty-two-chars");
  await new Promise((resolve) => setTimeout(resolve, 1100)); // across a second boundary: iat must not drift
  const second = await makeApiKeys("a-jwt-secret-of-at-least-thirty-two-chars");
  assert.deepEqual(second, first);
  const other = await makeApiKeys("another-jwt-secret-of-at-least-32-chars");
  assert.notEqual(other.anonKey, first.anonKey);
});
