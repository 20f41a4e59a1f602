// A frozen RunContext for the rule-language tests (no database): a meeting linked to a lead.
import type { RunContext } from "../_shared/automations/context.ts";

export const LEAD_ID = "6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";
export const OWNER_ID = "0b9a8c7d-6e5f-4a3b-9c2d-1e0f2a3b4c5d";

export function sampleContext(overrides: Partial<RunContext> = {}): RunContext {
  return {
    event: { type: "meeting.linked_to_lead", source: "webhook" },
    meeting: {
      id: "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
      title: "Acme intro call",
      url: "https://fathom.video/calls/123",
      share_url: "https://fathom.video/share/abc",
      started_at: "2026-12-01T23:30:00Z",
      duration_minutes: 32,
      summary: "We agreed on a pilot.",
      has_external_attendees: true,
      attendees: [
        { name: "Jane Doe", email: "jane@acme.com", external: true },
        { name: null, email: "sam@example.com", external: false },
      ],
      action_items: [
        { index: 0, text: "Send the proposal", assignee_email: "sam@example.com", assignee_name: "Sam", timestamp: "00:12:01" },
        { index: 1, text: "Book a demo", assignee_email: null, assignee_name: null, timestamp: null },
      ],
      source: "webhook",
      provider: "fathom",
    },
    lead: {
      id: LEAD_ID,
      name: "Jane Doe",
      company: "Acme",
      stage: "contacted",
      owner_id: OWNER_ID,
      owner_name: "Sam Seller",
      owner_email: "sam@example.com",
      emails: ["jane@acme.com", "j.doe@acme.com"],
      url: `https://crm.example.com/leads/${LEAD_ID}`,
    },
    team: { name: "Sales" },
    ...overrides,
  };
}
