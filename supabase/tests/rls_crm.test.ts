// Row-level security and privileges of the CRM tables (migration 20261125000200_leads_meetings_and_sync.sql):
// team_settings, leads, lead_emails, meetings, meeting_leads, integration_events, webhook_deliveries,
// integration_syncs, and the webhook columns of team_integrations. Every test runs in a transaction that is rolled
// back; fixtures (a second team with its own lead, meeting, event and sync) are written inside it.
//
// SUPABASE_DB_URL=postgres://postgres:postgres@127.0.0.1:5432/crm_leads \
//   ./node_modules/.bin/deno test -A --config supabase/functions/deno.json --node-modules-dir=manual \
//   supabase/tests/rls_crm.test.ts
import assert from "node:assert/strict";
import { actAs, actAsOwner, affected, type Claims, dbTest, type DbRole, failure, inRollbackTx, type Tx } from "./_db.ts";

// ---------------------------------------------------------------------------------------------------------------
// Cast and fixtures (ids distinct from rls.test.ts so the two files never contend for the same keys)

const TEAM_A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"; // seed: "Demo Team"
const TEAM_B = "cccccccc-cccc-4ccc-8ccc-cccccccccccc"; // fixture: another tenant

const OWNER = { id: "11111111-1111-4111-8111-111111111111", email: "demo-admin@example.com" }; // seed: owner of A
const MEMBER = { id: "22222222-2222-4222-8222-222222222222", email: "demo-member@example.com" }; // seed: member of A
const OUTSIDER = { id: "33333333-3333-4333-8333-333333333333", email: "demo-outsider@example.com" }; // seed: no team
const OTHER_OWNER = { id: "66666666-6666-4666-8666-666666666666", email: "crm-other-owner@example.com" }; // owner of B

const LEAD_JANE = "c0000000-0000-4000-8000-000000000001"; // seed: Jane Doe <jane.doe@acme.example>, team A
const LEAD_TOM = "c0000000-0000-4000-8000-000000000005"; // seed: Tom Baker, team A, no meetings
const LEAD_B = "c1000000-0000-4000-8000-000000000001"; // fixture: team B
const INT_A = "c2000000-0000-4000-8000-00000000000a"; // fixture: team A's Fathom integration (webhook secrets)
const INT_B = "c2000000-0000-4000-8000-00000000000b"; // fixture: team B's Fathom integration
const MEETING_A = "c3000000-0000-4000-8000-00000000000a";
const MEETING_B = "c3000000-0000-4000-8000-00000000000b";

const NEW_TABLES = [
  "team_settings", "leads", "lead_emails", "meetings", "meeting_leads", "integration_events", "webhook_deliveries",
  "integration_syncs",
] as const;
const MEMBER_READABLE = NEW_TABLES.filter((t) => t !== "webhook_deliveries");
const WEBHOOK_COLUMNS = [
  "webhook_id", "webhook_secret_encrypted", "webhook_route_id", "refresh_failure_count", "last_refreshed_at",
] as const;
const FAKE = { secret: "v1:RkFLRS1JVg==:LEAK-WEBHOOK-SECRET", route: "LEAK-ROUTE-" + "r".repeat(40) };

type Actor = { name: string; role: DbRole; claims: Claims };
const user = (u: { id: string; email: string }): Claims => ({
  sub: u.id, email: u.email, role: "authenticated", aud: "authenticated", aal: "aal1", is_anonymous: false,
});
const ANON: Actor = { name: "anon", role: "anon", claims: { role: "anon" } };
const AS_OUTSIDER: Actor = { name: "outsider", role: "authenticated", claims: user(OUTSIDER) };
const AS_MEMBER: Actor = { name: "member", role: "authenticated", claims: user(MEMBER) };
const AS_OWNER: Actor = { name: "owner", role: "authenticated", claims: user(OWNER) };
const AS_OTHER_OWNER: Actor = { name: "other team's owner", role: "authenticated", claims: user(OTHER_OWNER) };
const SERVICE: Actor = { name: "service_role", role: "service_role", claims: { role: "service_role" } };
const CLIENTS = [ANON, AS_OUTSIDER, AS_MEMBER, AS_OWNER];

/** Team B (with its owner, lead, integration, meeting, event, sync) and team A's integration, meeting, link, event. */
async function setup(tx: Tx): Promise<void> {
  await actAsOwner(tx);
  await tx`insert into auth.users (id, aud, role, email) values (${OTHER_OWNER.id}, 'authenticated', 'authenticated', ${OTHER_OWNER.email})`;
  await actAs(tx, "service_role", SERVICE.claims);
  await tx`insert into public.teams (id, name) values (${TEAM_B}, 'Other Team')`;
  await tx`insert into public.team_members (team_id, user_id, role) values (${TEAM_B}, ${OTHER_OWNER.id}, 'owner')`;
  await tx`insert into public.leads (id, team_id, name, company) values (${LEAD_B}, ${TEAM_B}, 'Bea Other', 'Other Co')`;
  // the same address as seed Jane in team A: uniqueness is per team
  await tx`insert into public.lead_emails (lead_id, team_id, email) values (${LEAD_B}, ${TEAM_B}, 'Jane.Doe@acme.example')`;
  await tx`
    insert into public.team_integrations (id, team_id, provider, status, webhook_id, webhook_secret_encrypted,
                                          webhook_route_id, refresh_failure_count, last_refreshed_at)
    values (${INT_A}, ${TEAM_A}, 'fathom', 'connected', 'LEAK-WEBHOOK-ID', ${FAKE.secret}, ${FAKE.route}, 2, now()),
           (${INT_B}, ${TEAM_B}, 'fathom', 'connected', 'wh_b', 'v1:x:y', ${"b".repeat(43)}, 0, null)`;
  await tx`
    insert into public.meetings (id, team_id, integration_id, provider_meeting_id, title, invitees, source)
    values (${MEETING_A}, ${TEAM_A}, ${INT_A}, 1001, 'QBR with Acme',
            '[{"email":"jane.doe@acme.example","is_external":true}]', 'webhook'),
           (${MEETING_B}, ${TEAM_B}, ${INT_B}, 1001, 'Other team call', '[]', 'backfill')`;
  await tx`
    insert into public.meeting_leads (meeting_id, lead_id, team_id, matched_email)
    values (${MEETING_A}, ${LEAD_JANE}, ${TEAM_A}, 'jane.doe@acme.example'),
           (${MEETING_B}, ${LEAD_B}, ${TEAM_B}, 'jane.doe@acme.example')`;
  await tx`
    insert into public.integration_events (team_id, integration_id, provider, type, subject_type, subject_id, payload)
    values (${TEAM_A}, ${INT_A}, 'fathom', 'fathom.meeting.imported', 'meeting', ${MEETING_A}, '{"recording_id":1001}'),
           (${TEAM_A}, ${INT_A}, 'fathom', 'fathom.meeting.linked_to_lead', 'lead', ${LEAD_JANE}, '{}'),
           (${TEAM_B}, ${INT_B}, 'fathom', 'fathom.meeting.imported', 'meeting', ${MEETING_B}, '{}')`;
  await tx`
    insert into public.integration_syncs (integration_id, team_id, status, stage, cursor, listed_count)
    values (${INT_A}, ${TEAM_A}, 'running', 'list', 'eyJwYWdlIjoyfQ==', 10),
           (${INT_B}, ${TEAM_B}, 'completed', 'done', null, 1)`;
  await tx`
    insert into public.webhook_deliveries (integration_id, team_id, webhook_message_id, recording_id)
    values (${INT_A}, ${TEAM_A}, 'msg_1', 1001)`;
}

function scenario(actor: Actor, fn: (tx: Tx) => Promise<void>): Promise<void> {
  return inRollbackTx(async (tx) => {
    await setup(tx);
    await actAs(tx, actor.role, actor.claims);
    await fn(tx);
  });
}

async function assertFails(tx: Tx, query: string, code: string, why: string): Promise<void> {
  const f = await failure(tx, query);
  assert.ok(f, `${why}: expected SQLSTATE ${code}, but it succeeded\n  ${query}`);
  assert.equal(f.code, code, `${why}: expected SQLSTATE ${code}, got ${f.code} ${f.message}\n  ${query}`);
}
const assertDenied = (tx: Tx, q: string, why: string) => assertFails(tx, q, "42501", why);

// Events are append-only: other suites' connections leave theirs in the demo team for good. Count the fixtures'.
const FIXTURE_ONLY: Record<string, string> = {
  integration_events: `where integration_id in ('${INT_A}', '${INT_B}')`,
};

async function counts(tx: Tx, tables: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) {
    const [row] = await tx.unsafe(`select count(*)::int as n from public.${t} ${FIXTURE_ONLY[t] ?? ""}`);
    out[t] = Number(row.n);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Catalog guards

dbTest("crm: RLS is enabled on every new table", async () => {
  await inRollbackTx(async (tx) => {
    const rows = await tx`
      select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relname = any(${[...NEW_TABLES]}) order by 1`;
    assert.equal(rows.length, NEW_TABLES.length, "all new tables exist");
    assert.deepEqual(rows.filter((r) => !r.relrowsecurity).map((r) => r.relname), []);
  });
});

dbTest("crm: anon holds no privilege on the new tables or the event sequence", async () => {
  await inRollbackTx(async (tx) => {
    const rows = await tx`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and (c.relname = any(${[...NEW_TABLES]}) or c.relname = 'integration_events_id_seq')
        and (exists (select 1 from aclexplode(c.relacl) a where a.grantee = 'anon'::regrole)
             or (c.relkind <> 'S' and has_any_column_privilege('anon', c.oid, 'SELECT, INSERT, UPDATE, REFERENCES')))`;
    assert.deepEqual(rows.map((r) => r.relname), []);
  });
});

dbTest("crm: clients hold exactly the intended table and column privileges", async () => {
  await inRollbackTx(async (tx) => {
    const priv = async (role: string, table: string) => {
      const [r] = await tx.unsafe(
        `select has_table_privilege($1, $2, 'SELECT') as s, has_table_privilege($1, $2, 'INSERT') as i,
                has_table_privilege($1, $2, 'UPDATE') as u, has_table_privilege($1, $2, 'DELETE') as d,
                has_table_privilege($1, $2, 'TRUNCATE') as t`,
        [role, `public.${table}`],
      );
      return `${r.s ? "S" : "-"}${r.i ? "I" : "-"}${r.u ? "U" : "-"}${r.d ? "D" : "-"}${r.t ? "T" : "-"}`;
    };
    const expected: Record<string, [string, string]> = {
      // table: [authenticated (whole-table privileges; column grants checked below), service_role]
      team_settings: ["S----", "SIUD-"],
      leads: ["S--D-", "SIUD-"],
      lead_emails: ["S--D-", "SIUD-"],
      meetings: ["S----", "SIUD-"],
      // manual links (migration 20261203000100): members insert and delete; matched_email is not granted
      meeting_leads: ["S--D-", "SIUD-"],
      integration_events: ["S----", "SI---"],
      webhook_deliveries: ["-----", "SIUD-"], // the inbox marks rows imported/failed
      integration_syncs: ["S----", "SIUD-"],
    };
    for (const [table, [auth, service]] of Object.entries(expected)) {
      assert.equal(await priv("authenticated", table), auth, `authenticated on ${table}`);
      assert.equal(await priv("service_role", table), service, `service_role on ${table}`);
    }
    const cols = async (table: string, p: string) =>
      (await tx.unsafe(
        `select a.attname from pg_attribute a
         where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped
           and has_column_privilege('authenticated', a.attrelid, a.attnum, $2)
         order by 1`,
        [`public.${table}`, p],
      )).map((r) => r.attname);
    // notes left the lead for lead_notes (migration 20261203000100)
    assert.deepEqual(await cols("leads", "INSERT"), ["company", "id", "name", "owner_id", "stage", "team_id"]);
    assert.deepEqual(await cols("leads", "UPDATE"), ["company", "name", "owner_id", "stage"]);
    assert.deepEqual(await cols("lead_emails", "INSERT"), ["email", "lead_id", "team_id"]);
    assert.deepEqual(await cols("lead_emails", "UPDATE"), ["email"]);
    assert.deepEqual(await cols("team_settings", "UPDATE"), ["create_leads_from_unknown_attendees"]);
    assert.deepEqual(await cols("meeting_leads", "INSERT"), ["lead_id", "meeting_id", "team_id"]);
    assert.deepEqual(await cols("meeting_leads", "UPDATE"), []);
    for (const t of ["meetings", "integration_events", "integration_syncs", "webhook_deliveries"]) {
      assert.deepEqual(await cols(t, "INSERT"), [], `insertable columns of ${t}`);
      assert.deepEqual(await cols(t, "UPDATE"), [], `updatable columns of ${t}`);
    }
  });
});

dbTest("crm: the webhook and refresh columns of team_integrations are neither granted to clients nor in the view", async () => {
  await inRollbackTx(async (tx) => {
    for (const c of WEBHOOK_COLUMNS) {
      const [r] = await tx`
        select has_column_privilege('authenticated', 'public.team_integrations', ${c}, 'SELECT') as a,
               has_column_privilege('anon', 'public.team_integrations', ${c}, 'SELECT') as n,
               has_column_privilege('service_role', 'public.team_integrations', ${c}, 'SELECT,UPDATE') as s`;
      assert.deepEqual({ ...r }, { a: false, n: false, s: true }, c);
    }
    const view = (await tx`
      select attname from pg_attribute
      where attrelid = 'public.team_integrations_public'::regclass and attnum > 0 and not attisdropped`)
      .map((r) => r.attname);
    for (const c of WEBHOOK_COLUMNS) assert.ok(!view.includes(c), `view exposes ${c}`);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Who reads what

dbTest("crm: anon cannot read any new table", async () => {
  await scenario(ANON, async (tx) => {
    for (const t of NEW_TABLES) await assertDenied(tx, `select count(*) from public.${t}`, `anon reads ${t}`);
  });
});

dbTest("crm: no client reads a webhook delivery's body or message id; members read its outcome, their team's only", async () => {
  for (const actor of CLIENTS) {
    await scenario(actor, async (tx) => {
      await assertDenied(tx, "select * from public.webhook_deliveries", actor.name);
      await assertDenied(tx, "select body from public.webhook_deliveries", `${actor.name} reads a body`);
      await assertDenied(tx, "select webhook_message_id from public.webhook_deliveries", `${actor.name} reads a message id`);
    });
  }
  // the activity panel's columns (migration 20261202000300): team A's one fixture delivery, for team A only
  for (const [actor, n] of [[AS_OUTSIDER, 0], [AS_MEMBER, 1], [AS_OWNER, 1], [AS_OTHER_OWNER, 0]] as const) {
    await scenario(actor, async (tx) => {
      const [row] = await tx`select count(*)::int as n from public.webhook_deliveries
                              where id is not null and status is not null and last_error is null`;
      assert.equal(row.n, n, actor.name);
    });
  }
  await scenario(ANON, async (tx) => {
    await assertDenied(tx, "select id, status from public.webhook_deliveries", "anon reads outcomes");
  });
});

dbTest("crm: import runs are read by the team's members only, and written by no client", async () => {
  for (const [actor, n] of [[AS_OUTSIDER, 0], [AS_MEMBER, 1], [AS_OWNER, 1], [AS_OTHER_OWNER, 0]] as const) {
    await inRollbackTx(async (tx) => {
      await setup(tx);
      await actAs(tx, "service_role", SERVICE.claims);
      // a run starts: the trigger on integration_syncs records it
      await tx`update public.integration_syncs set started_at = now() where integration_id = ${INT_A}`;
      await actAs(tx, actor.role, actor.claims);
      const [row] = await tx`select count(*)::int as n from public.integration_sync_runs`;
      assert.equal(row.n, n, actor.name);
      await assertDenied(tx, "delete from public.integration_sync_runs", `${actor.name} deletes runs`);
    });
  }
});

// Seed: team A has 1 settings row and 5 leads with 5 e-mails. Fixtures add per team: 1 meeting, 1 link, 1 sync;
// events: 2 in A, 1 in B; team B: 1 settings row (trigger), 1 lead, 1 e-mail.
const EXPECTED: [Actor, Record<string, number>][] = [
  [AS_OUTSIDER, { team_settings: 0, leads: 0, lead_emails: 0, meetings: 0, meeting_leads: 0, integration_events: 0, integration_syncs: 0 }],
  [AS_MEMBER, { team_settings: 1, leads: 5, lead_emails: 5, meetings: 1, meeting_leads: 1, integration_events: 2, integration_syncs: 1 }],
  [AS_OWNER, { team_settings: 1, leads: 5, lead_emails: 5, meetings: 1, meeting_leads: 1, integration_events: 2, integration_syncs: 1 }],
  [AS_OTHER_OWNER, { team_settings: 1, leads: 1, lead_emails: 1, meetings: 1, meeting_leads: 1, integration_events: 1, integration_syncs: 1 }],
];

for (const [actor, expected] of EXPECTED) {
  dbTest(`crm: ${actor.name} sees ${JSON.stringify(expected)}`, async () => {
    await scenario(actor, async (tx) => assert.deepEqual(await counts(tx, MEMBER_READABLE), expected));
  });
}

dbTest("crm: a member sees only their own team's leads, meetings, links, events and sync", async () => {
  await scenario(AS_MEMBER, async (tx) => {
    for (const t of MEMBER_READABLE) {
      const teams = new Set((await tx.unsafe(`select team_id from public.${t}`)).map((r) => r.team_id));
      assert.deepEqual([...teams], [TEAM_A], t);
    }
    assert.deepEqual((await tx`select id from public.meetings`).map((r) => r.id), [MEETING_A]);
    const [sync] = await tx`select status, stage, cursor, listed_count from public.integration_syncs`;
    assert.deepEqual({ ...sync }, { status: "running", stage: "list", cursor: "eyJwYWdlIjoyfQ==", listed_count: 10 });
    assert.equal((await tx`select * from public.leads where id = ${LEAD_B}`).length, 0);
  });
  await scenario(AS_OTHER_OWNER, async (tx) => {
    assert.deepEqual((await tx`select id from public.meetings`).map((r) => r.id), [MEETING_B]);
    assert.deepEqual((await tx`select id from public.leads`).map((r) => r.id), [LEAD_B]);
  });
});

dbTest("crm: no client reads a webhook secret, route id or refresh column, by any path", async () => {
  for (const actor of CLIENTS) {
    await scenario(actor, async (tx) => {
      for (const c of WEBHOOK_COLUMNS) {
        await assertDenied(tx, `select ${c} from public.team_integrations`, `${actor.name} selects ${c}`);
        await assertDenied(tx, `select id from public.team_integrations where ${c} is not null`, `${actor.name} oracle ${c}`);
      }
      await assertDenied(tx, "select to_jsonb(t) from public.team_integrations t", `${actor.name} whole row`);
      if (actor.role === "authenticated") {
        const rows = await tx`select to_jsonb(v) as j from public.team_integrations_public v`;
        assert.doesNotMatch(JSON.stringify(rows), /LEAK-/, `${actor.name} sees a secret through the view`);
      }
    });
  }
  await scenario(SERVICE, async (tx) => { // positive control
    const [r] = await tx`select webhook_secret_encrypted, webhook_route_id from public.team_integrations where id = ${INT_A}`;
    assert.deepEqual({ ...r }, { webhook_secret_encrypted: FAKE.secret, webhook_route_id: FAKE.route });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Leads and their e-mails

dbTest("crm: a member creates a lead with e-mails in their team, and edits it", async () => {
  await scenario(AS_MEMBER, async (tx) => {
    const [lead] = await tx`
      insert into public.leads (team_id, name, company, stage, owner_id)
      values (${TEAM_A}, 'Ny Lead', 'Newco', 'contacted', ${MEMBER.id}) returning id, source, created_by`;
    assert.equal(lead.source, "manual");
    assert.equal(lead.created_by, MEMBER.id);
    await tx`insert into public.lead_emails (lead_id, team_id, email) values (${lead.id}, ${TEAM_A}, ' Ny@Newco.Example ')`;
    const [e] = await tx`select email_normalized from public.lead_emails where lead_id = ${lead.id}`;
    assert.equal(e.email_normalized, "ny@newco.example");
    assert.equal(await affected(tx, `update public.leads set stage = 'won', company = 'Acme Inc' where id = '${LEAD_JANE}'`), 1);
    assert.equal(await affected(tx, `update public.lead_emails set email = 'jane@acme.example' where lead_id = '${LEAD_JANE}'`), 1);
    assert.equal(await affected(tx, `delete from public.lead_emails where lead_id = '${LEAD_TOM}'`), 1);
    await assertFails(tx, `update public.leads set stage = 'hot' where id = '${LEAD_JANE}'`, "23514", "unknown stage");
  });
});

dbTest("crm: a member cannot set a lead's team, source or creator, nor give it an owner from outside the team", async () => {
  await scenario(AS_MEMBER, async (tx) => {
    await assertDenied(tx, `update public.leads set team_id = '${TEAM_B}' where id = '${LEAD_JANE}'`, "move lead");
    await assertDenied(tx, `update public.leads set source = 'fathom' where id = '${LEAD_JANE}'`, "set source");
    await assertDenied(tx, `insert into public.leads (team_id, name, source) values ('${TEAM_A}', 'x', 'fathom')`, "insert source");
    await assertDenied(tx, `insert into public.leads (team_id, name, created_by) values ('${TEAM_A}', 'x', '${OWNER.id}')`, "insert created_by");
    await assertDenied(tx, `update public.lead_emails set team_id = '${TEAM_B}'`, "move e-mail");
    await assertDenied(
      tx, `insert into public.leads (team_id, name, owner_id) values ('${TEAM_A}', 'x', '${OUTSIDER.id}')`, "outsider owner");
    await assertDenied(tx, `update public.leads set owner_id = '${OUTSIDER.id}' where id = '${LEAD_JANE}'`, "outsider owner");
  });
});

dbTest("crm: nobody writes leads or e-mails into a team they are not in", async () => {
  for (const actor of [AS_OUTSIDER, AS_MEMBER, AS_OWNER]) {
    await scenario(actor, async (tx) => {
      await assertDenied(tx, `insert into public.leads (team_id, name) values ('${TEAM_B}', 'x')`, `${actor.name} lead in B`);
      await assertDenied(
        tx, `insert into public.lead_emails (lead_id, team_id, email) values ('${LEAD_B}', '${TEAM_B}', 'x@y.example')`,
        `${actor.name} e-mail in B`);
      // claiming its own team for another team's lead: the composite foreign key refuses
      if (actor !== AS_OUTSIDER) {
        await assertFails(
          tx, `insert into public.lead_emails (lead_id, team_id, email) values ('${LEAD_B}', '${TEAM_A}', 'x@y.example')`,
          "23503", `${actor.name} e-mail on B's lead`);
      }
      assert.equal(await affected(tx, `update public.leads set name = 'x' where id = '${LEAD_B}'`), 0);
      assert.equal(await affected(tx, `update public.lead_emails set email = 'x@y.example' where lead_id = '${LEAD_B}'`), 0);
      assert.equal(await affected(tx, `delete from public.lead_emails where lead_id = '${LEAD_B}'`), 0);
      assert.equal(await affected(tx, `delete from public.leads where id = '${LEAD_B}'`), 0);
    });
  }
  await scenario(AS_OUTSIDER, async (tx) => {
    await assertDenied(tx, `insert into public.leads (team_id, name) values ('${TEAM_A}', 'x')`, "outsider lead in A");
    assert.equal(await affected(tx, `update public.leads set name = 'x'`), 0);
  });
  await scenario(ANON, async (tx) => {
    await assertDenied(tx, `insert into public.leads (team_id, name) values ('${TEAM_A}', 'x')`, "anon insert");
    await assertDenied(tx, `update public.leads set name = 'x'`, "anon update");
    await assertDenied(tx, `delete from public.leads`, "anon delete");
    await assertDenied(tx, `insert into public.lead_emails (lead_id, team_id, email) values ('${LEAD_JANE}', '${TEAM_A}', 'a@b.example')`, "anon e-mail");
  });
});

dbTest("crm: only an admin deletes a lead (its e-mails and meeting links go with it)", async () => {
  await scenario(AS_MEMBER, async (tx) => {
    assert.equal(await affected(tx, `delete from public.leads where id = '${LEAD_JANE}'`), 0);
  });
  await scenario(AS_OWNER, async (tx) => {
    assert.equal(await affected(tx, `delete from public.leads where id = '${LEAD_B}'`), 0);
    await tx`delete from public.leads where id = ${LEAD_JANE}`;
    assert.equal((await tx`select 1 from public.lead_emails where lead_id = ${LEAD_JANE}`).length, 0);
    assert.equal((await tx`select 1 from public.meeting_leads where lead_id = ${LEAD_JANE}`).length, 0);
  });
});

dbTest("crm: an e-mail identifies at most one lead per team, case- and space-insensitively", async () => {
  await scenario(AS_MEMBER, async (tx) => {
    await assertFails(
      tx, `insert into public.lead_emails (lead_id, team_id, email) values ('${LEAD_TOM}', '${TEAM_A}', ' JANE.DOE@Acme.Example')`,
      "23505", "same address on another lead of the team");
    await assertFails(
      tx, `insert into public.lead_emails (lead_id, team_id, email) values ('${LEAD_JANE}', '${TEAM_A}', 'Jane.Doe@ACME.example')`,
      "23505", "same address twice on one lead");
    for (const bad of ["not-an-email", "a@b", "a b@c.example", "@c.example", ""]) {
      await assertFails(
        tx, `insert into public.lead_emails (lead_id, team_id, email) values ('${LEAD_TOM}', '${TEAM_A}', '${bad}')`,
        "23514", `invalid e-mail ${JSON.stringify(bad)}`);
    }
    // matching an invitee is an index lookup on the normalized address
    const rows = await tx`
      select lead_id from public.lead_emails
      where team_id = ${TEAM_A} and email_normalized = lower(btrim(${"  Jane.DOE@acme.EXAMPLE"}))`;
    assert.deepEqual(rows.map((r) => r.lead_id), [LEAD_JANE]);
  });
  // The fixture already holds the same address in team B (inserted as service_role): uniqueness is per team.
  await scenario(SERVICE, async (tx) => {
    const [{ n }] = await tx`select count(*)::int as n from public.lead_emails where email_normalized = 'jane.doe@acme.example'`;
    assert.equal(n, 2);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Team settings

dbTest("crm: members read the team setting, only admins change it (that column only); new teams get a row", async () => {
  await scenario(AS_MEMBER, async (tx) => {
    const [s] = await tx`select create_leads_from_unknown_attendees as f from public.team_settings`;
    assert.equal(s.f, false);
    assert.equal(await affected(tx, `update public.team_settings set create_leads_from_unknown_attendees = true`), 0);
  });
  await scenario(AS_OWNER, async (tx) => {
    assert.equal(
      await affected(tx, `update public.team_settings set create_leads_from_unknown_attendees = true where team_id = '${TEAM_A}'`), 1);
    assert.equal(
      await affected(tx, `update public.team_settings set create_leads_from_unknown_attendees = true where team_id = '${TEAM_B}'`), 0);
    await assertDenied(tx, `update public.team_settings set team_id = '${TEAM_B}'`, "owner moves settings");
    await assertDenied(tx, `update public.team_settings set updated_at = now()`, "owner sets updated_at");
    await assertDenied(tx, `insert into public.team_settings (team_id) values ('${TEAM_B}')`, "owner inserts settings");
    await assertDenied(tx, `delete from public.team_settings`, "owner deletes settings");
  });
  await scenario(AS_OUTSIDER, async (tx) => {
    assert.equal(await affected(tx, `update public.team_settings set create_leads_from_unknown_attendees = true`), 0);
  });
  await scenario(SERVICE, async (tx) => {
    const [r] = await tx`select create_leads_from_unknown_attendees as f from public.team_settings where team_id = ${TEAM_B}`;
    assert.equal(r.f, false, "trigger created team B's settings with the default");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Imported data and sync state: read-only for clients

// Manual meeting links (members insert and delete meeting_leads rows) are tested in rls_crm_objects.test.ts.
dbTest("crm: no client writes meetings, changes meeting links, writes events, syncs or webhook deliveries", async () => {
  const writes = [
    `insert into public.meetings (team_id, provider_meeting_id, title, source) values ('${TEAM_A}', 9, 'x', 'webhook')`,
    `update public.meetings set title = 'x'`,
    `delete from public.meetings`,
    `update public.meeting_leads set matched_email = null`,
    `insert into public.meeting_leads (meeting_id, lead_id, team_id, matched_email) values ('${MEETING_A}', '${LEAD_TOM}', '${TEAM_A}', 'x@y.example')`,
    `insert into public.integration_events (team_id, provider, type) values ('${TEAM_A}', 'fathom', 'fathom.meeting.imported')`,
    `update public.integration_events set payload = '{}'`,
    `delete from public.integration_events`,
    `insert into public.integration_syncs (integration_id, team_id) values ('${INT_A}', '${TEAM_A}')`,
    `update public.integration_syncs set status = 'idle'`,
    `delete from public.integration_syncs`,
    `insert into public.webhook_deliveries (integration_id, team_id, webhook_message_id) values ('${INT_A}', '${TEAM_A}', 'm')`,
    `delete from public.webhook_deliveries`,
    `update public.team_integrations set webhook_route_id = null`,
  ];
  for (const actor of CLIENTS) {
    await scenario(actor, async (tx) => {
      for (const q of writes) await assertDenied(tx, q, `${actor.name}: ${q}`);
    });
  }
});

dbTest("crm: integration_events is append-only for everyone, service_role and the table owner included", async () => {
  await scenario(SERVICE, async (tx) => {
    await tx`
      insert into public.integration_events (team_id, provider, type, subject_type, subject_id)
      values (${TEAM_A}, 'fathom', 'fathom.meeting.imported', 'meeting', ${MEETING_A})`;
    await assertDenied(tx, `update public.integration_events set payload = '{"x":1}'`, "service updates");
    await assertDenied(tx, `delete from public.integration_events`, "service deletes");
    await assertDenied(tx, `truncate public.integration_events`, "service truncates");
    await assertFails(
      tx, `insert into public.integration_events (team_id, provider, type) values ('${TEAM_A}', 'fathom', 'Not A Type')`,
      "23514", "type must be dotted lower case");
    await actAsOwner(tx); // even the owner (superuser here) is stopped by the trigger
    const upd = await failure(tx, `update public.integration_events set payload = '{}' where team_id = '${TEAM_A}'`);
    assert.ok(upd && upd.code === "42501" && /append-only/.test(upd.message), JSON.stringify(upd));
    const del = await failure(tx, `delete from public.integration_events where team_id = '${TEAM_A}'`);
    assert.ok(del && del.code === "42501" && /append-only/.test(del.message), JSON.stringify(del));
  });
});

dbTest("crm: events survive disconnecting an integration and vanish with their team", async () => {
  await scenario(SERVICE, async (tx) => {
    await tx`delete from public.team_integrations where id = ${INT_A}`;
    const [a] = await tx`select count(*)::int as n from public.integration_events where integration_id = ${INT_A}`;
    assert.equal(a.n, 2, "events stay after the integration is gone");
    const [m] = await tx`select integration_id from public.meetings where id = ${MEETING_A}`;
    assert.equal(m.integration_id, null, "meetings stay, detached");
    assert.equal((await tx`select 1 from public.integration_syncs where integration_id = ${INT_A}`).length, 0);
    assert.equal((await tx`select 1 from public.webhook_deliveries where integration_id = ${INT_A}`).length, 0);

    await tx`delete from public.teams where id = ${TEAM_B}`;
    for (const t of MEMBER_READABLE) {
      const [r] = await tx.unsafe(`select count(*)::int as n from public.${t} where team_id = $1`, [TEAM_B]);
      assert.equal(r.n, 0, `${t} rows of the deleted team`);
    }
    const [still] = await tx`select count(*)::int as n from public.integration_events where integration_id = ${INT_A}`;
    assert.equal(still.n, 2, "other teams' events are untouched");
  });
});

dbTest("crm: idempotency keys stop a retried writer from emitting the same event twice", async () => {
  await scenario(SERVICE, async (tx) => {
    const emit = () => tx`
      insert into public.integration_events (team_id, provider, type, subject_type, subject_id, idempotency_key)
      values (${TEAM_A}, 'fathom', 'fathom.meeting.imported', 'meeting', ${MEETING_A}, 'fathom.meeting.imported:1001')
      on conflict do nothing`;
    assert.equal((await emit()).count, 1);
    assert.equal((await emit()).count, 0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Service-side invariants the importer relies on

dbTest("crm: webhook deliveries dedupe on webhook-id and on recording_id, per integration", async () => {
  await scenario(SERVICE, async (tx) => {
    const deliver = (integration: string, team: string, msg: string, rec: number | null) => tx`
      insert into public.webhook_deliveries (integration_id, team_id, webhook_message_id, recording_id)
      values (${integration}, ${team}, ${msg}, ${rec}) on conflict do nothing`;
    assert.equal((await deliver(INT_A, TEAM_A, "msg_1", 1001)).count, 0, "same webhook-id (fixture)");
    assert.equal((await deliver(INT_A, TEAM_A, "msg_2", 1001)).count, 0, "same recording, new webhook-id");
    assert.equal((await deliver(INT_A, TEAM_A, "msg_3", 1002)).count, 1, "new delivery");
    assert.equal((await deliver(INT_B, TEAM_B, "msg_1", 1001)).count, 1, "same Svix message to another team's endpoint");
  });
});

dbTest("crm: route ids are unique and long; meetings are unique per team and recording; links stay within a team", async () => {
  await scenario(SERVICE, async (tx) => {
    await assertFails(tx, `update public.team_integrations set webhook_route_id = '${FAKE.route}' where id = '${INT_B}'`, "23505", "dup route");
    await assertFails(tx, `update public.team_integrations set webhook_route_id = 'short' where id = '${INT_B}'`, "23514", "short route");
    await assertFails(
      tx, `insert into public.meetings (team_id, provider_meeting_id, title, source) values ('${TEAM_A}', 1001, 'again', 'backfill')`,
      "23505", "same recording twice in a team");
    const [up] = await tx`
      insert into public.meetings (team_id, provider_meeting_id, title, source) values (${TEAM_A}, 1001, 'renamed', 'backfill')
      on conflict (team_id, provider, provider_meeting_id) do update set title = excluded.title returning id`;
    assert.equal(up.id, MEETING_A, "upsert keeps the meeting's id");
    await assertFails(
      tx, `insert into public.meeting_leads (meeting_id, lead_id, team_id) values ('${MEETING_A}', '${LEAD_B}', '${TEAM_A}')`,
      "23503", "link a meeting to another team's lead");
    await assertFails(
      tx, `insert into public.integration_syncs (integration_id, team_id, status) values ('${INT_B}', '${TEAM_B}', 'stuck')`,
      "23514", "unknown sync status");
  });
});

dbTest("crm: the sync step lease admits one worker at a time", async () => {
  await scenario(SERVICE, async (tx) => {
    const take = () => tx`
      update public.integration_syncs set locked_until = now() + interval '2 minutes', lease_token = gen_random_uuid()
      where integration_id = ${INT_A} and (locked_until is null or locked_until < now()) returning lease_token`;
    assert.equal((await take()).length, 1);
    assert.equal((await take()).length, 0, "second worker while the lease holds");
  });
});
