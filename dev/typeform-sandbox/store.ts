// What the Typeform sandbox remembers: authorizations (grants) with their tokens, the webhooks put on forms, the
// responses submitted (seeded with a few past ones for imports), the deliveries made. Kept in the state file;
// codes, failure rules and the rate-limit window are not.

import { z } from "../sandbox/deps.ts";
import { MessageRecord, RefreshTokenRecord, RevocationRecord, type SandboxMessage, type SandboxRevocation } from "../sandbox/provider.ts";

const Grant = z.object({ id: z.string(), clientId: z.string(), scopes: z.array(z.string()), revoked: z.boolean(), createdAtMs: z.number() });
export type Grant = z.infer<typeof Grant>;

const AccessToken = z.object({ grantId: z.string(), expiresAtMs: z.number(), revoked: z.boolean() });
export type AccessToken = z.infer<typeof AccessToken>;

const Webhook = z.object({
  id: z.string(),
  form_id: z.string(),
  tag: z.string(),
  url: z.string(),
  enabled: z.boolean(),
  verify_ssl: z.boolean(),
  /** never answered back by the API (Typeform does not return it) */
  secret: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Webhook = z.infer<typeof Webhook>;

/** One stored response, as GET /forms/{id}/responses lists it (answers in Typeform's shape). */
const StoredResponse = z.object({
  form_id: z.string(),
  token: z.string(),
  landed_at: z.string(),
  submitted_at: z.string(),
  hidden: z.record(z.string(), z.string()),
  answers: z.array(z.record(z.string(), z.unknown())),
});
export type StoredResponse = z.infer<typeof StoredResponse>;

export const TypeformSnapshot = z.object({
  version: z.literal(1),
  grants: z.array(Grant),
  accessTokens: z.array(z.tuple([z.string(), AccessToken])),
  refreshTokens: z.array(z.tuple([z.string(), RefreshTokenRecord])),
  webhooks: z.array(Webhook),
  responses: z.array(StoredResponse),
  messages: z.array(MessageRecord),
  revocations: z.array(RevocationRecord),
});
export type TypeformSnapshot = z.infer<typeof TypeformSnapshot>;

export interface TypeformStore {
  grants: Map<string, Grant>;
  accessTokens: Map<string, AccessToken>;
  refreshTokens: Map<string, z.infer<typeof RefreshTokenRecord>>;
  /** key `${form_id}/${tag}` */
  webhooks: Map<string, Webhook>;
  /** oldest first */
  responses: StoredResponse[];
  /** deliveries made to webhooks: channel_id = form id, channel = form title, body = the JSON sent */
  messages: SandboxMessage[];
  /** Typeform documents no revocation endpoint: stays empty */
  revocations: SandboxRevocation[];
}

export function createStore(responses: StoredResponse[] = []): TypeformStore {
  return { grants: new Map(), accessTokens: new Map(), refreshTokens: new Map(), webhooks: new Map(), responses, messages: [], revocations: [] };
}

export const webhookKey = (formId: string, tag: string) => `${formId}/${tag}`;

export function snapshotStore(store: TypeformStore): TypeformSnapshot {
  return structuredClone({
    version: 1 as const,
    grants: [...store.grants.values()],
    accessTokens: [...store.accessTokens],
    refreshTokens: [...store.refreshTokens],
    webhooks: [...store.webhooks.values()],
    responses: store.responses,
    messages: store.messages,
    revocations: store.revocations,
  });
}

/** Throws (zod) when the data is not a version-1 Typeform snapshot. */
export function storeFromSnapshot(data: unknown): TypeformStore {
  const s = TypeformSnapshot.parse(data);
  return {
    grants: new Map(s.grants.map((g) => [g.id, g])),
    accessTokens: new Map(s.accessTokens),
    refreshTokens: new Map(s.refreshTokens),
    webhooks: new Map(s.webhooks.map((w) => [webhookKey(w.form_id, w.tag), w])),
    responses: s.responses,
    messages: s.messages as SandboxMessage[],
    revocations: s.revocations,
  };
}
