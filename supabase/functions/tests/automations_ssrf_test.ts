// Issue 11, attacker findings 1 (webhook endpoint SSRF) and 6 (URL scrubbing): the save-time host rule, the
// send-time lookup (with a stub resolver passed as a parameter), and the error text a run stores.
import assert from "node:assert/strict";
import { AppError } from "../_shared/errors.ts";
import { assertPublicHost, NOT_PUBLIC, type Resolver } from "../_shared/automations/address.ts";
import { validateEndpointUrl } from "../_shared/automations/endpoints.ts";
import { classifyStepError, safeMessage } from "../_shared/automations/errors.ts";
import { postWebhook, webhookBody } from "../_shared/automations/engine/webhook.ts";
import type { RunContext } from "../_shared/automations/context.ts";
import { INTERNAL_URLS, LOOPBACK_URLS, PUBLIC_URLS } from "./automations_ssrf_support.ts";

const FLAG = "AUTOMATION_ALLOW_HTTP_WEBHOOKS";

/** Runs fn with FLAG set or unset, restoring it afterwards (no database here: helpers.ts's withEnv needs one). */
async function withEnv<T>(changes: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const before = Deno.env.get(FLAG);
  const set = (v: string | undefined) => (v === undefined ? Deno.env.delete(FLAG) : Deno.env.set(FLAG, v));
  set(changes[FLAG]);
  try {
    return await fn();
  } finally {
    set(before);
  }
}


function refusedWith(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.code, "invalid_url");
    return err.message;
  }
  return "accepted";
}

Deno.test("endpoint URL: loopback, private, link-local, metadata, CGNAT, ULA, mapped and odd spellings refused at save time", async () => {
  await withEnv({ [FLAG]: undefined }, async () => {
    for (const url of [...LOOPBACK_URLS, ...INTERNAL_URLS]) assert.equal(refusedWith(() => validateEndpointUrl(url)), NOT_PUBLIC, url);
    for (const url of PUBLIC_URLS) assert.equal(validateEndpointUrl(url).protocol, "https:", url);
  });
});

Deno.test("endpoint URL: the dev/test flag allows loopback (http too) and nothing else internal", async () => {
  await withEnv({ [FLAG]: "1" }, async () => {
    for (const url of LOOPBACK_URLS) assert.ok(validateEndpointUrl(url), url);
    assert.ok(validateEndpointUrl("http://127.0.0.1:9/x"));
    assert.ok(validateEndpointUrl("http://localhost:9/x"));
    for (const url of INTERNAL_URLS) assert.equal(refusedWith(() => validateEndpointUrl(url)), NOT_PUBLIC, url);
    assert.equal(refusedWith(() => validateEndpointUrl("http://10.0.0.5/x")), NOT_PUBLIC);
    assert.equal(refusedWith(() => validateEndpointUrl("http://hooks.example.com/x")), "The URL must start with https://.");
  });
});

/** A resolver answering from a table; records what it was asked. */
function stubResolver(table: Record<string, { A?: string[]; AAAA?: string[] }>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const fn = (name: string, type: "A" | "AAAA") => {
    asked.push(`${name} ${type}`);
    const found = table[name]?.[type];
    return found ? Promise.resolve(found) : Promise.reject(new Deno.errors.NotFound(`no ${type} record`));
  };
  return Object.assign(fn, { asked });
}

const context = { event: { type: "meeting.linked_to_lead" } } as unknown as RunContext;
const body = webhookBody({ runId: "r", createdAt: new Date(0), rule: { id: "x", name: "x", version: 1 }, context, message: null });
const SECRET = `whsec_${btoa("k".repeat(32))}`;

Deno.test("send_webhook: a name resolving to a non-public address is refused before any request, one sentence, permanent", async () => {
  // a receiver on loopback: were the guard missing, the POST would land here
  let hits = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => {
    hits++;
    return new Response("ok");
  });
  const port = (server.addr as Deno.NetAddr).port;
  try {
    await withEnv({ [FLAG]: undefined }, async () => {
      const resolve = stubResolver({
        "localtest.me": { A: ["127.0.0.1"], AAAA: ["::1"] },
        "mixed.example.com": { A: ["93.184.215.14", "10.0.0.7"] },
        "v6.example.com": { AAAA: ["::ffff:169.254.169.254"] },
      });
      for (const host of ["localtest.me", "mixed.example.com", "v6.example.com"]) {
        const err = await postWebhook(`https://${host}:${port}/hooks/s3cr3t`, SECRET, "w1", body, { resolve }).then(() => null, (e) => e);
        assert.ok(err instanceof AppError, host);
        const step = classifyStepError(err);
        assert.deepEqual(step, { kind: "permanent", code: "invalid_url", message: NOT_PUBLIC }, host);
        assert.ok(!JSON.stringify(step).match(/127\.0\.0\.1|10\.0\.0\.7|169\.254|s3cr3t/));
      }
      assert.ok(resolve.asked.includes("localtest.me A") && resolve.asked.includes("localtest.me AAAA"));
      // an IP literal saved before the rule existed: refused without a lookup
      const literal = stubResolver({});
      const err = await postWebhook(`https://127.0.0.1:${port}/hook`, SECRET, "w2", body, { resolve: literal }).then(() => null, (e) => e);
      assert.equal(classifyStepError(err).message, NOT_PUBLIC);
      assert.deepEqual(literal.asked, []);
      // a name with no answer at all: not posted either (fetch would look it up again), retried later
      const none = await postWebhook("https://nowhere.example.com/hook", SECRET, "w3", body, { resolve: stubResolver({}) }).then(() => null, (e) => e);
      assert.deepEqual(classifyStepError(none), { kind: "transient", code: "network_error", message: "The endpoint's host name could not be resolved." });
    });
    assert.equal(hits, 0);
  } finally {
    await server.shutdown();
  }
});

Deno.test("assertPublicHost: public answers pass; the flag lets loopback answers through, nothing else", async () => {
  const resolve = stubResolver({
    "hooks.example.com": { A: ["93.184.215.14"], AAAA: ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"] },
    "localtest.me": { A: ["127.0.0.1"] },
    "meta.example.com": { A: ["169.254.169.254"] },
  });
  await assertPublicHost("hooks.example.com", { resolve, allowLoopback: false });
  await assertPublicHost("localtest.me", { resolve, allowLoopback: true });
  await assertPublicHost("localhost", { resolve, allowLoopback: true });
  await assert.rejects(assertPublicHost("localtest.me", { resolve, allowLoopback: false }), { message: NOT_PUBLIC });
  await assert.rejects(assertPublicHost("meta.example.com", { resolve, allowLoopback: true }), { message: NOT_PUBLIC });
  await assert.rejects(assertPublicHost("metadata.google.internal", { resolve, allowLoopback: true }), { message: NOT_PUBLIC });
  assert.ok(!resolve.asked.some((q) => q.startsWith("localhost") || q.startsWith("metadata.google")));
});

Deno.test("run errors: a whole URL is scrubbed, quotes and parentheses included; fetch failures become fixed sentences", async () => {
  const url = "https://hooks.example.com/hooks/abc'TOPSECRET(xyz)[1]\"q\"";
  for (const text of [`bad ${url} end`, `(${url})`, `"${url}"`, `<${url}>`]) {
    const clean = safeMessage(text);
    assert.ok(!clean.includes("TOPSECRET") && !clean.includes("xyz") && clean.includes("<url>"), clean);
  }
  assert.equal(safeMessage(`bad ${url} end`), "bad <url> end");
  const raw = `error sending request for url (${url}): client error (Connect): tcp connect error: Connection refused (os error 111)`;
  assert.deepEqual(classifyStepError(new TypeError(raw)), { kind: "transient", code: "network_error", message: "The server could not be reached." });
  assert.equal(classifyStepError(new TypeError(`error sending request for url (${url}): dns error: failed to lookup address information`)).message,
    "The server's host name could not be resolved.");
  assert.equal(classifyStepError(new TypeError(`error sending request for url (${url}): invalid peer certificate: UnknownIssuer`)).message,
    "A secure (TLS) connection to the server could not be made.");
  assert.deepEqual(classifyStepError(new DOMException("Signal timed out.", "TimeoutError")), { kind: "transient", code: "timeout", message: "The server did not answer in time." });
  // a real failing fetch, the way send_webhook makes it (the flag lets the URL through to the connection)
  await withEnv({ [FLAG]: "1" }, async () => {
    const href = validateEndpointUrl("https://127.0.0.1:9/hooks/abc'TOPSECRET(xyz)").href;
    const err = await fetch(href, { method: "POST", body: "{}" }).then(() => null, (e) => e);
    const step = classifyStepError(err);
    assert.equal(step.code, "network_error");
    assert.ok(!step.message.includes("TOPSECRET") && !step.message.includes("127.0.0.1"), step.message);
  });
});
