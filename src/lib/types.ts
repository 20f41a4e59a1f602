export type TeamRole = "owner" | "admin" | "member";

export interface Team {
  id: string;
  name: string;
  role: TeamRole;
}

export type IntegrationStatus = "connected" | "needs_reauth" | "error" | "disconnected";

/** A row of team_integrations_public, as returned by GET api/teams/:teamId/integrations. */
export interface TeamIntegration {
  id?: string;
  team_id?: string;
  /** a catalog id (src/lib/providers.ts ProviderId) or one this front end does not know yet */
  provider: string;
  status: IntegrationStatus;
  account_id?: string | null;
  account_name?: string | null;
  account_email?: string | null;
  scopes?: string[] | null;
  token_expires_at?: string | null;
  connected_by?: string | null;
  connected_by_email?: string | null;
  connected_at?: string | null;
  last_error?: string | null;
  last_error_at?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  /** Fathom: which recordings its webhook delivers (FATHOM_WEBHOOK_TRIGGERS); null/absent = not known */
  webhook_triggers?: string[] | null;
  /** something the team should know about this connection (e.g. a webhook that could not be removed) */
  warning?: IntegrationWarning | null;
  /** Slack, Discord: where the CRM posts (never the webhook URL); null for providers that do not post */
  destination?: ChatDestination | null;
}

/**
 * team_integrations.destination: where a chat provider posts. Slack: channel "#sales", workspace = its team name;
 * Discord: channel null (its token response does not name it), workspace = the server (guild) name.
 */
export interface ChatDestination {
  channel: string | null;
  channelId: string | null;
  workspace: string | null;
  workspaceId: string | null;
}

/** A notice the server records on an integration, or answers a disconnect with. */
export interface IntegrationWarning {
  code: string;
  message: string;
  /** ISO 8601; absent in a disconnect's answer */
  at?: string | null;
}

/** What Fathom's webhook can deliver; the integration row's `webhook_triggers` holds some of these. */
export const FATHOM_WEBHOOK_TRIGGERS = [
  "my_recordings",
  "shared_external_recordings",
  "my_shared_with_team_recordings",
  "shared_team_recordings",
] as const;

export function isTeamAdmin(role: TeamRole | undefined | null): boolean {
  return role === "owner" || role === "admin";
}

/** GET api/teams/:teamId/members: the people a lead can be assigned to. */
export interface Member {
  user_id: string;
  email: string;
  full_name: string | null;
  role: TeamRole;
}

/** GET/PATCH api/teams/:teamId/settings. */
export interface TeamSettings {
  create_leads_from_unknown_attendees: boolean;
}

export const LEAD_STAGES = ["new", "contacted", "qualified", "proposal", "won", "lost"] as const;
export type LeadStage = (typeof LEAD_STAGES)[number];

export interface Lead {
  id: string;
  name: string;
  company: string | null;
  stage: LeadStage | string;
  owner_id: string | null;
  owner_email: string | null;
  /** gone from the API with issue 11 (the lead's notes are its timeline); old servers may still send it */
  notes?: string | null;
  /** "manual", or the slug of the provider that created it ("fathom", "zoom", "typeform", ...) */
  source: "manual" | "fathom" | string;
  /** a Typeform lead's form title (its first response's); null or absent otherwise (older servers) */
  source_form_title?: string | null;
  emails: string[];
  meeting_count: number;
  last_meeting_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Body of POST api/teams/:teamId/leads; `notes` becomes the lead's first note (timeline). */
export interface LeadInput {
  name: string;
  company?: string | null;
  stage?: LeadStage;
  notes?: string | null;
  owner_id?: string | null;
  emails: string[];
}

/** Body of PATCH api/teams/:teamId/leads/:leadId: the create fields but `notes` (notes are timeline entries). */
export type LeadPatch = Partial<Omit<LeadInput, "notes">>;

/** Fathom's FathomUser (recorded_by). */
export interface FathomUser {
  name: string | null;
  email: string | null;
  email_domain: string | null;
  team: string | null;
}

/** Fathom's calendar invitee. */
export interface Invitee {
  name: string | null;
  email: string | null;
  email_domain: string | null;
  is_external: boolean | null;
}

/** One transcript line, as src/lib/meetingSchema.ts hands it to components. */
export interface TranscriptItem {
  speaker: { display_name: string | null; matched_calendar_invitee_email: string | null } | null;
  /** never empty */
  text: string;
  /** "HH:MM:SS" from the start of the recording, null when Fathom gave none. */
  timestamp: string | null;
}

/**
 * The task made from an action item: `{id, done}` by the API contract; `assignee` and `due_on` when the server sends
 * them too (or POST tasks answered them this visit), else undefined.
 */
export interface ActionItemTask {
  id: string;
  done: boolean;
  assignee?: PersonRef | null;
  due_on?: string | null;
}

/** One action item, as src/lib/meetingSchema.ts hands it to components. */
export interface ActionItem {
  /** never empty */
  description: string;
  user_generated: boolean;
  completed: boolean;
  /** "HH:MM:SS" from the start of the recording. */
  recording_timestamp: string | null;
  /** an http(s) URL */
  recording_playback_url: string | null;
  assignee: { name: string | null; email: string | null; team: string | null } | null;
  /** its position in the meeting's action_items as the server sent them (what POST tasks names) */
  index: number;
  /** the task made from it, if any (issue 11; null from older servers) */
  task: ActionItemTask | null;
}

/** "unavailable": the provider's content did not come in time and is not expected (see `content_reason`) */
export type MeetingContentStatus = "pending" | "complete" | "failed" | "unavailable";

/** Why a meeting's content is "unavailable": "no_transcript" (the provider sent no transcript in time) */
export type MeetingContentReason = "no_transcript" | "deleted_at_provider" | string;

export interface MeetingSummary {
  id: string;
  /** where it was recorded: a provider slug ("fathom", "zoom", ...); "" when the server did not say */
  provider: string;
  /** the provider's id for the meeting, as text (Fathom: the recording id); "" when unknown */
  provider_meeting_id: string;
  /** may be "" (the title is then the calendar event's, else "Untitled meeting") */
  title: string | null;
  meeting_title: string | null;
  recording_start_time: string | null;
  recording_end_time: string | null;
  scheduled_start_time: string | null;
  /** http(s) URLs or null */
  url: string | null;
  share_url: string | null;
  recorded_by: FathomUser | null;
  invitees: Invitee[];
  content_status: MeetingContentStatus | string;
  /** set with content_status "unavailable"; null otherwise (and from older servers) */
  content_reason?: MeetingContentReason | null;
  /** when the provider said the recording was deleted there (content_reason "deleted_at_provider") */
  provider_deleted_at?: string | null;
  /** while a pushed transcript is awaited (Zoom), when the CRM stops waiting for it; else null */
  content_wait_until?: string | null;
  leads: { id: string; name: string }[];
}

/**
 * A pending meeting whose provider sent its content, but whose import is held back after a failed attempt, or was
 * given up on: "rate_limited" (the provider's rate limit) or "download_failed" (its error, a timeout); `reason` a
 * sentence naming the provider; `retry_at` the next attempt (null once final); `final` the inbox gave up: only an
 * admin's retry of `delivery_id` (POST .../integrations/:provider/activity/retry, kind "delivery") imports it now.
 */
export interface ContentWaiting {
  kind: "rate_limited" | "download_failed" | string;
  reason: string | null;
  retry_at: string | null;
  /** false from older servers */
  final?: boolean;
  delivery_id?: string | null;
}

export interface MeetingDetail extends MeetingSummary {
  /** null unless the content's import is held back after a failed attempt (and from older servers) */
  content_waiting?: ContentWaiting | null;
  transcript: TranscriptItem[] | null;
  summary_markdown: string | null;
  action_items: ActionItem[] | null;
  /** as Fathom reports it ("en", "de", "unknown"); see meetings.ts languageTag for the BCP 47 form */
  language: string | null;
  source: "webhook" | "backfill" | string;
  imported_at: string | null;
}

/** GET api/teams/:teamId/leads/:leadId: the lead (with meeting_count, its total) and its newest meetings (at most 100). */
export interface LeadDetail {
  lead: Lead;
  meetings: MeetingSummary[];
}

/** GET api/teams/:teamId/leads: one page, newest first (sort "created") or by name. */
export interface LeadsPage {
  leads: Lead[];
  next_cursor: string | null;
}

/** The list's orders (each asc or desc): created (default newest first), name, stage (pipeline order), owner, last meeting. */
export const LEAD_SORTS = ["created", "name", "stage", "owner", "last_meeting"] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];
export type SortDir = "asc" | "desc";

export interface LeadsQuery {
  q?: string;
  stage?: LeadStage;
  /** a member's user id, or "none" for unassigned leads */
  owner?: string;
  sort?: LeadSort;
  /** the server's default: desc for created and last_meeting, asc for the others */
  dir?: SortDir;
  /** leads having any of these e-mails (at most 100) */
  emails?: string[];
  /** 1-200, the server's default 100 */
  limit?: number;
  cursor?: string | null;
}

export interface MeetingsPage {
  meetings: MeetingSummary[];
  next_cursor: string | null;
}

export interface MeetingsQuery {
  q?: string;
  leadId?: string;
  cursor?: string | null;
}

export type FathomSyncStatus = "idle" | "running" | "completed" | "failed" | "paused_rate_limited";

/** GET/POST api/teams/:teamId/integrations/fathom/sync: the "Import past meetings" state machine. */
export interface FathomSync {
  status: FathomSyncStatus | string;
  stage: "list" | "content" | "done" | string;
  listed_count: number;
  linked_count: number;
  content_total: number;
  content_done: number;
  content_failed: number;
  last_error: string | null;
  /** the last error as a sentence naming the provider (newer servers) */
  last_error_text?: string | null;
  last_synced_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  /** this import lists meetings created after this instant; null = the whole history */
  list_created_after?: string | null;
  /** paused_rate_limited: when the import resumes (the provider's Retry-After); else null */
  resume_after?: string | null;
  /** meetings waiting for Fathom to finish their summary (fetched by themselves within minutes) */
  content_waiting?: number;
}

/** The webhook deliveries waiting in the inbox or given up on (after their retries). */
export interface FathomInbox {
  pending: number;
  failed: number;
  last_error: string | null;
  /** the last error as a sentence naming the provider (newer servers) */
  last_error_text?: string | null;
  last_failed_at: string | null;
}

/** GET api/teams/:teamId/integrations/fathom/sync: the import, and (newer servers) the webhook inbox. */
export interface FathomSyncState {
  sync: FathomSync | null;
  inbox: FathomInbox | null;
}

/** GET api/teams/:teamId/invites (owners and admins): a pending invite by e-mail. */
export interface TeamInvite {
  id: string;
  email: string;
  role: TeamRole;
  invited_by_email: string | null;
  created_at: string;
}

/**
 * POST api/teams/:teamId/invites: always a pending invite, whether an account has that address or not; the person
 * joins when they accept it, signed in with that address confirmed.
 */
export type InviteResult = { outcome: "invited"; invite: TeamInvite };

/** GET api/invitations: an invitation addressed to the signed-in person (their confirmed address). */
export interface Invitation {
  id: string;
  team_id: string;
  team_name: string;
  role: TeamRole;
  invited_by_name: string | null;
  invited_by_email: string | null;
  /** ISO 8601 */
  created_at: string;
}

/** A person as the CRM API names one (task assignee, note author, who changed a stage). */
export interface PersonRef {
  id: string;
  name: string | null;
  email: string | null;
}

export const TASK_SOURCES = ["person", "action_item", "automation"] as const;
export type TaskSource = (typeof TASK_SOURCES)[number];

/** GET/POST/PATCH api/teams/:teamId/tasks (issue 11; docs/architecture.md). */
export interface Task {
  id: string;
  /** 1-500 characters */
  title: string;
  lead: { id: string; name: string } | null;
  meeting: { id: string; title: string } | null;
  action_item_index: number | null;
  assignee: PersonRef | null;
  /** "YYYY-MM-DD" */
  due_on: string | null;
  done: boolean;
  /** ISO 8601 */
  done_at: string | null;
  source: TaskSource;
  automation_run_id: string | null;
  created_by: string | null;
  created_at: string;
}

export interface TasksPage {
  tasks: Task[];
  next_cursor: string | null;
}

export type TaskStatus = "open" | "done";

/** `assignee`: "me" (the server's default), "all" or a member's user id. */
export interface TasksQuery {
  assignee?: string;
  status?: TaskStatus;
  lead_id?: string;
  cursor?: string | null;
  /** 1-200, the server's default 50 */
  limit?: number;
}

/**
 * Body of POST api/teams/:teamId/tasks. With meeting_id + action_item_index it is idempotent (ticking an action item):
 * the item's task is created, or returned and given `done`.
 */
export interface TaskInput {
  title?: string;
  lead_id?: string;
  meeting_id?: string;
  action_item_index?: number;
  assignee_id?: string;
  due_on?: string;
  done?: boolean;
}

/** Body of PATCH api/teams/:teamId/tasks/:taskId; null clears assignee_id / due_on. */
export interface TaskPatch {
  title?: string;
  assignee_id?: string | null;
  due_on?: string | null;
  done?: boolean;
  lead_id?: string;
}

/** A note on a lead's timeline (markdown). */
export interface LeadNote {
  id: string;
  body: string;
  author: PersonRef | null;
  source: "person" | "automation" | "migrated" | string;
  automation_run_id: string | null;
  created_at: string;
  updated_at: string;
  /** the caller may edit and delete it (its author or an admin) */
  can_edit: boolean;
}

interface TimelineBase {
  /** kind-prefixed, unique across kinds */
  id: string;
  /** ISO 8601: when it happened (newest first) */
  at: string;
}

/** GET api/teams/:teamId/leads/:leadId/timeline: one entry; kinds this app does not know are skipped. */
export type TimelineItem =
  | (TimelineBase & { kind: "note"; note: LeadNote })
  | (TimelineBase & { kind: "meeting"; meeting: { id: string; title: string; recording_start_time: string | null } })
  | (TimelineBase & {
      kind: "stage_change";
      from: string | null;
      to: string;
      by: PersonRef | null;
      automation_run_id: string | null;
    })
  | (TimelineBase & { kind: "task"; task: Task })
  | (TimelineBase & {
      kind: "automation_run";
      run: { id: string; rule_id: string | null; rule_name: string; status: string; error_message: string | null };
    })
  | (TimelineBase & { kind: "form_response"; response: FormResponseEntry });

/** A Typeform response imported onto the lead: the form's title and the answers (values as text). */
export interface FormResponseEntry {
  id: string;
  form_title: string;
  answers: { title: string; value: string }[];
}

export interface TimelinePage {
  items: TimelineItem[];
  next_cursor: string | null;
}
