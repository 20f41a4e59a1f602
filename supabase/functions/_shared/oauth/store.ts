// The named queries of the OAuth engine. Each write is one statement: a connection is either fully stored or left
// exactly as it was. All run as service_role (token and state columns are never granted to a client role), except
// the start of an authorization, which runs as the user through a checked SECURITY DEFINER function.
import type { Tx } from "../db.ts";
import type { AccountIdentity, ProviderId } from "./types.ts";

export interface PendingAuthorization {
  teamId: string;
  provider: ProviderId;
  stateHash: string;
  ttlMinutes: number;
  redirectUri: string;
  codeVerifierEncrypted: string | null;
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
      ${p.codeVerifierEncrypted}) as ok`;
  return row.ok;
}

export interface NewConnection {
  integrationId: string;
  userId: string;
  account: AccountIdentity;
  scopes: string[];
  accessTokenEncrypted: string;
  refreshTokenEncrypted: string | null;
  expiresInSeconds: number | null;
}

/**
 * Store a completed connection in one statement, and only while the connecting user is still an owner/admin of
 * the team at this very moment (the membership check and the write cannot be separated by a demotion).
 * Returns false when nothing was written.
 */
export async function saveConnection(tx: Tx, c: NewConnection): Promise<boolean> {
  const rows = await tx`
    update public.team_integrations i set
      status = 'connected',
      account_id = ${c.account.id},
      account_name = ${c.account.name},
      account_email = ${c.account.email},
      scopes = ${c.scopes}::text[],
      access_token_encrypted = ${c.accessTokenEncrypted},
      refresh_token_encrypted = ${c.refreshTokenEncrypted},
      token_expires_at = now() + make_interval(secs => ${c.expiresInSeconds}::double precision),
      connected_by = ${c.userId},
      connected_at = now(),
      last_error = null,
      last_error_at = null
    where i.id = ${c.integrationId}
      and exists (select 1 from public.team_members m
                   where m.team_id = i.team_id and m.user_id = ${c.userId} and m.role in ('owner', 'admin'))
    returning i.id`;
  return rows.length === 1;
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
