// Access tokens that are fresh when used, for every provider. Refresh tokens rotate and are single-use (Fathom,
// fathom-api.md §1.5; Discord, providers.md §1; Slack with token rotation on, §2), so two workers refreshing the
// same connection at once would burn the token and disconnect the team. A token stored without an expiry (Slack
// without rotation) is never refreshed; one that can no longer be refreshed (no refresh token) needs reauth. The protocol
// (docs/decisions.md "Token refresh: a lease, not a lock"):
//   fast path  the stored access token is valid for another few minutes: decrypt and use it (no lease)
//   claim      ONE short service transaction (row lock, no HTTP): re-read the row; if another worker refreshed
//              meanwhile, use its token; if a lease is held, WAIT (poll) for the leaseholder's result; otherwise take
//              the lease (refresh_lease_token, refresh_lease_until)
//   call       the token request, with NO transaction open and no connection held: a slow provider never holds
//              the pool (4 connections) that every other team's requests need
//   settle     ONE short transaction: store the rotated pair encrypted (keep the old refresh token when the provider
//              returns none), the new expiry and last_refreshed_at, only where our lease token still matches
//              (compare-and-swap; a reconnect meanwhile ends the lease, 20261130000600_refresh_lease.sql)
// The token endpoint's answer is classified by token-response.ts (the same classifier as the code exchange, with
// the entry's quirks: Slack's HTTP 200 {"ok": false}, its "bot" token type, Discord's required expires_in).
// Outcomes: the entry's reauth errors (invalid_grant; Slack also invalid_refresh_token) -> status needs_reauth +
// last_error + an integration_events row, no retry, AppError needs_reauth. Known-unsent or refused-without-rotation failures (network error, 5xx, 429) are retried with
// backoff, then AppError provider_unavailable with the stored tokens untouched. A call that timed out or whose
// answer was cut off has an UNKNOWN outcome (the provider may have rotated the token): the stored tokens are kept,
// refresh_retry_after is set, no second call is made now, and the stored access token is used while it is valid.
// This module knows the provider registry and the database, never an API client.
import * as oauth from "oauth4webapi";
import { decryptSecret, encryptSecret, integrationAad } from "../crypto.ts";
import { asService, isTransientDbError, type Tx } from "../db.ts";
import { oauthHttpTimeoutMs, oauthRetryBaseMs } from "../env.ts";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import { allowsInsecure, authorizationServer, clientAuthentication, clientConfig } from "./exchange.ts";
import { getProvider, isProviderId } from "./registry.ts";
import { classifyRequestError, classifyTokenResponse, reauthErrors, type TokenAnswer } from "./token-response.ts";
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

type GrantOutcome =
  | { kind: "ok"; accessToken: string; refreshToken: string | null; expiresIn: number | null }
  | { kind: "invalid_grant"; error: string }
  | { kind: "rejected"; error: string }
  | { kind: "transient"; reason: string }
  /** the request may have reached the provider and rotated the token, but no answer was read */
  | { kind: "unknown"; reason: string };

/** One refresh-token grant request, classified (token-response.ts). Never throws; never logs tokens or provider text. */
async function refreshGrant(provider: ProviderDefinition, refreshToken: string): Promise<GrantOutcome> {
  const config = clientConfig(provider);
  const as = authorizationServer(provider, config);
  const client: oauth.Client = { client_id: config.clientId };
  let answer: TokenAnswer;
  try {
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      clientAuthentication(provider, config),
      refreshToken,
      {
        headers: provider.requestHeaders(),
        signal: AbortSignal.timeout(oauthHttpTimeoutMs()),
        [oauth.allowInsecureRequests]: allowsInsecure(config.tokenUrl),
      },
    );
    answer = await classifyTokenResponse(provider, "refresh_token", as, client, response);
  } catch (err) {
    answer = classifyRequestError(provider, "refresh_token", err);
  }
  switch (answer.kind) {
    case "ok":
      return {
        kind: "ok",
        accessToken: answer.tokens.accessToken,
        refreshToken: answer.tokens.refreshToken,
        expiresIn: answer.tokens.expiresIn,
      };
    case "unavailable":
      return { kind: "transient", reason: answer.reason };
    case "unknown":
      return { kind: "unknown", reason: answer.reason };
    case "refused":
      return reauthErrors(provider).includes(answer.error)
        ? { kind: "invalid_grant", error: answer.error }
        : { kind: "rejected", error: answer.error };
    case "invalid":
      return { kind: "rejected", error: "invalid_token_response" };
  }
}

/** How often a worker waiting for another's refresh looks at the row again. */
const LEASE_POLL_MS = 200;
/** After a refresh with an unknown outcome, no new token call for this long. */
export const UNKNOWN_OUTCOME_PAUSE_SECONDS = 60;

/** The lease outlives the token call (its timeout) by a margin, so a live leaseholder never loses it. */
function leaseSeconds(): number {
  return Math.ceil(oauthHttpTimeoutMs() / 1000) + 15;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ClaimRow extends TokenRow {
  lease_held: boolean;
  paused: boolean;
  /** the stored access token has not expired yet (or has no known expiry) */
  valid: boolean;
}

type Claim =
  | { kind: "token"; accessToken: string }
  | { kind: "needs_reauth" }
  | { kind: "paused"; accessToken: string | null }
  | { kind: "busy" }
  | { kind: "leased"; lease: string; row: TokenRow; refreshToken: string; stillValid: string | null };

/**
 * The claim: one short transaction (row lock, no HTTP). `stale`: the token a 401 was answered for, or null when
 * the token is merely close to expiry. `stillValid` is the stored access token when it may still be used.
 */
function claimRefresh(integrationId: string, stale: string | null): Promise<Claim> {
  return asService(async (tx): Promise<Claim> => {
    const [row] = await tx<ClaimRow[]>`
      select id, team_id, provider, status, access_token_encrypted, refresh_token_encrypted,
             (token_expires_at is null or token_expires_at > now() + make_interval(secs => ${REFRESH_MARGIN_SECONDS}))
               as fresh,
             coalesce(refresh_lease_until > now(), false) as lease_held,
             coalesce(refresh_retry_after > now(), false) as paused,
             (token_expires_at is null or token_expires_at > now()) as valid
        from public.team_integrations where id = ${integrationId}
         for update`;
    const provider = row && isProviderId(row.provider) ? getProvider(row.provider) : undefined;
    usable(row ?? null, provider);
    const current = await decryptAccess(row);
    // Someone else refreshed while we waited (or the token was not stale after all): use theirs.
    if (stale === null ? row.fresh : current !== stale) return { kind: "token", accessToken: current };
    const stillValid = stale === null && row.valid ? current : null;
    if (!row.refresh_token_encrypted) {
      await markNeedsReauth(tx, row, "no_refresh_token");
      return { kind: "needs_reauth" };
    }
    if (row.paused) return { kind: "paused", accessToken: stillValid };
    if (row.lease_held) return { kind: "busy" };
    const lease = crypto.randomUUID();
    await tx`update public.team_integrations
                set refresh_lease_token = ${lease}, refresh_lease_until = now() + make_interval(secs => ${leaseSeconds()})
              where id = ${integrationId}`;
    const refreshToken = await decryptSecret(
      row.refresh_token_encrypted,
      integrationAad(row.team_id, row.provider, "refresh_token"),
    );
    return { kind: "leased", lease, row, refreshToken, stillValid };
  });
}

type Settled =
  | { kind: "token"; accessToken: string }
  | { kind: "needs_reauth" }
  | { kind: "rejected" }
  | { kind: "transient"; reason: string }
  | { kind: "unknown"; reason: string }
  /** our lease was ended (a reconnect) or expired and taken: the result was not stored; read the row again */
  | { kind: "lost" };

/** The settle: one short transaction storing the grant's outcome where our lease still holds (compare-and-swap). */
function settleRefresh(claim: Extract<Claim, { kind: "leased" }>, outcome: GrantOutcome): Promise<Settled> {
  const { row, lease } = claim;
  return asService(async (tx): Promise<Settled> => {
    const ours = tx`id = ${row.id} and refresh_lease_token = ${lease}`;
    switch (outcome.kind) {
      case "ok": {
        const accessEncrypted = await encryptSecret(
          outcome.accessToken,
          integrationAad(row.team_id, row.provider, "access_token"),
        );
        const refreshEncrypted = outcome.refreshToken
          ? await encryptSecret(outcome.refreshToken, integrationAad(row.team_id, row.provider, "refresh_token"))
          : row.refresh_token_encrypted; // none returned: the old one stays valid
        const stored = await tx`
          update public.team_integrations set
            access_token_encrypted = ${accessEncrypted},
            refresh_token_encrypted = ${refreshEncrypted},
            token_expires_at = case when ${outcome.expiresIn}::double precision is null then null
                                    else now() + make_interval(secs => ${outcome.expiresIn}::double precision) end,
            last_refreshed_at = now(),
            refresh_failure_count = 0,
            refresh_lease_token = null, refresh_lease_until = null, refresh_retry_after = null
          where ${ours} returning id`;
        return stored.length === 1 ? { kind: "token", accessToken: outcome.accessToken } : { kind: "lost" };
      }
      case "invalid_grant": {
        const marked = await tx`
          update public.team_integrations set status = 'needs_reauth', last_error = 'needs_reauth',
                 last_error_at = now(), refresh_failure_count = refresh_failure_count + 1,
                 refresh_lease_token = null, refresh_lease_until = null
           where ${ours} returning id`;
        if (marked.length === 0) return { kind: "lost" };
        await insertNeedsReauthEvent(tx, row, outcome.error);
        return { kind: "needs_reauth" };
      }
      case "rejected": {
        const noted = await tx`
          update public.team_integrations set last_error = ${"refresh_" + outcome.error}, last_error_at = now(),
                 refresh_failure_count = refresh_failure_count + 1,
                 refresh_lease_token = null, refresh_lease_until = null
           where ${ours} returning id`;
        return noted.length === 1 ? { kind: "rejected" } : { kind: "lost" };
      }
      case "transient": {
        const noted = await tx`
          update public.team_integrations set refresh_failure_count = refresh_failure_count + 1,
                 refresh_lease_token = null, refresh_lease_until = null
           where ${ours} returning id`;
        return noted.length === 1 ? { kind: "transient", reason: outcome.reason } : { kind: "lost" };
      }
      case "unknown": {
        // The provider may have rotated the refresh token: spending it again now could only earn invalid_grant.
        const noted = await tx`
          update public.team_integrations set refresh_failure_count = refresh_failure_count + 1,
                 last_error = 'refresh_outcome_unknown', last_error_at = now(),
                 refresh_retry_after = now() + make_interval(secs => ${UNKNOWN_OUTCOME_PAUSE_SECONDS}),
                 refresh_lease_token = null, refresh_lease_until = null
           where ${ours} returning id`;
        return noted.length === 1 ? { kind: "unknown", reason: outcome.reason } : { kind: "lost" };
      }
    }
  });
}

/**
 * settleRefresh, tried again while the database is briefly away (a restart): after an "ok" grant the rotated
 * refresh token exists only in this process, so giving up at the first dropped connection would lose it.
 */
async function settleWithRetries(claim: Extract<Claim, { kind: "leased" }>, outcome: GrantOutcome): Promise<Settled> {
  for (let attempt = 1;; attempt++) {
    try {
      return await settleRefresh(claim, outcome);
    } catch (err) {
      if (!isTransientDbError(err) || attempt >= SETTLE_ATTEMPTS) throw err;
      await sleep(oauthRetryBaseMs() * 2 ** (attempt - 1));
    }
  }
}
const SETTLE_ATTEMPTS = 5;

async function markNeedsReauth(tx: Tx, row: TokenRow, reason: string): Promise<void> {
  await tx`update public.team_integrations set status = 'needs_reauth', last_error = 'needs_reauth',
             last_error_at = now(), refresh_failure_count = refresh_failure_count + 1
           where id = ${row.id}`;
  await insertNeedsReauthEvent(tx, row, reason);
}

async function insertNeedsReauthEvent(tx: Tx, row: TokenRow, reason: string): Promise<void> {
  await tx`insert into public.integration_events (team_id, integration_id, provider, type, subject_type, subject_id,
                                                  payload)
           values (${row.team_id}, ${row.id}, ${row.provider}, ${`${row.provider}.integration.needs_reauth`},
                   'integration', ${row.id}, ${tx.json({ reason })})`;
}

function unavailable(): AppError {
  return new AppError("provider_unavailable", "The provider is unavailable. Please try again later.");
}

async function refreshWithRetries(integrationId: string, stale: string | null): Promise<string> {
  let transientFailures = 0;
  for (;;) {
    const claim = await claimRefresh(integrationId, stale);
    switch (claim.kind) {
      case "token":
        return claim.accessToken;
      case "needs_reauth":
        throw new AppError("needs_reauth", "The connection was revoked or expired. Please reconnect.");
      case "paused":
        if (claim.accessToken) return claim.accessToken;
        throw unavailable();
      case "busy":
        await sleep(LEASE_POLL_MS); // another worker is calling the provider: wait for its result
        continue;
      case "leased":
        break;
    }
    const outcome = await refreshGrant(providerOf(claim.row), claim.refreshToken);
    const settled = await settleWithRetries(claim, outcome);
    switch (settled.kind) {
      case "token":
        return settled.accessToken;
      case "needs_reauth":
        throw new AppError("needs_reauth", "The connection was revoked or expired. Please reconnect.");
      case "rejected":
        throw new AppError("token_exchange_failed", "The provider refused to refresh the access token.");
      case "unknown":
        console.error(`[oauth refresh] outcome unknown (${settled.reason}); tokens kept, retried later`);
        if (claim.stillValid) return claim.stillValid;
        throw unavailable();
      case "lost":
        continue;
      case "transient":
        if (++transientFailures >= ATTEMPTS) {
          console.error(`[oauth refresh] gave up after ${transientFailures} attempts (${settled.reason})`);
          throw unavailable();
        }
        await sleep(oauthRetryBaseMs() * 2 ** (transientFailures - 1));
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
