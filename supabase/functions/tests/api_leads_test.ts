// The `api` function's lead routes against the real DB: admin / member / outsider / no JWT, e-mails written with
// their lead in one transaction, 409 email_taken (case-insensitive) leaving nothing written, members create and
// edit but only admins delete, and an outsider learning nothing.
import assert from "node:assert/strict";
import { handler } from "../api/handler.ts";
import { LEAD_MEETINGS_LIMIT } from "../api/routes/leads.ts";
import { ADMIN, callAs, closeAll, jwtFor, MEETING_SUMMARY_KEYS, MEMBER, OTHER_TEAM, OUTSIDER, request, resetDb, sql, TEAM, test } from "./helpers.ts";

const JANE = "c0000000-0000-4000-8000-000000000001";
const RAJ = "c0000000-0000-4000-8000-000000000002";
const LI = "c0000000-0000-4000-8000-000000000003";
const OTHER_LEAD = "d0000000-0000-4000-8000-000000000001";
const seed = await Deno.readTextFile(new URL("../../seed.sql", import.meta.url));

const call = (user: string | null, method: string, path: string, body?: unknown) =>
  callAs(handler, user, method, path, body);

/** The seeded CRM state, plus one lead in the outsider's team (same e-mail as Jane: uniqueness is per team). */
async function reset() {
  await resetDb();
  await sql`delete from public.meetings where team_id in (${TEAM}, ${OTHER_TEAM})`;
  await sql`delete from public.leads where team_id in (${TEAM}, ${OTHER_TEAM})`;
  await sql.unsafe(seed).simple();
  await sql`insert into public.leads (id, team_id, name) values (${OTHER_LEAD}, ${OTHER_TEAM}, 'Other Team Lead')`;
  await sql`insert into public.lead_emails (lead_id, team_id, email)
            values (${OTHER_LEAD}, ${OTHER_TEAM}, 'jane.doe@acme.example')`;
}

const leadCount = async () => (await sql`select count(*)::int as n from public.leads where team_id = ${TEAM}`)[0].n;
const emailsOf = async (leadId: string) =>
  (await sql`select email from public.lead_emails where lead_id = ${leadId} order by email_normalized`)
    .map((r) => r.email);

// --- list ----------------------------------------------------------------------------------------------------------

test("leads list: admin and member see the team's leads with e-mails, owner e-mail and meeting stats", async () => {
  await reset();
  for (const user of [ADMIN, MEMBER]) {
    const res = await call(user, "GET", `/api/teams/${TEAM}/leads`);
    assert.equal(res.status, 200);
    const { leads } = res.body;
    assert.equal(leads.length, 5);
    assert.ok(!leads.some((l: { id: string }) => l.id === OTHER_LEAD));
    const jane = leads.find((l: { id: string }) => l.id === JANE);
    assert.deepEqual(Object.keys(jane).sort(), [
      "company",
      "created_at",
      "emails",
      "id",
      "last_meeting_at",
      "meeting_count",
      "name",
      "owner_email",
      "owner_id",
      "source",
      "source_form_title",
      "stage",
      "updated_at",
    ]);
    assert.equal(jane.name, "Jane Doe");
    assert.equal(jane.company, "Acme Corp");
    assert.equal(jane.stage, "qualified");
    assert.equal(jane.owner_id, ADMIN);
    assert.equal(jane.owner_email, "demo-admin@example.com");
    assert.equal(jane.source, "manual");
    assert.equal(jane.source_form_title, null);
    assert.deepEqual(jane.emails, ["jane.doe@acme.example"]);
    assert.equal(jane.meeting_count, 0);
    assert.equal(jane.last_meeting_at, null);
  }
});

test("leads list: outsider and unknown team 404, no JWT 401", async () => {
  await reset();
  const outsider = await call(OUTSIDER, "GET", `/api/teams/${TEAM}/leads`);
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "team_not_found");
  assert.equal((await call(ADMIN, "GET", `/api/teams/${OTHER_TEAM}/leads`)).status, 404);
  assert.equal((await call(null, "GET", `/api/teams/${TEAM}/leads`)).status, 401);
});

test("leads list: q matches name, company or e-mail, case-insensitively; LIKE wildcards are literal", async () => {
  await reset();
  const names = async (q: string) => {
    const res = await call(MEMBER, "GET", `/api/teams/${TEAM}/leads?q=${encodeURIComponent(q)}`);
    assert.equal(res.status, 200, q);
    return res.body.leads.map((l: { name: string }) => l.name).sort();
  };
  assert.deepEqual(await names("jane"), ["Jane Doe"]);
  assert.deepEqual(await names("GLOBEX"), ["Raj Patel"]);
  assert.deepEqual(await names("LI.WEI@initech"), ["Li Wei"]);
  assert.deepEqual(await names(".example"), ["Jane Doe", "Li Wei", "Maria Garcia", "Raj Patel", "Tom Baker"]);
  assert.deepEqual(await names("a"), ["Jane Doe", "Li Wei", "Maria Garcia", "Raj Patel", "Tom Baker"]);
  assert.deepEqual(await names("%"), []);
  assert.deepEqual(await names("_"), []);
  assert.deepEqual(await names("nobody"), []);
  assert.deepEqual((await names("  ")).length, 5); // blank q: no filter
});

// --- create --------------------------------------------------------------------------------------------------------

test("leads create: a member creates a lead with two e-mails (deduplicated case-insensitively) -> 201", async () => {
  await reset();
  const res = await call(MEMBER, "POST", `/api/teams/${TEAM}/leads`, {
    name: "  Ann Lee ",
    company: "Wayne Enterprises",
    stage: "contacted",
    notes: "Met at the conference.",
    owner_id: MEMBER,
    emails: ["ann@wayne.example", "Ann.Lee@Wayne.example", "ANN@wayne.example"],
  });
  assert.equal(res.status, 201);
  const { lead } = res.body;
  assert.equal(lead.name, "Ann Lee");
  assert.equal(lead.company, "Wayne Enterprises");
  assert.equal(lead.stage, "contacted");
  assert.equal(lead.owner_id, MEMBER);
  assert.equal(lead.owner_email, "demo-member@example.com");
  assert.equal(lead.source, "manual");
  assert.equal(lead.meeting_count, 0);
  assert.deepEqual([...lead.emails].sort(), ["Ann.Lee@Wayne.example", "ann@wayne.example"]);
  assert.deepEqual(await emailsOf(lead.id), ["Ann.Lee@Wayne.example", "ann@wayne.example"]);
  const [row] = await sql`select team_id, created_by, source from public.leads where id = ${lead.id}`;
  assert.deepEqual({ ...row }, { team_id: TEAM, created_by: MEMBER, source: "manual" });
  // minimal body: defaults
  const minimal = await call(ADMIN, "POST", `/api/teams/${TEAM}/leads`, { name: "Bo", emails: ["bo@x.example"] });
  assert.equal(minimal.status, 201);
  assert.equal(minimal.body.lead.stage, "new");
  assert.equal(minimal.body.lead.company, null);
  assert.equal(minimal.body.lead.owner_id, null);
  assert.equal(await leadCount(), 7);
});

test("leads create: an e-mail of another lead (any case) is 409 email_taken naming it, and nothing is written", async () => {
  await reset();
  const before = (await sql`select count(*)::int as n from public.lead_emails`)[0].n;
  const res = await call(MEMBER, "POST", `/api/teams/${TEAM}/leads`, {
    name: "Jane Again",
    emails: ["fresh@new.example", "  JANE.DOE@ACME.EXAMPLE "],
  });
  assert.equal(res.status, 409);
  assert.equal(res.body.error.code, "email_taken");
  assert.match(res.body.error.message, /JANE\.DOE@ACME\.EXAMPLE/);
  assert.equal(await leadCount(), 5);
  assert.equal((await sql`select count(*)::int as n from public.lead_emails`)[0].n, before);
  assert.equal(
    (await sql`select count(*)::int as n from public.lead_emails where email_normalized = 'fresh@new.example'`)[0].n,
    0,
  );
  assert.equal((await sql`select count(*)::int as n from public.leads where name = 'Jane Again'`)[0].n, 0);
});

test("leads create: the other team's use of an e-mail does not block this team (uniqueness is per team)", async () => {
  await reset();
  // the outsider's team already has jane.doe@acme.example (like the demo team) and may add li.wei's too
  const res = await call(OUTSIDER, "POST", `/api/teams/${OTHER_TEAM}/leads`, {
    name: "Li in another CRM",
    emails: ["Li.Wei@Initech.example"],
  });
  assert.equal(res.status, 201);
});

test("leads create: validation errors are 400 invalid_request naming the field", async () => {
  await reset();
  const cases: [unknown, RegExp][] = [
    [{ emails: ["a@b.example"] }, /name/],
    [{ name: "   ", emails: ["a@b.example"] }, /name/],
    [{ name: "x".repeat(201), emails: ["a@b.example"] }, /name/],
    [{ name: "A", company: "c".repeat(201), emails: ["a@b.example"] }, /company/],
    [{ name: "A", stage: "hot", emails: ["a@b.example"] }, /stage/],
    [{ name: "A", notes: "n".repeat(10_001), emails: ["a@b.example"] }, /notes/],
    [{ name: "A", owner_id: "nope", emails: ["a@b.example"] }, /owner_id/],
    [{ name: "A" }, /emails/],
    [{ name: "A", emails: [] }, /emails/],
    [{ name: "A", emails: ["a@b.example", "not-an-email"] }, /emails\.1/],
    [{ name: "A", emails: Array.from({ length: 11 }, (_, i) => `p${i}@x.example`) }, /emails/],
    [[], /body/],
  ];
  for (const [body, field] of cases) {
    const res = await call(MEMBER, "POST", `/api/teams/${TEAM}/leads`, body);
    assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
    assert.equal(res.body.error.code, "invalid_request");
    assert.match(res.body.error.message, field);
  }
  // an owner who is not a member of the team
  const owner = await call(MEMBER, "POST", `/api/teams/${TEAM}/leads`, {
    name: "A",
    owner_id: OUTSIDER,
    emails: ["a@b.example"],
  });
  assert.equal(owner.status, 400);
  assert.match(owner.body.error.message, /owner_id/);
  assert.equal(await leadCount(), 5);
});

test("leads create: outsider 404 (nothing written), no JWT 401", async () => {
  await reset();
  const body = { name: "Sneaky", emails: ["sneaky@x.example"] };
  const outsider = await call(OUTSIDER, "POST", `/api/teams/${TEAM}/leads`, body);
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "team_not_found");
  assert.equal((await call(null, "POST", `/api/teams/${TEAM}/leads`, body)).status, 401);
  assert.equal(await leadCount(), 5);
});

// --- read one ------------------------------------------------------------------------------------------------------

test("lead get: member reads a lead; another team's or an unknown lead is 404 lead_not_found; junk id 400", async () => {
  await reset();
  const res = await call(MEMBER, "GET", `/api/teams/${TEAM}/leads/${JANE}`);
  assert.equal(res.status, 200);
  assert.equal(res.body.lead.id, JANE);
  assert.deepEqual(res.body.meetings, []);
  for (const id of [OTHER_LEAD, crypto.randomUUID()]) {
    const missing = await call(ADMIN, "GET", `/api/teams/${TEAM}/leads/${id}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "lead_not_found");
  }
  const junk = await call(ADMIN, "GET", `/api/teams/${TEAM}/leads/not-a-uuid`);
  assert.equal(junk.status, 400);
  assert.match(junk.body.error.message, /leadId/);
  const outsider = await call(OUTSIDER, "GET", `/api/teams/${TEAM}/leads/${JANE}`);
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "team_not_found");
  assert.equal((await call(null, "GET", `/api/teams/${TEAM}/leads/${JANE}`)).status, 401);
});

test("lead get: a Typeform lead names the form of its first response; other sources have no form", async () => {
  await reset();
  const GRACE = "c0000000-0000-4000-8000-0000000000f1";
  await sql`insert into public.leads (id, team_id, name, source) values (${GRACE}, ${TEAM}, 'Grace Hopper', 'typeform')`;
  // the later response (another form) must not rename where the lead came from
  await sql`insert into public.typeform_responses (team_id, form_id, form_title, response_token, lead_id, submitted_at,
              status, source)
            values (${TEAM}, 'frmB', 'Newsletter', 'tokB', ${GRACE}, '2026-03-02T10:00:00Z', 'imported', 'webhook'),
                   (${TEAM}, 'frmA', 'Contact us', 'tokA', ${GRACE}, '2026-03-01T10:00:00Z', 'imported', 'webhook')`;
  try {
    const grace = await call(MEMBER, "GET", `/api/teams/${TEAM}/leads/${GRACE}`);
    assert.equal(grace.status, 200);
    assert.equal(grace.body.lead.source, "typeform");
    assert.equal(grace.body.lead.source_form_title, "Contact us");
    const listed = (await call(MEMBER, "GET", `/api/teams/${TEAM}/leads?q=Grace`)).body.leads;
    assert.deepEqual(listed.map((l: { source_form_title: string | null }) => l.source_form_title), ["Contact us"]);
    const jane = await call(MEMBER, "GET", `/api/teams/${TEAM}/leads/${JANE}`);
    assert.equal(jane.body.lead.source_form_title, null);
  } finally {
    await sql`delete from public.typeform_responses where team_id = ${TEAM} and form_id in ('frmA', 'frmB')`;
    await sql`delete from public.leads where id = ${GRACE}`;
  }
});

test("lead get: the lead's meetings, newest first, with their leads; meeting_count and last_meeting_at", async () => {
  await reset();
  const ids = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  await sql.begin(async (tx) => {
    await tx`set local role service_role`;
    const rows: [string, number, string, string | null, string | null][] = [
      [ids[0], 1, "Old call", "2026-01-01T10:00:00Z", null],
      [ids[1], 2, "Newest call", "2026-03-01T10:00:00Z", null],
      [ids[2], 3, "Scheduled only", null, "2026-02-01T10:00:00Z"],
      [ids[3], 4, "Not Jane's", "2026-04-01T10:00:00Z", null],
    ];
    for (const [id, rec, title, start, scheduled] of rows) {
      await tx`insert into public.meetings (id, team_id, provider_meeting_id, title, recording_start_time,
                 scheduled_start_time, source)
               values (${id}, ${TEAM}, ${700000 + rec}, ${title}, ${start}, ${scheduled}, 'backfill')`;
    }
    for (const id of ids.slice(0, 3)) {
      await tx`insert into public.meeting_leads (meeting_id, lead_id, team_id, matched_email)
               values (${id}, ${JANE}, ${TEAM}, 'jane.doe@acme.example')`;
    }
    await tx`insert into public.meeting_leads (meeting_id, lead_id, team_id) values (${ids[1]}, ${RAJ}, ${TEAM})`;
    await tx`insert into public.meeting_leads (meeting_id, lead_id, team_id) values (${ids[3]}, ${RAJ}, ${TEAM})`;
  });
  const res = await call(MEMBER, "GET", `/api/teams/${TEAM}/leads/${JANE}`);
  assert.equal(res.status, 200);
  const { lead, meetings } = res.body;
  assert.deepEqual(meetings.map((m: { title: string }) => m.title), ["Newest call", "Scheduled only", "Old call"]);
  assert.deepEqual(meetings[0].leads, [{ id: JANE, name: "Jane Doe" }, { id: RAJ, name: "Raj Patel" }]);
  assert.equal(meetings[0].provider, "fathom");
  assert.equal(meetings[0].provider_meeting_id, "700002");
  assert.deepEqual(Object.keys(meetings[0]).sort(), MEETING_SUMMARY_KEYS);
  assert.equal(lead.meeting_count, 3);
  assert.equal(new Date(lead.last_meeting_at).toISOString(), "2026-03-01T10:00:00.000Z");
  const list = await call(MEMBER, "GET", `/api/teams/${TEAM}/leads?q=raj`);
  assert.equal(list.body.leads[0].meeting_count, 2);
  assert.equal(new Date(list.body.leads[0].last_meeting_at).toISOString(), "2026-04-01T10:00:00.000Z");
});

test("lead get: lead.meeting_count counts every meeting of the lead the caller sees; the list stops at the limit", async () => {
  await reset();
  const janeTotal = LEAD_MEETINGS_LIMIT + 5;
  const otherMeeting = crypto.randomUUID();
  await sql.begin(async (tx) => {
    await tx`set local role service_role`;
    // Jane: LEAD_MEETINGS_LIMIT + 5 meetings, one a day (meeting i on day i: the newest is the last)
    await tx`
      insert into public.meetings (team_id, provider_meeting_id, title, recording_start_time, source)
      select ${TEAM}, 710000 + i, 'Jane call #' || i, timestamptz '2025-01-01T10:00:00Z' + i * interval '1 day',
             'backfill'
        from generate_series(1, ${janeTotal}::int) as i`;
    await tx`insert into public.meeting_leads (meeting_id, lead_id, team_id)
             select id, ${JANE}, ${TEAM} from public.meetings
              where team_id = ${TEAM} and provider_meeting_id::int between 710001 and ${710000 + janeTotal}`;
    // Raj: two meetings (one shared with Jane); a meeting of no lead; the other team's meeting of its own lead
    await tx`insert into public.meetings (team_id, provider_meeting_id, title, source)
             values (${TEAM}, 720001, 'Raj call', 'backfill')`;
    await tx`insert into public.meeting_leads (meeting_id, lead_id, team_id)
             select id, ${RAJ}, ${TEAM} from public.meetings
              where team_id = ${TEAM} and provider_meeting_id in ('720001', '710001')`;
    await tx`insert into public.meetings (team_id, provider_meeting_id, title, source)
             values (${TEAM}, 720002, 'Nobody''s call', 'backfill')`;
    await tx`insert into public.meetings (id, team_id, provider_meeting_id, title, source)
             values (${otherMeeting}, ${OTHER_TEAM}, 720003, 'Elsewhere', 'webhook')`;
    await tx`insert into public.meeting_leads (meeting_id, lead_id, team_id)
             values (${otherMeeting}, ${OTHER_LEAD}, ${OTHER_TEAM})`;
  });

  for (const user of [ADMIN, MEMBER]) {
    const res = await call(user, "GET", `/api/teams/${TEAM}/leads/${JANE}`);
    assert.equal(res.status, 200);
    const { lead, meetings } = res.body;
    assert.equal(meetings.length, LEAD_MEETINGS_LIMIT);
    // the newest first, down to the limit
    assert.equal(meetings[0].title, `Jane call #${janeTotal}`);
    assert.equal(meetings.at(-1).title, `Jane call #${janeTotal - LEAD_MEETINGS_LIMIT + 1}`);
    assert.equal(lead.meeting_count, janeTotal);
  }
  const raj = await call(MEMBER, "GET", `/api/teams/${TEAM}/leads/${RAJ}`);
  assert.equal(raj.status, 200);
  assert.equal(raj.body.lead.meeting_count, 2);
  assert.equal(raj.body.meetings.length, 2);
  const li = await call(MEMBER, "GET", `/api/teams/${TEAM}/leads/${LI}`);
  assert.equal(li.status, 200);
  assert.equal(li.body.lead.meeting_count, 0);
  assert.deepEqual(li.body.meetings, []);
  // the outsider counts its own team's meeting only
  const other = await call(OUTSIDER, "GET", `/api/teams/${OTHER_TEAM}/leads/${OTHER_LEAD}`);
  assert.equal(other.status, 200);
  assert.equal(other.body.lead.meeting_count, 1);
  assert.deepEqual(other.body.meetings.map((m: { id: string }) => m.id), [otherMeeting]);
});

// --- edit ----------------------------------------------------------------------------------------------------------

test("lead patch: a member edits fields partially; emails replace the set (removed, added, respelled)", async () => {
  await reset();
  await sql`insert into public.lead_emails (lead_id, team_id, email) values (${JANE}, ${TEAM}, 'jane@old.example')`;
  const res = await call(MEMBER, "PATCH", `/api/teams/${TEAM}/leads/${JANE}`, {
    stage: "won",
    emails: ["Jane.Doe@Acme.example", "jane@new.example", "JANE@new.example"],
  });
  assert.equal(res.status, 200);
  const { lead } = res.body;
  assert.equal(lead.stage, "won");
  assert.equal(lead.name, "Jane Doe"); // untouched
  assert.equal(lead.company, "Acme Corp");
  assert.equal(lead.owner_id, ADMIN);
  assert.deepEqual([...lead.emails].sort(), ["Jane.Doe@Acme.example", "jane@new.example"]);
  assert.deepEqual(await emailsOf(JANE), ["Jane.Doe@Acme.example", "jane@new.example"]);
  // only a name; clearing the owner
  const renamed = await call(MEMBER, "PATCH", `/api/teams/${TEAM}/leads/${JANE}`, { name: "Jane D.", owner_id: null });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.lead.name, "Jane D.");
  assert.equal(renamed.body.lead.owner_id, null);
  assert.equal(renamed.body.lead.owner_email, null);
  assert.equal(renamed.body.lead.emails.length, 2);
  // an empty body changes nothing but is fine
  assert.equal((await call(MEMBER, "PATCH", `/api/teams/${TEAM}/leads/${JANE}`, {})).status, 200);
});

test("lead patch: an e-mail of another lead is 409 email_taken and the whole edit is rolled back", async () => {
  await reset();
  const res = await call(MEMBER, "PATCH", `/api/teams/${TEAM}/leads/${JANE}`, {
    stage: "lost",
    emails: ["new@jane.example", "Raj.Patel@Globex.example"],
  });
  assert.equal(res.status, 409);
  assert.equal(res.body.error.code, "email_taken");
  assert.match(res.body.error.message, /Raj\.Patel@Globex\.example/);
  const [jane] = await sql`select stage from public.leads where id = ${JANE}`;
  assert.equal(jane.stage, "qualified");
  assert.deepEqual(await emailsOf(JANE), ["jane.doe@acme.example"]);
  assert.deepEqual(await emailsOf(RAJ), ["raj.patel@globex.example"]);
});

test("lead patch: outsider 404, other team's lead 404 lead_not_found, bad body 400, no JWT 401", async () => {
  await reset();
  const outsider = await call(OUTSIDER, "PATCH", `/api/teams/${TEAM}/leads/${JANE}`, { stage: "lost" });
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "team_not_found");
  const other = await call(ADMIN, "PATCH", `/api/teams/${TEAM}/leads/${OTHER_LEAD}`, { stage: "lost" });
  assert.equal(other.status, 404);
  assert.equal(other.body.error.code, "lead_not_found");
  const bad = await call(MEMBER, "PATCH", `/api/teams/${TEAM}/leads/${JANE}`, { emails: [] });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /emails/);
  assert.equal((await call(null, "PATCH", `/api/teams/${TEAM}/leads/${JANE}`, { stage: "lost" })).status, 401);
  const [jane] = await sql`select stage from public.leads where id = ${JANE}`;
  assert.equal(jane.stage, "qualified");
  const [otherLead] = await sql`select name from public.leads where id = ${OTHER_LEAD}`;
  assert.equal(otherLead.name, "Other Team Lead");
});

// --- delete --------------------------------------------------------------------------------------------------------

test("lead delete: a member gets 403 not_team_admin, an outsider 404, and the lead stays", async () => {
  await reset();
  const member = await call(MEMBER, "DELETE", `/api/teams/${TEAM}/leads/${JANE}`);
  assert.equal(member.status, 403);
  assert.equal(member.body.error.code, "not_team_admin");
  const outsider = await call(OUTSIDER, "DELETE", `/api/teams/${TEAM}/leads/${JANE}`);
  assert.equal(outsider.status, 404);
  assert.equal(outsider.body.error.code, "team_not_found");
  assert.equal((await call(null, "DELETE", `/api/teams/${TEAM}/leads/${JANE}`)).status, 401);
  // a member deleting an unknown lead learns it is unknown, not that they lack the role
  const unknown = await call(MEMBER, "DELETE", `/api/teams/${TEAM}/leads/${crypto.randomUUID()}`);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, "lead_not_found");
  assert.equal(await leadCount(), 5);
});

test("lead delete: an admin deletes (204, e-mails gone); again 404; another team's lead is 404 and survives", async () => {
  await reset();
  const res = await call(ADMIN, "DELETE", `/api/teams/${TEAM}/leads/${JANE}`);
  assert.equal(res.status, 204);
  assert.equal(res.body, null);
  assert.equal(await leadCount(), 4);
  assert.deepEqual(await emailsOf(JANE), []);
  const again = await call(ADMIN, "DELETE", `/api/teams/${TEAM}/leads/${JANE}`);
  assert.equal(again.status, 404);
  assert.equal(again.body.error.code, "lead_not_found");
  const other = await call(ADMIN, "DELETE", `/api/teams/${TEAM}/leads/${OTHER_LEAD}`);
  assert.equal(other.status, 404);
  assert.equal(other.body.error.code, "lead_not_found");
  assert.equal((await sql`select count(*)::int as n from public.leads where id = ${OTHER_LEAD}`)[0].n, 1);
  // the freed e-mail can be used again
  const reuse = await call(MEMBER, "POST", `/api/teams/${TEAM}/leads`, {
    name: "J",
    emails: ["jane.doe@acme.example"],
  });
  assert.equal(reuse.status, 201);
});

test("routing: wrong method on a lead is 405; unknown sub-path 404", async () => {
  const token = await jwtFor(ADMIN);
  const put = await handler(request(`/api/teams/${TEAM}/leads/${JANE}`, { method: "PUT", token, body: "{}" }));
  assert.equal(put.status, 405);
  assert.equal(put.headers.get("allow"), "GET, PATCH, DELETE");
  await put.body?.cancel();
  const nope = await handler(request(`/api/teams/${TEAM}/leads/${JANE}/nope`, { token }));
  assert.equal(nope.status, 404);
  await nope.body?.cancel();
});

test("cleanup: lead tests leave the database as seeded", async () => {
  await reset();
  await sql`delete from public.leads where team_id = ${OTHER_TEAM}`;
  await resetDb({ dropOtherTeam: true });
  await closeAll();
});
