// In-memory state of the sandbox. Nothing here knows about HTTP.

export const MEETING_KINDS = [
  "discovery", "demo", "intro", "pricing", "onboarding", "security",
  "negotiation", "qbr", "renewal", "partnership", "internal",
] as const;
export type MeetingKind = typeof MEETING_KINDS[number];

export interface Attendee {
  name: string | null;
  email: string;
}

export interface SandboxUser {
  name: string;
  email: string;
  team: string | null;
  createdAtMs: number;
}

/**
 * A recording. Only metadata is stored: transcript, summary and action items are derived on demand from
 * recordingId (see generator.ts), so ten thousand meetings stay cheap.
 */
export interface MeetingRecord {
  recordingId: number;
  title: string;
  meetingTitle: string | null;
  kind: MeetingKind;
  recorderEmail: string;
  /**
   * Calendar invitees as Fathom lists them: usually the recorder included, but not always (a forwarded invite),
   * and empty for an ad-hoc recording (no calendar event).
   */
  attendees: readonly Attendee[];
  scheduledStartMs: number;
  scheduledEndMs: number;
  recordingStartMs: number;
  recordingEndMs: number;
  createdAtMs: number;
  /** Transcript language, e.g. "en", "de", "ja" (the summary is always English, as at Fathom). */
  language: string;
  /** False while Fathom is still writing the summary: it reads as null (and so do the action items). */
  summaryReady: boolean;
  /**
   * Epoch ms when Fathom finishes a summary that is not ready (the summaryDelayMs option); memory only, so a restart
   * gives unfinished summaries a new delay. Undefined: unfinished until finishSummaries().
   */
  summaryReadyAtMs?: number;
  /** Shared with the recorder's team (their organisation): teammates see it and shared_team_recordings fires. */
  sharedWithTeam: boolean;
}

/** Defaults for the fields added after the first state-file version: a tidy English meeting, private. */
export const MEETING_DEFAULTS = { language: "en", summaryReady: true, sharedWithTeam: false } as const;

export const TRIGGERED_FOR = [
  "my_recordings", "shared_external_recordings", "my_shared_with_team_recordings", "shared_team_recordings",
] as const;
export type TriggeredFor = typeof TRIGGERED_FOR[number];

export interface WebhookRecord {
  id: string;
  ownerEmail: string;
  url: string;
  secret: string;
  createdAtMs: number;
  triggeredFor: TriggeredFor[];
  includeTranscript: boolean;
  includeSummary: boolean;
  includeActionItems: boolean;
  includeCrmMatches: boolean;
}

export interface DeliveryAttempt {
  attemptedAtMs: number;
  status: number | null;
  durationMs: number;
  error: string | null;
  /** Sent by hand (POST /_sandbox/webhook-deliveries/{id}/redeliver), outside the automatic schedule. */
  manual?: boolean;
}

export interface DeliveryRecord {
  messageId: string;
  webhookId: string;
  recordingId: number;
  /** The trigger it fired for (absent in deliveries saved before triggers were modelled). */
  trigger?: TriggeredFor;
  url: string;
  secret: string;
  /** The exact bytes sent, so a redelivery is byte-identical (only the timestamp and signature change). */
  body: string;
  attempts: DeliveryAttempt[];
  /** When the next automatic retry is due (ms since epoch), null when none is pending. Not persisted. */
  nextAttemptAtMs: number | null;
}

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  userEmail: string;
  expiresAtMs: number;
  /** Set once exchanged: a replayed code then revokes what it produced (RFC 6749 §4.1.2). */
  exchangedGrantId: string | null;
  /** Issued while the "invalid_grant" failure was on for authorize: the exchange will fail. */
  revoked: boolean;
}

export interface Grant {
  id: string;
  clientId: string;
  userEmail: string;
  revoked: boolean;
}

export interface AccessToken {
  grantId: string;
  userEmail: string;
  expiresAtMs: number;
}

export interface RefreshToken {
  grantId: string;
  used: boolean;
}

export interface SandboxStore {
  users: Map<string, SandboxUser>;
  teams: { name: string; createdAtMs: number }[];
  meetings: MeetingList;
  webhooks: Map<string, WebhookRecord>;
  deliveries: DeliveryRecord[];
  codes: Map<string, AuthorizationCode>;
  grants: Map<string, Grant>;
  accessTokens: Map<string, AccessToken>;
  refreshTokens: Map<string, RefreshToken>;
  apiKeys: Map<string, string>;
  nextRecordingId: number;
}

/** Recording ids look like real ones (nine digits) and are deterministic after a reset. */
export const FIRST_RECORDING_ID = 123_400_001;

export function createStore(): SandboxStore {
  return {
    users: new Map(),
    teams: [],
    meetings: new MeetingList(),
    webhooks: new Map(),
    deliveries: [],
    codes: new Map(),
    grants: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    apiKeys: new Map(),
    nextRecordingId: FIRST_RECORDING_ID,
  };
}

/** Newest first: created_at descending, then recording_id descending so the order is total (cursors rely on it). */
export function compareNewestFirst(a: MeetingRecord, b: MeetingRecord): number {
  return b.createdAtMs - a.createdAtMs || b.recordingId - a.recordingId;
}

/** Keyset order: recording_start_time descending, then recording_id descending (total, so keysets are exact). */
export function compareByRecordingStart(a: MeetingRecord, b: MeetingRecord): number {
  return b.recordingStartMs - a.recordingStartMs || b.recordingId - a.recordingId;
}

/** Meetings kept sorted lazily: bulk inserts stay O(n), the sort happens once on the next read. */
export class MeetingList {
  #items: MeetingRecord[] = [];
  #byId = new Map<number, MeetingRecord>();
  #sorted = true;
  #byStart: MeetingRecord[] | null = [];

  add(meeting: MeetingRecord): void {
    this.#items.push(meeting);
    this.#byId.set(meeting.recordingId, meeting);
    this.#sorted = false;
    this.#byStart = null;
  }

  /** Newest recording start first (see compareByRecordingStart); cached until the next add. */
  byRecordingStart(): readonly MeetingRecord[] {
    this.#byStart ??= [...this.#items].sort(compareByRecordingStart);
    return this.#byStart;
  }

  get(recordingId: number): MeetingRecord | undefined {
    return this.#byId.get(recordingId);
  }

  get size(): number {
    return this.#items.length;
  }

  newestFirst(): readonly MeetingRecord[] {
    if (!this.#sorted) {
      this.#items.sort(compareNewestFirst);
      this.#sorted = true;
    }
    return this.#items;
  }
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}

/** The product's rule (NFC, trim, lower-case), so an address typed in either Unicode form is one user. */
export function normalizeEmail(email: string): string {
  return email.normalize("NFC").trim().toLowerCase().normalize("NFC");
}

/** "jane.doe@x" -> "Jane Doe": a readable name for users created by typing an e-mail on the consent page. */
export function nameFromEmail(email: string): string {
  return email.split("@")[0].split(/[._-]+/).filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1)).join(" ") || email;
}

/**
 * Fathom's sharing, as the sandbox models it. A user's team is their organisation, i.e. their e-mail domain (the
 * same as GET /teams). A recording is visible to its recorder ("my_calls"), to the recorder's teammates when it is
 * shared with the team ("team_calls"), and to invitees with a Fathom account, with whom it is shared individually
 * ("shared_calls"). Each visible recording belongs to exactly one of these sources, the first that applies.
 */
export type MeetingSource = "my_calls" | "team_calls" | "shared_calls";
export const MEETING_SOURCES: readonly MeetingSource[] = ["my_calls", "team_calls", "shared_calls"];

export function isTeammate(a: string, b: string): boolean {
  return emailDomain(a) === emailDomain(b);
}

/** Which source a meeting reaches the user through, or null when the user cannot see it. */
export function sourceFor(user: SandboxUser, meeting: MeetingRecord): MeetingSource | null {
  if (meeting.recorderEmail === user.email) return "my_calls";
  if (meeting.sharedWithTeam && isTeammate(meeting.recorderEmail, user.email)) return "team_calls";
  if (meeting.attendees.some((a) => a.email === user.email)) return "shared_calls";
  return null;
}

export function canSee(user: SandboxUser, meeting: MeetingRecord): boolean {
  return sourceFor(user, meeting) !== null;
}

/**
 * The webhook trigger a new recording fires for a webhook owner, or null (fathom-api.md §4.1):
 * - my_recordings: the recorder's own recording, private or shared with individuals (not shared with the team);
 * - my_shared_with_team_recordings: the recorder's own recording shared with the team;
 * - shared_team_recordings: a teammate's recording shared with the team;
 * - shared_external_recordings: shared with the owner as an invitee by someone outside the owner's team.
 * A teammate's private recording the owner was merely invited to fires nothing: my_recordings is about one's own
 * recordings and shared_external_recordings excludes one's own team.
 */
export function triggerFor(ownerEmail: string, meeting: MeetingRecord): TriggeredFor | null {
  if (meeting.recorderEmail === ownerEmail) return meeting.sharedWithTeam ? "my_shared_with_team_recordings" : "my_recordings";
  if (isTeammate(meeting.recorderEmail, ownerEmail)) return meeting.sharedWithTeam ? "shared_team_recordings" : null;
  return meeting.attendees.some((a) => a.email === ownerEmail) ? "shared_external_recordings" : null;
}
