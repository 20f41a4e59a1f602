// Fathom's part of a connection's life (the OAuth engine calls these through the hooks the handlers pass it,
// _shared/lifecycle.ts): identify the account, register the webhook and start the import after a connect, delete
// the webhook before a reconnect or a disconnect (fathom-api.md §3, §5). The provider entry
// (oauth/providers/fathom.ts) stays data, so the registry and the token refresh never load this module.
import { fathomUrls, oauthHttpTimeoutMs, oauthIdentityTimeoutMs } from "../env.ts";
import { logError } from "../http.ts";
import type { AccountIdentity, ConnectionContext, DisconnectOutcome, ProviderHooks } from "../oauth/types.ts";
import { scheduleDrive, startSyncFor } from "./backfill.ts";
import { createFathomClient, type FathomMeeting } from "./client.ts";
import { fathomClientFor } from "./connection.ts";
import { cleanUpWebhook, ensureWebhook } from "./webhook-registration.ts";

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

/** Identity from GET /meetings, else GET /teams (time-boxed by the engine's signal, no retries). */
async function identifyAccount(
  { accessToken, signal }: { accessToken: string; signal: AbortSignal },
): Promise<AccountIdentity | null> {
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
}

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
function cleanupClient(ctx: ConnectionContext) {
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

export const fathomHooks: ProviderHooks = { identifyAccount, afterConnect, beforeReplace, beforeDisconnect };
