// The named queries of the OAuth engine. Each write is one statement: a connection is either fully stored or left
// exactly as it was. All run as service_role (token and state columns are never granted to a client role), except
// the start of an authorization, which runs as the user through a checked SECURITY DEFINER function.
import type { Tx } from "../db.ts";
import type { AccountIdentity, Destination, ProviderId } from "./types.ts";

export interface PendingAuthorization {
  teamId: string;
  provider: ProviderId;
  stateHash: string;
  ttlMinutes: number;
  redirectUri: string;
  codeVerifierEncrypted: string | null;
  /** sha256 of the confirm secret handed to the initiating app */
  confirmHash: string;
}

/**
 * Record the authorization in flight, AS THE USER (private.begin_oauth_authorization checks they are an owner or
 * admin of the team in the same statement that writes). Creates the row when the team has never connected this
 * provider; otherwise touches ONLY the oauth_* columns, so an existing connection keeps working (and keeps its
 * tokens) until a new one replaces it. A newer start replaces an older pending state: only the latest popup can
 * complete. Returns false when the caller may not manage the team (nothing written).
 */
export async function savePendingAuthorization(userTx: Tx, p: PendingAuthorization): Promise<boolean> {
  const [row] = await userTx<{ ok: boolean }[]>`
    select private.begin_oauth_authorization(
      ${p.teamId}::uuid, ${p.provider}, ${p.stateHash}, ${p.ttlMinutes}::integer, ${p.redirectUri},
      ${p.codeVerifierEncrypted}, ${p.confirmHash}) as ok`;
  return row.ok;
}

export interface NewConnection {
  integrationId: string;
  userId: string;
  account: AccountIdentity;
  scopes: string[];
  accessTokenEncrypted: string;
  refreshTokenEncrypted: string | null;
  tokenExpiresAt: Date | null;
  /** where a chat provider posts (team-visible) and its secret (encrypted); null for providers that do not post */
  destination: Destination | null;
  destinationSecretEncrypted: string | null;
}

/**
 * Store a completed connection in one statement, and only while the connecting user is still an owner/admin of
 * the team at this very moment (the membership check and the write cannot be separated by a demotion).
 * "saved"; or, when nothing was written, "gone" (the integration row was deleted meanwhile: a disconnect) or
 * "not_admin".
 */
export async function saveConnection(tx: Tx, c: NewConnection): Promise<"saved" | "gone" | "not_admin"> {
  const rows = await tx`
    update public.team_integrations i set
      status = 'connected',
      account_id = ${c.account.id},
      account_name = ${c.account.name},
      account_email = ${c.account.email},
      scopes = ${c.scopes}::text[],
      access_token_encrypted = ${c.accessTokenEncrypted},
      refresh_token_encrypted = ${c.refreshTokenEncrypted},
      token_expires_at = ${c.tokenExpiresAt},
      destination = ${c.destination ? tx.json(c.destination as never) : null},
      destination_secret_encrypted = ${c.destinationSecretEncrypted},
      connected_by = ${c.userId},
      connected_at = now(),
      last_error = null,
      last_error_at = null
    where i.id = ${c.integrationId}
      and exists (select 1 from public.team_members m
                   where m.team_id = i.team_id and m.user_id = ${c.userId} and m.role in ('owner', 'admin'))
    returning i.id`;
  if (rows.length === 1) return "saved";
  const [row] = await tx<{ present: boolean }[]>`
    select exists (select 1 from public.team_integrations where id = ${c.integrationId}) as present`;
  return row.present ? "not_admin" : "gone";
}

export interface PendingConnection extends Omit<NewConnection, "integrationId" | "tokenExpiresAt"> {
  integrationId: string;
  teamId: string;
  provider: ProviderId;
  pendingHash: string;
  confirmHash: string;
  /** seconds the provider said the access token lives; null: no known expiry */
  expiresInSeconds: number | null;
  ttlMinutes: number;
}

/** At most this many expired pending connections are swept (and given back) by one callback. */
export const SWEEP_LIMIT = 20;

/**
 * Park a finished authorization until its initiator confirms it (engine.confirmAuthorization). The team's
 * connection is not touched. One per integration: a newer callback replaces an older pending one; expired ones of
 * any team (at most SWEEP_LIMIT) are swept here, so unconfirmed tokens never pile up. Returns the rows it replaced or
 * swept, taken (their ciphertexts): each holds a live grant (and maybe a webhook) that the CALLER must give back once
 * this transaction has committed (no HTTP inside it).
 * The integration row is locked first, so two callbacks of one integration queue here and the second takes the
 * first's row (instead of overwriting it unseen).
 */
export async function savePendingConnection(tx: Tx, p: PendingConnection): Promise<TakenPendingConnection[]> {
  await tx`select 1 from public.team_integrations where id = ${p.integrationId} for no key update`;
  const replaced = await tx<PendingRow[]>`
    delete from public.oauth_pending_connections where integration_id = ${p.integrationId}
    returning ${tx.unsafe(PENDING_COLUMNS)}`;
  // skip locked: a row another transaction holds (being confirmed, or swept) is left to it
  const swept = await tx<PendingRow[]>`
    delete from public.oauth_pending_connections where id in (
      select id from public.oauth_pending_connections where expires_at < now()
       order by expires_at limit ${SWEEP_LIMIT} for update skip locked)
    returning ${tx.unsafe(PENDING_COLUMNS)}`;
  await tx`
    insert into public.oauth_pending_connections (integration_id, team_id, provider, user_id, pending_hash,
      confirm_hash, account_id, account_name, account_email, scopes, access_token_encrypted, refresh_token_encrypted,
      token_expires_at, destination, destination_secret_encrypted, expires_at)
    values (${p.integrationId}, ${p.teamId}, ${p.provider}, ${p.userId}, ${p.pendingHash}, ${p.confirmHash},
      ${p.account.id}, ${p.account.name}, ${p.account.email}, ${p.scopes}::text[], ${p.accessTokenEncrypted},
      ${p.refreshTokenEncrypted}, now() + make_interval(secs => ${p.expiresInSeconds}::double precision),
      ${p.destination ? tx.json(p.destination as never) : null},
      ${p.destinationSecretEncrypted}, now() + make_interval(mins => ${p.ttlMinutes}))`;
  return [...replaced, ...swept].map(takenFrom);
}

export interface TakenPendingConnection extends NewConnection {
  teamId: string;
  provider: ProviderId;
  /** false when it matched but had expired: it is consumed all the same */
  fresh: boolean;
}

/**
 * Consume a pending connection exactly once, and only for the user who started it holding its confirm secret:
 * one `delete ... returning`, so of two concurrent confirmations one gets the row. A wrong user or secret matches
 * nothing and leaves the row alone (to be confirmed by its initiator, or to expire). null: nothing matched.
 */
export async function takePendingConnection(
  tx: Tx,
  q: { pendingHash: string; confirmHash: string; userId: string },
): Promise<TakenPendingConnection | null> {
  const rows = await tx<PendingRow[]>`
    delete from public.oauth_pending_connections
     where pending_hash = ${q.pendingHash} and confirm_hash = ${q.confirmHash} and user_id = ${q.userId}
    returning ${tx.unsafe(PENDING_COLUMNS)}`;
  return rows[0] ? takenFrom(rows[0]) : null;
}

/**
 * Take (delete) the pending connection of an integration about to be deleted (the row would go with it by cascade,
 * its grant still alive at the provider): the caller gives that grant back. null when there is none.
 */
export async function takePendingFor(tx: Tx, integrationId: string): Promise<TakenPendingConnection | null> {
  const rows = await tx<PendingRow[]>`
    delete from public.oauth_pending_connections where integration_id = ${integrationId}
    returning ${tx.unsafe(PENDING_COLUMNS)}`;
  return rows[0] ? takenFrom(rows[0]) : null;
}

const PENDING_COLUMNS = `integration_id, team_id, provider, user_id, account_id, account_name, account_email, scopes,
  access_token_encrypted, refresh_token_encrypted, token_expires_at, destination, destination_secret_encrypted,
  expires_at > now() as fresh`;

interface PendingRow {
  integration_id: string;
  team_id: string;
  provider: ProviderId;
  user_id: string;
  account_id: string | null;
  account_name: string | null;
  account_email: string | null;
  scopes: string[];
  access_token_encrypted: string;
  refresh_token_encrypted: string | null;
  token_expires_at: Date | null;
  destination: Destination | null;
  destination_secret_encrypted: string | null;
  fresh: boolean;
}

function takenFrom(row: PendingRow): TakenPendingConnection {
  return {
    integrationId: row.integration_id,
    teamId: row.team_id,
    provider: row.provider,
    userId: row.user_id,
    account: { id: row.account_id, name: row.account_name, email: row.account_email },
    scopes: row.scopes,
    accessTokenEncrypted: row.access_token_encrypted,
    refreshTokenEncrypted: row.refresh_token_encrypted,
    tokenExpiresAt: row.token_expires_at,
    destination: row.destination,
    destinationSecretEncrypted: row.destination_secret_encrypted,
    fresh: row.fresh,
  };
}

/** A failed attempt leaves the connection as it was; only the error code (never provider text) is noted. */
export async function recordFailure(tx: Tx, integrationId: string, code: string): Promise<void> {
  await tx`update public.team_integrations set last_error = ${code}, last_error_at = now() where id = ${integrationId}`;
}

export async function loadAccessTokenCiphertext(tx: Tx, integrationId: string): Promise<string | null> {
  const rows = await tx<{ access_token_encrypted: string | null }[]>`
    select access_token_encrypted from public.team_integrations where id = ${integrationId}`;
  return rows[0]?.access_token_encrypted ?? null;
}

export interface StoredSecrets {
  accessTokenEncrypted: string | null;
  refreshTokenEncrypted: string | null;
  destinationSecretEncrypted: string | null;
}

/** A team's connection to a provider as ONE statement read it: its id, when it was connected, its ciphertexts. */
export interface ConnectionSnapshot {
  id: string;
  /** connected_at as text (exact), to delete only the connection this snapshot is of */
  connectedAt: string | null;
  secrets: StoredSecrets;
}

/**
 * The team's connection to `provider` (null: none), its secrets read in the SAME statement as connected_at, so a
 * disconnect's hooks and revocation act on exactly the connection it then deletes (a confirm landing in between
 * changes connected_at, and the delete refuses). Service role: the ciphertexts are granted to no client role; the
 * caller has checked the user may manage the team.
 */
export async function loadConnectionSnapshot(
  tx: Tx,
  teamId: string,
  provider: ProviderId,
): Promise<ConnectionSnapshot | null> {
  const rows = await tx<{
    id: string;
    connected_at: string | null;
    access_token_encrypted: string | null;
    refresh_token_encrypted: string | null;
    destination_secret_encrypted: string | null;
  }[]>`
    select id, connected_at::text, access_token_encrypted, refresh_token_encrypted, destination_secret_encrypted
      from public.team_integrations where team_id = ${teamId} and provider = ${provider}`;
  const row = rows[0];
  return row
    ? {
      id: row.id,
      connectedAt: row.connected_at,
      secrets: {
        accessTokenEncrypted: row.access_token_encrypted,
        refreshTokenEncrypted: row.refresh_token_encrypted,
        destinationSecretEncrypted: row.destination_secret_encrypted,
      },
    }
    : null;
}

/** The integration's encrypted tokens and destination secret, read once (the hooks of a reconnect). */
export async function loadSecrets(tx: Tx, integrationId: string): Promise<StoredSecrets | null> {
  const rows = await tx<{
    access_token_encrypted: string | null;
    refresh_token_encrypted: string | null;
    destination_secret_encrypted: string | null;
  }[]>`
    select access_token_encrypted, refresh_token_encrypted, destination_secret_encrypted
      from public.team_integrations where id = ${integrationId}`;
  const row = rows[0];
  return row
    ? {
      accessTokenEncrypted: row.access_token_encrypted,
      refreshTokenEncrypted: row.refresh_token_encrypted,
      destinationSecretEncrypted: row.destination_secret_encrypted,
    }
    : null;
}
