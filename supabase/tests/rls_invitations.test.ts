// Invites are accepted by the invitee, for a proven address only (migration 20261202000400_invites_are_accepted.sql;
// security review 10): no membership by itself, the same answer for every address, accept / decline by the
// invitee with a confirmed canonical address, idempotent and race-safe against a revoke. Also: a departing member's
// leads lose their owner, limits on teams and invites, the last owner under REPEATABLE READ, team names.
import assert from "node:assert/strict";
import postgres from "postgres";
import { actAs, actAsOwner, attempt, type Claims, DB_URL, dbTest, failure, inRollbackTx, type Tx } from "./_db.ts";

const TEAM_A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"; // seed: "Demo Team"
const OWNER = { id: "11111111-1111-4111-8111-111111111111", email: "demo-admin@example.com" }; // seed: owner of A
const MEMBER = { id: "22222222-2222-4222-8222-222222222222", email: "demo-member@example.com" }; // seed: member of A
const OUTSIDER = { id: "33333333-3333-4333-8333-333333333333", email: "demo-outsider@example.com" }; // seed: no team

const claims = (u: { id: string; email: string }): Claims =>
  ({ sub: u.id, email: u.email, role: "authenticated", aud: "authenticated" });
const as = (tx: Tx, u: { id: string; email: string }) => actAs(tx, "authenticated", claims(u));

/** The hint (our error code) a statement fails with, or null if it succeeded. */
async function hintOf(tx: Tx, query: string, params: unknown[] = []): Promise<string | null> {
  const r = await attempt(tx, (sp) => sp.unsafe(query, params as never[]));
  return r.ok ? null : (r.error.hint ?? `${r.error.code} ${r.error.message}`);
}

const invite = (tx: Tx, email: string, role = "member", team = TEAM_A) =>
  tx.unsafe(`select * from private.invite_team_member($1::uuid, $2, $3)`, [team, email, role]);

/** An account as Supabase Auth writes it at sign-up; `confirmed` as after the confirmation link. */
async function signUp(tx: Tx, email: string, confirmed: boolean): Promise<{ id: string; email: string }> {
  await actAsOwner(tx);
  const [u] = await tx`
    insert into auth.users (aud, role, email, email_confirmed_at, raw_user_meta_data)
    values ('authenticated', 'authenticated', ${email}, ${confirmed ? new Date() : null}, '{"full_name":"Ivy"}')
    returning id, email`;
  return { id: u.id, email: u.email };
}

async function roleOf(tx: Tx, team: string, u: string): Promise<string | null> {
  await actAsOwner(tx);
  const [row] = await tx`select role from public.team_members where team_id = ${team} and user_id = ${u}`;
  return row?.role ?? null;
}

// --- nobody joins by themselves (findings 1 and 2) ---------------------------------------------------------------

dbTest("invites: inviting an existing confirmed account adds nobody and answers as for an unknown address", async () => {
  await inRollbackTx(async (tx) => {
    await as(tx, OWNER);
    const [known] = await invite(tx, "Demo-Outsider@Example.COM", "owner");
    const [unknown] = await invite(tx, "nobody-here@example.com", "owner");
    assert.deepEqual(Object.keys(known), ["outcome", "invite_id"]);
    assert.deepEqual([known.outcome, unknown.outcome], ["invited", "invited"]);
    assert.equal(await roleOf(tx, TEAM_A, OUTSIDER.id), null, "the account is not pulled into the team");
  });
});

dbTest("invites: a sign-up with the invited address, confirmed or not, joins nothing by itself", async () => {
  await inRollbackTx(async (tx) => {
    await as(tx, OWNER);
    await invite(tx, "kate@corp.example", "admin");
    await invite(tx, "new.colleague@example.com", "admin");
    const kelvin = await signUp(tx, "\u212Aate@corp.example", true); // KELVIN SIGN: the same canonical address
    const upper = await signUp(tx, "NEW.COLLEAGUE@example.com", false);
    await tx`update auth.users set email_confirmed_at = now(), last_sign_in_at = now() where id = ${upper.id}`;
    assert.equal(await roleOf(tx, TEAM_A, kelvin.id), null);
    assert.equal(await roleOf(tx, TEAM_A, upper.id), null);
    const [{ n }] = await tx`select count(*)::int as n from public.team_invites where accepted_at is null`;
    assert.equal(n, 2, "the invites wait for an answer");
  });
});

// --- the invitee's answer ----------------------------------------------------------------------------------------

dbTest("invitations: only a confirmed address sees and accepts its invites; accepting twice answers the same", async () => {
  await inRollbackTx(async (tx) => {
    await as(tx, OWNER);
    const [{ invite_id }] = await invite(tx, "Ivy.Invitee@Example.com", "admin");
    const ivy = await signUp(tx, "ivy.invitee@example.COM", false);
    await as(tx, ivy);
    assert.equal((await tx`select * from private.my_invitations()`).length, 0, "unconfirmed: nothing to see");
    assert.equal(await hintOf(tx, `select * from private.accept_invitation($1)`, [invite_id]), "email_not_confirmed");
    assert.equal(await hintOf(tx, `select private.decline_invitation($1)`, [invite_id]), "email_not_confirmed");
    await actAsOwner(tx);
    await tx`update auth.users set email_confirmed_at = now() where id = ${ivy.id}`;
    // someone else (confirmed, another address) can neither see nor accept it
    await as(tx, OUTSIDER);
    assert.equal((await tx`select * from private.my_invitations()`).length, 0);
    assert.equal(await hintOf(tx, `select * from private.accept_invitation($1)`, [invite_id]), "invite_not_found");
    await as(tx, ivy);
    const mine = await tx`select id, team_name, role, invited_by_email, invited_by_name from private.my_invitations()`;
    assert.deepEqual(mine.map((r) => ({ ...r })), [{
      id: invite_id, team_name: "Demo Team", role: "admin", invited_by_email: OWNER.email,
      invited_by_name: mine[0].invited_by_name,
    }]);
    const [first] = await tx`select * from private.accept_invitation(${invite_id})`;
    assert.deepEqual({ ...first }, { team_id: TEAM_A, role: "admin" });
    const [again] = await tx`select * from private.accept_invitation(${invite_id})`;
    assert.deepEqual({ ...again }, { team_id: TEAM_A, role: "admin" }, "idempotent");
    assert.equal((await tx`select * from private.my_invitations()`).length, 0);
    await as(tx, OWNER);
    assert.equal((await tx`select count(*)::int as n from public.team_invites`)[0].n, 0, "admins see pending only");
    assert.equal(await roleOf(tx, TEAM_A, ivy.id), "admin");
  });
});

dbTest("invitations: a revoked or declined invite cannot be accepted; a removed member cannot reuse theirs", async () => {
  await inRollbackTx(async (tx) => {
    const ivy = await signUp(tx, "ivy@example.com", true);
    await as(tx, OWNER);
    const [{ invite_id: revoked }] = await invite(tx, ivy.email);
    await tx`delete from public.team_invites where id = ${revoked}`;
    await as(tx, ivy);
    assert.equal(await hintOf(tx, `select * from private.accept_invitation($1)`, [revoked]), "invite_not_found");
    await as(tx, OWNER);
    const [{ invite_id: declined }] = await invite(tx, ivy.email);
    await as(tx, ivy);
    await tx`select private.decline_invitation(${declined})`;
    assert.equal(await hintOf(tx, `select * from private.accept_invitation($1)`, [declined]), "invite_not_found");
    assert.equal(await hintOf(tx, `select private.decline_invitation($1)`, [declined]), "invite_not_found");
    await as(tx, OWNER);
    const [{ invite_id: used }] = await invite(tx, ivy.email);
    await as(tx, ivy);
    await tx`select * from private.accept_invitation(${used})`;
    await as(tx, OWNER);
    await tx`delete from public.team_members where team_id = ${TEAM_A} and user_id = ${ivy.id}`;
    await as(tx, ivy);
    assert.equal(await hintOf(tx, `select * from private.accept_invitation($1)`, [used]), "invite_not_found");
    await as(tx, OWNER);
    const [again] = await invite(tx, ivy.email);
    assert.equal(again.outcome, "invited", "the address can be invited again");
  });
});

dbTest("invitations: authenticated reaches no invite row, nor the old auto-accept, nor another's invitation", async () => {
  await inRollbackTx(async (tx) => {
    await as(tx, OWNER);
    await invite(tx, OUTSIDER.email);
    await as(tx, MEMBER);
    assert.equal((await tx`select count(*)::int as n from public.team_invites`)[0].n, 0);
    const [{ n }] = await tx`select count(*)::int as n from pg_proc p join pg_namespace s on s.oid = p.pronamespace
                             where s.nspname = 'private' and p.proname = 'accept_team_invites'`;
    assert.equal(n, 0, "the auto-accept function is gone");
    assert.equal((await failure(tx, `update public.team_invites set accepted_at = now()`))?.code, "42501");
  });
});

/** A revoke that holds the invite row: an accept waits for it, then finds nothing (real PostgreSQL only). */
dbTest("invitations: an accept racing a revoke loses, never joins", async () => {
  const open = () => postgres(DB_URL, { max: 1, prepare: false, onnotice: () => {} });
  const setupSql = open(), one = open(), two = open();
  const email = `race-${crypto.randomUUID()}@example.com`;
  try {
    const [{ version }] = await setupSql`select version() as version`;
    if (/emscripten|wasm|pglite/i.test(version)) return; // one session: nothing runs concurrently there
    const [u] = await setupSql`insert into auth.users (aud, role, email, email_confirmed_at)
                               values ('authenticated', 'authenticated', ${email}, now()) returning id`;
    const [i] = await setupSql`insert into public.team_invites (team_id, email, role, invited_by)
                               values (${TEAM_A}, ${email}, 'member', ${OWNER.id}) returning id`;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let deleted!: () => void;
    const isDeleted = new Promise<void>((r) => (deleted = r));
    const revoke = one.begin(async (tx) => {
      await actAs(tx as Tx, "authenticated", claims(OWNER));
      await tx`delete from public.team_invites where id = ${i.id}`;
      deleted();
      await held;
    });
    await isDeleted;
    let settled = false;
    const accept = two.begin(async (tx) => {
      await actAs(tx as Tx, "authenticated", claims({ id: u.id, email }));
      return await tx`select * from private.accept_invitation(${i.id})`;
    }).then(() => null, (e) => e).finally(() => (settled = true));
    while (!settled) {
      const [{ n }] = await setupSql`select count(*)::int as n from pg_locks where not granted`;
      if (n > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    release();
    await revoke;
    const error = await accept;
    assert.equal(error?.hint, "invite_not_found");
    const rows = await setupSql`select 1 from public.team_members where team_id = ${TEAM_A} and user_id = ${u.id}`;
    assert.equal(rows.length, 0);
  } finally {
    await setupSql`delete from auth.users where email = ${email}`;
    await Promise.all([setupSql.end(), one.end(), two.end()]);
  }
});

// --- an invite is only as good as its inviter (review 10b) ------------------------------------------------------

/** Pending invites of TEAM_A as (email, role), sorted by e-mail, read as the table owner. */
async function pendingInvites(tx: Tx): Promise<string[]> {
  await actAsOwner(tx);
  const rows = await tx`select email, role from public.team_invites where team_id = ${TEAM_A} and accepted_at is null
                        order by email`;
  return rows.map((r) => `${r.email} ${r.role}`);
}

dbTest("invitations: a removed or leaving inviter's pending invites in that team go; accepted ones and others stay", async () => {
  for (const leaves of [false, true]) {
    await inRollbackTx(async (tx) => {
      await actAsOwner(tx);
      await tx`update public.team_members set role = 'owner' where team_id = ${TEAM_A} and user_id = ${MEMBER.id}`;
      const teamB = crypto.randomUUID();
      await tx`insert into public.teams (id, name) values (${teamB}, 'B')`;
      await tx`insert into public.team_members (team_id, user_id, role) values (${teamB}, ${MEMBER.id}, 'owner')`;
      const ivy = await signUp(tx, "ivy-accepted@example.com", true);
      await as(tx, MEMBER); // a co-owner invites
      await invite(tx, "co-owner-pick@example.com", "owner");
      await invite(tx, "co-admin-pick@example.com", "admin");
      const [{ invite_id: used }] = await invite(tx, ivy.email);
      await invite(tx, "b-pick@example.com", "owner", teamB);
      await as(tx, OWNER);
      await invite(tx, "owner-pick@example.com", "member");
      await as(tx, ivy);
      await tx`select * from private.accept_invitation(${used})`;
      await as(tx, leaves ? MEMBER : OWNER);
      await tx`delete from public.team_members where team_id = ${TEAM_A} and user_id = ${MEMBER.id}`;
      assert.deepEqual(await pendingInvites(tx), ["owner-pick@example.com member"], leaves ? "left" : "removed");
      const [{ n }] = await tx`select count(*)::int as n from public.team_invites
                               where id = ${used} or (team_id = ${teamB} and accepted_at is null)`;
      assert.equal(n, 2, "the accepted receipt and the other team's invite stay");
    });
  }
});

dbTest("invitations: a demoted inviter keeps only the pending invites the new role may send", async () => {
  await inRollbackTx(async (tx) => {
    await actAsOwner(tx);
    await tx`update public.team_members set role = 'owner' where team_id = ${TEAM_A} and user_id = ${MEMBER.id}`;
    await as(tx, MEMBER);
    for (const role of ["owner", "admin", "member"]) await invite(tx, `pick-${role}@example.com`, role);
    await as(tx, OWNER);
    await tx`update public.team_members set role = 'admin' where team_id = ${TEAM_A} and user_id = ${MEMBER.id}`;
    assert.deepEqual(await pendingInvites(tx), ["pick-admin@example.com admin", "pick-member@example.com member"]);
    await as(tx, OWNER);
    await tx`update public.team_members set role = 'admin' where team_id = ${TEAM_A} and user_id = ${MEMBER.id}`;
    assert.equal((await pendingInvites(tx)).length, 2, "admin -> admin drops nothing");
    await as(tx, OWNER);
    await tx`update public.team_members set role = 'member' where team_id = ${TEAM_A} and user_id = ${MEMBER.id}`;
    assert.deepEqual(await pendingInvites(tx), [], "a member sends none");
  });
});

/**
 * Defence in depth: an invite whose inviter may no longer send it (written while the inviter was being removed, or
 * by any path the clean-up misses) is refused as a revoked one; also when the inviter's account is gone
 * (invited_by null: nobody vouches for it any more).
 */
dbTest("invitations: accept refuses an invite its inviter may no longer send (invite_not_found)", async () => {
  await inRollbackTx(async (tx) => {
    const ivy = await signUp(tx, "ivy-late@example.com", true);
    const former = await signUp(tx, "former-owner@example.com", true);
    const cases: [string, string | null, string][] = [
      ["owner", MEMBER.id, "a member's owner invite"],
      ["admin", MEMBER.id, "a member's admin invite"],
      ["member", OUTSIDER.id, "a non-member's invite"],
      ["member", former.id, "an invite of a deleted account"],
      ["member", null, "an invite nobody vouches for"],
    ];
    for (const [role, by, what] of cases) {
      await actAsOwner(tx);
      const [{ id }] = await tx`insert into public.team_invites (team_id, email, role, invited_by)
                                values (${TEAM_A}, ${ivy.email}, ${role}, ${by}) returning id`;
      if (by === former.id) await tx`delete from auth.users where id = ${former.id}`;
      await as(tx, ivy);
      assert.equal(await hintOf(tx, `select * from private.accept_invitation($1)`, [id]), "invite_not_found", what);
      assert.equal(await roleOf(tx, TEAM_A, ivy.id), null, what);
      await tx`delete from public.team_invites where id = ${id}`;
    }
    await actAsOwner(tx);
    const [{ id }] = await tx`insert into public.team_invites (team_id, email, role, invited_by)
                              values (${TEAM_A}, ${ivy.email}, 'owner', ${OWNER.id}) returning id`;
    await as(tx, ivy);
    const [joined] = await tx`select * from private.accept_invitation(${id})`;
    assert.deepEqual({ ...joined }, { team_id: TEAM_A, role: "owner" }, "an owner's owner invite still admits");
  });
});

// --- a departing member's leads (finding 3) ----------------------------------------------------------------------

dbTest("leads: a removed or leaving member's leads in that team lose their owner and stay editable", async () => {
  await inRollbackTx(async (tx) => {
    await actAsOwner(tx);
    const teamB = crypto.randomUUID();
    await tx`insert into public.teams (id, name) values (${teamB}, 'B')`;
    await tx`insert into public.team_members (team_id, user_id, role) values (${teamB}, ${MEMBER.id}, 'owner')`;
    const [a] = await tx`insert into public.leads (team_id, name, owner_id) values (${TEAM_A}, 'A lead', ${MEMBER.id}) returning id`;
    const [b] = await tx`insert into public.leads (team_id, name, owner_id) values (${teamB}, 'B lead', ${MEMBER.id}) returning id`;
    await as(tx, OWNER);
    await tx`delete from public.team_members where team_id = ${TEAM_A} and user_id = ${MEMBER.id}`;
    assert.equal(await failure(tx, `update public.leads set stage = 'won' where id = '${a.id}'`), null);
    await actAsOwner(tx);
    const owners = await tx`select id, owner_id from public.leads where id in (${a.id}, ${b.id}) order by name`;
    assert.deepEqual(owners.map((r) => r.owner_id), [null, MEMBER.id], "only the team they left");
  });
  await inRollbackTx(async (tx) => {
    await actAsOwner(tx);
    const [a] = await tx`insert into public.leads (team_id, name, owner_id) values (${TEAM_A}, 'A lead', ${MEMBER.id}) returning id`;
    await as(tx, MEMBER);
    await tx`delete from public.team_members where team_id = ${TEAM_A} and user_id = ${MEMBER.id}`;
    await as(tx, OWNER);
    assert.equal(await failure(tx, `update public.leads set stage = 'won' where id = '${a.id}'`), null);
  });
  await inRollbackTx(async (tx) => {
    // deleting the team (or the account) still works with owned leads: the memberships and leads go together
    await actAsOwner(tx);
    await tx`insert into public.leads (team_id, name, owner_id) values (${TEAM_A}, 'A lead', ${MEMBER.id})`;
    await tx`delete from public.teams where id = ${TEAM_A}`;
    assert.equal((await tx`select count(*)::int as n from public.leads where team_id = ${TEAM_A}`)[0].n, 0);
  });
});

dbTest("invitations: anon may call none of the invitation functions", async () => {
  await inRollbackTx(async (tx) => {
    const [r] = await tx`
      select has_function_privilege('anon', 'private.my_invitations()', 'EXECUTE') as l,
             has_function_privilege('anon', 'private.accept_invitation(uuid)', 'EXECUTE') as a,
             has_function_privilege('anon', 'private.decline_invitation(uuid)', 'EXECUTE') as d,
             has_function_privilege('authenticated', 'private.require_confirmed_email()', 'EXECUTE') as r`;
    assert.deepEqual({ ...r }, { l: false, a: false, d: false, r: false });
  });
});

// --- limits (finding 4) ------------------------------------------------------------------------------------------

dbTest("limits: 10 teams a day per user (too_many_teams); 100 pending invites per team (too_many_invites)", async () => {
  await inRollbackTx(async (tx) => {
    await as(tx, OUTSIDER);
    for (let i = 0; i < 10; i++) await tx`select private.create_team(${`Team ${i}`})`;
    assert.equal(await hintOf(tx, `select private.create_team('Team 11')`), "too_many_teams");
    await actAsOwner(tx);
    await tx`insert into public.team_invites (team_id, email, role)
             select ${TEAM_A}, 'bulk' || g || '@example.com', 'member' from generate_series(1, 100) g`;
    await as(tx, OWNER);
    assert.equal(await hintOf(tx, `select * from private.invite_team_member($1, 'one-more@example.com', 'member')`,
      [TEAM_A]), "too_many_invites");
  });
});

// --- the last owner under REPEATABLE READ (finding 5) ------------------------------------------------------------

dbTest("team_members: two REPEATABLE READ demotions of the two last owners cannot both pass", async () => {
  const team = crypto.randomUUID();
  const open = () => postgres(DB_URL, { max: 1, prepare: false, onnotice: () => {} });
  const setupSql = open(), one = open(), two = open();
  try {
    const [{ version }] = await setupSql`select version() as version`;
    if (/emscripten|wasm|pglite/i.test(version)) return; // one session: nothing runs concurrently there
    await setupSql`insert into public.teams (id, name) values (${team}, 'RR')`;
    await setupSql`insert into public.team_members (team_id, user_id, role)
                   values (${team}, ${OWNER.id}, 'owner'), (${team}, ${MEMBER.id}, 'owner')`;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let s1!: () => void, s2!: () => void, u1!: () => void;
    const snap1 = new Promise<void>((r) => (s1 = r)), snap2 = new Promise<void>((r) => (s2 = r));
    const updated1 = new Promise<void>((r) => (u1 = r));
    const demote = (sql: postgres.Sql, other: string, ready: () => void, wait: Promise<unknown>,
                    hold: Promise<void>, done: () => void) =>
      sql.begin("isolation level repeatable read", async (tx) => {
        await actAs(tx as Tx, "service_role", { role: "service_role" });
        await tx`select 1 from public.team_members where team_id = ${team}`; // the snapshot is taken here
        ready();
        await wait;
        await tx`update public.team_members set role = 'admin' where team_id = ${team} and user_id = ${other}`;
        done();
        await hold;
      });
    let settled = false;
    // both take their snapshot; then the first demotes and holds, then the second demotes the other owner
    const first = demote(one, MEMBER.id, s1, snap2, held, u1).then(() => "ok", (e) => e);
    const second = demote(two, OWNER.id, s2, Promise.all([snap1, updated1]), Promise.resolve(), () => {})
      .then(() => "ok", (e) => e).finally(() => (settled = true));
    while (!settled) {
      const [{ n }] = await setupSql`select count(*)::int as n from pg_locks where not granted`;
      if (n > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    release();
    const [r1, r2] = await Promise.all([first, second]);
    assert.equal(r1, "ok");
    assert.ok(r2 instanceof postgres.PostgresError && ["40001", "P0001"].includes(r2.code), String(r2));
    const owners = await setupSql`select user_id from public.team_members where team_id = ${team} and role = 'owner'`;
    assert.deepEqual(owners.map((r) => r.user_id), [OWNER.id]);
  } finally {
    await setupSql`delete from public.teams where id = ${team}`;
    await Promise.all([setupSql.end(), one.end(), two.end()]);
  }
});

// --- team names (finding 6) --------------------------------------------------------------------------------------

dbTest("team names: control, format and separator characters, or nothing visible, are refused; others pass", async () => {
  const bad = ["\u202eevil", "a\nb", "\u200b", "\u0007bell", "\u200bDemo Team", "\u3164", " \u00a0 ", "a\u2028b", "x\u00ad", "\u200d"];
  for (const name of bad) {
    await inRollbackTx(async (tx) => {
      await as(tx, OUTSIDER);
      assert.equal(await hintOf(tx, `select private.create_team($1)`, [name]), "invalid_team_name", JSON.stringify(name));
      await as(tx, OWNER);
      const rename = await failure(tx, `update public.teams set name = $1 where id = '${TEAM_A}'`, [name]);
      assert.equal(rename?.code, "23514", `rename to ${JSON.stringify(name)}`);
    });
  }
  for (const name of ["Ünïcødé Team", "日本チーム", "Team 👩‍💻", "محمد"]) {
    await inRollbackTx(async (tx) => {
      await as(tx, OUTSIDER);
      assert.equal(await hintOf(tx, `select private.create_team($1)`, [name]), null, JSON.stringify(name));
    });
  }
});

dbTest("team names: combining marks, variation selectors and other invisible fillers alone are refused", async () => {
  const bad = ["\u0301", "\u0301\u0301\u0301", " \u0300 ", "\u034f", "\u0488", "\u1ab0", "\u1dc0", "\u20dd",
    "\ufe20", "\u17b4\u17b5", "\u180b", "\ufe0f", "\u{e0100}", "\u3164\u0301\ufe0f", "\u2800\u20dd"];
  for (const name of bad) {
    await inRollbackTx(async (tx) => {
      await as(tx, OUTSIDER);
      assert.equal(await hintOf(tx, `select private.create_team($1)`, [name]), "invalid_team_name", JSON.stringify(name));
      await as(tx, OWNER);
      const rename = await failure(tx, `update public.teams set name = $1 where id = '${TEAM_A}'`, [name]);
      assert.equal(rename?.code, "23514", `rename to ${JSON.stringify(name)}`);
    });
  }
  for (const name of ["Cafe\u0301", "\u263a\ufe0f", "\u1780\u17b4", "a\u{e0100}"]) {
    await inRollbackTx(async (tx) => {
      await as(tx, OUTSIDER);
      assert.equal(await hintOf(tx, `select private.create_team($1)`, [name]), null, JSON.stringify(name));
    });
  }
});
