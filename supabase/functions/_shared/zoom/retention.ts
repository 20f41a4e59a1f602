// What the CRM keeps when a recording is removed at Zoom or the app is removed (attacker review 12, note 8a;
// docs/security.md "Zoom: deleted recordings and removed apps").
// - recording.deleted / recording.trashed: the meeting's transcript and its links to Zoom (url, share_url) are
//   removed; the meeting row, its participants and its lead links stay (the team's record that the call happened),
//   its content marked failed with `deleted_at_provider` and `provider_deleted_at` set: the meeting page says
//   "Deleted in Zoom on <date>". A later event for the same recording (a transcript_completed that was already on its
//   way) stores nothing: a deletion is final here (recording.recovered is not handled).
// - app_deauthorized: the connection's tokens are deleted and it becomes needs_reauth with last_error
//   `deauthorized` (the dialog then says so and offers Reconnect), with a `zoom.integration.deauthorized` event;
//   imported meetings stay, like after a disconnect.
import type { Tx } from "../db.ts";

export const DELETED_AT_PROVIDER = "deleted_at_provider";

/**
 * Apply a recording's deletion at Zoom to the team's meeting (team, zoom, meeting uuid). Returns the meeting's id,
 * or null when the team has no such meeting (nothing to remove; the deletion is still recorded on the delivery).
 */
export async function removeDeletedRecording(tx: Tx, teamId: string, uuid: string): Promise<string | null> {
  const [row] = await tx<{ id: string }[]>`
    update public.meetings set transcript = null, url = null, share_url = null,
           content_status = 'failed', content_last_error = ${DELETED_AT_PROVIDER}, content_retry_after = null,
           provider_deleted_at = coalesce(provider_deleted_at, now()), updated_at = now()
     where team_id = ${teamId} and provider = 'zoom' and provider_meeting_id = ${uuid}
    returning id`;
  return row?.id ?? null;
}

/** True when Zoom told us this recording was deleted: nothing more is stored for it. */
export async function isDeletedRecording(tx: Tx, teamId: string, uuid: string): Promise<boolean> {
  const rows = await tx`
    select 1 from public.meetings
     where team_id = ${teamId} and provider = 'zoom' and provider_meeting_id = ${uuid} and provider_deleted_at is not null`;
  return rows.length > 0;
}

/**
 * The connection's grant is gone at Zoom (checked by the caller): its tokens deleted, needs_reauth with
 * `deauthorized`, one event (idempotent per delivery). Returns whether a connection was changed.
 */
export async function markDeauthorized(tx: Tx, integrationId: string, messageId: string): Promise<boolean> {
  const [row] = await tx<{ team_id: string }[]>`
    update public.team_integrations set status = 'needs_reauth', last_error = 'deauthorized', last_error_at = now(),
           access_token_encrypted = null, refresh_token_encrypted = null, token_expires_at = null, updated_at = now()
     where id = ${integrationId} and provider = 'zoom'
    returning team_id`;
  if (!row) return false;
  await tx`insert into public.integration_events (team_id, integration_id, provider, type, subject_type, subject_id,
                                                  payload, idempotency_key)
           values (${row.team_id}, ${integrationId}, 'zoom', 'zoom.integration.deauthorized', 'integration',
                   ${integrationId}, ${tx.json({ reason: "deauthorized" })},
                   ${`zoom.integration.deauthorized:${integrationId}:${messageId}`})
           on conflict (team_id, idempotency_key) where idempotency_key is not null do nothing`;
  return true;
}
