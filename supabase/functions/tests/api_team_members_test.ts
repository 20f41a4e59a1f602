// The `api` function's team-membership routes (roles, removal, leaving, invites, creating a team) as owner, admin,
// member, outsider and no JWT, against the real database (its rules: migrations 20261202000100_team_membership.sql
// and 20261202000400_invites_are_accepted.sql; the invitee's side is api_invitations_test.ts).
// Cast: ADMIN is the Demo Team's owner, MEMBER its member, OUTSIDER owns OTHER_TEAM.
import assert from "node:assert/strict";
import { handler } from "../api/handler.ts";
import { ADMIN, callAs, closeAll, MEMBER, OTHER_TEAM, OUTSIDER, resetDb, sql, TEAM, test } from "./helpers.ts";

const call = (user: string | null, method: string, path: string, body?: unknown) =>
  callAs(handler, user, method, path, body);
const members = (team = TEAM) => `/api/teams/${team}/members`;
const invites = (team = TEAM) => `/api/teams/${team}/invites`;
const NEW_EMAIL = "api-invitee@example.com";

async function reset() {
  await resetDb();
  await sql`delete from public.team_invites where team_id in (${TEAM}, ${OTHER_TEAM})`;
  await sql`delete from auth.users where email ilike 'api-invitee%'`;
  await sql`delete from public.team_members where team_id = ${TEAM} and user_id not in (${ADMIN}, ${MEMBER})`;
  await sql`insert into public.team_members (team_id, user_id, role) values (${TEAM}, ${MEMBER}, 'member')
            on conflict (team_id, user_id) do nothing`;
  await sql`delete from public.teams t where t.name = 'API Created Team'`;
}

function assertError(res: { status: number; body: { error?: { code: string } } }, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error?.code, code);
}

// --- roles -------------------------------------------------------------------------------------------------------

test("members: the owner promotes a member to admin and back; the answer is the member", async () => {
  await reset();
  const res = await call(ADMIN, "PATCH", `${members()}/${MEMBER}`, { role: "admin" });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, {
    member: { user_id: MEMBER, email: "demo-member@example.com", full_name: "Max Member", role: "admin" },
  });
  assert.equal((await call(ADMIN, "PATCH", `${members()}/${MEMBER}`, { role: "member" })).body.member.role, "member");
});

test("members: a member changes no role (403); an admin neither touches nor makes an owner (403 not_team_owner)", async () => {
  await reset();
  assertError(await call(MEMBER, "PATCH", `${members()}/${MEMBER}`, { role: "admin" }), 403, "not_team_admin");
  assertError(await call(MEMBER, "PATCH", `${members()}/${ADMIN}`, { role: "member" }), 403, "not_team_admin");
  await sql`update public.team_members set role = 'admin' where team_id = ${TEAM} and user_id = ${MEMBER}`;
  assertError(await call(MEMBER, "PATCH", `${members()}/${ADMIN}`, { role: "member" }), 403, "not_team_owner");
  assertError(await call(MEMBER, "PATCH", `${members()}/${MEMBER}`, { role: "owner" }), 403, "not_team_owner");
  const [{ role }] = await sql`select role from public.team_members where team_id = ${TEAM} and user_id = ${ADMIN}`;
  assert.equal(role, "owner");
});

test("members: the last owner cannot demote itself (409 last_owner); with a second owner it can", async () => {
  await reset();
  assertError(await call(ADMIN, "PATCH", `${members()}/${ADMIN}`, { role: "admin" }), 409, "last_owner");
  assert.equal((await call(ADMIN, "PATCH", `${members()}/${MEMBER}`, { role: "owner" })).status, 200);
  assert.equal((await call(ADMIN, "PATCH", `${members()}/${ADMIN}`, { role: "admin" })).status, 200);
  assertError(await call(MEMBER, "PATCH", `${members()}/${MEMBER}`, { role: "member" }), 409, "last_owner");
});

test("members: bad input is 400, an unknown member 404, an outsider 404 team_not_found, no JWT 401", async () => {
  await reset();
  assertError(await call(ADMIN, "PATCH", `${members()}/${MEMBER}`, { role: "king" }), 400, "invalid_request");
  assertError(await call(ADMIN, "PATCH", `${members()}/${MEMBER}`, {}), 400, "invalid_request");
  assertError(await call(ADMIN, "PATCH", `${members()}/not-a-uuid`, { role: "admin" }), 400, "invalid_request");
  assertError(await call(ADMIN, "PATCH", `${members()}/${OUTSIDER}`, { role: "admin" }), 404, "member_not_found");
  assertError(await call(OUTSIDER, "PATCH", `${members()}/${MEMBER}`, { role: "admin" }), 404, "team_not_found");
  assertError(await call(OUTSIDER, "DELETE", `${members()}/${MEMBER}`), 404, "team_not_found");
  assertError(await call(null, "DELETE", `${members()}/${MEMBER}`), 401, "unauthorized");
});

// --- removal and leaving -----------------------------------------------------------------------------------------

test("members: a member removes nobody else but may leave; the last owner may not leave", async () => {
  await reset();
  assertError(await call(MEMBER, "DELETE", `${members()}/${ADMIN}`), 403, "not_team_admin");
  assertError(await call(ADMIN, "DELETE", `${members()}/${ADMIN}`), 409, "last_owner");
  assert.equal((await call(MEMBER, "DELETE", `${members()}/${MEMBER}`)).status, 204);
  assertError(await call(MEMBER, "GET", members()), 404, "team_not_found");
});

test("members: the owner removes a member (204), then 404 member_not_found; an admin cannot remove the owner", async () => {
  await reset();
  assert.equal((await call(ADMIN, "DELETE", `${members()}/${MEMBER}`)).status, 204);
  assertError(await call(ADMIN, "DELETE", `${members()}/${MEMBER}`), 404, "member_not_found");
  await sql`insert into public.team_members (team_id, user_id, role) values (${TEAM}, ${MEMBER}, 'admin')`;
  assertError(await call(MEMBER, "DELETE", `${members()}/${ADMIN}`), 403, "not_team_owner");
});

// --- invites -----------------------------------------------------------------------------------------------------

test("invites: an existing account is invited like an unknown address (no name, nobody joins); a member is 409", async () => {
  await reset();
  const known = await call(ADMIN, "POST", invites(), { email: " Demo-Outsider@EXAMPLE.com", role: "owner" });
  const unknown = await call(ADMIN, "POST", invites(), { email: "api-invitee-nobody@example.com", role: "owner" });
  assert.equal(known.status, 201, JSON.stringify(known.body));
  assert.equal(unknown.status, 201, JSON.stringify(unknown.body));
  const shape = (b: { outcome: string; invite: Record<string, unknown> }) =>
    ({ outcome: b.outcome, keys: Object.keys(b), invite: Object.keys(b.invite).sort() });
  assert.deepEqual(shape(known.body), shape(unknown.body));
  assert.equal(known.body.outcome, "invited");
  assert.ok(!JSON.stringify(known.body).includes("Olga"), "no name of the account");
  assert.deepEqual((await call(OUTSIDER, "GET", "/api/teams")).body.teams.map((t: { id: string }) => t.id), [OTHER_TEAM]);
  assertError(await call(ADMIN, "POST", invites(), { email: "DEMO-member@example.com" }), 409, "already_member");
});

test("invites: a new address is pending, listed, 409 invite_exists once more, revoked (204, then 404)", async () => {
  await reset();
  const res = await call(ADMIN, "POST", invites(), { email: "API-Invitee@Example.com" });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.outcome, "invited");
  const invite = res.body.invite;
  assert.deepEqual({ ...invite, id: "-", created_at: "-" }, {
    id: "-", email: "API-Invitee@Example.com", role: "member", invited_by_email: "demo-admin@example.com", created_at: "-",
  });
  assert.match(invite.created_at, /^\d{4}-\d{2}-\d{2}T/);
  assertError(await call(ADMIN, "POST", invites(), { email: "api-invitee@example.COM " }), 409, "invite_exists");
  assert.deepEqual((await call(ADMIN, "GET", invites())).body, { invites: [invite] });
  assert.equal((await call(ADMIN, "DELETE", `${invites()}/${invite.id}`)).status, 204);
  assertError(await call(ADMIN, "DELETE", `${invites()}/${invite.id}`), 404, "invite_not_found");
  assert.deepEqual((await call(ADMIN, "GET", invites())).body, { invites: [] });
});

test("invites: invalid e-mail 400 invalid_email, unknown role 400, member 403, outsider 404; nothing written", async () => {
  await reset();
  for (const email of ["not-an-email", "a@b", "x\u200b@example.com", ""]) {
    assertError(await call(ADMIN, "POST", invites(), { email }), 400, "invalid_email");
  }
  assertError(await call(ADMIN, "POST", invites(), { email: NEW_EMAIL, role: "king" }), 400, "invalid_request");
  assertError(await call(ADMIN, "POST", invites(), { role: "member" }), 400, "invalid_request");
  assertError(await call(MEMBER, "POST", invites(), { email: NEW_EMAIL }), 403, "not_team_admin");
  assertError(await call(MEMBER, "GET", invites()), 403, "not_team_admin");
  assertError(await call(OUTSIDER, "POST", invites(), { email: NEW_EMAIL }), 404, "team_not_found");
  assertError(await call(OUTSIDER, "GET", invites()), 404, "team_not_found");
  await sql`update public.team_members set role = 'admin' where team_id = ${TEAM} and user_id = ${MEMBER}`;
  assertError(await call(MEMBER, "POST", invites(), { email: NEW_EMAIL, role: "owner" }), 403, "not_team_owner");
  assert.equal((await sql`select count(*)::int as n from public.team_invites`)[0].n, 0);
});

test("invites: another team's owner sees and revokes nothing of this team", async () => {
  await reset();
  const { body } = await call(ADMIN, "POST", invites(), { email: NEW_EMAIL });
  assert.deepEqual((await call(OUTSIDER, "GET", invites(OTHER_TEAM))).body, { invites: [] });
  assertError(await call(OUTSIDER, "DELETE", `${invites(OTHER_TEAM)}/${body.invite.id}`), 404, "invite_not_found");
  assertError(await call(OUTSIDER, "DELETE", `${invites()}/${body.invite.id}`), 404, "team_not_found");
  assert.equal((await sql`select count(*)::int as n from public.team_invites`)[0].n, 1);
});

test("invites: the invitee signing up (confirmed) joins nothing until they accept", async () => {
  await reset();
  await call(ADMIN, "POST", invites(), { email: NEW_EMAIL, role: "admin" });
  const [{ id }] = await sql`
    insert into auth.users (aud, role, email, email_confirmed_at, raw_user_meta_data)
    values ('authenticated', 'authenticated', ${NEW_EMAIL.toUpperCase()}, now(), '{"full_name":"Ivy Invitee"}')
    returning id`;
  assert.deepEqual((await call(id, "GET", "/api/teams")).body, { teams: [] });
  assert.equal((await call(ADMIN, "GET", invites())).body.invites.length, 1, "still pending");
});

// --- creating a team ---------------------------------------------------------------------------------------------

test("teams: someone in no team creates one (201, owner); a blank or long name is 400; no JWT 401", async () => {
  await reset();
  const [{ id: user }] = await sql`
    insert into auth.users (aud, role, email, email_confirmed_at)
    values ('authenticated', 'authenticated', 'api-invitee-creator@example.com', now()) returning id`;
  const res = await call(user, "POST", "/api/teams", { name: "  API Created Team " });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.team.name, "API Created Team");
  assert.equal(res.body.team.role, "owner");
  assert.deepEqual((await call(user, "GET", "/api/teams")).body, { teams: [res.body.team] });
  assertError(await call(user, "POST", "/api/teams", { name: "   " }), 400, "invalid_team_name");
  assertError(await call(user, "POST", "/api/teams", { name: "x".repeat(101) }), 400, "invalid_team_name");
  for (const name of ["\u202eevil", "a\nb", "\u200b", "\u0007bell", "\u200bDemo Team", "\u3164", "a\u2028b"]) {
    const refused = await call(user, "POST", "/api/teams", { name });
    assertError(refused, 400, "invalid_team_name");
    assert.match(refused.body.error.message, /control or invisible|visible character/);
  }
  assertError(await call(user, "POST", "/api/teams", { name: 5 }), 400, "invalid_request");
  assertError(await call(user, "POST", "/api/teams", { name: "A", extra: 1 }), 400, "invalid_request");
  assertError(await call(null, "POST", "/api/teams", { name: "A" }), 401, "unauthorized");
  assert.equal((await sql`select count(*)::int as n from public.teams where name = 'API Created Team'`)[0].n, 1);
  await reset();
});

test("team members teardown", async () => {
  await reset();
  await closeAll();
});
