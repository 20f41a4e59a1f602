import assert from "node:assert/strict";
import { call, install, newSlack, post } from "./test-helpers.ts";

Deno.test("Slack hooks: payload errors are plain text with real status codes", async () => {
  const { slack } = newSlack();
  const { incoming_webhook: hook } = await install(slack);
  assert.deepEqual((await post(slack, hook.url, "{not json")).text, "invalid_payload");
  for (const [body, expected] of [
    ["{not json", [400, "invalid_payload"]],
    [[1, 2], [400, "invalid_payload"]],
    [{ text: 42 }, [400, "invalid_payload"]],
    [{ text: "x", blocks: "nope" }, [400, "invalid_payload"]],
    [{}, [400, "no_text"]],
    [{ text: "   " }, [400, "no_text"]],
  ] as const) {
    const res = await post(slack, hook.url, body);
    assert.deepEqual([res.status, res.text], expected, JSON.stringify(body));
    assert.match(res.type!, /^text\/plain/);
  }
  // blocks alone are a message
  assert.equal((await post(slack, hook.url, { blocks: [{ type: "divider" }] })).status, 200);
  // a wrong secret, team or webhook id is no_service
  const wrongSecret = hook.url.replace(/[A-Za-z0-9]{24}$/, "A".repeat(24));
  assert.deepEqual([(await post(slack, wrongSecret, { text: "x" })).status, (await post(slack, wrongSecret, { text: "x" })).text], [404, "no_service"]);
  // a form-encoded payload field works too
  const res = await call(slack, hook.url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ payload: JSON.stringify({ text: "form" }) }).toString() });
  assert.equal(await res.text(), "ok");
  assert.equal(slack.messages().length, 2);
});

Deno.test("Slack failure switches: 429 with Retry-After, gone channel, 5xx, slow; each once by default", async () => {
  const { slack } = newSlack();
  const { incoming_webhook: hook } = await install(slack);
  const fail = (body: unknown) => call(slack, "/slack/_sandbox/failures", { method: "POST", body: JSON.stringify(body) });

  assert.equal((await fail({ target: "post", kind: "rate_limited", retryAfterSeconds: 2.5 })).status, 200);
  const limited = await post(slack, hook.url, { text: "a" });
  assert.deepEqual([limited.status, limited.retryAfter, limited.text], [429, "3", "rate_limited"]);
  assert.equal((await post(slack, hook.url, { text: "a again" })).status, 200, "times defaults to 1");

  await fail({ target: "post", kind: "gone", times: 2 });
  assert.deepEqual([(await post(slack, hook.url, { text: "b" })).status, (await post(slack, hook.url, { text: "b" })).text], [404, "channel_not_found"]);
  await fail({ target: "post", kind: "server_error" });
  assert.equal((await post(slack, hook.url, { text: "c" })).status, 500);
  await fail({ target: "post", kind: "slow", delayMs: 1 });
  assert.equal((await post(slack, hook.url, { text: "d" })).status, 200);
  assert.deepEqual(slack.messages().map((m) => (m.body as { text: string }).text), ["a again", "d"]);

  await fail({ target: "token", kind: "rate_limited" });
  const token = await call(slack, "/slack/api/oauth.v2.access", { method: "POST" });
  assert.deepEqual([token.status, token.headers.get("retry-after"), await token.json()], [429, "1", { ok: false, error: "ratelimited" }]);
  await fail({ target: "token", kind: "gone" });
  assert.deepEqual(await (await call(slack, "/slack/api/oauth.v2.access", { method: "POST" })).json(), { ok: false, error: "invalid_code" });
  await fail({ target: "revoke", kind: "server_error" });
  assert.equal((await call(slack, "/slack/api/auth.revoke", { method: "POST" })).status, 500);
  await fail({ target: "revoke", kind: "gone" });
  assert.deepEqual(await (await call(slack, "/slack/api/auth.revoke", { method: "POST" })).json(), { ok: false, error: "invalid_auth" });

  const bad = await fail({ target: "post", kind: "explode" });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.code, "invalid_body");
  await fail({ target: "post", kind: "gone", times: 5 });
  assert.deepEqual(await (await call(slack, "/slack/_sandbox/failures", { method: "DELETE" })).json(), { cleared: true });
  assert.equal((await post(slack, hook.url, { text: "e" })).status, 200);
});

Deno.test("Slack reset forgets installations: the old webhook answers no_service", async () => {
  const { slack } = newSlack();
  const { incoming_webhook: hook } = await install(slack);
  assert.equal((await call(slack, "/slack/_sandbox/reset", { method: "POST" })).status, 200);
  assert.equal((await post(slack, hook.url, { text: "x" })).text, "no_service");
  assert.deepEqual(slack.summary(), { grants: 0, activeGrants: 0, messages: 0, revocations: 0 });
});
