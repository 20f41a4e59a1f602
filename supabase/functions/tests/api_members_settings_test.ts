// The `api` function's members and settings routes, as admin / member / outsider / no JWT, against the real DB.
import assert from "node:assert/strict";
import { handler } from "../api/handler.ts";
import { ADMIN, callAs, closeAll, jwtFor, MEMBER, OTHER_TEAM, OUTSIDER, request, resetDb, sql, TEAM, test } from "./helpers.ts";

const call = (user: string | null, method: string, path: string, body?: unknown) =>
  callAs(handler, user, method, path, body);

async function reset() {
  await resetDb();
  await sql`update public.team_settings set create_leads_from_unknown_attendees = false
             where team_id in (${TEAM}, ${OTHER_TEAM})`;
}

// --- members -------------------------------------------------------------------------------------------------------

test("members: admin and member list the team's members with their profile and role", async () => {
  await reset();
  for (const user of [ADMIN, MEMBER]) {
    const res = await call(user, "GET", `/api/teams/${TEAM}/members`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      members: [
        { user_id: ADMIN, email: "demo-admin@example.com", full_name: "Ada Admin", role: "owner" },
        { user_id: MEMBER, email: "demo-member@example.com", full_name: "Max Member", role: "member" },
      ],
    });
  }
});

test("members: outsider and unknown team 404 team_not_found, no JWT 401, a junk id 400", async () => {
  await reset();
  const outsider = await call(OUTSIDER, "GET", `/api/teams/${TEAM}/members`);
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "team_not_found");
  const unknown = await call(ADMIN, "GET", `/api/teams/${crypto.randomUUID()}/members`);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, "team_not_found");
  const anonymous = await call(null, "GET", `/api/teams/${TEAM}/members`);
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.body.error.code, "unauthorized");
  const junk = await call(ADMIN, "GET", `/api/teams/not-a-uuid/members`);
  assert.equal(junk.status, 400);
  assert.equal(junk.body.error.code, "invalid_request");
  assert.match(junk.body.error.message, /teamId/);
});

// --- settings ------------------------------------------------------------------------------------------------------

test("settings: admin and member read them; outsider 404; no JWT 401", async () => {
  await reset();
  for (const user of [ADMIN, MEMBER]) {
    const res = await call(user, "GET", `/api/teams/${TEAM}/settings`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { settings: { create_leads_from_unknown_attendees: false } });
  }
  const outsider = await call(OUTSIDER, "GET", `/api/teams/${TEAM}/settings`);
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "team_not_found");
  assert.equal((await call(null, "GET", `/api/teams/${TEAM}/settings`)).status, 401);
});

test("settings: an admin flips the flag; a member gets 403 not_team_admin, an outsider 404, and nothing changes", async () => {
  await reset();
  const flag = async () =>
    (await sql`select create_leads_from_unknown_attendees as v from public.team_settings where team_id = ${TEAM}`)[0].v;
  const body = { create_leads_from_unknown_attendees: true };

  const member = await call(MEMBER, "PATCH", `/api/teams/${TEAM}/settings`, body);
  assert.equal(member.status, 403);
  assert.equal(member.body.error.code, "not_team_admin");
  const outsider = await call(OUTSIDER, "PATCH", `/api/teams/${TEAM}/settings`, body);
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "team_not_found");
  assert.equal((await call(null, "PATCH", `/api/teams/${TEAM}/settings`, body)).status, 401);
  assert.equal(await flag(), false);

  const admin = await call(ADMIN, "PATCH", `/api/teams/${TEAM}/settings`, body);
  assert.equal(admin.status, 200);
  assert.deepEqual(admin.body, { settings: { create_leads_from_unknown_attendees: true } });
  assert.equal(await flag(), true);
  // the member now reads the new value; the outsider's own team is untouched
  assert.deepEqual((await call(MEMBER, "GET", `/api/teams/${TEAM}/settings`)).body.settings, body);
  const [other] = await sql`select create_leads_from_unknown_attendees as v from public.team_settings
                             where team_id = ${OTHER_TEAM}`;
  assert.equal(other.v, false);
});

test("settings: a PATCH without a boolean flag is 400 invalid_request naming the field", async () => {
  await reset();
  for (
    const body of [{}, { create_leads_from_unknown_attendees: "yes" }, { create_leads_from_unknown_attendees: null }]
  ) {
    const res = await call(ADMIN, "PATCH", `/api/teams/${TEAM}/settings`, body);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "invalid_request");
    assert.match(res.body.error.message, /create_leads_from_unknown_attendees/);
  }
  const notJson = await handler(request(`/api/teams/${TEAM}/settings`, {
    method: "PATCH",
    token: await jwtFor(ADMIN),
    body: "{nope",
  }));
  assert.equal(notJson.status, 400);
  await notJson.body?.cancel();
});

test("cleanup: members/settings tests leave the database as seeded", async () => {
  await reset();
  await resetDb({ dropOtherTeam: true });
  await closeAll();
});
