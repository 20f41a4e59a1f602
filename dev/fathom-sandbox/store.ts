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
  /** Calendar invitees, the recorder included (as Fathom lists them). */
  attendees: readonly Attendee[];
  scheduledStartMs: number;
  scheduledEndMs: number;
  recordingStartMs: number;
  recordingEndMs: number;
  createdAtMs: number;
}

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
}

export interface DeliveryRecord {
  messageId: string;
  webhookId: string;
  recordingId: number;
  url: string;
  secret: string;
  /** The exact bytes sent, so a redelivery is byte-identical (only the timestamp and signature change). */
  body: string;
  attempts: DeliveryAttempt[];
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

/** Meetings kept sorted lazily: bulk inserts stay O(n), the sort happens once on the next read. */
export class MeetingList {
  #items: MeetingRecord[] = [];
  #byId = new Map<number, MeetingRecord>();
  #sorted = true;

  add(meeting: MeetingRecord): void {
    this.#items.push(meeting);
    this.#byId.set(meeting.recordingId, meeting);
    this.#sorted = false;
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

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** "jane.doe@x" -> "Jane Doe": a readable name for users created by typing an e-mail on the consent page. */
export function nameFromEmail(email: string): string {
  return email.split("@")[0].split(/[._-]+/).filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1)).join(" ") || email;
}

/** A user sees what they recorded and what they were invited to. */
export function canSee(user: SandboxUser, meeting: MeetingRecord): boolean {
  return meeting.recorderEmail === user.email || meeting.attendees.some((a) => a.email === user.email);
}
