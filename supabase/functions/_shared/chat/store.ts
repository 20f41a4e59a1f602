// A chat integration's destination in the database (migration 20261201000100_chat_destinations.sql): read it, mark
// it gone, note a test message. Each is one short service-role transaction; no connection is held while posting.
import { asService, type Tx } from "../db.ts";

/** What the team may see of a destination (team_integrations.destination); never the URL. */
export interface Destination {
  channel: string | null;
  channelId: string | null;
  workspace: string | null;
  workspaceId: string | null;
}

export interface StoredDestination {
  integrationId: string;
  status: "disconnected" | "connected" | "needs_reauth" | "error";
  lastError: string | null;
  destination: Destination | null;
  /** AES-GCM ciphertext of the destination's secret JSON (crypto.ts); a fresh one per connect (random IV) */
  secretEncrypted: string | null;
}

/** The team's integration with `provider` and its destination, or null when there is none. */
export async function readDestination(teamId: string, provider: string): Promise<StoredDestination | null> {
  const rows = await asService((tx) =>
    tx<{ id: string; status: StoredDestination["status"]; last_error: string | null; destination: Destination | null;
         destination_secret_encrypted: string | null }[]>`
      select id, status, last_error, destination, destination_secret_encrypted
        from public.team_integrations where team_id = ${teamId} and provider = ${provider}`
  );
  const row = rows[0];
  if (!row) return null;
  return {
    integrationId: row.id,
    status: row.status,
    lastError: row.last_error,
    destination: row.destination,
    secretEncrypted: row.destination_secret_encrypted,
  };
}

/**
 * The destination that was posted to is gone: the integration needs a reconnect (status needs_reauth, last_error
 * destination_gone) and an `<provider>.integration.destination_gone` event says why (`reason`: the provider's short
 * code). Only when the row still holds that very destination (same ciphertext): a reconnect that stored a new
 * channel meanwhile is left alone; one already marked is not marked (nor evented) again. True when the row was
 * marked.
 */
export async function markDestinationGone(
  teamId: string,
  provider: string,
  stored: StoredDestination,
  reason: string,
): Promise<boolean> {
  return await asService(async (tx) => {
    const marked = await tx`
      update public.team_integrations
         set status = 'needs_reauth', last_error = 'destination_gone', last_error_at = now()
       where id = ${stored.integrationId} and destination_secret_encrypted is not distinct from ${stored.secretEncrypted}
         -- marked once: a storm of concurrent "gone" answers for this destination records one event
         and not (status = 'needs_reauth' and last_error is not distinct from 'destination_gone')
      returning id`;
    if (marked.length === 0) return false;
    await recordEvent(tx, teamId, provider, stored.integrationId, "destination_gone", { reason });
    return true;
  });
}

/**
 * Notes that `sentBy` (a user id) sent a test message (`<provider>.integration.test_message_sent`) and returns the
 * destination it went to, as the team sees it.
 */
export async function recordTestMessageSent(
  teamId: string,
  provider: string,
  sentBy: string,
): Promise<Destination | null> {
  return await asService(async (tx) => {
    const rows = await tx<{ id: string; destination: Destination | null }[]>`
      select id, destination from public.team_integrations where team_id = ${teamId} and provider = ${provider}`;
    if (!rows[0]) return null; // disconnected since: the message went out all the same
    await recordEvent(tx, teamId, provider, rows[0].id, "test_message_sent", { sent_by: sentBy });
    return rows[0].destination;
  });
}

async function recordEvent(
  tx: Tx,
  teamId: string,
  provider: string,
  integrationId: string,
  what: "destination_gone" | "test_message_sent",
  payload: Record<string, string>,
): Promise<void> {
  // the type follows the existing `<provider>.integration.needs_reauth` (oauth/refresh.ts)
  await tx`insert into public.integration_events (team_id, integration_id, provider, type, subject_type, subject_id,
                                                  payload)
           values (${teamId}, ${integrationId}, ${provider}, ${`${provider}.integration.${what}`}, 'integration',
                   ${integrationId}, ${tx.json(payload)})`;
}
