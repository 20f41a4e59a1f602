// Issue 11: the automations outbox and its tables (migration 20261203000200_automations.sql). Every trigger's
// event is written in the same transaction as the change, once per fact, only when an enabled rule wants it, with
// who caused it (import, webhook, person, automation + depth); versions are immutable; RLS for every new table.
// Runs on PGlite and on PostgreSQL alike.
import assert from "node:assert/strict";
import { handler } from "../api/handler.ts";
import { asService } from "../_shared/db.ts";
import { importMeeting } from "../_shared/fathom/import.ts";
import type { FathomMeeting } from "../_shared/fathom/client.ts";
import { createTeam, dropTeam, JANE, SANDY, wireMeeting } from "./fathom_support.ts";
import { ADMIN, callAs, MEMBER, OUTSIDER, sql, test } from "./helpers.ts";

type Trigger = "meeting.linked_to_lead" | "meeting.imported_unmatched" | "lead.created" | "lead.stage_changed";

/** A published, enabled rule (one version) for the trigger, as the API publishes: one transaction. */
async function enableRule(teamId: string, trigger: Trigger): Promise<{ ruleId: string; versionId: string }> {
  const ruleId = crypto.randomUUID();
  const versionId = crypto.randomUUID();
  await sql.begin(async (tx) => {
    await tx`insert into public.automation_rules (id, team_id, name, trigger, enabled, current_version_id, version)
             values (${ruleId}, ${teamId}, 'Rule', ${trigger}, true, ${versionId}, 1)`;
    await tx`insert into public.automation_rule_versions (id, rule_id, team_id, version, name, trigger, conditions,
                                                          actions)
             values (${versionId}, ${ruleId}, ${teamId}, 1, 'Rule', ${trigger}, ${sql.json({ match: "all", rules: [] })},
                     ${sql.json([{ type: "add_note", template: "hi" }])})`;
  });
  return { ruleId, versionId };
}

async function eventsOf(teamId: string) {
  return (await sql`select type, lead_id, meeting_id, source, depth, caused_by_run_id, payload, dedupe_key, status
                      from public.automation_events where team_id = ${teamId} order by id`).map((r) => ({ ...r }));
}

function meetingWith(emails: string[]) {
  return wireMeeting({
    calendar_invitees: [
      { name: "Sandy Sandbox", email: SANDY, email_domain: "sandbox.fathom.test", is_external: false },
      ...emails.map((email) => ({ name: null, email, email_domain: email.split("@")[1], is_external: true })),
    ],
  }) as unknown as FathomMeeting;
}

async function importAs(teamId: string, meeting: FathomMeeting, source: "webhook" | "backfill") {
  return await asService((tx) => importMeeting(tx, { teamId, integrationId: null, meeting, source }));
}

/** Runs `work` as an authenticated user inside one transaction (as the API does), rolled back at the end. */
async function asRole<T>(user: string | null, work: (tx: typeof sql) => Promise<T>): Promise<T | Error> {
  const result: { value?: T; error?: Error } = {};
  await sql.begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${JSON.stringify(user ? { sub: user, role: "authenticated" } : { role: "anon" })}, true),
                    set_config('role', ${user ? "authenticated" : "anon"}, true)`;
    try {
      result.value = await work(tx as unknown as typeof sql);
    } catch (err) {
      result.error = err as Error;
    }
    throw new Error("rollback");
  }).catch((err) => {
    if ((err as Error).message !== "rollback") throw err;
  });
  return result.error ?? (result.value as T);
}

test("outbox: nothing is written while no enabled rule wants the trigger", async () => {
  const t = await createTeam();
  try {
    await importAs(t.teamId, meetingWith([JANE.email]), "backfill");
    await importAs(t.teamId, meetingWith(["nobody@elsewhere.example"]), "backfill");
    await sql`update public.leads set stage = 'contacted' where team_id = ${t.teamId}`;
    // a disabled rule (a draft) wants nothing either
    const { ruleId } = await enableRule(t.teamId, "lead.created");
    await sql`update public.automation_rules set enabled = false where id = ${ruleId}`;
    await sql`insert into public.leads (team_id, name) values (${t.teamId}, 'Quiet')`;
    assert.deepEqual(await eventsOf(t.teamId), []);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("outbox: a meeting linked by the import is announced once per (meeting, lead), with its source", async () => {
  const t = await createTeam();
  try {
    await enableRule(t.teamId, "meeting.linked_to_lead");
    const viaWebhook = meetingWith([JANE.email]);
    const { meetingId } = await importAs(t.teamId, viaWebhook, "webhook");
    await importAs(t.teamId, viaWebhook, "backfill"); // the backfill meets the same meeting again
    const viaBackfill = meetingWith([JANE.email]);
    await importAs(t.teamId, viaBackfill, "backfill");
    const events = await eventsOf(t.teamId);
    assert.equal(events.length, 2, JSON.stringify(events));
    assert.deepEqual(events.map((e) => [e.type, e.lead_id, e.source, e.depth, e.payload]), [
      ["meeting.linked_to_lead", t.janeId, "webhook", 0, { manual: false }],
      ["meeting.linked_to_lead", t.janeId, "import", 0, { manual: false }],
    ]);
    if (meetingId) assert.equal(events[0].meeting_id, meetingId);
    assert.ok(events.every((e) => e.status === "pending"));
  } finally {
    await dropTeam(t.teamId);
  }
});

test("outbox: a rolled-back change leaves no event", async () => {
  const t = await createTeam();
  try {
    await enableRule(t.teamId, "lead.created");
    await enableRule(t.teamId, "meeting.linked_to_lead");
    await sql.begin(async (tx) => {
      await tx`insert into public.leads (team_id, name) values (${t.teamId}, 'Ghost')`;
      await importMeeting(tx as never, {
        teamId: t.teamId, integrationId: null, meeting: meetingWith([JANE.email]), source: "backfill",
      });
      throw new Error("rollback");
    }).catch(() => {});
    assert.deepEqual(await eventsOf(t.teamId), []);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("outbox: a meeting with no lead is announced at commit, one that gets a lead in the same transaction is not", async () => {
  const t = await createTeam();
  try {
    await enableRule(t.teamId, "meeting.imported_unmatched");
    await importAs(t.teamId, meetingWith(["stranger@elsewhere.example"]), "webhook");
    await importAs(t.teamId, meetingWith([JANE.email]), "backfill"); // linked in the import's transaction
    const events = await eventsOf(t.teamId);
    assert.deepEqual(events.map((e) => [e.type, e.lead_id, e.source]), [["meeting.imported_unmatched", null, "webhook"]]);
    assert.ok(events[0].meeting_id);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("outbox: leads created and moved by a person, by the importer and by an automation carry their cause", async () => {
  const t = await createTeam({ createLeadsFromUnknown: true });
  try {
    await enableRule(t.teamId, "lead.created");
    await enableRule(t.teamId, "lead.stage_changed");
    const created = await callAs(handler, ADMIN, "POST", `/api/teams/${t.teamId}/leads`, {
      name: "Person-made", emails: ["made@person.example"],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const leadId = created.body.lead.id;
    const moved = await callAs(handler, ADMIN, "PATCH", `/api/teams/${t.teamId}/leads/${leadId}`, { stage: "qualified" });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    // the same stage again is no change, hence no event
    await callAs(handler, ADMIN, "PATCH", `/api/teams/${t.teamId}/leads/${leadId}`, { stage: "qualified" });
    // the importer creates a lead from an unknown attendee
    await importAs(t.teamId, meetingWith(["new.person@prospect.example"]), "backfill");
    // an automation run moves the lead (the engine sets these two settings in its transaction)
    const runId = crypto.randomUUID();
    await sql.begin(async (tx) => {
      await tx`select set_config('app.automation_run_id', ${runId}, true), set_config('app.automation_depth', '1', true)`;
      await tx`update public.leads set stage = 'proposal' where id = ${leadId}`;
    });
    // and the settings do not outlive that transaction
    await sql`update public.leads set stage = 'won' where id = ${leadId}`;

    const events = await eventsOf(t.teamId);
    const mine = events.filter((e) => e.lead_id === leadId);
    assert.deepEqual(mine.map((e) => [e.type, e.source, e.depth, e.caused_by_run_id, e.payload]), [
      ["lead.created", "person", 0, null, { lead_source: "manual" }],
      ["lead.stage_changed", "person", 0, null, { from_stage: "new", to_stage: "qualified" }],
      ["lead.stage_changed", "automation", 1, runId, { from_stage: "qualified", to_stage: "proposal" }],
      ["lead.stage_changed", "import", 0, null, { from_stage: "proposal", to_stage: "won" }],
    ]);
    const imported = events.filter((e) => e.type === "lead.created" && e.lead_id !== leadId);
    // a lead the importer made from a Fathom attendee says so (migration 20261204000701)
    assert.deepEqual(imported.map((e) => [e.source, e.payload]), [["fathom", { lead_source: "fathom" }]]);
    assert.equal(new Set(events.map((e) => e.dedupe_key)).size, events.length);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("versions: a published version is immutable, and a rule can only point at one of its own versions", async () => {
  const t = await createTeam();
  try {
    const a = await enableRule(t.teamId, "lead.created");
    const b = await enableRule(t.teamId, "lead.created");
    await assert.rejects(
      sql`update public.automation_rule_versions set actions = '[]'::jsonb where id = ${a.versionId}`,
      /immutable/,
    );
    await assert.rejects(
      sql`update public.automation_rules set current_version_id = ${b.versionId} where id = ${a.ruleId}`,
      /automation_rules_current_version_fk|foreign key/,
    );
    // an enabled rule needs a version
    await assert.rejects(
      sql`insert into public.automation_rules (team_id, name, trigger, enabled) values (${t.teamId}, 'x', 'lead.created', true)`,
      /check/i,
    );
    // deleting the rule takes its versions with it
    await sql`delete from public.automation_rules where id = ${a.ruleId}`;
    const [{ n }] = await sql`select count(*)::int as n from public.automation_rule_versions where rule_id = ${a.ruleId}`;
    assert.equal(n, 0);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("RLS: members read the team's automations, admins write rules and versions, nobody else sees a thing", async () => {
  const t = await createTeam();
  await sql`insert into public.team_members (team_id, user_id, role) values (${t.teamId}, ${MEMBER}, 'member')`;
  try {
    const { ruleId, versionId } = await enableRule(t.teamId, "lead.created");
    await sql`insert into public.leads (team_id, name) values (${t.teamId}, 'Evented')`;
    const [event] = await sql`select id from public.automation_events where team_id = ${t.teamId}`;
    const [run] = await sql`insert into public.automation_runs (team_id, rule_id, version_id, event_id)
                            values (${t.teamId}, ${ruleId}, ${versionId}, ${event.id}) returning id`;
    await sql`insert into public.automation_run_steps (run_id, team_id, step_index, action_type)
              values (${run.id}, ${t.teamId}, 0, 'add_note')`;
    await sql`insert into public.automation_endpoints (team_id, name, url_host, url_encrypted, secret_encrypted)
              values (${t.teamId}, 'Zap', 'hooks.example.com', 'v1:ciphertext', 'v1:ciphertext')`;

    const counts = (user: string | null) =>
      asRole(user, async (tx) => {
        const [c] = await tx`select
          (select count(*)::int from public.automation_rules where team_id = ${t.teamId}) as rules,
          (select count(*)::int from public.automation_rule_versions where team_id = ${t.teamId}) as versions,
          (select count(*)::int from public.automation_events where team_id = ${t.teamId}) as events,
          (select count(*)::int from public.automation_runs where team_id = ${t.teamId}) as runs,
          (select count(*)::int from public.automation_run_steps where team_id = ${t.teamId}) as steps,
          (select count(*)::int from public.automation_endpoints where team_id = ${t.teamId}) as endpoints`;
        return { ...c };
      });
    const all = { rules: 1, versions: 1, events: 1, runs: 1, steps: 1, endpoints: 1 };
    const none = { rules: 0, versions: 0, events: 0, runs: 0, steps: 0, endpoints: 0 };
    assert.deepEqual(await counts(ADMIN), all);
    assert.deepEqual(await counts(MEMBER), all);
    assert.deepEqual(await counts(OUTSIDER), none);
    assert.match(String(await counts(null)), /permission denied/);

    // nobody reads an endpoint's URL or secret, not even an admin
    for (const user of [ADMIN, MEMBER]) {
      const denied = await asRole(user, (tx) => tx`select url_encrypted from public.automation_endpoints`);
      assert.match(String(denied), /permission denied/);
      const secret = await asRole(user, (tx) => tx`select secret_encrypted from public.automation_endpoints`);
      assert.match(String(secret), /permission denied/);
    }

    // members cannot write; admins publish a rule with its version in one transaction
    const publish = (user: string) =>
      asRole(user, async (tx) => {
        const id = crypto.randomUUID();
        const v = crypto.randomUUID();
        await tx`insert into public.automation_rules (id, team_id, name, trigger, enabled, current_version_id, version)
                 values (${id}, ${t.teamId}, 'New', 'lead.created', true, ${v}, 1)`;
        await tx`insert into public.automation_rule_versions (id, rule_id, team_id, version, name, trigger, conditions, actions)
                 values (${v}, ${id}, ${t.teamId}, 1, 'New', 'lead.created', '{}'::jsonb,
                         '[{"type":"add_note","template":"x"}]'::jsonb)`;
        return "published";
      });
    assert.equal(await publish(ADMIN), "published");
    assert.match(String(await publish(MEMBER)), /row-level security|permission denied/);
    assert.match(String(await publish(OUTSIDER)), /row-level security|permission denied/);
    for (const user of [ADMIN, MEMBER]) {
      for (const write of [
        (tx: typeof sql) => tx`update public.automation_runs set status = 'succeeded' where id = ${run.id}`,
        (tx: typeof sql) => tx`insert into public.automation_runs (team_id, rule_id, version_id) values (${t.teamId}, ${ruleId}, ${versionId})`,
        (tx: typeof sql) => tx`update public.automation_run_steps set status = 'succeeded' where run_id = ${run.id}`,
        (tx: typeof sql) => tx`update public.automation_events set status = 'dispatched'`,
        (tx: typeof sql) => tx`update public.automation_rules set consecutive_failures = 0 where id = ${ruleId}`,
      ]) {
        assert.match(String(await asRole(user, write)), /permission denied/, `${user} ${write}`);
      }
    }
    const memberDelete = await asRole(MEMBER, async (tx) =>
      (await tx`delete from public.automation_rules where id = ${ruleId} returning id`).length);
    assert.equal(memberDelete, 0);
    const memberPause = await asRole(MEMBER, async (tx) =>
      (await tx`update public.automation_rules set enabled = false where id = ${ruleId} returning id`).length);
    assert.equal(memberPause, 0);
  } finally {
    await dropTeam(t.teamId);
  }
});
