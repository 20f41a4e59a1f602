import type { Lead, LeadNote, MeetingDetail, MeetingSummary, Member, Task, Team, TimelineItem } from "@/lib/types";

export const TEAM_ID = "team-1";
export const ADMIN_TEAM: Team = { id: TEAM_ID, name: "Acme Sales", role: "admin" };
export const MEMBER_TEAM: Team = { id: TEAM_ID, name: "Acme Sales", role: "member" };

export const MEMBERS: Member[] = [
  { user_id: "u-admin", email: "demo-admin@example.com", full_name: "Dana Admin", role: "admin" },
  { user_id: "u-member", email: "demo-member@example.com", full_name: "Max Member", role: "member" },
];

export function lead(overrides: Partial<Lead> = {}): Lead {
  return {
    id: "11111111-1111-4111-8111-111111111111",
    name: "Grace Hopper",
    company: "Navy Labs",
    stage: "qualified",
    owner_id: "u-admin",
    owner_email: "demo-admin@example.com",
    source: "manual",
    emails: ["grace@navy.example"],
    meeting_count: 2,
    last_meeting_at: "2026-03-01T16:01:12Z",
    created_at: "2026-01-01T10:00:00Z",
    updated_at: "2026-01-02T10:00:00Z",
    ...overrides,
  };
}

export function meetingSummary(overrides: Partial<MeetingSummary> = {}): MeetingSummary {
  return {
    id: "22222221-2222-4222-8222-222222222221",
    provider: "fathom",
    provider_meeting_id: "123456789",
    title: "Quarterly Business Review",
    meeting_title: "QBR 2026 Q1",
    recording_start_time: "2026-03-01T16:01:12Z",
    recording_end_time: "2026-03-01T17:00:55Z",
    scheduled_start_time: "2026-03-01T16:00:00Z",
    url: "https://fathom.video/calls/123456789",
    share_url: "https://fathom.video/share/abc",
    recorded_by: { name: "Alice Johnson", email: "alice@acme.example", email_domain: "acme.example", team: "Sales" },
    invitees: [
      { name: "Alice Johnson", email: "alice@acme.example", email_domain: "acme.example", is_external: false },
      { name: "Grace Hopper", email: "grace@navy.example", email_domain: "navy.example", is_external: true },
    ],
    content_status: "complete",
    content_reason: null,
    provider_deleted_at: null,
    content_wait_until: null,
    leads: [{ id: "11111111-1111-4111-8111-111111111111", name: "Grace Hopper" }],
    ...overrides,
  };
}

export function meetingDetail(overrides: Partial<MeetingDetail> = {}): MeetingDetail {
  return {
    ...meetingSummary(),
    content_waiting: null,
    transcript: [
      { speaker: { display_name: "Alice Johnson", matched_calendar_invitee_email: "alice@acme.example" }, text: "Welcome, everyone.", timestamp: "00:00:05" },
      { speaker: { display_name: "Alice Johnson", matched_calendar_invitee_email: null }, text: "Let's revisit the budget allocations.", timestamp: "00:05:32" },
      { speaker: { display_name: "Grace Hopper", matched_calendar_invitee_email: "grace@navy.example" }, text: "The proposal looks good to us.", timestamp: "01:02:03" },
    ],
    summary_markdown: "## Summary\nWe reviewed **Q1 OKRs**.\n",
    action_items: [
      {
        description: "Email revised proposal to client",
        user_generated: false,
        completed: false,
        recording_timestamp: "00:10:45",
        recording_playback_url: "https://fathom.video/calls/123456789#t=645",
        assignee: { name: "Alice Johnson", email: "alice@acme.example", team: "Sales" },
        index: 0,
        task: null,
      },
      {
        description: "Send the contract",
        user_generated: true,
        completed: true,
        recording_timestamp: "00:20:00",
        recording_playback_url: null,
        assignee: { name: null, email: "bob@acme.example", team: null },
        index: 1,
        task: null,
      },
    ],
    language: "en",
    source: "backfill",
    imported_at: "2026-03-02T08:00:00Z",
    ...overrides,
  };
}

export function task(overrides: Partial<Task> = {}): Task {
  return {
    id: "33333333-3333-4333-8333-333333333331",
    title: "Email revised proposal to client",
    lead: { id: "11111111-1111-4111-8111-111111111111", name: "Grace Hopper" },
    meeting: { id: "22222221-2222-4222-8222-222222222221", title: "Quarterly Business Review" },
    action_item_index: 0,
    assignee: { id: "u-admin", name: "Dana Admin", email: "demo-admin@example.com" },
    due_on: "2026-03-10",
    done: false,
    done_at: null,
    source: "action_item",
    automation_run_id: null,
    created_by: "u-admin",
    created_at: "2026-03-01T18:00:00Z",
    ...overrides,
  };
}

export function note(overrides: Partial<LeadNote> = {}): LeadNote {
  return {
    id: "44444444-4444-4444-8444-444444444441",
    body: "Called, **interested** in the pilot.",
    author: { id: "u-admin", name: "Dana Admin", email: "demo-admin@example.com" },
    source: "person",
    automation_run_id: null,
    created_at: "2026-03-02T09:00:00Z",
    updated_at: "2026-03-02T09:00:00Z",
    can_edit: true,
    ...overrides,
  };
}

export function noteItem(overrides: Partial<LeadNote> = {}): TimelineItem {
  const n = note(overrides);
  return { id: `note:${n.id}`, kind: "note", at: n.created_at, note: n };
}
