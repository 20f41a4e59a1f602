// Bench fixture (Deno; bench/automations/bench.mjs): a fresh team owned by the seeded admin, optionally a Slack
// destination whose incoming-webhook URL is BENCH_SLACK_URL (stored encrypted as the OAuth engine stores it), the
// three enabled rules of data.ts published as the API publishes them (rule + version in one transaction, parsed by
// the rule language), and `leads` leads, lead i with the e-mail data.ts gives it. Then, unless `meetings` is 0, the
// meetings 0..meetings-1 imported through the product's importer (_shared/fathom/import.ts importMeetings, pages of
// 10 as the backfill stores them, source "backfill"), so the outbox triggers write one meeting.linked_to_lead
// event per meeting. Prints one JSON line: {teamId, leads, meetings, events, expectedTasks, importMs}.
//
//   deno run -A bench/automations/fixture.ts <leads> <meetings> <recordingBase>
//
// Environment: the functions' environment (SUPABASE_DB_URL, TOKEN_ENCRYPTION_KEY), BENCH_SLACK_URL (optional).
import postgres from "postgres";
import { encryptSecret, integrationAad } from "../../supabase/functions/_shared/crypto.ts";
import { asService, closeDb } from "../../supabase/functions/_shared/db.ts";
import { importMeetings } from "../../supabase/functions/_shared/fathom/import.ts";
import type { FathomMeeting } from "../../supabase/functions/_shared/fathom/client.ts";
import { parseRuleBody } from "../../supabase/functions/_shared/automations/rule.ts";
import { ADMIN, expectedTasks, leadEmail, leadName, RULES, wireMeeting } from "./data.ts";

const [leadsText, meetingsText, baseText] = Deno.args;
const leads = Number(leadsText);
const meetings = Number(meetingsText);
const recordingBase = Number(baseText);
if (!Number.isInteger(leads) || !Number.isInteger(meetings) || meetings > leads || !Number.isInteger(recordingBase)) {
  console.error("usage: fixture.ts <leads> <meetings <= leads> <recordingBase>");
  Deno.exit(2);
}

const sql = postgres(Deno.env.get("SUPABASE_DB_URL")!, { max: 1, prepare: false, onnotice: () => {} });
try {
  const teamId = crypto.randomUUID();
  await sql.begin(async (tx) => {
    await tx`insert into public.teams (id, name) values (${teamId}, ${"Automations bench " + teamId.slice(0, 8)})`;
    await tx`insert into public.team_members (team_id, user_id, role) values (${teamId}, ${ADMIN}, 'owner')`;
    await tx`update public.team_settings set create_leads_from_unknown_attendees = false where team_id = ${teamId}`;
    const slackUrl = Deno.env.get("BENCH_SLACK_URL");
    if (slackUrl) {
      await tx`
        insert into public.team_integrations (team_id, provider, status, account_name, scopes, access_token_encrypted,
          connected_by, connected_at, destination, destination_secret_encrypted)
        values (${teamId}, 'slack', 'connected', 'Bench', '{}',
          ${await encryptSecret("access", integrationAad(teamId, "slack", "access_token"))}, ${ADMIN}, now(),
          ${tx.json({ channel: "#bench", channelId: "C1", workspace: "Bench", workspaceId: "T1" })},
          ${await encryptSecret(JSON.stringify({ url: slackUrl }), integrationAad(teamId, "slack", "destination"))})`;
    }
    for (const body of RULES) {
      const rule = parseRuleBody({ enabled: true, ...body });
      const ruleId = crypto.randomUUID();
      const versionId = crypto.randomUUID();
      await tx`insert into public.automation_rules (id, team_id, name, trigger, enabled, current_version_id, version)
               values (${ruleId}, ${teamId}, ${rule.name}, ${rule.trigger}, ${rule.enabled}, ${versionId}, 1)`;
      await tx`insert into public.automation_rule_versions (id, rule_id, team_id, version, name, trigger, conditions, actions)
               values (${versionId}, ${ruleId}, ${teamId}, 1, ${rule.name}, ${rule.trigger},
                       ${tx.json(rule.conditions as never)}, ${tx.json(rule.actions as never)})`;
    }
    const indices = Array.from({ length: leads }, (_, i) => i);
    await tx`insert into public.leads (team_id, name, source)
             select ${teamId}, name, 'manual' from unnest(${indices.map(leadName)}::text[]) as x(name)`;
    const ids = await tx<{ id: string; name: string }[]>`select id, name from public.leads where team_id = ${teamId}`;
    const idByName = new Map(ids.map((r) => [r.name, r.id]));
        await tx`
      insert into public.lead_emails (lead_id, team_id, email)
      select x.lead_id, ${teamId}, x.email
        from unnest(${indices.map((i) => idByName.get(leadName(i))!)}::uuid[], ${indices.map(leadEmail)}::text[]) as x(lead_id, email)`;
  });

  const started = performance.now();
  for (let from = 0; from < meetings; from += 10) {
    const page = Array.from({ length: Math.min(10, meetings - from) }, (_, k) =>
      wireMeeting(from + k, recordingBase + from + k) as unknown as FathomMeeting);
    await asService((tx) => importMeetings(tx, { teamId, integrationId: null, meetings: page, source: "backfill" }));
  }
  const importMs = performance.now() - started;
  const [{ events }] = await sql`select count(*)::int as events from public.automation_events where team_id = ${teamId}`;
  console.log(JSON.stringify({ teamId, leads, meetings, events, expectedTasks: expectedTasks(meetings), importMs }));
} finally {
  await sql.end({ timeout: 5 });
  await closeDb();
}
