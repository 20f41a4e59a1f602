import assert from "node:assert/strict";
import { authorize, call, execute, newDiscord } from "./test-helpers.ts";

const maxLength = (max: number) => ({ _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${max} or fewer in length.` }] });

Deno.test("Discord execute webhook: Discord's validation limits and error JSON", async () => {
  const { discord } = newDiscord();
  const { webhook } = await authorize(discord);
  const expect = async (body: unknown, status: number, error: unknown) => {
    const res = await execute(discord, webhook.url, body);
    assert.deepEqual([res.status, res.body], [status, error], JSON.stringify(body).slice(0, 80));
  };
  const empty = { code: 50006, message: "Cannot send an empty message" };
  await expect({}, 400, empty);
  await expect({ content: "" }, 400, empty);
  await expect({ embeds: [] }, 400, empty);
  await expect("{oops", 400, { code: 50109, message: "The request body contains invalid JSON." });
  const form = (errors: unknown) => ({ code: 50035, errors, message: "Invalid Form Body" });
  await expect({ content: "x".repeat(2001) }, 400, form({ content: maxLength(2000) }));
  await expect({ embeds: Array.from({ length: 11 }, () => ({ title: "t" })) }, 400, form({ embeds: maxLength(10) }));
  await expect({ embeds: [{ title: "t".repeat(257) }] }, 400, form({ embeds: { 0: { title: maxLength(256) } } }));
  await expect({ embeds: [{ description: "d".repeat(4097) }] }, 400, form({ embeds: { 0: { description: maxLength(4096) } } }));
  await expect({ embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: "n", value: "v" })) }] }, 400, form({ embeds: { 0: { fields: maxLength(25) } } }));
  await expect({ embeds: [{ fields: [{ name: "n".repeat(257), value: "v" }, { name: "n", value: "v".repeat(1025) }] }] }, 400,
    form({ embeds: { 0: { fields: { 0: { name: maxLength(256) }, 1: { value: maxLength(1024) } } } } }));
  await expect({ embeds: [{ description: "d".repeat(4000) }, { description: "d".repeat(2001) }] }, 400,
    form({ embeds: { _errors: [{ code: "MAX_EMBED_SIZE_EXCEEDED", message: "Embed size exceeds maximum size of 6000" }] } }));
  // exactly at the limits is fine
  assert.equal((await execute(discord, webhook.url, { content: "x".repeat(2000), embeds: [{ title: "t".repeat(256), description: "d".repeat(4096) }] })).status, 204);
  assert.equal(discord.messages().length, 1, "only the valid message was recorded");
});

Deno.test("Discord failure switches: 429 with retry_after float and Retry-After, gone, 5xx, slow", async () => {
  const { discord } = newDiscord();
  const { webhook, access_token } = await authorize(discord);
  const fail = (body: unknown) => call(discord, "/discord/_sandbox/failures", { method: "POST", body: JSON.stringify(body) });

  await fail({ target: "post", kind: "rate_limited", retryAfterSeconds: 1.25 });
  assert.deepEqual(await execute(discord, webhook.url, { content: "a" }), { status: 429, retryAfter: "2", body: { message: "You are being rate limited.", retry_after: 1.25, global: false } });
  assert.equal((await execute(discord, webhook.url, { content: "a again" })).status, 204);
  await fail({ target: "post", kind: "gone" });
  assert.deepEqual((await execute(discord, webhook.url, { content: "b" })).body, { code: 10015, message: "Unknown Webhook" });
  await fail({ target: "post", kind: "server_error" });
  assert.equal((await execute(discord, webhook.url, { content: "c" })).status, 500);
  await fail({ target: "post", kind: "slow", delayMs: 1 });
  assert.equal((await execute(discord, webhook.url, { content: "d" })).status, 204);
  assert.deepEqual(discord.messages().map((m) => (m.body as { content: string }).content), ["a again", "d"]);

  await fail({ target: "token", kind: "server_error" });
  assert.equal((await call(discord, "/discord/api/oauth2/token", { method: "POST" })).status, 500);
  await fail({ target: "token", kind: "gone" });
  const gone = await call(discord, "/discord/api/oauth2/token", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=refresh_token" });
  assert.deepEqual([gone.status, (await gone.json()).error], [400, "invalid_grant"]);
  await fail({ target: "revoke", kind: "rate_limited", times: 2 });
  assert.equal((await call(discord, "/discord/api/oauth2/token/revoke", { method: "POST" })).status, 429);
  assert.equal((await call(discord, webhook.url, { method: "DELETE" })).status, 429);
  assert.equal((await call(discord, "/discord/api/v10/users/@me", { headers: { authorization: `Bearer ${access_token}` } })).status, 200);
  assert.equal((await call(discord, webhook.url, { method: "DELETE" })).status, 204);
});
