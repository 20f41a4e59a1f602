// The sandbox's persistent state as plain JSON-able data, and back. What a client relies on survives: users,
// meetings and the next recording id, OAuth grants and tokens, webhooks with their secrets, API keys and the recent
// deliveries (their attempts, not a pending retry schedule). Authorization codes (300 s), rate-limit windows, failure rules and the request log do not.

import { z } from "./deps.ts";
import { createStore, MEETING_DEFAULTS, MEETING_KINDS, type SandboxStore, TRIGGERED_FOR } from "./store.ts";

export const SNAPSHOT_VERSION = 1;

/** Deliveries carry whole payloads; the older ones are only of historical interest. */
export const MAX_SNAPSHOT_DELIVERIES = 200;

const Ms = z.number().finite();

const User = z.object({ email: z.string(), name: z.string(), team: z.string().nullable(), createdAtMs: Ms });
const Team = z.object({ name: z.string(), createdAtMs: Ms });
const Attendee = z.object({ name: z.string().nullable(), email: z.string() });
const Meeting = z.object({
  recordingId: z.number().int(),
  title: z.string(),
  meetingTitle: z.string().nullable(),
  kind: z.enum(MEETING_KINDS),
  recorderEmail: z.string(),
  attendees: z.array(Attendee).readonly(),
  scheduledStartMs: Ms,
  scheduledEndMs: Ms,
  recordingStartMs: Ms,
  recordingEndMs: Ms,
  createdAtMs: Ms,
  // Added later: files written before them read as tidy, private English meetings.
  language: z.string().default(MEETING_DEFAULTS.language),
  summaryReady: z.boolean().default(MEETING_DEFAULTS.summaryReady),
  sharedWithTeam: z.boolean().default(MEETING_DEFAULTS.sharedWithTeam),
});
const Grant = z.object({ id: z.string(), clientId: z.string(), userEmail: z.string(), revoked: z.boolean() });
const AccessToken = z.object({ token: z.string(), grantId: z.string(), userEmail: z.string(), expiresAtMs: Ms });
const RefreshToken = z.object({ token: z.string(), grantId: z.string(), used: z.boolean() });
const ApiKey = z.object({ key: z.string(), userEmail: z.string() });
const WebhookEntry = z.object({
  id: z.string(),
  ownerEmail: z.string(),
  url: z.string(),
  secret: z.string(),
  createdAtMs: Ms,
  triggeredFor: z.array(z.enum(TRIGGERED_FOR)),
  includeTranscript: z.boolean(),
  includeSummary: z.boolean(),
  includeActionItems: z.boolean(),
  includeCrmMatches: z.boolean(),
});
const Delivery = z.object({
  messageId: z.string(),
  webhookId: z.string(),
  recordingId: z.number().int(),
  trigger: z.enum(TRIGGERED_FOR).optional(),
  url: z.string(),
  secret: z.string(),
  body: z.string(),
  attempts: z.array(z.object({
    attemptedAtMs: Ms,
    status: z.number().int().nullable(),
    durationMs: z.number(),
    error: z.string().nullable(),
    manual: z.boolean().optional(),
  })),
  // A pending retry schedule is not kept (see README, "State file"): it reads back as none.
  nextAttemptAtMs: z.number().nullable().optional().transform(() => null),
});

export const SandboxSnapshotSchema = z.object({
  version: z.literal(SNAPSHOT_VERSION),
  savedAt: z.string().optional(),
  nextRecordingId: z.number().int(),
  users: z.array(User),
  teams: z.array(Team),
  meetings: z.array(Meeting),
  grants: z.array(Grant),
  accessTokens: z.array(AccessToken),
  refreshTokens: z.array(RefreshToken),
  apiKeys: z.array(ApiKey),
  webhooks: z.array(WebhookEntry),
  deliveries: z.array(Delivery),
});

export type SandboxSnapshot = z.infer<typeof SandboxSnapshotSchema>;

/** A copy of the store's persistent part; later changes to the sandbox do not show in it. */
export function snapshotStore(store: SandboxStore, savedAtMs: number): SandboxSnapshot {
  return structuredClone({
    version: SNAPSHOT_VERSION,
    savedAt: new Date(savedAtMs).toISOString(),
    nextRecordingId: store.nextRecordingId,
    users: [...store.users.values()],
    teams: store.teams,
    meetings: [...store.meetings.newestFirst()],
    grants: [...store.grants.values()],
    accessTokens: [...store.accessTokens].map(([token, t]) => ({ token, ...t })),
    refreshTokens: [...store.refreshTokens].map(([token, t]) => ({ token, ...t })),
    apiKeys: [...store.apiKeys].map(([key, userEmail]) => ({ key, userEmail })),
    webhooks: [...store.webhooks.values()],
    deliveries: store.deliveries.slice(-MAX_SNAPSHOT_DELIVERIES).map((d) => ({ ...d, nextAttemptAtMs: null })),
  });
}

/** A store holding a copy of the snapshot (so two sandboxes restored from one snapshot share nothing). */
export function storeFromSnapshot(input: SandboxSnapshot): SandboxStore {
  const snapshot = structuredClone(input);
  const store = createStore();
  for (const user of snapshot.users) store.users.set(user.email, user);
  store.teams = snapshot.teams;
  let maxRecordingId = 0;
  for (const meeting of snapshot.meetings) {
    store.meetings.add(meeting);
    maxRecordingId = Math.max(maxRecordingId, meeting.recordingId);
  }
  // Recording ids are never reused, even if a hand-edited file got nextRecordingId wrong.
  store.nextRecordingId = Math.max(snapshot.nextRecordingId, maxRecordingId + 1, store.nextRecordingId);
  for (const grant of snapshot.grants) store.grants.set(grant.id, grant);
  for (const { token, ...rest } of snapshot.accessTokens) store.accessTokens.set(token, rest);
  for (const { token, ...rest } of snapshot.refreshTokens) store.refreshTokens.set(token, rest);
  for (const { key, userEmail } of snapshot.apiKeys) store.apiKeys.set(key, userEmail);
  for (const webhook of snapshot.webhooks) store.webhooks.set(webhook.id, webhook);
  store.deliveries = snapshot.deliveries.map((d) => ({ ...d, nextAttemptAtMs: null }));
  return store;
}

/** Parses a state file's text. Throws an Error with a one-line reason when it is not a usable version-1 snapshot. */
export function parseSnapshot(text: string): SandboxSnapshot {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error("not a JSON object");
  const version = (raw as { version?: unknown }).version;
  if (version !== SNAPSHOT_VERSION) {
    throw new Error(`unsupported version ${JSON.stringify(version) ?? "(none)"} (this sandbox reads version ${SNAPSHOT_VERSION})`);
  }
  const parsed = SandboxSnapshotSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`unexpected content at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}
