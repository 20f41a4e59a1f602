// The invitee's side of invites through the `api` function (security review 10): GET /api/invitations, accept,
// decline; nobody joins by an invite alone. Also through the API: a departing member's leads stay editable, a
// refusal by row-level security (42501) is 403 forbidden (never 500), the limits on teams and invites.
// Cast: ADMIN owns the Demo Team (TEAM), MEMBER is its member, OUTSIDER owns OTHER_TEAM.
import assert from "node:assert/strict";
import postgres from "postgres";
import { handler } from "../api/handler.ts";
import { withErrorHandling } from "../_shared/http.ts";
import { ADMIN, callAs, closeAll, MEMBER, OUTSIDER, resetDb, sql, TEAM, test } from "./helpers.ts";

const call = (user: string | null, method: string, path: string, body?: unknown) =>
  callAs(handler, user, method, path, body);
const EMAIL = "api-invitations-ivy@example.com";

async function reset() {
  await resetDb();
  await sql`delete from public.team_invites where team_id = ${TEAM}`;
  await sql`delete from auth.users where email ilike 'api-invitations-%'`;
  await sql`delete from public.teams where name like 'API limit %'`;
  await sql`insert into public.team_members (team_id, user_id, role) values (${TEAM}, ${MEMBER}, 'member')
            on conflict (team_id, user_id) do nothing`;
}

async function account(email: string, confirmed: boolean): Promise<string> {
  const [{ id }] = await sql`
    insert into auth.users (aud, role, email, email_confirmed_at, raw_user_meta_data)
    values ('authenticated', 'authenticated', ${email}, ${confirmed ? new Date() : null}, '{"full_name":"Ivy"}')
    returning id`;
  return id;
}

function assertError(res: { status: number; body: { error?: { code: string; message: string } } }, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error?.code, code);
  assert.equal(typeof res.body.error?.message, "string");
}

test("invitations: a confirmed invitee lists, accepts (twice, same answer) and is then a member", async () => {
  await reset();
  const invited = await call(ADMIN, "POST", `/api/teams/${TEAM}/invites`, { email: EMAIL.toUpperCase(), role: "admin" });
  assert.equal(invited.status, 201);
  const ivy = await account(EMAIL, true);
  assert.deepEqual((await call(ivy, "GET", "/api/teams")).body, { teams: [] }, "an invite alone joins nothing");
  const list = await call(ivy, "GET", "/api/invitations");
  assert.equal(list.status, 200);
  assert.equal(list.body.invitations.length, 1);
  const [inv] = list.body.invitations;
  assert.deepEqual({ ...inv, created_at: "-" }, {
    id: invited.body.invite.id, team_id: TEAM, team_name: "Demo Team", role: "admin",
    invited_by_name: inv.invited_by_name, invited_by_email: "demo-admin@example.com", created_at: "-",
  });
  assert.match(inv.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  const accepted = await call(ivy, "POST", `/api/invitations/${inv.id}/accept`);
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  assert.deepEqual(accepted.body, { team: { id: TEAM, name: "Demo Team", role: "admin" } });
  assert.deepEqual((await call(ivy, "POST", `/api/invitations/${inv.id}/accept`)).body, accepted.body, "idempotent");
  assert.deepEqual((await call(ivy, "GET", "/api/teams")).body, { teams: [{ id: TEAM, name: "Demo Team", role: "admin" }] });
  assert.deepEqual((await call(ivy, "GET", "/api/invitations")).body, { invitations: [] });
  assert.deepEqual((await call(ADMIN, "GET", `/api/teams/${TEAM}/invites`)).body, { invites: [] });
});

test("invitations: unconfirmed 403 email_not_confirmed; someone else's, revoked or declined 404; bad id 400", async () => {
  await reset();
  const invited = await call(ADMIN, "POST", `/api/teams/${TEAM}/invites`, { email: EMAIL });
  const id = invited.body.invite.id;
  const ivy = await account(EMAIL, false);
  assert.deepEqual((await call(ivy, "GET", "/api/invitations")).body, { invitations: [] });
  assertError(await call(ivy, "POST", `/api/invitations/${id}/accept`), 403, "email_not_confirmed");
  assertError(await call(MEMBER, "POST", `/api/invitations/${id}/accept`), 404, "invite_not_found");
  assertError(await call(MEMBER, "POST", `/api/invitations/${id}/decline`), 404, "invite_not_found");
  assertError(await call(ivy, "POST", `/api/invitations/not-a-uuid/accept`), 400, "invalid_request");
  assertError(await call(null, "GET", `/api/invitations`), 401, "unauthorized");
  await sql`update auth.users set email_confirmed_at = now() where id = ${ivy}`;
  assert.equal((await call(ivy, "POST", `/api/invitations/${id}/decline`)).status, 204);
  assertError(await call(ivy, "POST", `/api/invitations/${id}/accept`), 404, "invite_not_found");
  const again = await call(ADMIN, "POST", `/api/teams/${TEAM}/invites`, { email: EMAIL });
  assert.equal((await call(ADMIN, "DELETE", `/api/teams/${TEAM}/invites/${again.body.invite.id}`)).status, 204);
  assertError(await call(ivy, "POST", `/api/invitations/${again.body.invite.id}/accept`), 404, "invite_not_found");
  const third = await call(ADMIN, "POST", `/api/teams/${TEAM}/invites`, { email: EMAIL });
  assert.equal((await call(ivy, "DELETE", `/api/invitations/${third.body.invite.id}`)).status, 204, "DELETE declines");
  assert.deepEqual((await call(ivy, "GET", "/api/teams")).body, { teams: [] });
});

test("members: a removed member's lead stays editable by the team (its owner is cleared)", async () => {
  await reset();
  const created = await call(ADMIN, "POST", `/api/teams/${TEAM}/leads`, {
    name: "Owned by Max", owner_id: MEMBER, emails: ["api-invitations-owned@lead.example"],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const leadId = created.body.lead.id;
  try {
    assert.equal((await call(ADMIN, "DELETE", `/api/teams/${TEAM}/members/${MEMBER}`)).status, 204);
    const patched = await call(ADMIN, "PATCH", `/api/teams/${TEAM}/leads/${leadId}`, { stage: "won" });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.lead.owner_id, null);
  } finally {
    await sql`delete from public.leads where id = ${leadId}`;
    await reset();
  }
});

// --- an invite is only as good as its inviter (review 10b) ---------------------------------------------------------

test("invitations: a removed admin's pending invite no longer admits anyone (404 invite_not_found)", async () => {
  await reset();
  await sql`update public.team_members set role = 'admin' where team_id = ${TEAM} and user_id = ${MEMBER}`;
  try {
    const inv = await call(MEMBER, "POST", `/api/teams/${TEAM}/invites`, { email: "demo-outsider@example.com", role: "admin" });
    assert.equal(inv.status, 201, JSON.stringify(inv.body));
    assert.equal((await call(ADMIN, "DELETE", `/api/teams/${TEAM}/members/${MEMBER}`)).status, 204);
    assertError(await call(OUTSIDER, "POST", `/api/invitations/${inv.body.invite.id}/accept`), 404, "invite_not_found");
    assert.deepEqual((await call(OUTSIDER, "GET", "/api/invitations")).body, { invitations: [] }, "the invite is gone");
    const [m] = await sql`select count(*)::int as n from public.team_members where team_id = ${TEAM} and user_id = ${OUTSIDER}`;
    assert.equal(m.n, 0);
  } finally {
    await sql`delete from public.team_members where team_id = ${TEAM} and user_id = ${OUTSIDER}`;
    await reset();
  }
});

test("invitations: a removed co-owner cannot come back through their pending owner invite", async () => {
  await reset();
  await sql`update public.team_members set role = 'owner' where team_id = ${TEAM} and user_id = ${MEMBER}`;
  try {
    // the co-owner invites their second address (here the outsider's account) as owner, then is removed
    const inv = await call(MEMBER, "POST", `/api/teams/${TEAM}/invites`, { email: "demo-outsider@example.com", role: "owner" });
    assert.equal(inv.status, 201, JSON.stringify(inv.body));
    assert.equal((await call(ADMIN, "DELETE", `/api/teams/${TEAM}/members/${MEMBER}`)).status, 204);
    assertError(await call(OUTSIDER, "POST", `/api/invitations/${inv.body.invite.id}/accept`), 404, "invite_not_found");
    assert.equal((await call(OUTSIDER, "DELETE", `/api/teams/${TEAM}/members/${ADMIN}`)).status, 404, "not a member");
    const owners = await sql`select user_id from public.team_members where team_id = ${TEAM} and role = 'owner'`;
    assert.deepEqual(owners.map((o) => o.user_id), [ADMIN]);
  } finally {
    await sql`delete from public.team_members where team_id = ${TEAM} and user_id = ${OUTSIDER}`;
    await reset();
  }
});

test("invitations: a co-owner demoted to admin loses their pending owner invites, keeps the others", async () => {
  await reset();
  await sql`update public.team_members set role = 'owner' where team_id = ${TEAM} and user_id = ${MEMBER}`;
  try {
    const owner = await call(MEMBER, "POST", `/api/teams/${TEAM}/invites`, { email: "demo-outsider@example.com", role: "owner" });
    const admin = await call(MEMBER, "POST", `/api/teams/${TEAM}/invites`, { email: EMAIL, role: "admin" });
    assert.deepEqual([owner.status, admin.status], [201, 201]);
    assert.equal((await call(ADMIN, "PATCH", `/api/teams/${TEAM}/members/${MEMBER}`, { role: "admin" })).status, 200);
    assertError(await call(OUTSIDER, "POST", `/api/invitations/${owner.body.invite.id}/accept`), 404, "invite_not_found");
    const left = (await call(ADMIN, "GET", `/api/teams/${TEAM}/invites`)).body.invites;
    assert.deepEqual(left.map((i: { id: string }) => i.id), [admin.body.invite.id]);
  } finally {
    await reset();
  }
});

/**
 * A lead assigned (through the API) to a member who is being removed in another transaction: on PostgreSQL the
 * write waits on the membership row (the foreign key's KEY SHARE lock), then finds it gone; on PGlite (one session)
 * it runs after the removal. Either way the answer is the client's 400, never a 500, and no lead has a non-member
 * owner.
 */
test("leads: assigning a lead to a member being removed answers 400 invalid_request, never 500", async () => {
  await reset();
  const created = await call(ADMIN, "POST", `/api/teams/${TEAM}/leads`, { name: "Race", emails: ["api-invitations-race@lead.example"] });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const leadId = created.body.lead.id;
  const remover = postgres(Deno.env.get("SUPABASE_DB_URL")!, { max: 1, prepare: false, onnotice: () => {} });
  try {
    const [{ version }] = await remover`select version() as version`;
    const pglite = /emscripten|wasm|pglite/i.test(version);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let deleted!: () => void;
    const isDeleted = new Promise<void>((r) => (deleted = r));
    const removal = remover.begin(async (tx) => {
      await tx`delete from public.team_members where team_id = ${TEAM} and user_id = ${MEMBER}`;
      deleted();
      await held;
    });
    await isDeleted;
    let settled = false;
    const patch = call(ADMIN, "PATCH", `/api/teams/${TEAM}/leads/${leadId}`, { owner_id: MEMBER })
      .finally(() => (settled = true));
    if (!pglite) {
      while (!settled) {
        const [{ n }] = await sql`select count(*)::int as n from pg_locks where not granted`;
        if (n > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    release();
    await removal;
    assertError(await patch, 400, "invalid_request");
    const [lead] = await sql`select owner_id from public.leads where id = ${leadId}`;
    assert.equal(lead.owner_id, null);
  } finally {
    await remover.end();
    await sql`delete from public.leads where id = ${leadId}`;
    await reset();
  }
});

test("errors: a statement refused by row-level security (42501) is 403 forbidden, never 500", async () => {
  // a real refusal from the database: authenticated may not insert invites
  let refusal: unknown;
  await sql.begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true)`;
    await tx`insert into public.team_invites (team_id, email, role) values (${TEAM}, 'x@example.com', 'member')`;
  }).catch((e) => (refusal = e));
  assert.equal((refusal as { code?: string }).code, "42501");
  const res = await withErrorHandling(() => Promise.reject(refusal))(new Request("http://x/api/anything"));
  assert.equal(res.status, 403);
  const body = await res.json();
  assert.equal(body.error.code, "forbidden");
  assert.ok(!JSON.stringify(body).includes("team_invites"), "no database detail");
});

test("errors: a deadlock or serialization failure with another request is 409 concurrent_change, not 503", async () => {
  const pgError = (code: string) => Object.assign(new Error("could not serialize"), { name: "PostgresError", code });
  for (const code of ["40P01", "40001"]) {
    const res = await withErrorHandling(() => Promise.reject(pgError(code)))(new Request("http://x/api/anything"));
    assert.equal(res.status, 409, code);
    assert.equal((await res.json()).error.code, "concurrent_change");
  }
  // a database going away is still the service's problem
  const down = await withErrorHandling(() => Promise.reject(pgError("57P01")))(new Request("http://x/api/anything"));
  assert.equal(down.status, 503);
  await down.body?.cancel();
});

test("limits: at most 10 teams created a day (429 too_many_teams); at most 100 pending invites (409)", async () => {
  await reset();
  const user = await account("api-invitations-creator@example.com", true);
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) statuses.push((await call(user, "POST", "/api/teams", { name: `API limit ${i}` })).status);
  assert.deepEqual(statuses, [...Array(10).fill(201), 429]);
  assertError(await call(user, "POST", "/api/teams", { name: "API limit x" }), 429, "too_many_teams");
  await sql`insert into public.team_invites (team_id, email, role)
            select ${TEAM}, 'api-invitations-bulk' || g || '@example.com', 'member' from generate_series(1, 100) g`;
  assertError(await call(ADMIN, "POST", `/api/teams/${TEAM}/invites`, { email: EMAIL }), 409, "too_many_invites");
  await reset();
});

test("invitations teardown", async () => {
  await reset();
  await closeAll();
});
