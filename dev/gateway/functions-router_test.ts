// The /functions/v1 side of the gateway, against the fixture functions in testdata/ (no database needed).
import assert from "node:assert/strict";
import { SignJWT } from "jose";
import { startTestGateway, TEST_JWT_SECRET } from "./test-support.ts";

function signJwt(claims: Record<string, unknown>, secret = TEST_JWT_SECRET, expiresIn: string | number = "1h"): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

Deno.test("gateway: functions routing, verify_jwt, errors", async (t) => {
  const gateway = await startTestGateway({
    extraFunctions: { "in-memory": (req) => Promise.resolve(Response.json({ pathname: new URL(req.url).pathname })) },
  });
  const call = (path: string, init?: RequestInit) => fetch(`${gateway.url}${path}`, init);

  try {
    await t.step("GET /health", async () => {
      const response = await call("/health");
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { ok: true });
    });

    await t.step("unknown functions, '_' folders, tests/ and folders without handler.ts are 404", async () => {
      for (const name of ["nope", "_skipped", "tests", "no-handler"]) {
        const response = await call(`/functions/v1/${name}`);
        assert.equal(response.status, 404, name);
        const body = await response.json();
        assert.equal(body.error.code, "function_not_found");
        assert.equal(typeof body.error.message, "string");
      }
    });

    await t.step("the handler sees /<name>[/rest] with the query, method, headers and body", async () => {
      const response = await call("/functions/v1/open-echo/teams/42/integrations?x=1&y=two", {
        method: "POST",
        headers: { "x-fixture": "kept", "content-type": "text/plain" },
        body: "raw body",
      });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), {
        method: "POST",
        pathname: "/open-echo/teams/42/integrations",
        search: "?x=1&y=two",
        header: "kept",
        body: "raw body",
      });
      const bare = await (await call("/functions/v1/open-echo")).json();
      assert.equal(bare.pathname, "/open-echo");
      assert.equal(bare.body, null);
    });

    await t.step("a streamed request body reaches the handler whole", async () => {
      const chunks = ["first,", "second,", "third"];
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
          controller.close();
        },
      });
      const response = await call("/functions/v1/open-echo", { method: "PUT", body: stream });
      assert.equal((await response.json()).body, chunks.join(""));
    });

    await t.step("default exports and extraFunctions are served (verify_jwt applies to both)", async () => {
      assert.deepEqual(await (await call("/functions/v1/default-export/a")).json(), {
        via: "default export",
        pathname: "/default-export/a",
      });
      const withoutToken = await call("/functions/v1/in-memory/b");
      assert.equal(withoutToken.status, 401);
      await withoutToken.body?.cancel();
      const withToken = await call("/functions/v1/in-memory/b", { headers: { authorization: `Bearer ${gateway.anonKey}` } });
      assert.deepEqual(await withToken.json(), { pathname: "/in-memory/b" });
    });

    await t.step("verify_jwt: no Authorization header is refused as Supabase does", async () => {
      const response = await call("/functions/v1/needs-jwt");
      assert.equal(response.status, 401);
      assert.deepEqual(await response.json(), { code: 401, message: "Missing authorization header" });
    });

    await t.step("verify_jwt: bad, foreign, expired and unsigned tokens are refused", async () => {
      const now = Math.floor(Date.now() / 1000);
      const unsigned = `${btoa(JSON.stringify({ alg: "none" }))}.${btoa(JSON.stringify({ role: "anon" }))}.`;
      const tokens = [
        "not-a-jwt",
        await signJwt({ role: "authenticated" }, "some-other-secret-of-at-least-32-characters"),
        await signJwt({ role: "authenticated", exp: now - 60 }, TEST_JWT_SECRET, now - 60),
        unsigned,
      ];
      for (const token of tokens) {
        const response = await call("/functions/v1/needs-jwt", { headers: { authorization: `Bearer ${token}` } });
        assert.equal(response.status, 401);
        assert.deepEqual(await response.json(), { code: 401, message: "Invalid JWT" });
      }
      const notBearer = await call("/functions/v1/needs-jwt", { headers: { authorization: "Basic abc" } });
      assert.equal(notBearer.status, 401);
      await notBearer.body?.cancel();
    });

    await t.step("verify_jwt: a valid token (even the anon key) reaches the handler", async () => {
      const token = await signJwt({ sub: "11111111-1111-4111-8111-111111111111", role: "authenticated" });
      const response = await call("/functions/v1/needs-jwt/x", {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: "{}",
      });
      assert.equal(response.status, 200);
      const body = await response.json();
      assert.equal(body.pathname, "/needs-jwt/x");
      assert.equal(body.claims.sub, "11111111-1111-4111-8111-111111111111");

      const anon = await call("/functions/v1/needs-jwt", { headers: { authorization: `Bearer ${gateway.anonKey}` } });
      assert.equal((await anon.json()).claims.role, "anon");
    });

    await t.step("verify_jwt: an OPTIONS preflight passes through without a token", async () => {
      const response = await call("/functions/v1/needs-jwt", { method: "OPTIONS" });
      assert.equal(response.status, 200);
      assert.equal((await response.json()).method, "OPTIONS");
    });

    await t.step("a throwing handler is a 500 envelope without the error's detail or stack", async () => {
      const logged: unknown[][] = [];
      const originalError = console.error;
      console.error = (...args: unknown[]) => logged.push(args);
      try {
        const response = await call("/functions/v1/throws", { method: "POST", body: "password=hunter2" });
        assert.equal(response.status, 500);
        const text = await response.text();
        assert.deepEqual(JSON.parse(text), { error: { code: "internal_error", message: "Internal error" } });
        assert.doesNotMatch(text, /do-not-leak|at |handler\.ts/);
      } finally {
        console.error = originalError;
      }
      assert.equal(logged.length, 1, "the failure is logged server-side");
      assert.doesNotMatch(logged[0].map(String).join(" "), /hunter2/, "the request body is never logged");
    });

    await t.step("other paths are 404", async () => {
      const response = await call("/rest/v1/teams");
      assert.equal(response.status, 404);
      assert.equal((await response.json()).error.code, "not_found");
    });
  } finally {
    await gateway.close();
  }
});

Deno.test("gateway: a throwing function is logged by name and redacted path, never its route id or quoted values", async () => {
  const routeId = "route-id-that-is-a-secret-0123456789";
  const gateway = await startTestGateway({
    extraFunctions: {
      "fathom-webhook": () => {
        const error = new Error('insert failed for "meeting-secret-value"');
        return Promise.reject(error);
      },
    },
  });
  const logged: unknown[][] = [];
  const originalError = console.error;
  console.error = (...args: unknown[]) => logged.push(args);
  try {
    const response = await fetch(`${gateway.url}/functions/v1/fathom-webhook/${routeId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${gateway.anonKey}` },
      body: "{}",
    });
    assert.equal(response.status, 500);
    await response.body?.cancel();
  } finally {
    console.error = originalError;
    await gateway.close();
  }
  assert.equal(logged.length, 1, "the failure is logged server-side");
  const line = logged[0].map((part) => (part instanceof Error ? `${part.message}\n${part.stack}` : String(part))).join(" ");
  assert.match(line, /function "fathom-webhook" failed on POST \/fathom-webhook\/#[0-9a-f]{8}: Error: /);
  assert.doesNotMatch(line, new RegExp(routeId), "the route id is a secret");
  assert.doesNotMatch(line, /meeting-secret-value/, "values quoted in an error message are not logged");
  assert.doesNotMatch(line, /\n\s+at /, "no stack trace");
});
