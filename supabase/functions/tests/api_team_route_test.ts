// The team-route opening (api/routes/team_route.ts) on its own, through throwaway routes: who passes which gate, and
// that a gated body is refused before it is read. The real routes' answers are proven by the other api_*_test files.
import assert from "node:assert/strict";
import { z } from "zod";
import { jsonResponse, router, withErrorHandling } from "../_shared/http.ts";
import { teamRoute } from "../api/routes/team_route.ts";
import { ADMIN, callAs, closeAll, MEMBER, OUTSIDER, request, jwtFor, TEAM, test } from "./helpers.ts";

const api = withErrorHandling(router([
  {
    method: "GET",
    path: "/api/teams/:teamId/as-member",
    handler: teamRoute(({ teamId, asMember }) => asMember(async (_tx, role) => jsonResponse({ teamId, role }))),
  },
  {
    method: "GET",
    path: "/api/teams/:teamId/as-admin",
    handler: teamRoute(({ asAdmin }) => asAdmin(async (_tx, role) => jsonResponse({ role }), "Admins only here.")),
  },
  {
    method: "POST",
    path: "/api/teams/:teamId/admin-body",
    handler: teamRoute(async ({ body }) =>
      jsonResponse(await body(z.object({ n: z.number() }), { gate: "admin", refusal: "Admins only here." }))
    ),
  },
  {
    method: "GET",
    path: "/api/teams/:teamId/things/:thingId",
    handler: teamRoute(async ({ uuid }) => jsonResponse({ thingId: uuid("thingId") })),
  },
]));

const call = (user: string | null, method: string, path: string, body?: unknown) => callAs(api, user, method, path, body);

test("team route: asMember lets members in with their role; outsiders and unknown teams are 404 team_not_found", async () => {
  assert.deepEqual((await call(ADMIN, "GET", `/api/teams/${TEAM}/as-member`)).body, { teamId: TEAM, role: "owner" });
  assert.deepEqual((await call(MEMBER, "GET", `/api/teams/${TEAM.toUpperCase()}/as-member`)).body, {
    teamId: TEAM, // lower-cased
    role: "member",
  });
  for (const [user, team] of [[OUTSIDER, TEAM], [ADMIN, crypto.randomUUID()]]) {
    const res = await call(user, "GET", `/api/teams/${team}/as-member`);
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "team_not_found");
  }
});

test("team route: asAdmin is 403 not_team_admin for a member, 404 for an outsider", async () => {
  assert.deepEqual((await call(ADMIN, "GET", `/api/teams/${TEAM}/as-admin`)).body, { role: "owner" });
  const member = await call(MEMBER, "GET", `/api/teams/${TEAM}/as-admin`);
  assert.equal(member.status, 403);
  assert.deepEqual(member.body.error, { code: "not_team_admin", message: "Admins only here." });
  const outsider = await call(OUTSIDER, "GET", `/api/teams/${TEAM}/as-admin`);
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "team_not_found");
});

test("team route: an admin-gated body is refused (403 / 404) before it is read; an admin's is validated", async () => {
  const notJson = async (user: string) =>
    await api(request(`/api/teams/${TEAM}/admin-body`, { method: "POST", token: await jwtFor(user), body: "{not json" }));
  const member = await notJson(MEMBER);
  assert.equal(member.status, 403, "the gate answers before the body is parsed");
  assert.equal((await member.json()).error.code, "not_team_admin");
  const outsider = await notJson(OUTSIDER);
  assert.equal(outsider.status, 404);
  assert.equal((await outsider.json()).error.code, "team_not_found");
  const admin = await notJson(ADMIN);
  assert.equal(admin.status, 400);
  assert.equal((await admin.json()).error.code, "invalid_request");
  assert.deepEqual((await call(ADMIN, "POST", `/api/teams/${TEAM}/admin-body`, { n: 1 })).body, { n: 1 });
});

test("team route: 401 before anything else; :teamId and other segments must be UUIDs (400 naming them)", async () => {
  const anonymous = await call(null, "GET", `/api/teams/not-a-uuid/as-member`);
  assert.equal(anonymous.status, 401);
  const junkTeam = await call(ADMIN, "GET", `/api/teams/not-a-uuid/as-member`);
  assert.equal(junkTeam.status, 400);
  assert.match(junkTeam.body.error.message, /teamId/);
  const junkThing = await call(ADMIN, "GET", `/api/teams/${TEAM}/things/nope`);
  assert.equal(junkThing.status, 400);
  assert.match(junkThing.body.error.message, /thingId/);
  const thing = crypto.randomUUID().toUpperCase();
  assert.deepEqual((await call(ADMIN, "GET", `/api/teams/${TEAM}/things/${thing}`)).body, {
    thingId: thing.toLowerCase(),
  });
});

test("cleanup: team-route tests close the pool", async () => {
  await closeAll();
});
