// Fathom (fathom-api.md §1, §3): confidential client, client_secret_post, one scope, no PKCE, single-use refresh
// tokens, and no documented "who am I" endpoint.
import { fathomUrls, oauthHttpTimeoutMs, oauthIdentityTimeoutMs } from "../../env.ts";
import { createFathomClient, type FathomMeeting } from "../../fathom/client.ts";
import { cleanUpWebhook, ensureWebhook } from "../../fathom/webhook-registration.ts";
import { logError } from "../../http.ts";
import type { AccountIdentity, ConnectionContext, DisconnectOutcome, ProviderDefinition } from "../types.ts";

/**
 * The connected account is whoever recorded most of the meetings on the first page of GET /meetings (the token's
 * own recordings dominate; meetings shared with them are the minority). Without meetings, a team name is still a
 * useful label. Both calls are optional: the engine falls back to "Fathom account" on null or on any error.
 */
export function pickRecorder(meetings: FathomMeeting[]): AccountIdentity | null {
  const byEmail = new Map<string, { count: number; name: string | null }>();
  for (const meeting of meetings) {
    const email = meeting.recorded_by?.email?.trim();
    if (!email) continue;
    const entry = byEmail.get(email) ?? { count: 0, name: meeting.recorded_by?.name ?? null };
    entry.count++;
    byEmail.set(email, entry);
  }
  let best: [string, { count: number; name: string | null }] | null = null;
  for (const candidate of byEmail) if (!best || candidate[1].count > best[1].count) best = candidate;
  return best ? { id: best[0], email: best[0], name: best[1].name ?? best[0] } : null;
}

export const fathom: ProviderDefinition = {
  id: "fathom",
  displayName: "Fathom",
  authorizeUrl: () => fathomUrls().authorizeUrl,
  tokenUrl: () => fathomUrls().tokenUrl,
  scopes: ["public_api"], // the only scope Fathom has
  scopeSeparator: " ",
  clientAuth: "client_secret_post", // credentials in the form body, as Fathom's docs and SDK do
  pkce: false, // not documented by Fathom; Nango disables it too
  clientIdEnv: "FATHOM_CLIENT_ID",
  clientSecretEnv: "FATHOM_CLIENT_SECRET",
  tokenResponse: {
    defaultTokenType: "bearer", // Fathom's SDK schema marks token_type optional
    requireExpiresIn: true, // ...but expires_in required and > 0
  },
  callbackFunction: "fathom-oauth-callback",
  callbackPage: "/fathom-callback.html",
  async identifyAccount({ accessToken, signal }) {
    const client = createFathomClient({
      baseUrl: fathomUrls().apiBaseUrl,
      accessToken,
      timeoutMs: oauthIdentityTimeoutMs(),
      attempts: 1, // optional and time-boxed: no retries
      fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.any([signal, init?.signal ?? signal]) }),
    });
    try {
      const recorder = pickRecorder((await client.listMeetings()).items);
      if (recorder) return recorder;
    } catch {
      // fall through to the team label
    }
    const teams = await client.listTeams();
    const team = teams.items[0]?.name;
    return team ? { id: null, email: null, name: team } : null;
  },
  beforeReplace,
  afterConnect,
  beforeDisconnect,
};

/** A quick client for the connect/disconnect hooks: they run inside a user's request, so short timeouts. */
function hookClient(accessToken: () => Promise<string>) {
  return createFathomClient({
    baseUrl: fathomUrls().apiBaseUrl,
    accessToken,
    timeoutMs: Math.max(oauthHttpTimeoutMs(), 2_000),
    attempts: 2,
    retryBaseMs: 200,
  });
}

/** The backfill on connect can be turned off (FATHOM_SYNC_ON_CONNECT=false), e.g. for tests of the OAuth flow. */
function syncOnConnect(): boolean {
  return Deno.env.get("FATHOM_SYNC_ON_CONNECT")?.trim().toLowerCase() !== "false";
}

/**
 * After a connect: register the team's webhook (replacing an older one), then start "Import past meetings".
 * Both best effort: neither may fail the connection (a failed registration is recorded and a later sync retries).
 */
async function afterConnect(ctx: ConnectionContext): Promise<void> {
  const token = await ctx.accessToken();
  if (!token) return;
  await ensureWebhook(hookClient(() => Promise.resolve(token)), ctx.integrationId, { replace: true });
  if (!syncOnConnect()) return;
  try {
    // Loaded lazily: the backfill reaches the token refresh, which reaches the provider registry, which holds this
    // entry. A static import would make that a cycle at load time.
    const { scheduleDrive, startSyncFor } = await import("../../fathom/backfill.ts");
    await startSyncFor(ctx.integrationId);
    scheduleDrive(ctx.integrationId);
  } catch (err) {
    logError("fathom afterConnect: backfill", err);
  }
}

/** How long a clean-up may wait for Fathom's rate limit inside a user's request (ms). */
const CLEANUP_RATE_LIMIT_BUDGET_MS = 10_000;

/**
 * A client for the integration's CURRENT stored account, for clean-up: tokens refreshed under the lock (a 401 ->
 * one forced refresh -> one retry), the stored token as is when the refresh path refuses, short timeouts.
 */
async function cleanupClient(ctx: ConnectionContext) {
  // Loaded lazily: connection.ts reaches the token refresh, which reaches the provider registry, which holds this
  // entry. A static import would make that a cycle at load time.
  const { fathomClientFor } = await import("../../fathom/connection.ts");
  return fathomClientFor(ctx.integrationId, {
    deadline: Date.now() + CLEANUP_RATE_LIMIT_BUDGET_MS,
    timeoutMs: Math.max(oauthHttpTimeoutMs(), 2_000),
    attempts: 2,
    fallbackToken: ctx.accessToken,
  });
}

/**
 * Before a reconnect replaces the stored tokens (the new account may be another Fathom account): delete the old
 * webhook with the OLD account's tokens, the only ones Fathom accepts for it. A failure is a warning on the row.
 */
async function beforeReplace(ctx: ConnectionContext): Promise<void> {
  await cleanUpWebhook(await cleanupClient(ctx), ctx.integrationId, "reconnect");
}

/**
 * Before a disconnect: delete the webhook at Fathom (refreshing once after a 401). The disconnect goes ahead
 * either way; a webhook left behind comes back as a warning for the response (and an event).
 */
async function beforeDisconnect(ctx: ConnectionContext): Promise<DisconnectOutcome> {
  const warning = await cleanUpWebhook(await cleanupClient(ctx), ctx.integrationId, "disconnect");
  return { warning: warning && { code: warning.code, message: warning.message } };
}
