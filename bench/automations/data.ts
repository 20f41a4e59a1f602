// The bench's data, shared by its Deno scripts (bench/automations/bench.mjs describes the whole bench): lead i and
// meeting i, deterministic, so the product's team and the baseline's "fresh copy of the same data" are the same.
//
// Meeting i (recording_id = base + i) has Sandy (internal) and lead i (external) as invitees, a summary, and its
// action items: none when i % 25 == 0, else three, the second one already completed when i % 10 == 0 (completed
// items make no task: context-loader.ts keeps open items only). Its title carries the tag "[r<recording_id>]" so
// a Slack message can be traced back to its meeting (and so to its event).

export const SANDY = "sandy@sandbox.fathom.test";
export const ADMIN = "11111111-1111-4111-8111-111111111111"; // demo-admin@example.com (supabase/seed.sql)
export const ADMIN_EMAIL = "demo-admin@example.com";

export const leadName = (i: number) => `Bench Lead ${i}`;
export const leadEmail = (i: number) => `lead${i}@bench${i % 50}.example`;

/** Open action items of meeting i: what create_tasks must turn into tasks. */
export function openItems(i: number): number {
  if (i % 25 === 0) return 0;
  return i % 10 === 0 ? 2 : 3;
}

/** Tasks the rule "create_tasks" must create for meetings 0..n-1. */
export function expectedTasks(n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += openItems(i);
  return total;
}

export const tagOf = (recordingId: number) => `[r${recordingId}]`;
export const TAG_PATTERN = /\[r(\d+)\]/;

/** Fathom's Meeting object (as a webhook or a list page with content delivers it) for lead i. */
export function wireMeeting(i: number, recordingId: number) {
  const start = Date.parse("2026-11-02T09:00:00Z") + i * 3_600_000;
  const iso = (ms: number) => new Date(ms).toISOString().replace(".000", "");
  const email = leadEmail(i);
  const items = i % 25 === 0 ? [] : [
    { text: `Send the proposal to ${leadName(i)}`, assignee: ADMIN_EMAIL, completed: false },
    { text: "Book the security review", assignee: email, completed: i % 10 === 0 },
    { text: "Share the pricing sheet", assignee: null, completed: false },
  ];
  return {
    title: `Bench call ${i} ${tagOf(recordingId)}`,
    meeting_title: `${leadName(i)} x Sandbox`,
    recording_id: recordingId,
    url: `https://fathom.video/calls/${recordingId}`,
    share_url: `https://fathom.video/share/${recordingId}`,
    created_at: iso(start + 32 * 60_000),
    scheduled_start_time: iso(start),
    scheduled_end_time: iso(start + 30 * 60_000),
    recording_start_time: iso(start + 60_000),
    recording_end_time: iso(start + 29 * 60_000),
    calendar_invitees_domains_type: "one_or_more_external",
    transcript_language: "en",
    calendar_invitees: [
      { name: "Sandy Sandbox", email: SANDY, email_domain: "sandbox.fathom.test", is_external: false },
      { name: leadName(i), email, email_domain: email.split("@")[1], is_external: true },
    ],
    recorded_by: { name: "Sandy Sandbox", email: SANDY, email_domain: "sandbox.fathom.test", team: "Sales" },
    transcript: [
      { speaker: { display_name: leadName(i), matched_calendar_invitee_email: email }, text: "Thanks for the time.", timestamp: "00:00:05" },
      { speaker: { display_name: "Sandy Sandbox", matched_calendar_invitee_email: SANDY }, text: "Glad to help.", timestamp: "00:00:09" },
    ],
    default_summary: {
      template_name: "general",
      markdown_formatted: `## Summary\n${leadName(i)} wants pricing for 40 seats and a security review.`,
    },
    action_items: items.map((item) => ({
      description: item.text,
      user_generated: false,
      completed: item.completed,
      recording_timestamp: "00:01:00",
      recording_playback_url: null,
      assignee: item.assignee ? { name: null, email: item.assignee, team: null } : null,
    })),
  };
}

/** The three rules on meeting.linked_to_lead (rule bodies as the API takes them). */
export const RULES = [
  { name: "Tasks from action items", trigger: "meeting.linked_to_lead", actions: [{ type: "create_tasks", due_in_days: 3 }] },
  {
    name: "Note on the lead",
    trigger: "meeting.linked_to_lead",
    actions: [{ type: "add_note", template: "Met {{lead.name}}: {{meeting.title}}\n\n{{meeting.summary | truncate: 300}}" }],
  },
  {
    name: "Post to Slack",
    trigger: "meeting.linked_to_lead",
    actions: [{ type: "post_slack", template: "New call with {{lead.name}}: {{meeting.title}}" }],
  },
];

/** Reads stdin line by line (the bench's "go" / "stop" signals). */
export async function* stdinLines(): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let at;
    while ((at = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, at).trim();
      buffer = buffer.slice(at + 1);
    }
  }
}
