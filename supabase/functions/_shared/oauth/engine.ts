// The OAuth engine: one implementation of start / callback / disconnect for every provider entry in registry.ts.
// Handlers validate input and call these, passing the provider's lifecycle hooks (_shared/lifecycle.ts: the engine
// never imports them, so no provider's API or import code is reachable from oauth/); these call the database
// (db.ts + store.ts/state.ts), the provider (exchange.ts, identify.ts + the hooks) and crypto.ts. Errors are
// AppErrors with a code.
import * as oauth from "oauth4webapi";
import { requireTeamAdmin } from "../auth.ts";
import { decryptSecret, encryptSecret, integrationAad, KeyConfigError, loadKeys, sha256Hex } from "../crypto.ts";
import { asService, asUser, type UserClaims } from "../db.ts";
import { appOrigins, oauthHttpTimeoutMs, oauthIdentityTimeoutMs } from "../env.ts";
import { AppError, type ErrorCode } from "../errors.ts";
import { logError } from "../http.ts";
import { decryptDestinationSecret, encryptDestinationSecret, keepDestination } from "./destination.ts";
import { clientConfig, exchangeCode } from "./exchange.ts";
import { identifyAccount } from "./identify.ts";
import { cleanIdentity, grantedScopes } from "./provider-text.ts";
import { getProvider } from "./registry.ts";
import { type GrantTokens, revokeGrant, type RevokeOutcome } from "./revoke.ts";
import { consumeState, createSecret, createState, parseState, STATE_TTL_MINUTES } from "./state.ts";
import {
  loadConnectionSnapshot,
  loadSecrets,
  recordFailure,
  saveConnection,
  savePendingAuthorization,
  savePendingConnection,
  type StoredSecrets,
  takePendingConnection,
  takePendingFor,
  type TakenPendingConnection,
} from "./store.ts";
import type {
  AccountIdentity,
  ConnectionContext,
  DestinationSecret,
  DisconnectWarning,
  HooksFor,
  KeptDestination,
  ProviderDefinition,
  ProviderHooks,
  ProviderId,
  RevocationReport,
  TokenSet,
} from "./types.ts";

// ---------------------------------------------------------------------------------------------------------------
// configuration

async function requireTokenEncryption(): Promise<void> {
  try {
    await loadKeys();
  } catch (err) {
    if (!(err instanceof KeyConfigError)) throw err;
    logError("token encryption", err);
    throw new AppError("internal_error", "Token storage is not configured on this server.");
  }
}

/** The redirectUri the app asked for, if its origin is on the APP_ORIGIN allowlist (no open redirect). */
function allowedRedirect(candidate: string | null): URL | null {
  if (!candidate) return null;
  let parsed: URL;
  try {
    parsed = new URL(candidate);
  } catch {
    return null;
  }
  if (parsed.username || parsed.password) return null;
  return appOrigins().includes(parsed.origin) ? parsed : null;
}

// ---------------------------------------------------------------------------------------------------------------
// start

export interface StartInput {
  claims: UserClaims;
  teamId: string;
  redirectUri: string;
}

/** How long a finished authorization waits for its initiator's confirmation. */
export const PENDING_TTL_MINUTES = 10;

export interface StartResult {
  /** the provider's authorization URL, for the popup */
  authUrl: string;
  /**
   * One-time secret binding the flow to this response's reader: the initiating app keeps it (memory or
   * sessionStorage, never a URL) and sends it with its own session to confirmAuthorization. Only its sha256 is
   * stored.
   */
  confirmSecret: string;
}

export async function startAuthorization(providerId: ProviderId, input: StartInput): Promise<StartResult> {
  const provider = getProvider(providerId);
  const redirect = allowedRedirect(input.redirectUri);
  if (!redirect) {
    throw new AppError("invalid_redirect_uri", "redirectUri must be a page of this app.");
  }
  const config = clientConfig(provider);
  await requireTokenEncryption();

  const state = await createState(input.teamId);
  const confirm = await createSecret();
  let codeChallenge: string | null = null;
  let codeVerifierEncrypted: string | null = null;
  if (provider.pkce) {
    const verifier = oauth.generateRandomCodeVerifier();
    codeChallenge = await oauth.calculatePKCECodeChallenge(verifier);
    codeVerifierEncrypted = await encryptSecret(verifier, integrationAad(input.teamId, provider.id, "code_verifier"));
  }

  // One transaction as the user: the admin check and the state write are one statement. Members, outsiders and
  // unknown teams all get the same 403.
  const saved = await asUser(input.claims, (tx) =>
    savePendingAuthorization(tx, {
      teamId: input.teamId,
      provider: provider.id,
      stateHash: state.hash,
      ttlMinutes: STATE_TTL_MINUTES,
      redirectUri: redirect.href,
      codeVerifierEncrypted,
      confirmHash: confirm.hash,
    })
  );
  if (!saved) throw new AppError("not_team_admin", "Only a team owner or admin can manage this team's integrations.");

  const authUrl = new URL(config.authorizeUrl);
  authUrl.searchParams.set("client_id", config.clientId);
  authUrl.searchParams.set("redirect_uri", config.redirectUri);
  authUrl.searchParams.set("response_type", "code");
  authUrl.searchParams.set("scope", provider.scopes.join(provider.scopeSeparator));
  authUrl.searchParams.set("state", state.param);
  if (codeChallenge) {
    authUrl.searchParams.set("code_challenge", codeChallenge);
    authUrl.searchParams.set("code_challenge_method", "S256");
  }
  for (const [key, value] of Object.entries(provider.authorizationParams ?? {})) {
    authUrl.searchParams.set(key, value);
  }
  return { authUrl: authUrl.href, confirmSecret: confirm.value };
}

// ---------------------------------------------------------------------------------------------------------------
// callback

export interface CallbackOutcome {
  /** pending: the tokens are parked until the initiator confirms (confirmAuthorization); nothing is connected yet */
  status: "pending" | "error";
  code?: ErrorCode;
  /**
   * where to send the browser: the stored redirectUri, or the provider's page on the default app origin, with
   * `status`, `provider`, `code` in the query and, when pending, `#pending=<one-time id>` in the fragment (never
   * sent to a server, so it stays out of the app host's access logs)
   */
  location: string;
}

function outcome(
  provider: ProviderDefinition,
  target: URL | null,
  result: { code: ErrorCode } | { pending: string },
): CallbackOutcome {
  const code = "code" in result ? result.code : undefined;
  const status = code ? "error" : "pending";
  const [defaultOrigin] = appOrigins();
  const location = target ?? (defaultOrigin ? new URL(provider.callbackPage, defaultOrigin) : null);
  const query = new URLSearchParams({ status, provider: provider.id });
  if (code) query.set("code", code);
  const fragment = "pending" in result ? `pending=${result.pending}` : "";
  if (!location) {
    return { status, code, location: `${provider.callbackPage}?${query}${fragment ? `#${fragment}` : ""}` };
  }
  // Only our own codes ever reach the URL; nothing the provider or the caller sent is echoed.
  for (const [key, value] of query) location.searchParams.set(key, value);
  location.hash = fragment;
  return { status, code, location: location.href };
}

/**
 * Finish an authorization from the callback URL, up to a PENDING connection: the code is exchanged and the tokens
 * are stored encrypted beside a one-time pending id, but the team is not connected (no webhook, no import) until
 * the user who started confirms with their own session (confirmAuthorization). This request carries no session
 * and may come from any browser the authorization URL was forwarded to (RFC 9700 §4.7.1).
 * Never throws: every failure is an outcome with a code, so the browser always lands on the app's callback page.
 * The state is consumed before anything else happens, so a callback URL works at most once whatever follows.
 * A failure after a successful code exchange revokes the grant it was handed (abandonGrant) before answering; so
 * does parking over an older pending connection (or sweeping expired ones): each is given back. `hooksFor` gives
 * the hooks of this provider and of any provider whose expired pending connection is swept.
 */
export async function completeAuthorization(
  providerId: ProviderId,
  callbackUrl: URL,
  hooksFor: HooksFor,
): Promise<CallbackOutcome> {
  const provider = getProvider(providerId);
  const stateParam = callbackUrl.searchParams.get("state");
  const parsed = parseState(stateParam);
  if (!parsed || !stateParam) return outcome(provider, null, { code: "invalid_state" });

  let consumed;
  try {
    consumed = await asService((tx) => consumeState(tx, provider.id, parsed.teamId, parsed.token));
  } catch (err) {
    logError(`${provider.id} callback`, err);
    return outcome(provider, null, { code: "internal_error" });
  }
  if (!consumed) return outcome(provider, null, { code: "invalid_state" });
  const target = allowedRedirect(consumed.redirectUri);

  try {
    const pending = await park(provider, hooksFor, consumed, callbackUrl, stateParam);
    return outcome(provider, target, { pending });
  } catch (err) {
    const code: ErrorCode = err instanceof AppError ? err.code : "internal_error";
    if (!(err instanceof AppError)) logError(`${provider.id} callback`, err);
    await asService((tx) => recordFailure(tx, consumed.integrationId, code))
      .catch((e) => logError(`${provider.id} callback: recording the failure`, e));
    return outcome(provider, target, { code });
  }
}

/** Exchange the code and park the tokens; returns the one-time pending id for the landing page. */
async function park(
  provider: ProviderDefinition,
  hooksFor: HooksFor,
  consumed: NonNullable<Awaited<ReturnType<typeof consumeState>>>,
  callbackUrl: URL,
  stateParam: string,
): Promise<string> {
  if (!consumed.fresh) throw new AppError("state_expired", "The authorization took too long. Please try again.");

  const providerError = callbackUrl.searchParams.get("error");
  if (providerError !== null) {
    throw providerError === "access_denied"
      ? new AppError("access_denied", "Access was not granted.")
      : new AppError("authorization_failed", "The authorization did not complete.");
  }

  // The team id in `state` is never trusted on its own: the user who started must still be an admin now.
  const userId = consumed.userId;
  if (!userId) throw new AppError("not_team_admin", "The user who started this connection no longer exists.");
  const initiator: UserClaims = { sub: userId, role: "authenticated", aud: "authenticated" };
  await asUser(initiator, (tx) => requireTeamAdmin(tx, consumed.teamId));
  // A start that handed out no confirm secret can never be confirmed: do not spend the code on it.
  const confirmHash = consumed.confirmHash;
  if (!confirmHash) throw new AppError("invalid_state", "The authorization cannot be completed.");

  if (!callbackUrl.searchParams.get("code")) {
    throw new AppError("authorization_failed", "The authorization response carried no code.");
  }
  const config = clientConfig(provider);
  const codeVerifier = consumed.codeVerifierEncrypted
    ? await decryptSecret(consumed.codeVerifierEncrypted, integrationAad(consumed.teamId, provider.id, "code_verifier"))
    : null;
  if (provider.pkce && !codeVerifier) throw new AppError("invalid_state", "The authorization cannot be completed.");

  const tokens = await exchangeCode(provider, config, callbackUrl, stateParam, codeVerifier, oauthHttpTimeoutMs());
  const hooks = hooksFor(provider.id);
  let kept: KeptDestination | null = null;
  let parked: { pending: string; released: TakenPendingConnection[] };
  try {
    // before anything else: a chat provider's answer without a usable webhook refuses the connection
    kept = keepDestination(provider, tokens.raw);
    parked = await parkTokens(provider, hooks, consumed, userId, confirmHash, tokens, kept);
  } catch (err) {
    // We hold a live grant (and, for a chat provider, a new webhook) that nobody will ever confirm: give it back.
    await abandonGrant(provider, hooks, consumed, tokens, kept?.secret ?? null);
    throw err;
  }
  // The pending connections this one replaced (an older callback of the same integration) or swept (expired, any
  // team's): nobody can confirm them any more, so their grants and webhooks go back, now that the swap committed.
  await Promise.all(parked.released.map((taken) => giveBack(hooksFor, taken)));
  return parked.pending;
}

/**
 * Park exchanged tokens (encrypted) as a pending connection; returns its one-time id and the pending connections
 * it released (replaced or swept, see savePendingConnection), for the caller to give back.
 */
async function parkTokens(
  provider: ProviderDefinition,
  hooks: ProviderHooks,
  consumed: NonNullable<Awaited<ReturnType<typeof consumeState>>>,
  userId: string,
  confirmHash: string,
  tokens: TokenSet,
  kept: KeptDestination | null,
): Promise<{ pending: string; released: TakenPendingConnection[] }> {
  const account = await identify(provider, hooks, tokens);
  const pending = await createSecret();

  const released = await asService(async (tx) =>
    savePendingConnection(tx, {
      integrationId: consumed.integrationId,
      teamId: consumed.teamId,
      provider: provider.id,
      userId,
      pendingHash: pending.hash,
      confirmHash,
      ttlMinutes: PENDING_TTL_MINUTES,
      account,
      scopes: grantedScopes(tokens.scope || null, provider.scopes),
      // the connection's own AAD: confirming moves these ciphertexts into team_integrations unchanged
      accessTokenEncrypted: await encryptSecret(
        tokens.accessToken,
        integrationAad(consumed.teamId, provider.id, "access_token"),
      ),
      refreshTokenEncrypted: tokens.refreshToken
        ? await encryptSecret(tokens.refreshToken, integrationAad(consumed.teamId, provider.id, "refresh_token"))
        : null,
      expiresInSeconds: tokens.expiresIn, // clamped by the classifier (token-response.ts)
      destination: kept?.destination ?? null,
      destinationSecretEncrypted: kept
        ? await encryptDestinationSecret(consumed.teamId, provider.id, kept.secret)
        : null,
    })
  );
  return { pending: pending.value, released };
}

// ---------------------------------------------------------------------------------------------------------------
// confirm

export interface ConfirmInput {
  claims: UserClaims;
  /** from the callback page's fragment, relayed by the app */
  pendingId: string;
  /** from the start response, kept by the app */
  confirmSecret: string;
}

/**
 * The initiating user's app confirms a pending connection with its own session: user = the one who started,
 * both secrets match, not expired, once. Only then is the team connected and the provider's after-connect hook run
 * (Fathom: webhook registration and the import; `hooksFor` gives the hooks of the stored row's provider).
 * Errors (AppError): invalid_state (unknown, used, someone else's, or a wrong secret: one answer, no oracle),
 * state_expired (consumed all the same), not_team_admin (demoted since), connection_changed (the integration was
 * disconnected meanwhile). On every error after the pending row was consumed, its grant is revoked and its new
 * destination cleaned up (abandonGrant): a confirm that saves nothing leaves nothing alive at the provider.
 */
export async function confirmAuthorization(
  input: ConfirmInput,
  hooksFor: HooksFor,
): Promise<{ provider: ProviderId; teamId: string }> {
  const [pendingHash, confirmHash] = await Promise.all([sha256Hex(input.pendingId), sha256Hex(input.confirmSecret)]);
  const taken = await asService((tx) =>
    takePendingConnection(tx, { pendingHash, confirmHash, userId: input.claims.sub })
  );
  if (!taken) {
    throw new AppError("invalid_state", "This connection attempt expired, was already used or is not yours.");
  }
  const provider = getProvider(taken.provider);
  const hooks = hooksFor(provider.id);

  // The pending row is consumed: from here, any way out but a saved connection leaves a live grant (and a new
  // webhook) nobody holds, so each one gives it back first (best effort).
  try {
    if (!taken.fresh) throw new AppError("state_expired", "The authorization took too long. Please try again.");
    await asUser(input.claims, (tx) => requireTeamAdmin(tx, taken.teamId));
    await beforeReplace(provider, hooks, taken.teamId, taken.integrationId);
    // saveConnection re-checks the membership in the statement that writes (no demotion can slip in between).
    const saved = await asService((tx) => saveConnection(tx, taken));
    if (saved === "gone") {
      throw new AppError(
        "connection_changed",
        `${provider.displayName} was disconnected while this connection was being made. Please connect again.`,
      );
    }
    if (saved === "not_admin") {
      throw new AppError("not_team_admin", "Only a team owner or admin can connect integrations.");
    }
  } catch (err) {
    await abandonTaken(provider, hooks, taken);
    throw err;
  }

  if (hooks.afterConnect) {
    try {
      await hooks.afterConnect({
        teamId: taken.teamId,
        integrationId: taken.integrationId,
        accessToken: () =>
          decryptSecret(taken.accessTokenEncrypted, integrationAad(taken.teamId, provider.id, "access_token")),
        destinationSecret: async () =>
          taken.destinationSecretEncrypted
            ? await decryptDestinationSecret(taken.teamId, provider.id, taken.destinationSecretEncrypted)
            : null,
      });
    } catch (err) {
      logError(`${provider.id} afterConnect`, err);
    }
  }
  return { provider: provider.id, teamId: taken.teamId };
}

/**
 * Give back a grant we obtained but will not keep (a callback refused after the exchange, a confirm that saved
 * nothing): the provider's disconnect cleanup for its NEW destination (Discord: delete the new webhook), then the
 * grant's revocation. Best effort and time-boxed like a disconnect's; never throws.
 */
async function abandonGrant(
  provider: ProviderDefinition,
  hooks: ProviderHooks,
  where: { teamId: string; integrationId: string },
  tokens: GrantTokens,
  secret: DestinationSecret | null,
): Promise<void> {
  if (secret && hooks.beforeDisconnect) {
    try {
      await hooks.beforeDisconnect({
        teamId: where.teamId,
        integrationId: where.integrationId,
        accessToken: () => Promise.resolve(tokens.accessToken),
        destinationSecret: () => Promise.resolve(secret),
      });
    } catch (err) {
      logError(`${provider.id} abandoned grant: cleanup`, err);
    }
  }
  await revokeGrant(provider, tokens);
}

/** abandonGrant for a consumed pending connection (its tokens and destination secret are still encrypted). */
async function abandonTaken(provider: ProviderDefinition, hooks: ProviderHooks, taken: TakenPendingConnection) {
  try {
    const open = (ciphertext: string | null, purpose: "access_token" | "refresh_token") =>
      ciphertext ? decryptSecret(ciphertext, integrationAad(taken.teamId, provider.id, purpose)) : Promise.resolve(null);
    const tokens = {
      accessToken: await open(taken.accessTokenEncrypted, "access_token"),
      refreshToken: await open(taken.refreshTokenEncrypted, "refresh_token"),
    };
    const secret = taken.destinationSecretEncrypted
      ? await decryptDestinationSecret(taken.teamId, provider.id, taken.destinationSecretEncrypted)
      : null;
    await abandonGrant(provider, hooks, taken, tokens, secret);
  } catch (err) {
    logError(`${provider.id} abandoned grant`, err);
  }
}

/** abandonTaken for a pending connection of any provider (a swept one may be another's). Never throws. */
async function giveBack(hooksFor: HooksFor, taken: TakenPendingConnection): Promise<void> {
  try {
    const provider = getProvider(taken.provider);
    await abandonTaken(provider, hooksFor(provider.id), taken);
  } catch (err) {
    logError(`${taken.provider} released pending connection`, err);
  }
}

/**
 * A connection's context for its hooks, FIXED to secrets read once (one statement): decrypted only when a hook asks,
 * but never re-read, so a hook acts on the connection its caller read even if a confirm replaces it meanwhile.
 */
function connectionFrom(
  provider: ProviderDefinition,
  teamId: string,
  integrationId: string,
  secrets: StoredSecrets,
): ConnectionContext {
  return {
    teamId,
    integrationId,
    accessToken: async () =>
      secrets.accessTokenEncrypted
        ? await decryptSecret(secrets.accessTokenEncrypted, integrationAad(teamId, provider.id, "access_token"))
        : null,
    destinationSecret: async () =>
      secrets.destinationSecretEncrypted
        ? await decryptDestinationSecret(teamId, provider.id, secrets.destinationSecretEncrypted)
        : null,
  };
}

/** The snapshot's tokens in the clear, for the revocation (null when there are none or they cannot be read). */
async function grantTokens(provider: ProviderDefinition, teamId: string, secrets: StoredSecrets): Promise<GrantTokens> {
  const none = { accessToken: null, refreshToken: null };
  if (!provider.revocation) return none;
  try {
    const open = (ciphertext: string | null, purpose: "access_token" | "refresh_token") =>
      ciphertext ? decryptSecret(ciphertext, integrationAad(teamId, provider.id, purpose)) : Promise.resolve(null);
    return {
      accessToken: await open(secrets.accessTokenEncrypted, "access_token"),
      refreshToken: await open(secrets.refreshTokenEncrypted, "refresh_token"),
    };
  } catch (err) {
    logError(`${provider.id} revoke: reading the tokens`, err);
    return none;
  }
}

/**
 * A reconnect: the stored tokens are about to be replaced (maybe by another account's), so the provider cleans up
 * what only the old account can, now. Best effort: it never fails the new connection.
 */
async function beforeReplace(
  provider: ProviderDefinition,
  hooks: ProviderHooks,
  teamId: string,
  integrationId: string,
): Promise<void> {
  if (!hooks.beforeReplace) return;
  try {
    const secrets = await asService((tx) => loadSecrets(tx, integrationId));
    if (!secrets?.accessTokenEncrypted) return; // a first connection: nothing to replace
    const stored = connectionFrom(provider, teamId, integrationId, secrets);
    await hooks.beforeReplace(stored);
  } catch (err) {
    logError(`${provider.id} beforeReplace`, err);
  }
}

/**
 * Who did we connect to? Optional by design (Fathom has no /me): any failure or a slow answer falls back to a
 * generic label, and the connection is stored regardless. Each field is cleaned (provider-text.ts).
 */
async function identify(
  provider: ProviderDefinition,
  hooks: ProviderHooks,
  tokens: TokenSet,
): Promise<AccountIdentity> {
  const fallback: AccountIdentity = { id: null, name: `${provider.displayName} account`, email: null };
  const signal = AbortSignal.timeout(oauthIdentityTimeoutMs());
  const timedOut = new Promise<null>((resolve) => signal.addEventListener("abort", () => resolve(null)));
  try {
    const found = await Promise.race([
      identifyAccount(provider, hooks, { accessToken: tokens.accessToken, tokenSet: tokens, signal }),
      timedOut,
    ]);
    // provider text like the destination labels (provider-text.ts): a NUL or a 2 MB name is dropped, never stored
    const clean = found ? cleanIdentity(found) : null;
    if (!clean || !(clean.id || clean.name || clean.email)) return fallback;
    return { id: clean.id, email: clean.email, name: clean.name ?? clean.email ?? fallback.name };
  } catch (err) {
    logError(`${provider.id} identify account`, err);
    return fallback;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// disconnect

/** What a revocation's outcome tells the team (types.ts RevocationReport); wording from the entry. */
export function revocationReport(provider: ProviderDefinition, outcome: RevokeOutcome): RevocationReport {
  if (outcome === "none") return { revoked: null, message: null };
  if (outcome === "revoked") return { revoked: true, message: null };
  return {
    revoked: false,
    message: `Disconnected here, but ${provider.displayName} didn't confirm the revocation: ${provider.removeApp}.`,
  };
}

/**
 * Remove a team's connection (admins only: AppError not_team_admin / not_found): the provider's before-disconnect
 * hook (Fathom: its webhook; Discord: the channel webhook), then the row and its tokens, then the grant is revoked
 * where the entry declares how (Discord, Slack). Hook and revocation use ONE snapshot of the connection (its secrets
 * read with its connected_at), and only that connection is deleted (else connection_changed). Hooks and revocation are
 * best effort and time-boxed: they never fail or hold up the disconnect. Returns what was left behind at the
 * provider, if anything.
 */
export async function disconnect(
  providerId: ProviderId,
  input: { claims: UserClaims; teamId: string },
  hooks: ProviderHooks,
): Promise<{ warning: DisconnectWarning | null; revocation: RevocationReport }> {
  const provider = getProvider(providerId);
  await asUser(input.claims, (tx) => requireTeamAdmin(tx, input.teamId));
  // ONE read of the connection: its id, connected_at and secrets. The hook and the revocation act on this snapshot
  // only, and the delete below removes only this very connection: a confirm landing in between (a NEW grant and
  // webhook) is neither cleaned up by mistake nor deleted.
  const found = await asService((tx) => loadConnectionSnapshot(tx, input.teamId, provider.id));
  if (!found) throw new AppError("not_found", `${provider.displayName} is not connected to this team.`);
  const integrationId = found.id;

  let warning: DisconnectWarning | null = null;
  if (hooks.beforeDisconnect) {
    // Best effort: the provider being down must not keep a team from removing its tokens.
    try {
      const stored = connectionFrom(provider, input.teamId, integrationId, found.secrets);
      warning = (await hooks.beforeDisconnect(stored))?.warning ?? null;
    } catch (err) {
      logError(`${provider.id} beforeDisconnect`, err);
    }
  }

  const tokens = await grantTokens(provider, input.teamId, found.secrets);
  // A connection parked for confirmation would go with the row (cascade) and its grant stay alive: take it first.
  const parked = await asService((tx) => takePendingFor(tx, integrationId));
  if (parked) await abandonTaken(provider, hooks, parked);
  // As the user again: RLS ("admins remove") decides, and the row takes its tokens with it.
  // Only the connection we read: a confirm that landed meanwhile (connected_at moved) stored a NEW grant and webhook
  // that our snapshot does not hold, so deleting it would leave them alive at the provider with nothing to give back.
  const deleted = await asUser(input.claims, (tx) =>
    tx`delete from public.team_integrations
        where id = ${integrationId} and connected_at::text is not distinct from ${found.connectedAt}
       returning id`
  );
  if (deleted.length === 0) {
    const still = await asUser(input.claims, (tx) => tx`select 1 from public.team_integrations where id = ${integrationId}`);
    if (still.length > 0) {
      throw new AppError(
        "connection_changed",
        `${provider.displayName} was connected again while disconnecting. Disconnect again to remove it.`,
      );
    }
    throw new AppError("not_found", `${provider.displayName} is not connected to this team.`);
  }
  // Only once the row is gone: a refused disconnect revokes nothing.
  return { warning, revocation: revocationReport(provider, await revokeGrant(provider, tokens)) };
}
