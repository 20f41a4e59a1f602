// lead.created says where the lead came from (newcomer review 12, finding 13b; migration 20261204000701): a lead a
// provider's data made (a Fathom or Zoom attendee, a Typeform respondent nobody knew) is an event of that provider's
// source, so a rule can filter on it ("event.source in [typeform]"); a person's lead stays 'person', an automation's
// 'automation', a 'manual' lead made by neither 'import'. The Typeform path end to end is in typeform_webhook_test.ts.
import assert from "node:assert/strict";
import { conditionSchema } from "../_shared/automations/rule.ts";
import { ADMIN, closeAll, sql, test } from "./helpers.ts";

async function teamWithLeadCreatedRule(): Promise<string> {
  const teamId = crypto.randomUUID();
  const ruleId = crypto.randomUUID();
  const versionId = crypto.randomUUID();
  await sql`insert into public.teams (id, name) values (${teamId}, ${"Lead source test " + teamId.slice(0, 8)})`;
  await sql`insert into public.team_members (team_id, user_id, role) values (${teamId}, ${ADMIN}, 'owner')`;
  await sql.begin(async (tx) => {
    await tx`insert into public.automation_rules (id, team_id, name, trigger, enabled, current_version_id, version)
             values (${ruleId}, ${teamId}, 'Rule', 'lead.created', true, ${versionId}, 1)`;
    await tx`insert into public.automation_rule_versions (id, rule_id, team_id, version, name, trigger, conditions, actions)
             values (${versionId}, ${ruleId}, ${teamId}, 1, 'Rule', 'lead.created', ${sql.json({ match: "all", rules: [] })},
                     ${sql.json([{ type: "add_note", template: "hi" }])})`;
  });
  return teamId;
}

test("lead.created: a lead made from Fathom, Zoom or Typeform data is an event of that source; a manual one is not", async () => {
  const teamId = await teamWithLeadCreatedRule();
  // as the importers write them: service role, no person, no automation
  for (const source of ["fathom", "zoom", "typeform", "manual"]) {
    await sql`insert into public.leads (team_id, name, source) values (${teamId}, ${"From " + source}, ${source})`;
  }
  // a person adding a lead through the API (their JWT claims set): 'person', whatever the lead's source
  await sql.begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: ADMIN, role: "authenticated" })}, true)`;
    await tx`insert into public.leads (team_id, name, source) values (${teamId}, 'By hand', 'manual')`;
  });
  const events = await sql`
    select l.name, e.source from public.automation_events e join public.leads l on l.id = e.lead_id
     where e.team_id = ${teamId} and e.type = 'lead.created' order by e.id`;
  assert.deepEqual(events.map((e) => [e.name, e.source]), [
    ["From fathom", "fathom"], ["From zoom", "zoom"], ["From typeform", "typeform"], ["From manual", "import"], ["By hand", "person"],
  ]);
});

test("lead.created: a rule may filter on the provider sources", async () => {
  const rule = conditionSchema.safeParse({ field: "event.source", op: "in", value: ["typeform", "zoom", "fathom"] });
  assert.ok(rule.success, JSON.stringify(rule.error?.issues));
});

test("cleanup", async () => {
  await sql`delete from public.teams where name like 'Lead source test %'`;
  await closeAll();
});
