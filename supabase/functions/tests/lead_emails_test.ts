// Issue 7, items 6 and 7: one e-mail rule everywhere (the JS rule in _shared/email.ts and the database's
// lead_emails.email_normalized agree: NFC, trim, lower-case), the leads API accepting what the import accepts, and
// a lead linked to the team's earlier meetings the moment its e-mails are added (migration
// 20261130000100_email_rule_and_lead_linking.sql). Runs on PGlite and on PostgreSQL alike.
import assert from "node:assert/strict";
import { handler } from "../api/handler.ts";
import { asService } from "../_shared/db.ts";
import { isEmail, normalizeEmail } from "../_shared/email.ts";
import { importMeeting } from "../_shared/fathom/import.ts";
import type { FathomMeeting } from "../_shared/fathom/client.ts";
import { createTeam, dropTeam, SANDY, wireMeeting } from "./fathom_support.ts";
import { ADMIN, callAs, closeAll, sql, test } from "./helpers.ts";

const call = (method: string, path: string, body?: unknown) => callAs(handler, ADMIN, method, path, body);

const IDN = "jörg.müller@bücher.example";
const IDN_NFD = IDN.normalize("NFD");
const CJK = "用户@例子.广告";

/** The same meeting for the team, as the webhook or the backfill would import it. */
async function importFor(teamId: string, invitees: { name: string | null; email: string; is_external: boolean }[]) {
  const meeting = wireMeeting({
    calendar_invitees: [
      { name: "Sandy Sandbox", email: SANDY, email_domain: "sandbox.fathom.test", is_external: false },
      ...invitees.map((i) => ({ ...i, email_domain: i.email.split("@")[1] })),
    ],
  }) as unknown as FathomMeeting;
  const result = await asService((tx) => importMeeting(tx, { teamId, integrationId: null, meeting, source: "backfill" }));
  return { meeting, result };
}

async function linkEvents(teamId: string, leadId: string) {
  return await sql<{ subject_id: string; idempotency_key: string; payload: Record<string, unknown> }[]>`
    select subject_id, idempotency_key, payload from public.integration_events
     where team_id = ${teamId} and type = 'fathom.meeting.linked_to_lead' and payload->>'lead_id' = ${leadId}`;
}

async function linksOf(leadId: string) {
  return (await sql`select meeting_id, matched_email from public.meeting_leads where lead_id = ${leadId}
                    order by meeting_id`).map((r) => ({ ...r }));
}

// --- the rule ------------------------------------------------------------------------------------------------------

test("email rule: NFC, trim, lower-case; internationalised addresses are valid, junk is not", async () => {
  assert.equal(normalizeEmail("  JÖRG.MÜLLER@BÜCHER.EXAMPLE \u00a0"), IDN);
  assert.equal(normalizeEmail(IDN_NFD.toUpperCase()), IDN);
  assert.equal(normalizeEmail(CJK), CJK);
  assert.equal(normalizeEmail("STRAẞE@x.example"), "straße@x.example"); // lower-case, not case folding: ß stays
  assert.equal(normalizeEmail("İNCİ@x.example"), "i\u0307nci\u0307@x.example"); // Unicode, not Turkish, rules
  assert.equal(normalizeEmail("ＪＯＥ@x.example"), "ｊｏｅ@x.example"); // NFC, not NFKC: full width stays wide
  assert.equal(normalizeEmail("ΟΔΥΣΣΕΑΣ@x.example"), "οδυσσεας@x.example"); // final sigma
  for (const junk of [
    "", "   ", "no-at-sign", "two@@x.example", "a@b@x.example", "a b@x.example", "a@x", "@x.example", "a@.",
    "a\u0000b@x.example", "a\u0007@x.example", "jane.doe\u200b@acme.example", "jane.\u00addoe@acme.example", "tab\there@x.example", "\ud800@x.example", "ＪＯＥ＠x.example",
    `${"x".repeat(311)}@x.example`,
  ]) {
    assert.equal(normalizeEmail(junk), null, JSON.stringify(junk));
    assert.equal(isEmail(junk), false, JSON.stringify(junk));
  }
  assert.equal(normalizeEmail(`${"x".repeat(310)}@x.example`)?.length, 320);
});

test("email rule: the database's email_normalized is the JS rule, and refuses what the JS rule refuses", async () => {
  const t = await createTeam();
  try {
    const samples = [
      "JÖRG.MÜLLER@BÜCHER.EXAMPLE".normalize("NFD"), "ZOË@x.example", "  Mixed.Case@Example.COM\u3000", "STRAẞE@x.example", "İNCİ@x.example",
      "ＪＯＥ@x.example", "ΟΔΥΣΣΕΑΣ@x.example", CJK, "\u00a0nbsp@x.example\u2028",
      // lower-casing J + caron leaves j + caron, which composes to ǰ: NFC again after lower-casing
      "J\u030Cohn@x.example",
    ];
    for (const [i, email] of samples.entries()) {
      const [lead] = await sql`insert into public.leads (team_id, name) values (${t.teamId}, ${"S" + i}) returning id`;
      const [row] = await sql`insert into public.lead_emails (lead_id, team_id, email)
                              values (${lead.id}, ${t.teamId}, ${email}) returning email_normalized`;
      assert.equal(row.email_normalized, normalizeEmail(email), JSON.stringify(email));
    }
    const [other] = await sql`insert into public.leads (team_id, name) values (${t.teamId}, 'Other') returning id`;
    // the NFC spelling of an NFD address already stored is the same address
    await assert.rejects(
      sql`insert into public.lead_emails (lead_id, team_id, email) values (${other.id}, ${t.teamId}, ${IDN})`,
      (e: { code?: string }) => e.code === "23505",
    );
    // the composed spelling of that J + caron address is the same address
    await assert.rejects(
      sql`insert into public.lead_emails (lead_id, team_id, email) values (${other.id}, ${t.teamId}, ${"\u01F0ohn@x.example"})`,
      (e: { code?: string }) => e.code === "23505",
    );
    for (const junk of ["a b@x.example", "a\u0007@x.example", "ＪＯＥ＠x.example", `${"x".repeat(311)}@x.example`,
      // format characters: a zero-width space, a right-to-left mark, a soft hyphen make look-alikes
      "jane.doe\u200b@acme.example", "jane.doe@acme.example\u200f", "jane.\u00addoe@acme.example"]) {
      await assert.rejects(
        sql`insert into public.lead_emails (lead_id, team_id, email) values (${other.id}, ${t.teamId}, ${junk})`,
        (e: { code?: string }) => e.code === "23514",
        JSON.stringify(junk),
      );
    }
  } finally {
    await dropTeam(t.teamId);
  }
});

// --- the API accepts what the import accepts -----------------------------------------------------------------------

test("leads API: internationalised addresses are accepted by POST and PATCH; an NFD spelling is the same e-mail", async () => {
  const t = await createTeam();
  try {
    const created = await call("POST", `/api/teams/${t.teamId}/leads`, { name: "Jörg Müller", emails: [IDN_NFD] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.lead.emails, [IDN]); // stored in NFC, as typed otherwise
    const patched = await call("PATCH", `/api/teams/${t.teamId}/leads/${t.rajId}`, {
      emails: ["raj.patel@globex.example", CJK],
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(patched.body.lead.emails, ["raj.patel@globex.example", CJK]);
    // the same address in another Unicode form and case belongs to Jörg already
    const again = await call("POST", `/api/teams/${t.teamId}/leads`, {
      name: "Jörg again",
      emails: ["JÖRG.MÜLLER@BÜCHER.EXAMPLE"],
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "email_taken");
    // one request listing both forms stores one
    const twice = await call("POST", `/api/teams/${t.teamId}/leads`, { name: "Z", emails: ["zoë@x.example", "ZOË@X.example".normalize("NFD")] });
    assert.equal(twice.status, 201);
    assert.deepEqual(twice.body.lead.emails, ["zoë@x.example"]);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("leads API: junk e-mails are 400 invalid_request naming the field, nothing written", async () => {
  const t = await createTeam();
  try {
    for (const junk of ["no-at", "a b@x.example", "a\u0000b@x.example", "a@x", `${"x".repeat(311)}@x.example`, "\ud800@x.example"]) {
      for (const [method, path] of [["POST", `/api/teams/${t.teamId}/leads`], ["PATCH", `/api/teams/${t.teamId}/leads/${t.janeId}`]]) {
        const res = await call(method, path, { name: "Junk", emails: [junk] });
        assert.equal(res.status, 400, `${method} ${JSON.stringify(junk)}`);
        assert.equal(res.body.error.code, "invalid_request");
        assert.match(res.body.error.message, /emails\.0/);
      }
    }
    const [{ n }] = await sql`select count(*)::int as n from public.leads where team_id = ${t.teamId}`;
    assert.equal(n, 2);
  } finally {
    await dropTeam(t.teamId);
  }
});

// --- the import uses the same rule ---------------------------------------------------------------------------------

test("import: an NFD invitee matches the NFC lead; no second lead is created for it", async () => {
  const t = await createTeam({ createLeadsFromUnknown: true });
  try {
    const [lead] = await sql`insert into public.leads (team_id, name) values (${t.teamId}, 'Jörg') returning id`;
    await sql`insert into public.lead_emails (lead_id, team_id, email) values (${lead.id}, ${t.teamId}, ${IDN})`;
    const { result } = await importFor(t.teamId, [{ name: "Jörg Müller", email: IDN_NFD.toUpperCase(), is_external: true }]);
    assert.deepEqual(result.createdLeadIds, []);
    assert.deepEqual(result.linkedLeadIds, [lead.id]);
    const [{ n }] = await sql`select count(*)::int as n from public.leads where team_id = ${t.teamId}`;
    assert.equal(n, 3, "Jane, Raj and Jörg: no second Jörg");
    assert.deepEqual(await linksOf(lead.id), [{ meeting_id: result.meetingId, matched_email: IDN }]);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("import: a lead created for an unknown attendee is counted as linked, with one linked_to_lead event", async () => {
  const t = await createTeam({ createLeadsFromUnknown: true });
  try {
    const { meeting, result } = await importFor(t.teamId, [{ name: "Nia New", email: "Nia@NewCo.example", is_external: true }]);
    assert.equal(result.createdLeadIds.length, 1);
    const [created] = result.createdLeadIds;
    assert.deepEqual(result.linkedLeadIds, [created]);
    assert.equal((await linkEvents(t.teamId, created)).length, 1);
    // importing the same meeting again changes nothing
    const again = await asService((tx) => importMeeting(tx, { teamId: t.teamId, integrationId: null, meeting, source: "webhook" }));
    assert.deepEqual(again.createdLeadIds, []);
    assert.deepEqual(again.linkedLeadIds, []);
    assert.equal((await linkEvents(t.teamId, created)).length, 1);
  } finally {
    await dropTeam(t.teamId);
  }
});

// --- a lead's new e-mails link the team's earlier meetings at once -------------------------------------------------

test("linking: a lead created after an import is linked to the earlier meeting at once, with one event", async () => {
  const t = await createTeam();
  const other = await createTeam();
  try {
    const { result } = await importFor(t.teamId, [{ name: "Ann", email: "ANN@newco.example", is_external: true }]);
    await importFor(other.teamId, [{ name: "Ann", email: "ann@newco.example", is_external: true }]);
    assert.deepEqual(result.linkedLeadIds, []);
    const res = await call("POST", `/api/teams/${t.teamId}/leads`, { name: "Ann", emails: ["Ann@NewCo.example"] });
    assert.equal(res.status, 201);
    const leadId = res.body.lead.id;
    assert.equal(res.body.lead.meeting_count, 1, "the response already shows the meeting");
    assert.deepEqual(await linksOf(leadId), [{ meeting_id: result.meetingId, matched_email: "ann@newco.example" }]);
    const events = await linkEvents(t.teamId, leadId);
    assert.equal(events.length, 1);
    assert.equal(events[0].subject_id, result.meetingId);
    assert.equal(events[0].idempotency_key, `fathom.meeting.linked_to_lead:${result.meetingId}:${leadId}`);
    assert.equal(events[0].payload.meeting_id, result.meetingId);
    // re-importing the meeting does not link or announce it twice
    const again = await importFor(t.teamId, [{ name: "Ann", email: "ann@newco.example", is_external: true }]);
    assert.deepEqual(again.result.linkedLeadIds, [leadId], "a second, different meeting links normally");
    assert.equal((await linkEvents(t.teamId, leadId)).length, 2);
    // the other team's meeting with the same attendee is not this lead's
    const [{ n }] = await sql`select count(*)::int as n from public.meeting_leads where team_id = ${other.teamId}
                                 and lead_id = ${leadId}`;
    assert.equal(n, 0);
  } finally {
    await dropTeam(t.teamId);
    await dropTeam(other.teamId);
  }
});

test("linking: PATCH adding an e-mail links that e-mail's meetings; the recorder's own address never links", async () => {
  const t = await createTeam();
  try {
    const { result } = await importFor(t.teamId, [{ name: "Raj", email: "raj@side-project.example", is_external: true }]);
    const res = await call("PATCH", `/api/teams/${t.teamId}/leads/${t.rajId}`, {
      emails: ["raj.patel@globex.example", "RAJ@side-project.example"],
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.lead.meeting_count, 1);
    assert.deepEqual(await linksOf(t.rajId), [{ meeting_id: result.meetingId, matched_email: "raj@side-project.example" }]);
    assert.equal((await linkEvents(t.teamId, t.rajId)).length, 1);
    // the same PATCH again (a changed spelling only) neither links nor announces anything twice
    const same = await call("PATCH", `/api/teams/${t.teamId}/leads/${t.rajId}`, {
      emails: ["raj.patel@globex.example", "Raj@Side-Project.example"],
    });
    assert.equal(same.status, 200);
    assert.equal((await linkEvents(t.teamId, t.rajId)).length, 1);
    // the meeting's recorder attended every meeting they recorded: the import never links them, nor does this
    const host = await call("POST", `/api/teams/${t.teamId}/leads`, { name: "Sandy", emails: [SANDY.toUpperCase()] });
    assert.equal(host.status, 201);
    assert.equal(host.body.lead.meeting_count, 0);
    // a direct insert (no API) links as well: the rule lives in the database
    const [lead] = await sql`insert into public.leads (team_id, name) values (${t.teamId}, 'Direct') returning id`;
    await sql`insert into public.lead_emails (lead_id, team_id, email) values (${lead.id}, ${t.teamId}, 'x@y.example')`;
    const m2 = await importFor(t.teamId, [{ name: "Q", email: "q@y.example", is_external: true }]);
    await sql`update public.lead_emails set email = 'Q@y.example' where lead_id = ${lead.id}`;
    assert.deepEqual(await linksOf(lead.id), [{ meeting_id: m2.result.meetingId, matched_email: "q@y.example" }]);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("cleanup: close the pool", closeAll);
