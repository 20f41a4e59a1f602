// Bench fixture (Deno, run by bench/automations/bench.mjs): a fresh team owned by the seeded admin with N leads and
// N meetings, each linked to its lead by the real importer (so the outbox triggers write one event per link when
// rules are on). With BENCH_RULES=1, three enabled rules on meeting.linked_to_lead are published first (create
// tasks from the two action items, add a note, move the lead to "contacted"). Prints one JSON line: { teamId, events }.
import postgres from "postgres";
import { asService, closeDb } from "../../supabase/functions/_shared/db.ts";
import { importMeeting } from "../../supabase/functions/_shared/fathom/import.ts";
import type { FathomMeeting } from "../../supabase/functions/_shared/fathom/client.ts";
import { parseRuleBody } from "../../supabase/functions/_shared/automations/rule.ts";

const ADMIN = "11111111-1111-4111-8111-111111111111";
const n = Number(Deno.args[0] ?? 1000);
const withRules = Deno.env.get("BENCH_RULES") === "1";
const sql = postgres(Deno.env.get("SUPABASE_DB_URL")!, { max: 2, onnotice: () => {}, prepare: false });

const teamId = crypto.randomUUID();
await sql`insert into public.teams (id, name) values (${teamId}, ${"Automations bench " + teamId.slice(0, 8)})`;
await sql`insert into public.team_members (team_id, user_id, role) values (${teamId}, ${ADMIN}, 'owner')`;
const leads = Array.from({ length: n }, (_, i) => ({ id: crypto.randomUUID(), team_id: teamId, name: `Lead ${i}` }));
for (let i = 0; i < n; i += 500) await sql`insert into public.leads ${sql(leads.slice(i, i + 500), "id", "team_id", "name")}`;
const emails = leads.map((l, i) => ({ lead_id: l.id, team_id: teamId, email: `lead${i}@bench.example` }));
for (let i = 0; i < n; i += 500) await sql`insert into public.lead_emails ${sql(emails.slice(i, i + 500), "lead_id", "team_id", "email")}`;

if (withRules) {
  const bodies = [
    { name: "Tasks", trigger: "meeting.linked_to_lead", actions: [{ type: "create_tasks", due_in_days: 3 }] },
    { name: "Note", trigger: "meeting.linked_to_lead", actions: [{ type: "add_note", template: "Met {{lead.name}}: {{meeting.summary | truncate: 200}}" }] },
    { name: "Stage", trigger: "meeting.linked_to_lead", actions: [{ type: "set_stage", stage: "contacted" }] },
  ];
  for (const body of bodies) {
    const rule = parseRuleBody({ ...body, enabled: true });
    const ruleId = crypto.randomUUID();
    const versionId = crypto.randomUUID();
    await sql.begin(async (tx) => {
      await tx`insert into public.automation_rules (id, team_id, name, trigger, enabled, current_version_id, version)
               values (${ruleId}, ${teamId}, ${rule.name}, ${rule.trigger}, true, ${versionId}, 1)`;
      await tx`insert into public.automation_rule_versions (id, rule_id, team_id, version, name, trigger, conditions, actions)
               values (${versionId}, ${ruleId}, ${teamId}, 1, ${rule.name}, ${rule.trigger},
                       ${sql.json(rule.conditions as never)}, ${sql.json(rule.actions as never)})`;
    });
  }
}

const base = 700_000_000 + Math.floor(Math.random() * 100_000_000);
for (let i = 0; i < n; i++) {
  const meeting = {
    recording_id: base + i,
    title: `Bench call ${i}`,
    meeting_title: null,
    url: `https://fathom.video/calls/${base + i}`,
    share_url: null,
    created_at: "2026-01-10T16:31:00Z",
    scheduled_start_time: "2026-01-10T16:00:00Z",
    scheduled_end_time: "2026-01-10T16:30:00Z",
    recording_start_time: "2026-01-10T16:01:00Z",
    recording_end_time: "2026-01-10T16:29:00Z",
    calendar_invitees_domains_type: "one_or_more_external",
    calendar_invitees: [{ name: `Lead ${i}`, email: `lead${i}@bench.example`, email_domain: "bench.example", is_external: true, matched_speaker_display_name: null }],
    recorded_by: null,
    transcript: null,
    default_summary: { template_name: "general", markdown_formatted: "## Summary\nWe talked about the pilot." },
    action_items: [
      { description: "Send the proposal", user_generated: false, completed: false, recording_timestamp: "00:01:00", recording_playback_url: null, assignee: null },
      { description: "Book the demo", user_generated: false, completed: false, recording_timestamp: "00:02:00", recording_playback_url: null, assignee: null },
    ],
  } as unknown as FathomMeeting;
  await asService((tx) => importMeeting(tx, { teamId, integrationId: null, meeting, source: "webhook" }));
}
const [{ events }] = await sql`select count(*)::int as events from public.automation_events where team_id = ${teamId}`;
await sql.end();
await closeDb();
console.log(JSON.stringify({ teamId, events }));
