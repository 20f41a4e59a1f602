// The OAuth `state`: `<teamId>:<token>`, where token is 256 random bits. Only sha256(token) is stored, with its
// expiry, the initiating user and the provider's row; the callback consumes it with ONE `update ... returning`, so
// a state works once, for one team and one provider, and a database dump never contains a usable state.
import { randomToken, sha256Hex } from "../crypto.ts";
import type { Tx } from "../db.ts";
import type { ProviderId } from "./types.ts";

export const STATE_TTL_MINUTES = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN = /^[A-Za-z0-9_-]{43}$/; // 32 bytes, base64url, unpadded

export interface NewState {
  /** what goes into the authorization URL */
  param: string;
  /** what goes into the database */
  hash: string;
}

export async function createState(teamId: string): Promise<NewState> {
  const token = randomToken(32);
  return { param: `${teamId}:${token}`, hash: await sha256Hex(token) };
}

/**
 * A one-time secret and its sha256: the `confirm` secret (start response -> the initiating app only) and the
 * `pending` id (callback -> the browser that finished the consent only). 256 random bits, base64url.
 */
export async function createSecret(): Promise<{ value: string; hash: string }> {
  const value = randomToken(32);
  return { value, hash: await sha256Hex(value) };
}

/** The shape of createSecret().value: anything else is refused before any lookup. */
export const SECRET_PATTERN = TOKEN;

/** null for anything that is not exactly `<uuid>:<43 base64url chars>`: no database lookup for junk. */
export function parseState(param: string | null): { teamId: string; token: string } | null {
  if (!param) return null;
  const separator = param.indexOf(":");
  if (separator < 0) return null;
  const teamId = param.slice(0, separator);
  const token = param.slice(separator + 1);
  return UUID.test(teamId) && TOKEN.test(token) ? { teamId: teamId.toLowerCase(), token } : null;
}

export interface ConsumedState {
  integrationId: string;
  teamId: string;
  userId: string | null;
  redirectUri: string | null;
  codeVerifierEncrypted: string | null;
  /** sha256 of the start response's confirm secret; null for a start that cannot be confirmed */
  confirmHash: string | null;
  /** false when the state matched but had expired: it is consumed all the same */
  fresh: boolean;
}

/**
 * Consume a state exactly once. The row must belong to this provider AND to the team named in the state, so a
 * state replayed, swapped to another team or delivered to another provider's callback matches nothing. Expired
 * states are consumed too (and reported as such) so they cannot linger. The WHERE on the target row is
 * re-evaluated under the row lock, so of two concurrent callbacks only one gets the row.
 */
export async function consumeState(
  tx: Tx,
  provider: ProviderId,
  teamId: string,
  token: string,
): Promise<ConsumedState | null> {
  const hash = await sha256Hex(token);
  const rows = await tx<{
    id: string;
    team_id: string;
    user_id: string | null;
    redirect_uri: string | null;
    code_verifier: string | null;
    confirm_hash: string | null;
    fresh: boolean;
  }[]>`
    update public.team_integrations t
       set oauth_state_hash = null,
           oauth_state_expires_at = null,
           oauth_code_verifier_encrypted = null,
           oauth_confirm_hash = null
      from (select id, oauth_state_expires_at, oauth_code_verifier_encrypted, oauth_confirm_hash
              from public.team_integrations
             where provider = ${provider} and team_id = ${teamId} and oauth_state_hash = ${hash}) old
     where t.id = old.id and t.oauth_state_hash = ${hash}
     returning t.id, t.team_id, t.oauth_state_user_id as user_id, t.oauth_redirect_uri as redirect_uri,
               old.oauth_code_verifier_encrypted as code_verifier, old.oauth_confirm_hash as confirm_hash,
               coalesce(old.oauth_state_expires_at > now(), false) as fresh`;
  const row = rows[0];
  if (!row) return null;
  return {
    integrationId: row.id,
    teamId: row.team_id,
    userId: row.user_id,
    redirectUri: row.redirect_uri,
    codeVerifierEncrypted: row.code_verifier,
    confirmHash: row.confirm_hash,
    fresh: row.fresh,
  };
}
