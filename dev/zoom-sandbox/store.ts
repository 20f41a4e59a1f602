// What the Zoom sandbox remembers: grants with their tokens, the recorded meetings (with their files and
// participants), the webhook deliveries it sent, revocations and the app's event subscription (URL + secret token).
// All of it is kept in the state file; codes and next_page_tokens are not (they live minutes).

import { z } from "../sandbox/deps.ts";
import { RefreshTokenRecord, RevocationRecord, type SandboxRevocation } from "../sandbox/provider.ts";

const Grant = z.object({
  id: z.string(),
  clientId: z.string(),
  userId: z.string(),
  scopes: z.array(z.string()),
  revoked: z.boolean(),
  createdAtMs: z.number(),
});
export type Grant = z.infer<typeof Grant>;

const AccessToken = z.object({ grantId: z.string(), expiresAtMs: z.number(), revoked: z.boolean() });
export type AccessToken = z.infer<typeof AccessToken>;
const RefreshToken = RefreshTokenRecord;
export type RefreshToken = z.infer<typeof RefreshToken>;

const Participant = z.object({ name: z.string(), email: z.string() });
export type Participant = z.infer<typeof Participant>;

const RecordingFile = z.object({
  id: z.string(),
  file_type: z.enum(["MP4", "M4A", "TRANSCRIPT"]),
  recording_type: z.string(),
  file_extension: z.string(),
  recording_start: z.string(),
  recording_end: z.string(),
  /** the file's body as the download serves it (the WebVTT text of a transcript; a stand-in for media) */
  content: z.string(),
});
export type RecordingFile = z.infer<typeof RecordingFile>;

const Meeting = z.object({
  uuid: z.string(),
  id: z.number(),
  account_id: z.string(),
  host_id: z.string(),
  host_email: z.string(),
  topic: z.string(),
  start_time: z.string(),
  duration: z.number(),
  timezone: z.string(),
  participants: z.array(Participant),
  files: z.array(RecordingFile),
  /** the transcript's WebVTT, held back until "transcript later" completes it */
  pendingTranscript: z.string().nullable(),
  /** in Zoom's trash (recording.trashed): hidden from the API and downloads until recovered (recording.recovered) */
  trashed: z.boolean().optional(),
});
export type Meeting = z.infer<typeof Meeting>;

const Delivery = z.object({
  at: z.string(),
  event: z.string(),
  /** the app's HTTP status; null when the request failed (network, timeout) */
  status: z.number().nullable(),
  ok: z.boolean(),
  error: z.string().nullable(),
  meeting_uuid: z.string().nullable(),
});
export type Delivery = z.infer<typeof Delivery>;

const Settings = z.object({
  /** the app's event notification endpoint; null: no deliveries */
  webhookUrl: z.string().nullable(),
  webhookSecretToken: z.string(),
  /** the URL that last passed endpoint.url_validation (Zoom delivers only to a validated endpoint) */
  validatedUrl: z.string().nullable(),
});
export type Settings = z.infer<typeof Settings>;

export const ZoomSnapshot = z.object({
  version: z.literal(1),
  grants: z.array(Grant),
  accessTokens: z.array(z.tuple([z.string(), AccessToken])),
  refreshTokens: z.array(z.tuple([z.string(), RefreshToken])),
  meetings: z.array(Meeting),
  deliveries: z.array(Delivery),
  revocations: z.array(RevocationRecord),
  settings: Settings,
});
export type ZoomSnapshot = z.infer<typeof ZoomSnapshot>;

export interface PageToken {
  /** the query it continues: the same from/to/user */
  key: string;
  offset: number;
  expiresAtMs: number;
}

export interface ZoomStore {
  grants: Map<string, Grant>;
  accessTokens: Map<string, AccessToken>;
  refreshTokens: Map<string, RefreshToken>;
  meetings: Meeting[];
  deliveries: Delivery[];
  revocations: SandboxRevocation[];
  settings: Settings;
  pageTokens: Map<string, PageToken>;
  /** webhook download_token -> the meeting it opens, valid 24 h (memory only) */
  downloadTokens: Map<string, { meetingUuid: string; expiresAtMs: number }>;
  /** the last body sent per `<uuid>|<event>`, for the redeliver control (memory only) */
  sentBodies: Map<string, string>;
}

export function createStore(settings: Pick<Settings, "webhookUrl" | "webhookSecretToken">): ZoomStore {
  return {
    grants: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    meetings: [],
    deliveries: [],
    revocations: [],
    settings: { ...settings, validatedUrl: null },
    pageTokens: new Map(),
    downloadTokens: new Map(),
    sentBodies: new Map(),
  };
}

export function snapshotStore(store: ZoomStore): ZoomSnapshot {
  return structuredClone({
    version: 1 as const,
    grants: [...store.grants.values()],
    accessTokens: [...store.accessTokens],
    refreshTokens: [...store.refreshTokens],
    meetings: store.meetings,
    deliveries: store.deliveries,
    revocations: store.revocations,
    settings: store.settings,
  });
}

/** Throws (zod) when the data is not a version-1 Zoom snapshot. */
export function storeFromSnapshot(data: unknown): ZoomStore {
  const s = ZoomSnapshot.parse(data);
  return {
    grants: new Map(s.grants.map((g) => [g.id, g])),
    accessTokens: new Map(s.accessTokens),
    refreshTokens: new Map(s.refreshTokens),
    meetings: s.meetings,
    deliveries: s.deliveries,
    revocations: s.revocations,
    settings: s.settings,
    pageTokens: new Map(),
    downloadTokens: new Map(),
    sentBodies: new Map(),
  };
}
