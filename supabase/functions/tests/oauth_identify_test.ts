// Who a new token belongs to (oauth/identify.ts): provider entries say where the identity is (the token response,
// or a userinfo URL read with the new token) and a lifecycle hook, when given, wins. The entries are data: these
// read them without the engine, the database or any provider's API code.
import assert from "node:assert/strict";
import { identifyAccount } from "../_shared/oauth/identify.ts";
import { providers } from "../_shared/oauth/registry.ts";
import type { TokenSet } from "../_shared/oauth/types.ts";
import { test, withEnv } from "./helpers.ts";

function tokenSet(raw: Record<string, unknown> = {}): TokenSet {
  return { accessToken: "tok-123", refreshToken: null, expiresIn: null, scope: null, raw };
}

/** A one-route userinfo server that records the Authorization header it was sent. */
function userinfo(body: unknown, status = 200) {
  const seen: (string | null)[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
    seen.push(req.headers.get("authorization"));
    return Response.json(body, { status });
  });
  return { base: `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`, seen, close: () => server.shutdown() };
}

const ctx = (raw?: Record<string, unknown>) => {
  const tokens = tokenSet(raw);
  return { accessToken: tokens.accessToken, tokenSet: tokens, signal: AbortSignal.timeout(5_000) };
};

test("identify: Slack's workspace is read from the token response itself", async () => {
  const found = await identifyAccount(providers.slack, {}, ctx({ team: { id: "T1", name: "Acme" } }));
  assert.deepEqual(found, { id: "T1", name: "Acme", email: null });
  assert.equal(await identifyAccount(providers.slack, {}, ctx({})), null);
});

test("identify: userinfo providers GET their URL with the new token and read the JSON", async () => {
  const server = userinfo({ id: "u1", account_id: "acct-1", first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" });
  try {
    const found = await withEnv({ ZOOM_API_BASE_URL: server.base }, () => identifyAccount(providers.zoom, {}, ctx()));
    // Zoom's tenant key is the account (events name payload.account_id), not the user
    assert.deepEqual(found, { id: "acct-1", name: "Ada Lovelace", email: "ada@example.com" });
    assert.deepEqual(server.seen, ["Bearer tok-123"]);
  } finally {
    await server.close();
  }
});

test("identify: a failing or non-object userinfo answer throws (the engine falls back to the label)", async () => {
  const failing = userinfo({ secret: "never echoed" }, 401);
  const list = userinfo([1, 2]);
  try {
    await assert.rejects(
      withEnv({ DISCORD_API_BASE_URL: failing.base }, () => identifyAccount(providers.discord, {}, ctx())),
      (err: Error) => err.message === "GET /users/@me answered 401",
    );
    await assert.rejects(
      withEnv({ TYPEFORM_API_BASE_URL: list.base }, () => identifyAccount(providers.typeform, {}, ctx())),
    );
  } finally {
    await failing.close();
    await list.close();
  }
});

test("identify: a hook wins over the entry; an entry with neither (Fathom's data alone) names nobody", async () => {
  const hook = { identifyAccount: () => Promise.resolve({ id: null, name: "From the hook", email: null }) };
  assert.deepEqual(await identifyAccount(providers.slack, hook, ctx({ team: { id: "T1" } })), {
    id: null,
    name: "From the hook",
    email: null,
  });
  assert.equal(await identifyAccount(providers.fathom, {}, ctx()), null);
});
