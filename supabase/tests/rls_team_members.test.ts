// Team membership managed by the team (migration 20261202000100_team_membership.sql), proven against the database:
// roles, removal, leaving, the last owner (also under two concurrent transactions), invites and their RLS, creating a
// team. Accepting invites (migration 20261202000400) is proven in rls_invitations.test.ts.
import assert from "node:assert/strict";
import postgres from "postgres";
import { actAs, actAsOwner, affected, attempt, type Claims, DB_URL, dbTest, failure, inRollbackTx, type Tx } from "./_db.ts";

const TEAM_A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"; // seed: "Demo Team"
const TEAM_B = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"; // fixture
const OWNER = { id: "11111111-1111-4111-8111-111111111111", email: "demo-admin@example.com" }; // seed: owner of A
const MEMBER = { id: "22222222-2222-4222-8222-222222222222", email: "demo-member@example.com" }; // seed: member of A
const OUTSIDER = { id: "33333333-3333-4333-8333-333333333333", email: "demo-outsider@example.com" }; // seed: no team
const ADMIN = { id: "55555555-5555-4555-8555-555555555555", email: "tm-admin@example.com" }; // fixture: admin of A
const OWNER2 = { id: "66666666-6666-4666-8666-666666666666", email: "tm-owner2@example.com" }; // fixture: 2nd owner
const B_ADMIN = { id: "77777777-7777-4777-8777-777777777777", email: "tm-b-admin@example.com" }; // fixture: B's admin

function user(u: { id: string; email: string }): Claims {
  return { sub: u.id, email: u.email, role: "authenticated", aud: "authenticated", aal: "aal1", is_anonymous: false };
}

async function setup(tx: Tx, opts: { secondOwner?: boolean } = {}): Promise<void> {
  await actAsOwner(tx);
  await tx`
    insert into auth.users (id, aud, role, email, email_confirmed_at, raw_user_meta_data)
    values (${ADMIN.id}, 'authenticated', 'authenticated', ${ADMIN.email}, now(), '{"full_name":"Tia Admin"}'),
           (${OWNER2.id}, 'authenticated', 'authenticated', ${OWNER2.email}, now(), '{}'),
           (${B_ADMIN.id}, 'authenticated', 'authenticated', ${B_ADMIN.email}, now(), '{}')`;
  await tx`insert into public.teams (id, name) values (${TEAM_B}, 'Other Team')`;
  await tx`
    insert into public.team_members (team_id, user_id, role)
    values (${TEAM_A}, ${ADMIN.id}, 'admin'), (${TEAM_B}, ${B_ADMIN.id}, 'admin'), (${TEAM_B}, ${OUTSIDER.id}, 'owner')`;
  if (opts.secondOwner) {
    await tx`insert into public.team_members (team_id, user_id, role) values (${TEAM_A}, ${OWNER2.id}, 'owner')`;
  }
}

async function as(tx: Tx, u: { id: string; email: string }) {
  await actAs(tx, "authenticated", user(u));
}

const setRole = (u: string, role: string) =>
  `update public.team_members set role = '${role}' where team_id = '${TEAM_A}' and user_id = '${u}'`;
const remove = (u: string, team = TEAM_A) =>
  `delete from public.team_members where team_id = '${team}' and user_id = '${u}'`;

async function roleOf(tx: Tx, team: string, u: string): Promise<string | null> {
  await actAsOwner(tx);
  const [row] = await tx`select role from public.team_members where team_id = ${team} and user_id = ${u}`;
  return row?.role ?? null;
}

/** The hint (our error code) a statement fails with, or null if it succeeded. */
async function hintOf(tx: Tx, query: string, params: unknown[] = []): Promise<string | null> {
  const r = await attempt(tx, (sp) => sp.unsafe(query, params as never[]));
  return r.ok ? null : (r.error.hint ?? `${r.error.code} ${r.error.message}`);
}

const invite = (email: string, role = "member", team = TEAM_A): [string, never[]] =>
  [`select * from private.invite_team_member($1::uuid, $2, $3)`, [team, email, role] as never[]];

// --- roles and removal -------------------------------------------------------------------------------------------

dbTest("team_members: a member can neither change a role nor remove anyone but itself", async () => {
  await inRollbackTx(async (tx) => {
    await setup(tx);
    await as(tx, MEMBER);
    assert.equal(await affected(tx, setRole(MEMBER.id, "admin")), 0, "promotes itself");
    assert.equal(await affected(tx, setRole(OWNER.id, "member")), 0, "demotes the owner");
    assert.equal(await affected(tx, setRole(ADMIN.id, "member")), 0, "demotes an admin");
    assert.equal(await affected(tx, remove(ADMIN.id)), 0, "removes an admin");
    assert.equal(await affected(tx, remove(OWNER.id)), 0, "removes the owner");
    assert.equal(await affected(tx, remove(MEMBER.id)), 1, "leaves");
  });
});

dbTest("team_members: an admin manages members and admins but cannot touch an owner or make one", async () => {
  await inRollbackTx(async (tx) => {
    await setup(tx);
    await as(tx, ADMIN);
    assert.equal(await affected(tx, setRole(MEMBER.id, "admin")), 1, "promotes a member to admin");
    assert.equal(await affected(tx, setRole(MEMBER.id, "member")), 1, "demotes an admin");
    assert.equal(await affected(tx, setRole(OWNER.id, "admin")), 0, "demotes the owner");
    assert.equal(await affected(tx, remove(OWNER.id)), 0, "removes the owner");
    const promote = await failure(tx, setRole(MEMBER.id, "owner"));
    assert.equal(promote?.code, "42501", "makes an owner: WITH CHECK refuses");
    assert.equal(await failure(tx, setRole(ADMIN.id, "owner")).then((f) => f?.code), "42501", "makes itself owner");
    assert.equal(await affected(tx, remove(MEMBER.id)), 1, "removes a member");
    assert.equal(await roleOf(tx, TEAM_A, OWNER.id), "owner");
  });
});

dbTest("team_members: an owner makes and unmakes owners; the last owner is never demoted, removed or leaves", async () => {
  await inRollbackTx(async (tx) => {
    await setup(tx);
    await as(tx, OWNER);
    assert.equal(await hintOf(tx, setRole(OWNER.id, "admin")), "last_owner", "demotes itself");
    assert.equal(await hintOf(tx, remove(OWNER.id)), "last_owner", "leaves");
    assert.equal(await affected(tx, setRole(OWNER.id, "owner")), 1, "owner -> owner is no demotion");
    assert.equal(await affected(tx, setRole(MEMBER.id, "owner")), 1, "makes a member owner");
    assert.equal(await affected(tx, setRole(MEMBER.id, "member")), 1, "unmakes that owner");
    assert.equal(await affected(tx, remove(ADMIN.id)), 1, "removes an admin");
  });
  await inRollbackTx(async (tx) => {
    await setup(tx, { secondOwner: true });
    await as(tx, OWNER);
    await tx.unsafe(setRole(OWNER2.id, "admin"));
    assert.equal(await roleOf(tx, TEAM_A, OWNER2.id), "admin");
    await as(tx, OWNER2); // now an admin: cannot touch the owner
    assert.equal(await affected(tx, setRole(OWNER.id, "admin")), 0);
  });
  await inRollbackTx(async (tx) => {
    await setup(tx, { secondOwner: true });
    await as(tx, OWNER);
    await tx.unsafe(remove(OWNER.id)); // with another owner, an owner may leave
    assert.equal(await roleOf(tx, TEAM_A, OWNER.id), null);
    await as(tx, OWNER2);
    assert.equal(await hintOf(tx, remove(OWNER2.id)), "last_owner", "now the last one");
  });
});

dbTest("team_members: even service_role keeps the last owner; deleting the team or the account lets it go", async () => {
  await inRollbackTx(async (tx) => {
    await setup(tx);
    await actAs(tx, "service_role", { role: "service_role" });
    assert.equal(await hintOf(tx, setRole(OWNER.id, "member")), "last_owner");
    assert.equal(await hintOf(tx, remove(OWNER.id)), "last_owner");
    assert.equal(await affected(tx, `delete from public.teams where id = '${TEAM_B}'`), 1, "team deleted");
    await actAsOwner(tx);
    assert.equal(await affected(tx, `delete from auth.users where id = '${OWNER.id}'`), 1, "account deleted");
  });
});

dbTest("team_members: an outsider and another team's admin change and remove nothing in the team", async () => {
  for (const who of [OUTSIDER, B_ADMIN]) {
    await inRollbackTx(async (tx) => {
      await setup(tx);
      await as(tx, who);
      assert.equal(await affected(tx, setRole(MEMBER.id, "admin")), 0, `${who.email} changes a role`);
      assert.equal(await affected(tx, remove(MEMBER.id)), 0, `${who.email} removes a member`);
    });
  }
});

// --- the last owner under concurrency ----------------------------------------------------------------------------

/**
 * Two owners of a committed team are demoted in two concurrent transactions: the first commits, the second must
 * fail with last_owner. On PostgreSQL the second is seen waiting for the team row's lock before the first
 * commits; PGlite is one session, so there the second simply queues behind the first (same outcome).
 */
dbTest("team_members: two concurrent demotions of the two last owners cannot both succeed", async () => {
  const team = crypto.randomUUID();
  const open = () => postgres(DB_URL, { max: 1, prepare: false, onnotice: () => {} });
  const setupSql = open();
  const one = open();
  const two = open();
  try {
    const [{ version }] = await setupSql`select version() as version`;
    const pglite = /emscripten|wasm|pglite/i.test(version);
    await setupSql`insert into public.teams (id, name) values (${team}, 'Concurrency')`;
    await setupSql`insert into public.team_members (team_id, user_id, role)
                   values (${team}, ${OWNER.id}, 'owner'), (${team}, ${MEMBER.id}, 'owner')`;
    const demote = (sql: postgres.Sql, other: typeof OWNER, hold: Promise<void>, done = () => {}) =>
      sql.begin(async (tx) => {
        // as service_role: the rule is the trigger's (as users, the second would also be refused by RLS once
        // it no longer is an owner, which would hide a missing lock on a database that runs them one by one)
        await actAs(tx as Tx, "service_role", { role: "service_role" });
        const rows = await tx`update public.team_members set role = 'admin'
                               where team_id = ${team} and user_id = ${other.id} returning user_id`;
        assert.equal(rows.length, 1);
        done();
        await hold;
      });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let updated!: () => void;
    const firstUpdated = new Promise<void>((r) => (updated = r));
    const first = demote(one, MEMBER, held, updated);
    await firstUpdated; // the first holds the team row's lock (and, on PGlite, the session) until it commits
    let settled = false;
    const second = demote(two, OWNER, Promise.resolve()).then(() => null, (e) => e)
      .finally(() => (settled = true));
    if (!pglite) {
      // wait until the second is blocked on a lock (it has counted nothing yet), or has finished without one
      while (!settled) {
        const [{ n }] = await setupSql`select count(*)::int as n from pg_locks where not granted`;
        if (n > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    release();
    await first;
    const error = await second;
    assert.ok(error instanceof postgres.PostgresError, `the second demotion must fail, got ${error}`);
    assert.equal(error.hint, "last_owner");
    const owners = await setupSql`select user_id from public.team_members where team_id = ${team} and role = 'owner'`;
    assert.deepEqual(owners.map((r) => r.user_id), [OWNER.id]);
  } finally {
    await setupSql`delete from public.teams where id = ${team}`;
    await Promise.all([setupSql.end(), one.end(), two.end()]);
  }
});

// --- a lead's owner is a member of its team ---------------------------------------------------------------------

dbTest("leads: an owner outside the lead's team is refused by the database itself (23503), even for service_role", async () => {
  await inRollbackTx(async (tx) => {
    await setup(tx);
    await actAs(tx, "service_role", { role: "service_role" });
    const [lead] = await tx`insert into public.leads (team_id, name) values (${TEAM_A}, 'FK') returning id`;
    const assign = await failure(tx, `update public.leads set owner_id = '${B_ADMIN.id}' where id = '${lead.id}'`);
    assert.equal(assign?.code, "23503", "another team's admin as owner");
    const create = await failure(tx, `insert into public.leads (team_id, name, owner_id)
                                      values ('${TEAM_A}', 'FK2', '${OUTSIDER.id}')`);
    assert.equal(create?.code, "23503", "an outsider as owner");
    assert.equal(await affected(tx, `update public.leads set owner_id = '${MEMBER.id}' where id = '${lead.id}'`), 1);
    await tx.unsafe(remove(MEMBER.id));
    const [after] = await tx`select team_id, owner_id from public.leads where id = ${lead.id}`;
    assert.deepEqual({ ...after }, { team_id: TEAM_A, owner_id: null }, "removal clears the owner, keeps the team");
  });
});

/**
 * A member is removed while, in another transaction, a lead is assigned to (or created for) them. The write's
 * foreign-key check locks the membership row (KEY SHARE), so on PostgreSQL it waits for the removal and then fails
 * (23503); whichever order, no lead ends up owned by a non-member. PGlite is one session: there the write simply
 * runs after the removal committed (and RLS refuses it).
 */
for (const mode of ["reassign", "create"] as const) {
  dbTest(`leads: a ${mode} for a member being removed never leaves a lead owned by a non-member`, async () => {
    const team = crypto.randomUUID();
    const open = () => postgres(DB_URL, { max: 1, prepare: false, onnotice: () => {} });
    const setupSql = open(), one = open(), two = open();
    try {
      const [{ version }] = await setupSql`select version() as version`;
      const pglite = /emscripten|wasm|pglite/i.test(version);
      await setupSql`insert into public.teams (id, name) values (${team}, 'Race')`;
      await setupSql`insert into public.team_members (team_id, user_id, role)
                     values (${team}, ${OWNER.id}, 'owner'), (${team}, ${MEMBER.id}, 'member')`;
      const [lead] = await setupSql`insert into public.leads (team_id, name, owner_id)
                                    values (${team}, 'L', ${OWNER.id}) returning id`;
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let deleted!: () => void;
      const isDeleted = new Promise<void>((r) => (deleted = r));
      const removal = one.begin(async (tx) => {
        await actAs(tx as Tx, "authenticated", user(OWNER));
        await tx`delete from public.team_members where team_id = ${team} and user_id = ${MEMBER.id}`;
        deleted();
        await held;
      });
      await isDeleted;
      let settled = false;
      const write = two.begin(async (tx) => {
        await actAs(tx as Tx, "authenticated", user(OWNER));
        if (mode === "reassign") await tx`update public.leads set owner_id = ${MEMBER.id} where id = ${lead.id}`;
        else await tx`insert into public.leads (team_id, name, owner_id) values (${team}, 'New', ${MEMBER.id})`;
      }).then(() => null, (e) => e).finally(() => (settled = true));
      if (!pglite) {
        // the write must reach its foreign-key check (and wait on the membership row) before the removal commits
        while (!settled) {
          const [{ n }] = await setupSql`select count(*)::int as n from pg_locks where not granted`;
          if (n > 0) break;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      release();
      await removal;
      const error = await write;
      assert.ok(error instanceof postgres.PostgresError, `the write must fail, got ${error}`);
      assert.ok(["23503", "42501"].includes(error.code), `${error.code} ${error.message}`);
      if (!pglite) assert.equal(error.code, "23503", "it waited for the removal, then found no membership");
      const orphans = await setupSql`
        select l.id from public.leads l where l.team_id = ${team} and l.owner_id is not null
           and not exists (select 1 from public.team_members m where m.team_id = l.team_id and m.user_id = l.owner_id)`;
      assert.equal(orphans.length, 0, "a lead is owned by someone who is no longer a member");
    } finally {
      await setupSql`delete from public.teams where id = ${team}`;
      await Promise.all([setupSql.end(), one.end(), two.end()]);
    }
  });
}

// --- invites -----------------------------------------------------------------------------------------------------

dbTest("invites: an admin invites a confirmed account or a new address: both pending, nobody joins", async () => {
  await inRollbackTx(async (tx) => {
    await setup(tx);
    await as(tx, ADMIN);
    const [known] = await tx.unsafe(...invite("  Demo-Outsider@Example.COM ", "admin"));
    const [pending] = await tx.unsafe(...invite("New.Person@Example.com"));
    assert.deepEqual([known.outcome, pending.outcome], ["invited", "invited"]);
    const rows = await tx`select email, email_normalized, role, invited_by from public.team_invites order by email`;
    assert.deepEqual(rows.map((r) => ({ ...r })), [
      { email: "Demo-Outsider@Example.COM", email_normalized: "demo-outsider@example.com", role: "admin", invited_by: ADMIN.id },
      { email: "New.Person@Example.com", email_normalized: "new.person@example.com", role: "member", invited_by: ADMIN.id },
    ]);
    assert.equal(await roleOf(tx, TEAM_A, OUTSIDER.id), null);
  });
});

dbTest("invites: duplicate, existing member, invalid address, owner role by an admin are refused with a code", async () => {
  await inRollbackTx(async (tx) => {
    await setup(tx);
    await as(tx, ADMIN);
    await tx.unsafe(...invite("new.person@example.com"));
    assert.equal(await hintOf(tx, ...invite("NEW.person@example.com ")), "invite_exists");
    assert.equal(await hintOf(tx, ...invite("DEMO-member@example.com")), "already_member");
    for (const bad of ["not-an-email", "a@b", "two@@example.com", "x\u200b@example.com", ""]) {
      assert.equal(await hintOf(tx, ...invite(bad)), "invalid_email", JSON.stringify(bad));
    }
    assert.equal(await hintOf(tx, ...invite("boss@example.com", "owner")), "not_team_owner");
    assert.match(String(await hintOf(tx, ...invite("x@example.com", "king"))), /23514/, "unknown role: check");
    await as(tx, OWNER);
    const [owner] = await tx.unsafe(...invite("boss@example.com", "owner"));
    assert.equal(owner.outcome, "invited");
  });
});

dbTest("invites: a member, an outsider and another team's admin can neither invite nor see nor revoke", async () => {
  await inRollbackTx(async (tx) => {
    await setup(tx);
    await as(tx, ADMIN);
    await tx.unsafe(...invite("new.person@example.com"));
    for (const who of [MEMBER, OUTSIDER, B_ADMIN]) {
      await as(tx, who);
      assert.equal(await hintOf(tx, ...invite("someone@example.com")), "not_team_admin", who.email);
      assert.equal((await tx`select count(*)::int as n from public.team_invites`)[0].n, 0, `${who.email} reads`);
      assert.equal(await affected(tx, `delete from public.team_invites`), 0, `${who.email} revokes`);
      const insert = await failure(tx, `insert into public.team_invites (team_id, email, role)
                                        values ('${TEAM_A}', 'x@example.com', 'owner')`);
      assert.equal(insert?.code, "42501", `${who.email} inserts`);
    }
    await as(tx, OWNER);
    assert.equal((await tx`select count(*)::int as n from public.team_invites`)[0].n, 1, "owner reads");
    await as(tx, ADMIN);
    assert.equal(await affected(tx, `update public.team_invites set role = 'owner'`).catch(() => -1), -1, "no update");
    assert.equal(await affected(tx, `delete from public.team_invites`), 1, "admin revokes");
  });
});

dbTest("invites: anon holds no privilege on team_invites nor the invite and create functions", async () => {
  await inRollbackTx(async (tx) => {
    const [r] = await tx`
      select has_table_privilege('anon', 'public.team_invites', 'SELECT,INSERT,UPDATE,DELETE') as t,
             has_function_privilege('anon', 'private.invite_team_member(uuid,text,text)', 'EXECUTE') as i,
             has_function_privilege('anon', 'private.create_team(text)', 'EXECUTE') as c,
             has_table_privilege('authenticated', 'public.team_invites', 'INSERT') as ai,
             has_table_privilege('authenticated', 'public.team_invites', 'UPDATE') as au`;
    assert.deepEqual({ ...r }, { t: false, i: false, c: false, ai: false, au: false });
  });
});

// --- creating a team ---------------------------------------------------------------------------------------------

dbTest("create_team: someone in no team creates one and is its owner; a blank name is refused", async () => {
  await inRollbackTx(async (tx) => {
    await as(tx, OUTSIDER);
    const [{ id }] = await tx`select private.create_team('  Outsider Co  ') as id`;
    const teams = await tx`select t.name, m.role from public.teams t join public.team_members m on m.team_id = t.id`;
    assert.deepEqual(teams.map((r) => ({ ...r })), [{ name: "Outsider Co", role: "owner" }]);
    assert.equal((await tx`select count(*)::int as n from public.team_settings where team_id = ${id}`)[0].n, 1);
    assert.equal(await hintOf(tx, `select private.create_team('   ')`), "invalid_team_name");
    await actAs(tx, "anon", { role: "anon" });
    assert.equal((await failure(tx, `select private.create_team('Anon')`))?.code, "42501");
  });
});
