// What the Slack sandbox remembers: installations (grants) with their tokens, incoming webhooks, what was posted,
// revocations and the token-rotation setting. All of it is kept in the state file; codes are not (they live 10 min).

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
  userScopes: z.array(z.string()),
  /** The incoming webhook created by this installation (B…), null without the incoming-webhook scope. */
  webhookId: z.string().nullable(),
  revoked: z.boolean(),
  createdAtMs: z.number(),
});
export type Grant = z.infer<typeof Grant>;

const AccessToken = z.object({
  grantId: z.string(),
  kind: z.enum(["bot", "user"]),
  /** null: never expires (token rotation off) */
  expiresAtMs: z.number().nullable(),
});
export type AccessToken = z.infer<typeof AccessToken>;

const RefreshToken = RefreshTokenRecord;
export type RefreshToken = z.infer<typeof RefreshToken>;

const Webhook = z.object({
  id: z.string(),
  teamId: z.string(),
  secret: z.string(),
  channelId: z.string(),
  channel: z.string(),
  grantId: z.string(),
  /** false once its installation's token was revoked: posting answers 404 no_service */
  active: z.boolean(),
});
export type Webhook = z.infer<typeof Webhook>;

const Message = MessageRecord;
const Revocation = RevocationRecord;

export const SlackSnapshot = z.object({
  version: z.literal(1),
  grants: z.array(Grant),
  accessTokens: z.array(z.tuple([z.string(), AccessToken])),
  refreshTokens: z.array(z.tuple([z.string(), RefreshToken])),
  webhooks: z.array(Webhook),
  messages: z.array(Message),
  revocations: z.array(Revocation),
  settings: z.object({ tokenRotation: z.boolean() }),
  nextMessageSeq: z.number().int(),
});
export type SlackSnapshot = z.infer<typeof SlackSnapshot>;

export interface SlackStore {
  grants: Map<string, Grant>;
  accessTokens: Map<string, AccessToken>;
  refreshTokens: Map<string, RefreshToken>;
  webhooks: Map<string, Webhook>;
  messages: SandboxMessage[];
  revocations: SandboxRevocation[];
  settings: { tokenRotation: boolean };
  nextMessageSeq: number;
}

export function createStore(tokenRotation: boolean): SlackStore {
  return {
    grants: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    webhooks: new Map(),
    messages: [],
    revocations: [],
    settings: { tokenRotation },
    nextMessageSeq: 1,
  };
}

export function snapshotStore(store: SlackStore): SlackSnapshot {
  return structuredClone({
    version: 1 as const,
    grants: [...store.grants.values()],
    accessTokens: [...store.accessTokens],
    refreshTokens: [...store.refreshTokens],
    webhooks: [...store.webhooks.values()],
    messages: store.messages,
    revocations: store.revocations,
    settings: store.settings,
    nextMessageSeq: store.nextMessageSeq,
  });
}

/** Throws (zod) when the data is not a version-1 Slack snapshot. */
export function storeFromSnapshot(data: unknown): SlackStore {
  const s = SlackSnapshot.parse(data);
  return {
    grants: new Map(s.grants.map((g) => [g.id, g])),
    accessTokens: new Map(s.accessTokens),
    refreshTokens: new Map(s.refreshTokens),
    webhooks: new Map(s.webhooks.map((w) => [w.id, w])),
    messages: s.messages as SandboxMessage[],
    revocations: s.revocations,
    settings: s.settings,
    nextMessageSeq: s.nextMessageSeq,
  };
}
