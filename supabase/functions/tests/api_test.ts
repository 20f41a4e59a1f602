// The `api` function: JWT verification (every 401 branch), CORS, team and integration listing through RLS, and
// disconnect. Run against the real database.
import assert from "node:assert/strict";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { handler } from "../api/handler.ts";
import { encryptSecret, integrationAad } from "../_shared/crypto.ts";
import {
  ADMIN,
  APP,
  closeAll,
  errorOf,
  jwtFor,
  MEMBER,
  OTHER_APP,
  OTHER_TEAM,
  OUTSIDER,
  request,
  resetDb,
  sql,
  TEAM,
  test,
  withEnv,
} from "./helpers.ts";

async function insertConnected(teamId = TEAM, provider = "fathom") {
  await sql`
    insert into public.team_integrations (team_id, provider, status, account_name, account_email, scopes,
      access_token_encrypted, refresh_token_encrypted, connected_by, connected_at)
    values (${teamId}, ${provider}, 'connected', 'Alice', 'alice@acme.com', '{public_api}',
      ${await encryptSecret("old-access", integrationAad(teamId, provider, "access_token"))},
      ${await encryptSecret("old-refresh", integrationAad(teamId, provider, "refresh_token"))},
      ${ADMIN}, now())`;
}

// --- authentication -------------------------------------------------------------------------------------------

test("auth: a request without Authorization is 401 unauthorized", async () => {
  const res = await handler(request("/api/teams"));
  assert.equal(res.status, 401);
  assert.deepEqual(Object.keys(await errorOf(res)).sort(), ["code", "message"]);
});

test("auth: every malformed, expired, forged or non-user token is the same 401 envelope", async () => {
  const cases: Record<string, string> = {
    "not a bearer": "Basic dXNlcjpwYXNz",
    "malformed": "Bearer not-a-jwt",
    "expired": `Bearer ${await jwtFor(ADMIN, { expiresIn: Math.floor(Date.now() / 1000) - 60 })}`,
    "wrong signature": `Bearer ${await jwtFor(ADMIN, { secret: "another-secret-of-at-least-32-characters" })}`,
    "anon key": `Bearer ${await jwtFor(ADMIN, { role: "anon", aud: "authenticated" })}`,
    "service_role key": `Bearer ${await jwtFor(ADMIN, { role: "service_role" })}`,
    "wrong audience": `Bearer ${await jwtFor(ADMIN, { aud: "something-else" })}`,
    "sub not a uuid": `Bearer ${await jwtFor("not-a-uuid")}`,
    "alg none": `Bearer ${btoa('{"alg":"none"}')}.${btoa(`{"sub":"${ADMIN}","role":"authenticated"}`)}.`,
  };
  for (const [label, authorization] of Object.entries(cases)) {
    const res = await handler(request("/api/teams", { headers: { authorization } }));
    assert.equal(res.status, 401, label);
    const error = await errorOf(res);
    assert.equal(error.code, "unauthorized", label);
    assert.ok(error.message.length < 80, label);
  }
});

test("auth: without SUPABASE_JWT_SECRET, tokens are verified against the project's JWKS", async () => {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  const controller = new AbortController();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} },
    (req) =>
      new URL(req.url).pathname === "/auth/v1/.well-known/jwks.json"
        ? Response.json({ keys: [jwk] })
        : new Response("not found", { status: 404 }),
  );
  try {
    const base = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
    await withEnv({ SUPABASE_JWT_SECRET: undefined, SUPABASE_URL: base }, async () => {
      const good = await new SignJWT({ role: "authenticated" })
        .setProtectedHeader({ alg: "ES256", kid: "k1" }).setSubject(ADMIN).setAudience("authenticated")
        .setExpirationTime("5m").sign(privateKey);
      const ok = await handler(request("/api/teams", { token: good }));
      assert.equal(ok.status, 200);
      // an HS256 token signed with some secret is refused when the project uses asymmetric keys
      const hs = await handler(request("/api/teams", { token: await jwtFor(ADMIN) }));
      assert.equal(hs.status, 401);
      await hs.body?.cancel();
    });
  } finally {
    controller.abort();
    await server.finished;
  }
});

// --- CORS -----------------------------------------------------------------------------------------------------

test("cors: a preflight from an allowed origin is 204 with that exact origin and the allowed headers", async () => {
  for (const origin of [APP, OTHER_APP]) {
    const res = await handler(request("/api/teams", { method: "OPTIONS", origin }));
    assert.equal(res.status, 204);
    assert.equal(res.headers.get("access-control-allow-origin"), origin);
    assert.equal(res.headers.get("access-control-allow-headers"), "authorization, x-client-info, apikey, content-type");
    assert.match(res.headers.get("access-control-allow-methods") ?? "", /DELETE/);
    assert.match(res.headers.get("vary") ?? "", /Origin/);
  }
});

test("cors: a disallowed origin gets no Access-Control-Allow-Origin, on preflight or on the real request", async () => {
  for (const origin of ["https://evil.example", "http://localhost:5174", `${APP}.evil.example`, "null"]) {
    const pre = await handler(request("/api/teams", { method: "OPTIONS", origin }));
    assert.equal(pre.headers.get("access-control-allow-origin"), null, origin);
    const res = await handler(request("/api/teams", { origin, token: await jwtFor(ADMIN) }));
    assert.equal(res.headers.get("access-control-allow-origin"), null, origin);
    assert.match(res.headers.get("vary") ?? "", /Origin/);
    await res.body?.cancel();
  }
});

test("cors: error responses from an allowed origin carry CORS headers too (so the app can read the envelope)", async () => {
  const res = await handler(request("/api/teams", { origin: APP }));
  assert.equal(res.status, 401);
  assert.equal(res.headers.get("access-control-allow-origin"), APP);
  // a 429's Retry-After must be readable by the app across origins
  assert.equal(res.headers.get("access-control-expose-headers"), "Retry-After");
  await res.body?.cancel();
});

// --- routing --------------------------------------------------------------------------------------------------

test("routing: unknown paths are 404 not_found and wrong methods 405 with Allow", async () => {
  const token = await jwtFor(ADMIN);
  const missing = await handler(request("/api/nope", { token }));
  assert.equal(missing.status, 404);
  assert.equal((await errorOf(missing)).code, "not_found");
  // (POST /api/teams creates a team since the team-membership routes)
  const wrong = await handler(request("/api/teams", { method: "DELETE", token }));
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get("allow"), "GET, POST");
  assert.equal((await errorOf(wrong)).code, "method_not_allowed");
});

// --- teams and integrations -------------------------------------------------------------------------------------

test("teams: each user sees only their own teams, with their role", async () => {
  await resetDb();
  const admin = await (await handler(request("/api/teams", { token: await jwtFor(ADMIN) }))).json();
  assert.deepEqual(admin, { teams: [{ id: TEAM, name: "Demo Team", role: "owner" }] });
  const member = await (await handler(request("/api/teams", { token: await jwtFor(MEMBER) }))).json();
  assert.deepEqual(member, { teams: [{ id: TEAM, name: "Demo Team", role: "member" }] });
  const outsider = await (await handler(request("/api/teams", { token: await jwtFor(OUTSIDER) }))).json();
  assert.deepEqual(outsider, { teams: [{ id: OTHER_TEAM, name: "Outsider Team", role: "owner" }] });
});

test("integrations: admin and member read the public shape (no token or state columns); an outsider gets 404", async () => {
  await resetDb();
  await insertConnected();
  for (const user of [ADMIN, MEMBER]) {
    const res = await handler(request(`/api/teams/${TEAM}/integrations`, { token: await jwtFor(user) }));
    assert.equal(res.status, 200);
    const { integrations } = await res.json();
    assert.equal(integrations.length, 1);
    const [row] = integrations;
    assert.equal(row.provider, "fathom");
    assert.equal(row.status, "connected");
    assert.equal(row.account_email, "alice@acme.com");
    assert.equal(row.connected_by_email, "demo-admin@example.com");
    for (const key of Object.keys(row)) assert.doesNotMatch(key, /token_encrypted|oauth_|verifier/);
  }
  const outsider = await handler(request(`/api/teams/${TEAM}/integrations`, { token: await jwtFor(OUTSIDER) }));
  assert.equal(outsider.status, 404);
  assert.equal((await errorOf(outsider)).code, "team_not_found");
  const unknown = await handler(
    request(`/api/teams/${crypto.randomUUID()}/integrations`, { token: await jwtFor(ADMIN) }),
  );
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
  const junk = await handler(request(`/api/teams/not-a-uuid/integrations`, { token: await jwtFor(ADMIN) }));
  assert.equal(junk.status, 400);
  assert.equal((await errorOf(junk)).code, "invalid_request");
});

// --- disconnect -------------------------------------------------------------------------------------------------

test("disconnect: a member or an outsider gets 403 not_team_admin and the connection stays", async () => {
  await resetDb();
  await insertConnected();
  for (const user of [MEMBER, OUTSIDER]) {
    const res = await handler(
      request(`/api/teams/${TEAM}/integrations/fathom`, { method: "DELETE", token: await jwtFor(user) }),
    );
    assert.equal(res.status, 403);
    assert.equal((await errorOf(res)).code, "not_team_admin");
  }
  const [{ count }] = await sql`select count(*)::int from public.team_integrations where team_id = ${TEAM}`;
  assert.equal(count, 1);
});

test("disconnect: an admin gets 204 and the row with its tokens is gone; a second time is 404", async () => {
  await resetDb();
  await insertConnected();
  await insertConnected(OTHER_TEAM); // another team's connection must survive
  const token = await jwtFor(ADMIN);
  const res = await handler(request(`/api/teams/${TEAM}/integrations/fathom`, { method: "DELETE", token }));
  assert.equal(res.status, 204);
  assert.equal(await res.text(), "");
  const rows = await sql`select team_id from public.team_integrations where team_id in (${TEAM}, ${OTHER_TEAM})`;
  assert.deepEqual(rows.map((r) => r.team_id), [OTHER_TEAM]);
  const again = await handler(request(`/api/teams/${TEAM}/integrations/fathom`, { method: "DELETE", token }));
  assert.equal(again.status, 404);
  assert.equal((await errorOf(again)).code, "not_found");
  const unknown = await handler(request(`/api/teams/${TEAM}/integrations/myspace`, { method: "DELETE", token }));
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
});

test("cleanup: api tests leave the database as seeded", async () => {
  await resetDb({ dropOtherTeam: true });
  await closeAll();
});
