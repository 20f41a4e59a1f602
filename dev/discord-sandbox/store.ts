// What the Discord sandbox remembers: authorizations (grants) with their tokens, the webhook each one created, what
// was posted, revocations. All of it is kept in the state file; codes are not.

import { z } from "../sandbox/deps.ts";
import {
  MessageRecord,
  RefreshTokenRecord,
  RevocationRecord,
  type SandboxMessage,
  type SandboxRevocation,
} from "../sandbox/provider.ts";

const Grant = z.object({
  id: z.string(),
  clientId: z.string(),
  scopes: z.array(z.string()),
  webhookId: z.string().nullable(),
  revoked: z.boolean(),
  createdAtMs: z.number(),
});
export type Grant = z.infer<typeof Grant>;

const AccessToken = z.object({ grantId: z.string(), expiresAtMs: z.number(), revoked: z.boolean() });
export type AccessToken = z.infer<typeof AccessToken>;
const RefreshToken = RefreshTokenRecord;
export type RefreshToken = z.infer<typeof RefreshToken>;

const Webhook = z.object({
  id: z.string(),
  token: z.string(),
  channelId: z.string(),
  channel: z.string(),
  guildId: z.string(),
  grantId: z.string(),
  /** true after DELETE /webhooks/:id/:token: every later call answers 404 Unknown Webhook */
  deleted: z.boolean(),
});
export type Webhook = z.infer<typeof Webhook>;

const Message = MessageRecord;
const Revocation = RevocationRecord;

export const DiscordSnapshot = z.object({
  version: z.literal(1),
  grants: z.array(Grant),
  accessTokens: z.array(z.tuple([z.string(), AccessToken])),
  refreshTokens: z.array(z.tuple([z.string(), RefreshToken])),
  webhooks: z.array(Webhook),
  messages: z.array(Message),
  revocations: z.array(Revocation),
});
export type DiscordSnapshot = z.infer<typeof DiscordSnapshot>;

export interface DiscordStore {
  grants: Map<string, Grant>;
  accessTokens: Map<string, AccessToken>;
  refreshTokens: Map<string, RefreshToken>;
  webhooks: Map<string, Webhook>;
  messages: SandboxMessage[];
  revocations: SandboxRevocation[];
}

export function createStore(): DiscordStore {
  return { grants: new Map(), accessTokens: new Map(), refreshTokens: new Map(), webhooks: new Map(), messages: [], revocations: [] };
}

export function snapshotStore(store: DiscordStore): DiscordSnapshot {
  return structuredClone({
    version: 1 as const,
    grants: [...store.grants.values()],
    accessTokens: [...store.accessTokens],
    refreshTokens: [...store.refreshTokens],
    webhooks: [...store.webhooks.values()],
    messages: store.messages,
    revocations: store.revocations,
  });
}

/** Throws (zod) when the data is not a version-1 Discord snapshot. */
export function storeFromSnapshot(data: unknown): DiscordStore {
  const s = DiscordSnapshot.parse(data);
  return {
    grants: new Map(s.grants.map((g) => [g.id, g])),
    accessTokens: new Map(s.accessTokens),
    refreshTokens: new Map(s.refreshTokens),
    webhooks: new Map(s.webhooks.map((w) => [w.id, w])),
    messages: s.messages as SandboxMessage[],
    revocations: s.revocations,
  };
}
