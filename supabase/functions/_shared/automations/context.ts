// The frozen template context of one automation run (issue 11 design, "Rule language"): built once by the engine
// from the event and its meeting / lead when the run is created, stored with the run, and never re-read, so a
// retry renders exactly what the first attempt rendered. Pure data, no database.
import { LEAD_STAGES, type LeadStage } from "../lead_stages.ts";

/** The four triggers (i11-design "Automations"); one event type each. */
export const TRIGGER_TYPES = [
  "meeting.linked_to_lead",
  "meeting.imported_unmatched",
  "lead.created",
  "lead.stage_changed",
] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

/**
 * Where the change that caused an event came from (automation_events.source): an import or a webhook delivery, a
 * person, an automation, or (lead.created of a lead a provider's data made: migration 20261204000701) the provider.
 */
export const EVENT_SOURCES = ["import", "webhook", "person", "automation", "fathom", "zoom", "typeform"] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/** Lead stages in pipeline order (_shared/lead_stages.ts). */
export const STAGES = LEAD_STAGES;
export type Stage = LeadStage;

/**
 * What `set_stage` does to a lead in stage `from`: "unchanged" when it is there already, "backwards" when `to` comes
 * earlier in STAGES and the action did not allow it (the lead stays where it is), else "set".
 */
export function stageMove(from: Stage, to: Stage, allowBackwards: boolean): "set" | "unchanged" | "backwards" {
  if (from === to) return "unchanged";
  return STAGES.indexOf(to) < STAGES.indexOf(from) && !allowBackwards ? "backwards" : "set";
}

export type RunContextAttendee = { name: string | null; email: string | null; external: boolean };

export type RunContextActionItem = {
  /** position in the meeting's action items (0-based), the task's action_item_index */
  index: number;
  text: string;
  assignee_email: string | null;
  assignee_name: string | null;
  /** the recording timestamp Fathom gives ("HH:MM:SS"), when any */
  timestamp: string | null;
};

export type RunContextMeeting = {
  id: string;
  title: string;
  url: string | null;
  share_url: string | null;
  /** ISO 8601 */
  started_at: string | null;
  duration_minutes: number | null;
  /** markdown */
  summary: string | null;
  has_external_attendees: boolean;
  attendees: RunContextAttendee[];
  action_items: RunContextActionItem[];
  /** how the meeting reached the CRM */
  source: EventSource;
  /** where the meeting was recorded: the provider's slug ('fathom', 'zoom', ...) */
  provider: string;
};

export type RunContextLead = {
  id: string;
  name: string;
  company: string | null;
  stage: Stage;
  owner_id: string | null;
  owner_name: string | null;
  owner_email: string | null;
  emails: string[];
  /** the lead's page in the CRM */
  url: string;
};

/** What a template can read and a condition can test. `meeting` / `lead` are absent when the trigger has none. */
export type RunContext = {
  event: { type: TriggerType; source: EventSource; from_stage?: Stage | null; to_stage?: Stage | null };
  meeting?: RunContextMeeting;
  lead?: RunContextLead;
  team: { name: string };
};
