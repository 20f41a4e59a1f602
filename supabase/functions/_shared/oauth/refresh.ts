// Access tokens that are fresh when used. Fathom's refresh tokens are single-use (fathom-api.md §1.5), so two
// workers refreshing the same connection at once would burn the token and disconnect the team. The protocol
// (design.md "Refresh"):
//   fast path  the stored access token is valid for another few minutes: decrypt and use it (no lock)
//   slow path  ONE service transaction: pg_advisory_xact_lock per integration, RE-READ the row, and refresh only if
//              still needed (another worker may have done it while we waited); store the rotated pair encrypted,
//              the new expiry and last_refreshed_at in the same transaction (keep the old refresh token when the
//              provider returns none). The token request is the only thing awaited inside the lock; it never
//              touches our database, so this is safe on single-session PGlite too.
// Outcomes: invalid_grant -> status needs_reauth + last_error + an integration_events row, no retry, AppError
// needs_reauth. Transient failures (network, timeout, 5xx, 429) are retried with backoff OUTSIDE the lock, then
// AppError provider_unavailable with the stored tokens untouched.
// This module knows the provider registry and the database, never an API client.
import * as oauth from "oauth4webapi";
import { decryptSecret, encryptSecret, integrationAad } from "../crypto.ts";
import { asService, type Tx } from "../db.ts";
import { fathomRetryBaseMs, oauthHttpTimeoutMs, optionalSecret } from "../env.ts";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import {
  allowsInsecure,
  authorizationServer,
  type ClientConfig,
  clientAuthentication,
  normalizeTokenResponse,
} from "./exchange.ts";
import { getProvider, isProviderId } from "./registry.ts";
import type { ProviderDefinition } from "./types.ts";

/** Refresh when the access token expires within this many seconds. */
export const REFRESH_MARGIN_SECONDS = 5 * 60;
const ATTEMPTS = 3;

interface TokenRow {
  id: string;
  team_id: string;
  provider: string;
  status: string;
  access_token_encrypted: string | null;
  refresh_token_encrypted: string | null;
  /** the stored token is still valid for at least REFRESH_MARGIN_SECONDS (or has no known expiry) */
  fresh: boolean;
}

async function readRow(tx: Tx, integrationId: string): Promise<TokenRow | null> {
  const rows = await tx<TokenRow[]>`
    select id, team_id, provider, status, access_token_encrypted, refresh_token_encrypted,
           (token_expires_at is null or token_expires_at > now() + make_interval(secs => ${REFRESH_MARGIN_SECONDS}))
             as fresh
      from public.team_integrations where id = ${integrationId}`;
  return rows[0] ?? null;
}

function providerOf(row: TokenRow): ProviderDefinition {
  if (!isProviderId(row.provider)) throw new AppError("internal_error", "Unknown provider.");
  return getProvider(row.provider);
}

function usable(row: TokenRow | null, provider?: ProviderDefinition): asserts row is TokenRow {
  const name = provider?.displayName ?? "The integration";
  if (!row || !row.access_token_encrypted) throw new AppError("not_connected", `${name} is not connected.`);
  if (row.status === "needs_reauth") throw new AppError("needs_reauth", `${name} needs to be reconnected.`);
  if (row.status !== "connected") throw new AppError("not_connected", `${name} is not connected.`);
}

function decryptAccess(row: TokenRow): Promise<string> {
  return decryptSecret(row.access_token_encrypted!, integrationAad(row.team_id, row.provider, "access_token"));
}

function refreshConfig(provider: ProviderDefinition): ClientConfig {
  const clientId = optionalSecret(provider.clientIdEnv);
  const clientSecret = optionalSecret(provider.clientSecretEnv);
  if (!clientId || !clientSecret) {
    throw new AppError("provider_not_configured", `${provider.displayName} is not configured on this server.`);
  }
  // the refresh grant carries no redirect_uri; the field is unused here
  return { clientId, clientSecret, authorizeUrl: provider.authorizeUrl(), tokenUrl: provider.tokenUrl(), redirectUri: "" };
}

type GrantOutcome =
  | { kind: "ok"; accessToken: string; refreshToken: string | null; expiresIn: number | null }
  | { kind: "invalid_grant"; error: string }
  | { kind: "rejected"; error: string }
  | { kind: "transient"; reason: string };

/** One refresh-token grant request, classified. Never throws; never logs tokens or provider free text. */
async function refreshGrant(provider: ProviderDefinition, refreshToken: string): Promise<GrantOutcome> {
  const config = refreshConfig(provider);
  const as = authorizationServer(provider, config);
  const client: oauth.Client = { client_id: config.clientId };
  let response: Response;
  try {
    response = await oauth.refreshTokenGrantRequest(as, client, clientAuthentication(provider, config), refreshToken, {
      signal: AbortSignal.timeout(oauthHttpTimeoutMs()),
      [oauth.allowInsecureRequests]: allowsInsecure(config.tokenUrl),
    });
  } catch {
    return { kind: "transient", reason: "unreachable" };
  }
  if (response.status >= 500 || response.status === 429) {
    await response.body?.cancel();
    return { kind: "transient", reason: `status_${response.status}` };
  }
  try {
    const result = await oauth.processRefreshTokenResponse(as, client, await normalizeTokenResponse(provider, response));
    const expiresIn = result.expires_in ?? null;
    if (expiresIn !== null && !(expiresIn > 0)) return { kind: "rejected", error: "invalid_token_response" };
    return {
      kind: "ok",
      accessToken: result.access_token,
      refreshToken: result.refresh_token ?? null,
      expiresIn: expiresIn === null ? null : Math.min(expiresIn, 10 * 365 * 24 * 3600),
    };
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError) {
      // RFC 6749 code only (never error_description: provider free text)
      return err.error === "invalid_grant"
        ? { kind: "invalid_grant", error: err.error }
        : { kind: "rejected", error: err.error };
    }
    if (err instanceof DOMException || err instanceof TypeError && !(err as { code?: unknown }).code) {
      return { kind: "transient", reason: "body_cut" };
    }
    return { kind: "rejected", error: "invalid_token_response" };
  }
}

type LockedOutcome =
  | { kind: "token"; accessToken: string }
  | { kind: "needs_reauth" }
  | { kind: "rejected"; error: string }
  | { kind: "transient"; reason: string };

/** The slow path: one transaction under the per-integration lock. `stale`: the token a 401 was answered for. */
function refreshLocked(integrationId: string, stale: string | null): Promise<LockedOutcome> {
  return asService(async (tx): Promise<LockedOutcome> => {
    await tx`select pg_advisory_xact_lock(hashtextextended(${"oauth-refresh:" + integrationId}, 0))`;
    const row = await readRow(tx, integrationId);
    const provider = row && isProviderId(row.provider) ? getProvider(row.provider) : undefined;
    usable(row, provider);
    const current = await decryptAccess(row);
    // Someone else refreshed while we waited for the lock (or the token was not stale after all): use theirs.
    if (stale === null ? row.fresh : current !== stale) return { kind: "token", accessToken: current };
    if (!row.refresh_token_encrypted) {
      await markNeedsReauth(tx, row, "no_refresh_token");
      return { kind: "needs_reauth" };
    }
    const refreshToken = await decryptSecret(
      row.refresh_token_encrypted,
      integrationAad(row.team_id, row.provider, "refresh_token"),
    );
    const outcome = await refreshGrant(providerOf(row), refreshToken);
    switch (outcome.kind) {
      case "ok": {
        const accessEncrypted = await encryptSecret(
          outcome.accessToken,
          integrationAad(row.team_id, row.provider, "access_token"),
        );
        const refreshEncrypted = outcome.refreshToken
          ? await encryptSecret(outcome.refreshToken, integrationAad(row.team_id, row.provider, "refresh_token"))
          : row.refresh_token_encrypted; // none returned: the old one stays valid
        await tx`
          update public.team_integrations set
            access_token_encrypted = ${accessEncrypted},
            refresh_token_encrypted = ${refreshEncrypted},
            token_expires_at = case when ${outcome.expiresIn}::double precision is null then null
                                    else now() + make_interval(secs => ${outcome.expiresIn}::double precision) end,
            last_refreshed_at = now(),
            refresh_failure_count = 0
          where id = ${integrationId}`;
        return { kind: "token", accessToken: outcome.accessToken };
      }
      case "invalid_grant":
        await markNeedsReauth(tx, row, "invalid_grant");
        return { kind: "needs_reauth" };
      case "rejected":
        await tx`update public.team_integrations set last_error = ${"refresh_" + outcome.error}, last_error_at = now(),
                   refresh_failure_count = refresh_failure_count + 1 where id = ${integrationId}`;
        return { kind: "rejected", error: outcome.error };
      case "transient":
        await tx`update public.team_integrations set refresh_failure_count = refresh_failure_count + 1
                  where id = ${integrationId}`;
        return { kind: "transient", reason: outcome.reason };
    }
  });
}

async function markNeedsReauth(tx: Tx, row: TokenRow, reason: string): Promise<void> {
  await tx`update public.team_integrations set status = 'needs_reauth', last_error = 'needs_reauth',
             last_error_at = now(), refresh_failure_count = refresh_failure_count + 1
           where id = ${row.id}`;
  await tx`insert into public.integration_events (team_id, integration_id, provider, type, subject_type, subject_id,
                                                  payload)
           values (${row.team_id}, ${row.id}, ${row.provider}, ${`${row.provider}.integration.needs_reauth`},
                   'integration', ${row.id}, ${tx.json({ reason })})`;
}

async function refreshWithRetries(integrationId: string, stale: string | null): Promise<string> {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  for (let attempt = 1;; attempt++) {
    const outcome = await refreshLocked(integrationId, stale);
    switch (outcome.kind) {
      case "token":
        return outcome.accessToken;
      case "needs_reauth":
        throw new AppError("needs_reauth", "The connection was revoked or expired. Please reconnect.");
      case "rejected":
        throw new AppError("token_exchange_failed", "The provider refused to refresh the access token.");
      case "transient":
        if (attempt >= ATTEMPTS) {
          console.error(`[oauth refresh] gave up after ${attempt} attempts (${outcome.reason})`);
          throw new AppError("provider_unavailable", "The provider is unavailable. Please try again later.");
        }
        await sleep(fathomRetryBaseMs() * 2 ** (attempt - 1));
    }
  }
}

/**
 * A usable access token for the integration, refreshed first when it expires within five minutes.
 * Throws AppError not_connected, needs_reauth, provider_unavailable, token_exchange_failed, provider_not_configured.
 */
export async function getFreshAccessToken(integrationId: string): Promise<string> {
  const row = await asService((tx) => readRow(tx, integrationId));
  usable(row);
  if (row.fresh) return await decryptAccess(row);
  return await refreshWithRetries(integrationId, null);
}

/**
 * After a 401 for `stale`: refresh unless another worker already replaced that token. Returns the new token.
 */
export async function forceRefresh(integrationId: string, stale: string): Promise<string> {
  return await refreshWithRetries(integrationId, stale);
}

/** How long a token provider reuses a token it read: well inside the five minutes of validity it guarantees. */
const TOKEN_REUSE_MS = 60_000;

/**
 * A token provider for API clients: `token()` is getFreshAccessToken, `refresh(stale)` is forceRefresh. A token it
 * read is reused for up to a minute (it was valid for at least five more), so a client making many calls (an
 * import's pages) does not read and decrypt the row before each one; a 401 goes through `refresh` as always.
 */
export function tokenProvider(integrationId: string) {
  let cached: { token: string; until: number } | null = null;
  return {
    async token() {
      if (cached && Date.now() < cached.until) return cached.token;
      const token = await getFreshAccessToken(integrationId);
      cached = { token, until: Date.now() + TOKEN_REUSE_MS };
      return token;
    },
    async refresh(stale: string) {
      cached = null;
      const token = await forceRefresh(integrationId, stale);
      cached = { token, until: Date.now() + TOKEN_REUSE_MS };
      return token;
    },
  };
}

/** For callers that must not fail on token trouble (best-effort hooks): the token, or null with a log line. */
export async function tryFreshAccessToken(integrationId: string): Promise<string | null> {
  try {
    return await getFreshAccessToken(integrationId);
  } catch (err) {
    logError("oauth refresh", err);
    return null;
  }
}
