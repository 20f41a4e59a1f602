// Row-level security and privileges of the public schema, proven against a real database (PostgreSQL or PGlite).
// Every test runs in a transaction that is rolled back: fixtures (a second team, a second admin, integrations with
// fake ciphertext) are written inside it and vanish afterwards.
//
// SUPABASE_DB_URL=postgres://postgres:postgres@127.0.0.1:5432/crm_rls \
//   ./node_modules/.bin/deno test -A --config supabase/functions/deno.json --node-modules-dir=manual supabase/tests/
import assert from "node:assert/strict";
import { actAs, actAsOwner, affected, attempt, type Claims, dbTest, type DbRole, failure, inRollbackTx, type Tx } from "./_db.ts";

// ---------------------------------------------------------------------------------------------------------------
// Cast and fixtures

const TEAM_A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"; // seed: "Demo Team"
const TEAM_B = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"; // fixture: another tenant

const OWNER = { id: "11111111-1111-4111-8111-111111111111", email: "demo-admin@example.com" }; // seed: owner of A
const MEMBER = { id: "22222222-2222-4222-8222-222222222222", email: "demo-member@example.com" }; // seed: member of A
const OUTSIDER = { id: "33333333-3333-4333-8333-333333333333", email: "demo-outsider@example.com" }; // seed: no team
const OTHER_OWNER = { id: "44444444-4444-4444-8444-444444444444", email: "rls-other-owner@example.com" }; // owner of B
const ADMIN = { id: "55555555-5555-4555-8555-555555555555", email: "rls-admin@example.com" }; // role 'admin' in A

const INT_A_FATHOM = "a0000000-0000-4000-8000-000000000001"; // team A, connected by OWNER, with secrets + state
const INT_A_SLACK = "a0000000-0000-4000-8000-000000000002"; // team A, connected by OTHER_OWNER (not a teammate)
const INT_B_ZOOM = "b0000000-0000-4000-8000-000000000003"; // team B, connected by OTHER_OWNER

const SECRET_COLUMNS = [
  "access_token_encrypted",
  "refresh_token_encrypted",
  "destination_secret_encrypted",
  "oauth_state_hash",
  "oauth_state_expires_at",
  "oauth_state_user_id",
  "oauth_redirect_uri",
  "oauth_code_verifier_encrypted",
  "oauth_confirm_hash",
] as const;

const CLIENT_READABLE_INTEGRATION_COLUMNS = [
  "id", "team_id", "provider", "status", "account_id", "account_name", "account_email", "scopes",
  "token_expires_at", "connected_by", "connected_at", "last_error", "last_error_at", "created_at", "updated_at",
  "warning", "webhook_triggers", "destination",
].sort();

// Fake ciphertext: recognisable markers so a leak anywhere in a row shows up.
const FAKE = {
  access: "v1:RkFLRS1JVg==:LEAK-ACCESS-TOKEN",
  refresh: "v1:RkFLRS1JVg==:LEAK-REFRESH-TOKEN",
  stateHash: "LEAK-STATE-HASH-0123456789abcdef",
  redirect: "https://app.example.com/LEAK-REDIRECT",
  verifier: "v1:RkFLRS1JVg==:LEAK-CODE-VERIFIER",
  destination: "v1:RkFLRS1JVg==:LEAK-WEBHOOK-URL",
};

type Actor = { name: string; role: DbRole; claims: Claims };

function user(u: { id: string; email: string }): Claims {
  return { sub: u.id, email: u.email, role: "authenticated", aud: "authenticated", aal: "aal1", is_anonymous: false };
}

const ANON: Actor = { name: "anon", role: "anon", claims: { role: "anon" } };
const AS_OUTSIDER: Actor = { name: "outsider", role: "authenticated", claims: user(OUTSIDER) };
const AS_MEMBER: Actor = { name: "member", role: "authenticated", claims: user(MEMBER) };
const AS_ADMIN: Actor = { name: "admin", role: "authenticated", claims: user(ADMIN) };
const AS_OWNER: Actor = { name: "owner", role: "authenticated", claims: user(OWNER) };
const SERVICE: Actor = { name: "service_role", role: "service_role", claims: { role: "service_role" } };

const CLIENTS: Actor[] = [ANON, AS_OUTSIDER, AS_MEMBER, AS_ADMIN, AS_OWNER];
const AUTHENTICATED: Actor[] = [AS_OUTSIDER, AS_MEMBER, AS_ADMIN, AS_OWNER];

/** Writes the fixtures: users (as the owner role: auth.users is not the API's), the rest as service_role. */
async function setup(tx: Tx): Promise<void> {
  await actAsOwner(tx);
  await tx`
    insert into auth.users (id, aud, role, email, raw_user_meta_data)
    values (${OTHER_OWNER.id}, 'authenticated', 'authenticated', ${OTHER_OWNER.email}, '{"full_name":"Other Owner"}'),
           (${ADMIN.id}, 'authenticated', 'authenticated', ${ADMIN.email}, '{"full_name":"Second Admin"}')`;
  await actAs(tx, "service_role", SERVICE.claims);
  await tx`insert into public.teams (id, name) values (${TEAM_B}, 'Other Team')`;
  await tx`
    insert into public.team_members (team_id, user_id, role)
    values (${TEAM_B}, ${OTHER_OWNER.id}, 'owner'), (${TEAM_A}, ${ADMIN.id}, 'admin')`;
  await tx`
    insert into public.team_integrations (
      id, team_id, provider, status, account_name, scopes,
      access_token_encrypted, refresh_token_encrypted, token_expires_at,
      oauth_state_hash, oauth_state_expires_at, oauth_state_user_id, oauth_redirect_uri, oauth_code_verifier_encrypted,
      connected_by, connected_at, destination, destination_secret_encrypted)
    values
      (${INT_A_FATHOM}, ${TEAM_A}, 'fathom', 'connected', 'Demo Fathom', '{public_api}',
       ${FAKE.access}, ${FAKE.refresh}, now() + interval '1 hour',
       ${FAKE.stateHash}, now() + interval '10 minutes', ${OWNER.id}, ${FAKE.redirect}, ${FAKE.verifier},
       ${OWNER.id}, now(), null, null),
      (${INT_A_SLACK}, ${TEAM_A}, 'slack', 'connected', 'Demo Slack', '{}',
       ${FAKE.access + "-2"}, ${FAKE.refresh + "-2"}, null, null, null, null, null, null,
       ${OTHER_OWNER.id}, now(), ${tx.json({ channel: "#sales", channelId: "C1", workspace: "Acme", workspaceId: "T1" })},
       ${FAKE.destination}),
      (${INT_B_ZOOM}, ${TEAM_B}, 'zoom', 'connected', 'Other Zoom', '{}',
       ${FAKE.access + "-3"}, ${FAKE.refresh + "-3"}, null, ${FAKE.stateHash + "-3"}, now(), ${OTHER_OWNER.id},
       ${FAKE.redirect + "-3"}, ${FAKE.verifier + "-3"}, ${OTHER_OWNER.id}, now(), null, null)`;
}

/** A rolled-back transaction with the fixtures in place, switched to `actor`. */
function scenario(actor: Actor, fn: (tx: Tx) => Promise<void>): Promise<void> {
  return inRollbackTx(async (tx) => {
    await setup(tx);
    await actAs(tx, actor.role, actor.claims);
    await fn(tx);
  });
}

async function assertPermissionDenied(tx: Tx, query: string, why: string): Promise<void> {
  const f = await failure(tx, query);
  assert.ok(f, `${why}: expected "permission denied", but it succeeded\n  ${query}`);
  assert.equal(f.code, "42501", `${why}: expected SQLSTATE 42501, got ${f.code} ${f.message}\n  ${query}`);
  assert.match(f.message, /permission denied/, `${why}: ${f.message}`);
}

async function count(tx: Tx, query: string): Promise<number> {
  const rows = await tx.unsafe(query);
  return Number(rows[0].n);
}

// ---------------------------------------------------------------------------------------------------------------
// Catalog guards

dbTest("row level security is enabled on every table in the public schema", async () => {
  await inRollbackTx(async (tx) => {
    const tables = await tx`
      select c.relname, c.relrowsecurity
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
      order by 1`;
    const names = tables.map((t) => t.relname);
    for (const t of ["profiles", "team_integrations", "team_members", "teams"]) assert.ok(names.includes(t), t);
    assert.deepEqual(tables.filter((t) => !t.relrowsecurity).map((t) => t.relname), [], "tables without RLS");
  });
});

dbTest("anon holds no privilege on any table, view or sequence in public, nor on the private schema", async () => {
  await inRollbackTx(async (tx) => {
    const granted = await tx`
      select c.relname, c.relkind
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
        and (has_table_privilege('anon', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
             or (c.relkind <> 'S' and has_any_column_privilege('anon', c.oid, 'SELECT, INSERT, UPDATE, REFERENCES'))
             or exists (select 1 from aclexplode(c.relacl) a where a.grantee = 'anon'::regrole))`;
    assert.deepEqual(granted.map((r) => `${r.relname} (${r.relkind})`), [], "relations granted to anon");
    const [{ usage }] = await tx`select has_schema_privilege('anon', 'private', 'USAGE') as usage`;
    assert.equal(usage, false, "anon must not use the private schema");
  });
});

dbTest("authenticated may select exactly the non-secret columns of team_integrations and write none", async () => {
  await inRollbackTx(async (tx) => {
    const cols = await tx`
      select a.attname,
             has_column_privilege('authenticated', a.attrelid, a.attnum, 'SELECT') as sel,
             has_column_privilege('authenticated', a.attrelid, a.attnum, 'INSERT') as ins,
             has_column_privilege('authenticated', a.attrelid, a.attnum, 'UPDATE') as upd
      from pg_attribute a
      where a.attrelid = 'public.team_integrations'::regclass and a.attnum > 0 and not a.attisdropped`;
    const all = cols.map((c) => c.attname);
    for (const s of SECRET_COLUMNS) assert.ok(all.includes(s), `fixture knows column ${s}`);
    assert.deepEqual(cols.filter((c) => c.sel).map((c) => c.attname).sort(), CLIENT_READABLE_INTEGRATION_COLUMNS);
    assert.deepEqual(cols.filter((c) => c.ins || c.upd).map((c) => c.attname), [], "insertable/updatable columns");
    const [t] = await tx`
      select has_table_privilege('authenticated', 'public.team_integrations', 'SELECT') as sel,
             has_table_privilege('authenticated', 'public.team_integrations', 'INSERT') as ins,
             has_table_privilege('authenticated', 'public.team_integrations', 'UPDATE') as upd,
             has_table_privilege('authenticated', 'public.team_integrations', 'TRUNCATE') as trunc`;
    assert.deepEqual({ ...t }, { sel: false, ins: false, upd: false, trunc: false });
  });
});

dbTest("team_integrations_public exposes no secret column and runs with the caller's rights (security_invoker)", async () => {
  await inRollbackTx(async (tx) => {
    const cols = await tx`
      select attname from pg_attribute
      where attrelid = 'public.team_integrations_public'::regclass and attnum > 0 and not attisdropped`;
    const names = cols.map((c) => c.attname);
    for (const s of SECRET_COLUMNS) assert.ok(!names.includes(s), `view exposes ${s}`);
    assert.ok(names.includes("connected_by_email"));
    const [{ opts }] = await tx`
      select coalesce(reloptions, '{}') as opts from pg_class where oid = 'public.team_integrations_public'::regclass`;
    assert.ok((opts as string[]).some((o) => /^security_invoker=(true|on|1)$/i.test(o)), `reloptions: ${opts}`);
  });
});

// Reviewed exceptions: SECURITY DEFINER functions a client may run that WRITE secret columns after checking the
// caller, and return nothing secret (tested below).
const REVIEWED_SECRET_WRITERS = ["private.begin_oauth_authorization(uuid,text,text,integer,text,text,text)"];

dbTest("no function a client can execute is SECURITY DEFINER over a secret column or returns a team_integrations row", async () => {
  await inRollbackTx(async (tx) => {
    const rows = await tx`
      select p.oid::regprocedure::text as fn
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname not in ('pg_catalog', 'information_schema')
        and (has_function_privilege('anon', p.oid, 'EXECUTE') and has_schema_privilege('anon', n.oid, 'USAGE')
             or has_function_privilege('authenticated', p.oid, 'EXECUTE')
                and has_schema_privilege('authenticated', n.oid, 'USAGE'))
        and ((p.prosecdef and p.prosrc ~ ${SECRET_COLUMNS.join("|")})
             or p.prorettype = 'public.team_integrations'::regtype)
        and not (p.oid::regprocedure::text = any(${REVIEWED_SECRET_WRITERS}) and p.prorettype = 'boolean'::regtype)`;
    assert.deepEqual(rows.map((r) => r.fn), []);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Who reads what

type Counts = { profiles: number; teams: number; team_members: number; team_integrations: number; team_integrations_public: number };
const RELATIONS = ["profiles", "teams", "team_members", "team_integrations", "team_integrations_public"] as const;

// With the fixtures: team A = owner, member, admin (+ fathom, slack); team B = other owner (+ zoom); outsider alone.
const EXPECTED_COUNTS: [Actor, Counts][] = [
  [AS_OUTSIDER, { profiles: 1, teams: 0, team_members: 0, team_integrations: 0, team_integrations_public: 0 }],
  [AS_MEMBER, { profiles: 3, teams: 1, team_members: 3, team_integrations: 2, team_integrations_public: 2 }],
  [AS_ADMIN, { profiles: 3, teams: 1, team_members: 3, team_integrations: 2, team_integrations_public: 2 }],
  [AS_OWNER, { profiles: 3, teams: 1, team_members: 3, team_integrations: 2, team_integrations_public: 2 }],
  [SERVICE, { profiles: 5, teams: 2, team_members: 4, team_integrations: 3, team_integrations_public: 3 }],
];

dbTest("no client role reads or writes a pending OAuth connection (token ciphertext, binding hashes)", async () => {
  for (const actor of [ANON, AS_OWNER]) {
    await scenario(actor, async (tx) => {
      await assertPermissionDenied(tx, "select count(*) from public.oauth_pending_connections", `${actor.name} reads`);
    });
    await scenario(actor, async (tx) => {
      await assertPermissionDenied(tx, "delete from public.oauth_pending_connections", `${actor.name} deletes`);
    });
  }
});

dbTest("anon cannot read any table or the integrations view", async () => {
  await scenario(ANON, async (tx) => {
    for (const rel of RELATIONS) {
      await assertPermissionDenied(tx, `select count(*) from public.${rel}`, `anon reads ${rel}`);
    }
  });
});

for (const [actor, expected] of EXPECTED_COUNTS) {
  dbTest(`${actor.name} sees ${JSON.stringify(expected)} rows`, async () => {
    await scenario(actor, async (tx) => {
      const got: Record<string, number> = {};
      for (const rel of RELATIONS) got[rel] = await count(tx, `select count(*)::int as n from public.${rel}`);
      assert.deepEqual(got, expected);
    });
  });
}

dbTest("a team member sees only their own team, its members, its integrations and teammates' profiles", async () => {
  for (const actor of [AS_MEMBER, AS_OWNER, AS_ADMIN]) {
    await scenario(actor, async (tx) => {
      assert.deepEqual((await tx`select id from public.teams`).map((r) => r.id), [TEAM_A]);
      const teamIds = new Set((await tx`select team_id from public.team_members`).map((r) => r.team_id));
      assert.deepEqual([...teamIds], [TEAM_A]);
      const ints = await tx`select id from public.team_integrations order by provider`;
      assert.deepEqual(ints.map((r) => r.id), [INT_A_FATHOM, INT_A_SLACK]);
      const profiles = (await tx`select id from public.profiles order by id`).map((r) => r.id);
      assert.deepEqual(profiles, [OWNER.id, MEMBER.id, ADMIN.id].sort());
    });
  }
  await scenario({ name: "other owner", role: "authenticated", claims: user(OTHER_OWNER) }, async (tx) => {
    assert.deepEqual((await tx`select id from public.teams`).map((r) => r.id), [TEAM_B]);
    assert.deepEqual((await tx`select id from public.team_integrations`).map((r) => r.id), [INT_B_ZOOM]);
  });
});

dbTest("members read an integration's non-secret columns (positive control for the denials below)", async () => {
  await scenario(AS_MEMBER, async (tx) => {
    const [row] = await tx`
      select ${tx(CLIENT_READABLE_INTEGRATION_COLUMNS)} from public.team_integrations where id = ${INT_A_FATHOM}`;
    assert.equal(row.provider, "fathom");
    assert.equal(row.status, "connected");
    assert.equal(row.connected_by, OWNER.id);
  });
});

dbTest("the view shows connected_by_email only when the connecting user is a teammate", async () => {
  await scenario(AS_MEMBER, async (tx) => {
    const rows = await tx`
      select provider, connected_by, connected_by_email from public.team_integrations_public order by provider`;
    assert.deepEqual(rows.map((r) => ({ ...r })), [
      { provider: "fathom", connected_by: OWNER.id, connected_by_email: OWNER.email },
      { provider: "slack", connected_by: OTHER_OWNER.id, connected_by_email: null }, // not a teammate
    ]);
  });
  await scenario(AS_OUTSIDER, async (tx) => {
    assert.equal((await tx`select * from public.team_integrations_public`).length, 0);
  });
  await scenario(SERVICE, async (tx) => {
    const [slack] = await tx`select connected_by_email from public.team_integrations_public where id = ${INT_A_SLACK}`;
    assert.equal(slack.connected_by_email, OTHER_OWNER.email);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// No client can read a token or OAuth-state column, by any path

const LEAK_PATHS: [string, (col: string) => string][] = [
  ["direct select of the column", (c) => `select ${c} from public.team_integrations`],
  ["select *", () => `select * from public.team_integrations`],
  ["whole-row reference", () => `select t from public.team_integrations t`],
  ["whole-row t.*", () => `select t.* from public.team_integrations t`],
  ["to_jsonb(t)", () => `select to_jsonb(t) from public.team_integrations t`],
  ["row_to_json(t)", () => `select row_to_json(t) from public.team_integrations t`],
  ["column in a function call", (c) => `select md5(${c}::text) from public.team_integrations`],
  ["column in WHERE (oracle)", (c) => `select id from public.team_integrations where ${c} is not null`],
  ["column in ORDER BY (oracle)", (c) => `select id from public.team_integrations order by ${c}`],
  ["count over the column (oracle)", (c) => `select count(${c}) from public.team_integrations`],
  ["delete ... returning the column", (c) => `delete from public.team_integrations returning ${c}`],
  ["delete ... returning *", () => `delete from public.team_integrations returning *`],
  ["delete ... returning whole row", () => `delete from public.team_integrations t returning t`],
  ["delete ... where the column (oracle)", (c) => `delete from public.team_integrations where ${c} is not null`],
  ["update ... returning the column", (c) => `update public.team_integrations set status = status returning ${c}`],
  ["CTE over the table", () => `with x as (select * from public.team_integrations) select * from x`],
  ["join through the view", (c) =>
    `select i.${c} from public.team_integrations_public v join public.team_integrations i using (id)`],
];

for (const actor of CLIENTS) {
  dbTest(`${actor.name} cannot read any secret column through any query path (permission denied)`, async () => {
    await scenario(actor, async (tx) => {
      for (const [label, make] of LEAK_PATHS) {
        const queries = new Set(SECRET_COLUMNS.map((c) => make(c)));
        for (const q of queries) await assertPermissionDenied(tx, q, `${actor.name} / ${label}`);
      }
    });
  });
}

dbTest("the view returns no secret value to any client that may read it", async () => {
  for (const actor of AUTHENTICATED) {
    await scenario(actor, async (tx) => {
      const rows = await tx`select to_jsonb(v) as j from public.team_integrations_public v`;
      const text = JSON.stringify(rows);
      assert.doesNotMatch(text, /LEAK-/, `${actor.name} sees a secret through the view`);
      for (const r of rows) for (const s of SECRET_COLUMNS) assert.ok(!(s in (r.j as object)), s);
    });
  }
  await scenario(ANON, async (tx) => {
    await assertPermissionDenied(tx, "select * from public.team_integrations_public", "anon reads the view");
  });
});

dbTest("a function the client writes itself runs with the client's rights and cannot read secrets", async () => {
  for (const actor of CLIENTS) {
    await scenario(actor, async (tx) => {
      const create = await failure(
        tx,
        `create function pg_temp.rls_probe() returns setof text language sql
         as $$ select access_token_encrypted from public.team_integrations $$`,
      );
      if (create) {
        assert.equal(create.code, "42501", `${actor.name}: ${create.message}`); // not even allowed to create
        return;
      }
      await tx.unsafe(
        `create function pg_temp.rls_probe() returns setof text language sql
         as $$ select access_token_encrypted from public.team_integrations $$`,
      );
      await assertPermissionDenied(tx, "select * from pg_temp.rls_probe()", `${actor.name} calls its own function`);
    });
  }
});

dbTest("planner statistics of team_integrations are hidden from clients (pg_stats)", async () => {
  await inRollbackTx(async (tx) => {
    await setup(tx);
    await actAsOwner(tx);
    await tx`analyze public.team_integrations`;
    const [{ n }] = await tx`
      select count(*)::int as n from pg_stats where schemaname = 'public' and tablename = 'team_integrations'`;
    assert.ok(n > 0, "analyze produced statistics (control)");
    for (const actor of CLIENTS) {
      await actAs(tx, actor.role, actor.claims);
      const rows = await tx`
        select attname, most_common_vals::text, histogram_bounds::text from pg_stats
        where schemaname = 'public' and tablename = 'team_integrations'`;
      assert.deepEqual(rows.filter((r) => (SECRET_COLUMNS as readonly string[]).includes(r.attname)), [], actor.name);
      assert.doesNotMatch(JSON.stringify(rows), /LEAK-/, actor.name);
    }
  });
});

dbTest("service_role reads and writes secret columns (positive control)", async () => {
  await scenario(SERVICE, async (tx) => {
    const [row] = await tx`select ${tx([...SECRET_COLUMNS])} from public.team_integrations where id = ${INT_A_FATHOM}`;
    assert.equal(row.access_token_encrypted, FAKE.access);
    assert.equal(row.oauth_code_verifier_encrypted, FAKE.verifier);
    assert.equal(
      await affected(tx, `update public.team_integrations set access_token_encrypted = 'v1:x:y', oauth_state_hash = null
                          where id = '${INT_A_FATHOM}'`),
      1,
    );
    assert.equal(await affected(tx, `delete from public.team_integrations returning *`), 3);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Who may change what: team_integrations

dbTest("no client can insert an integration, not even with non-secret columns only (secrets: service_role only)", async () => {
  for (const actor of CLIENTS) {
    await scenario(actor, async (tx) => {
      await assertPermissionDenied(
        tx,
        `insert into public.team_integrations (team_id, provider) values ('${TEAM_A}', 'zoom')`,
        `${actor.name} inserts`,
      );
      await assertPermissionDenied(
        tx,
        `insert into public.team_integrations (team_id, provider, access_token_encrypted)
         values ('${TEAM_A}', 'discord', 'v1:a:b')`,
        `${actor.name} inserts a token`,
      );
    });
  }
});

dbTest("no client can update an integration (status, account or any secret column)", async () => {
  for (const actor of CLIENTS) {
    await scenario(actor, async (tx) => {
      for (const set of ["status = 'error'", "account_name = 'x'", ...SECRET_COLUMNS.map((c) => `${c} = null`)]) {
        await assertPermissionDenied(
          tx,
          `update public.team_integrations set ${set} where id = '${INT_A_FATHOM}'`,
          `${actor.name} updates ${set}`,
        );
      }
    });
  }
});

dbTest("anon cannot delete an integration (permission denied)", async () => {
  await scenario(ANON, async (tx) => {
    await assertPermissionDenied(tx, `delete from public.team_integrations where id = '${INT_A_FATHOM}'`, "anon");
  });
});

dbTest("a member or an outsider deletes no integration (0 rows affected), the row stays", async () => {
  for (const actor of [AS_MEMBER, AS_OUTSIDER]) {
    await scenario(actor, async (tx) => {
      assert.equal(await affected(tx, `delete from public.team_integrations where id = '${INT_A_FATHOM}'`), 0);
      assert.equal(await affected(tx, `delete from public.team_integrations`), 0, `${actor.name}: delete all`);
      await actAs(tx, "service_role", SERVICE.claims);
      assert.equal(await count(tx, `select count(*)::int as n from public.team_integrations`), 3);
    });
  }
});

dbTest("the owner and an admin delete their team's integration but not another team's", async () => {
  for (const actor of [AS_OWNER, AS_ADMIN]) {
    await scenario(actor, async (tx) => {
      assert.equal(await affected(tx, `delete from public.team_integrations where id = '${INT_B_ZOOM}'`), 0);
      const deleted = await tx`
        delete from public.team_integrations where team_id = ${TEAM_A} and provider = 'fathom' returning id, provider`;
      assert.deepEqual(deleted.map((r) => ({ ...r })), [{ id: INT_A_FATHOM, provider: "fathom" }], actor.name);
      await actAs(tx, "service_role", SERVICE.claims);
      const left = await tx`select id from public.team_integrations order by id`;
      assert.deepEqual(left.map((r) => r.id), [INT_A_SLACK, INT_B_ZOOM], actor.name);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Who may change what: teams

dbTest("anon cannot rename, create or delete a team (permission denied)", async () => {
  await scenario(ANON, async (tx) => {
    await assertPermissionDenied(tx, `update public.teams set name = 'x' where id = '${TEAM_A}'`, "anon renames");
    await assertPermissionDenied(tx, `insert into public.teams (name) values ('x')`, "anon creates");
    await assertPermissionDenied(tx, `delete from public.teams where id = '${TEAM_A}'`, "anon deletes");
  });
});

dbTest("a member or an outsider cannot rename the team (0 rows affected)", async () => {
  for (const actor of [AS_MEMBER, AS_OUTSIDER]) {
    await scenario(actor, async (tx) => {
      assert.equal(await affected(tx, `update public.teams set name = 'Hijacked' where id = '${TEAM_A}'`), 0);
      await actAs(tx, "service_role", SERVICE.claims);
      const [t] = await tx`select name from public.teams where id = ${TEAM_A}`;
      assert.equal(t.name, "Demo Team");
    });
  }
});

dbTest("the owner and an admin rename their own team but not another team", async () => {
  for (const actor of [AS_OWNER, AS_ADMIN]) {
    await scenario(actor, async (tx) => {
      const renamed = await tx`update public.teams set name = 'Renamed' where id = ${TEAM_A} returning id, name`;
      assert.deepEqual(renamed.map((r) => ({ ...r })), [{ id: TEAM_A, name: "Renamed" }], actor.name);
      assert.equal(await affected(tx, `update public.teams set name = 'Hijacked' where id = '${TEAM_B}'`), 0);
    });
  }
});

dbTest("no client can change a team column other than name, create a team or delete one", async () => {
  for (const actor of AUTHENTICATED) {
    await scenario(actor, async (tx) => {
      await assertPermissionDenied(tx, `update public.teams set created_at = now() where id = '${TEAM_A}'`, actor.name);
      await assertPermissionDenied(
        tx,
        `update public.teams set id = gen_random_uuid() where id = '${TEAM_A}'`,
        actor.name,
      );
      await assertPermissionDenied(tx, `insert into public.teams (name) values ('New')`, `${actor.name} creates`);
      await assertPermissionDenied(tx, `delete from public.teams where id = '${TEAM_A}'`, `${actor.name} deletes`);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Who may change what: team_members and profiles (server-side only)

// Roles, removals, leaving and invites are team business since 20261202000100 (supabase/tests/rls_team_members.test.ts);
// what stays server-side: joining by insert, and every column of a membership but its role.
dbTest("no client can join a team by insert or move a membership to another user or team", async () => {
  for (const actor of CLIENTS) {
    await scenario(actor, async (tx) => {
      const self = (actor.claims.sub as string | undefined) ?? OUTSIDER.id;
      await assertPermissionDenied(
        tx,
        `insert into public.team_members (team_id, user_id, role) values ('${TEAM_A}', '${self}', 'owner')`,
        `${actor.name} joins`,
      );
      await assertPermissionDenied(
        tx,
        `update public.team_members set user_id = '${self}' where user_id = '${OWNER.id}'`,
        `${actor.name} takes over the owner's membership`,
      );
      await assertPermissionDenied(
        tx,
        `update public.team_members set team_id = '${TEAM_B}' where user_id = '${self}'`,
        `${actor.name} moves itself to another team`,
      );
    });
  }
  await scenario(ANON, async (tx) => {
    await assertPermissionDenied(tx, `update public.team_members set role = 'owner'`, "anon changes a role");
    await assertPermissionDenied(tx, `delete from public.team_members`, "anon removes a member");
  });
});

dbTest("no client can create, edit or delete a profile, not even its own", async () => {
  for (const actor of CLIENTS) {
    await scenario(actor, async (tx) => {
      const self = (actor.claims.sub as string | undefined) ?? OUTSIDER.id;
      await assertPermissionDenied(
        tx,
        `insert into public.profiles (id, email) values ('${self}', 'x@example.com')`,
        `${actor.name} inserts`,
      );
      await assertPermissionDenied(
        tx,
        `update public.profiles set full_name = 'X' where id = '${self}'`,
        `${actor.name} edits itself`,
      );
      await assertPermissionDenied(tx, `delete from public.profiles where id = '${self}'`, `${actor.name} deletes`);
    });
  }
});

dbTest("service_role may write every table (the edge functions' path)", async () => {
  await scenario(SERVICE, async (tx) => {
    assert.equal(await affected(tx, `update public.teams set name = 'S' where id = '${TEAM_A}'`), 1);
    assert.equal(
      await affected(tx, `update public.team_members set role = 'admin' where user_id = '${MEMBER.id}'`),
      1,
    );
    assert.equal(await affected(tx, `update public.profiles set full_name = 'S' where id = '${MEMBER.id}'`), 1);
    assert.equal(
      await affected(tx, `insert into public.team_integrations (team_id, provider) values ('${TEAM_A}', 'zoom')`),
      1,
    );
    // (not TEAM_B's only member: the last owner stays even for service_role, rls_team_members.test.ts)
    assert.equal(await affected(tx, `delete from public.team_members where user_id = '${MEMBER.id}'`), 1);
    assert.equal(await affected(tx, `delete from public.teams where id = '${TEAM_B}'`), 1);
  });
});

dbTest("a client cannot grant itself service_role through its JWT claims", async () => {
  await inRollbackTx(async (tx) => {
    await setup(tx);
    await actAs(tx, "authenticated", { ...user(MEMBER), role: "service_role" });
    await assertPermissionDenied(tx, "select access_token_encrypted from public.team_integrations", "forged claim");
    assert.equal(await count(tx, "select count(*)::int as n from public.team_integrations"), 2, "still RLS-filtered");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// private.begin_oauth_authorization: the one way a client writes OAuth state (fathom-oauth-start, as the user)

const beginOAuth = (tx: Tx, team: string, hash: string) =>
  tx`select private.begin_oauth_authorization(${team}::uuid, 'discord', ${hash}, 10, 'http://localhost:5173/cb', null) as ok`;

for (const actor of [AS_MEMBER, AS_OUTSIDER]) {
  dbTest(`${actor.name} cannot start an OAuth authorization for the team (false, nothing written)`, async () => {
    await inRollbackTx(async (tx) => {
      await setup(tx);
      await actAs(tx, actor.role, actor.claims);
      const [{ ok }] = await beginOAuth(tx, TEAM_A, "hash-by-" + actor.name);
      assert.equal(ok, false);
      await actAs(tx, "service_role", { role: "service_role" });
      const rows = await tx`select 1 from public.team_integrations where oauth_state_hash = ${"hash-by-" + actor.name}`;
      assert.equal(rows.length, 0);
    });
  });
}

dbTest("anon cannot even call begin_oauth_authorization", async () => {
  await inRollbackTx(async (tx) => {
    await setup(tx);
    await actAs(tx, "anon", { role: "anon" });
    const result = await attempt(tx, (sp) => beginOAuth(sp, TEAM_A, "hash-anon"));
    assert.equal(result.ok, false);
  });
});

dbTest("an admin starts an authorization: only the state columns change, as that user, and stay unreadable", async () => {
  await inRollbackTx(async (tx) => {
    await setup(tx);
    await actAs(tx, "service_role", { role: "service_role" });
    await tx`insert into public.team_integrations (team_id, provider, status, access_token_encrypted)
             values (${TEAM_A}, 'discord', 'connected', 'v1:existing-token')`;
    await actAs(tx, AS_ADMIN.role, AS_ADMIN.claims);
    const [{ ok }] = await beginOAuth(tx, TEAM_A, "hash-by-admin");
    assert.equal(ok, true);
    assert.ok(await failure(tx, "select oauth_state_hash from public.team_integrations"), "still unreadable");
    await actAs(tx, "service_role", { role: "service_role" });
    const [row] = await tx`select status, access_token_encrypted, oauth_state_hash, oauth_state_user_id::text as uid,
                                  oauth_state_expires_at > now() + interval '9 minutes' as fresh
                             from public.team_integrations where team_id = ${TEAM_A} and provider = 'discord'`;
    assert.deepEqual(
      [row.status, row.access_token_encrypted, row.oauth_state_hash, row.uid, row.fresh],
      ["connected", "v1:existing-token", "hash-by-admin", ADMIN.id, true],
    );
  });
});
