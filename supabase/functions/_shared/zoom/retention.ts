// What the CRM keeps when a recording is removed at Zoom or the app is removed (attacker review 12, note 8a;
// docs/security.md "Zoom: deleted recordings and removed apps").
// - recording.deleted / recording.trashed: the meeting's transcript and its links to Zoom (url, share_url) are
//   removed; the meeting row, its participants and its lead links stay (the team's record that the call happened),
//   its content marked failed with `deleted_at_provider` and `provider_deleted_at` set: the meeting page says
//   "Deleted in Zoom on <date>". The deletion is also kept in provider_deletions (migration 20261205000100), even
//   when the team has no meeting for it yet (the deletion came first, or while its recording.completed was still
//   downloading): the meetings upsert (meetings/store.ts) reads it, so no later event, retry or past-recordings import
//   stores content for the recording, whatever the order. Both writers hold the meeting's advisory lock
//   (lockMeetingKeys), so a deletion cannot slip between the upsert's read and its commit.
// - recording.recovered (Zoom restores a trashed recording, within 30 days): the deletion is cleared
//   (clearDeletedRecording) and the recording imported again through the same path as recording.completed
//   (zoom/inbox.ts, which fetches it with GET /meetings/{uuid}/recordings).
// - app_deauthorized: the connection's tokens are deleted and it becomes needs_reauth with last_error
//   `deauthorized` (the dialog then says so and offers Reconnect), with a `zoom.integration.deauthorized` event;
//   imported meetings stay, like after a disconnect.
import type { Tx } from "../db.ts";
import { DELETED_AT_PROVIDER, lockMeetingKeys } from "../meetings/store.ts";

export { DELETED_AT_PROVIDER };

/**
 * Apply a recording's deletion at Zoom (team, zoom, meeting uuid): record it (provider_deletions, the first time
 * kept) and clear the team's meeting when there is one. Returns the meeting's id, or null when the team has no such
 * meeting yet (the deletion is kept for the import that may come later).
 */
export async function removeDeletedRecording(tx: Tx, teamId: string, uuid: string): Promise<string | null> {
  await lockMeetingKeys(tx, teamId, "zoom", [uuid]);
  await tx`insert into public.provider_deletions (team_id, provider, provider_meeting_id)
           values (${teamId}, 'zoom', ${uuid}) on conflict do nothing`;
  const [row] = await tx<{ id: string }[]>`
    update public.meetings set transcript = null, url = null, share_url = null,
           content_status = 'failed', content_last_error = ${DELETED_AT_PROVIDER}, content_retry_after = null,
           provider_deleted_at = coalesce(provider_deleted_at, now()), updated_at = now()
     where team_id = ${teamId} and provider = 'zoom' and provider_meeting_id = ${uuid}
    returning id`;
  return row?.id ?? null;
}

/**
 * Zoom restored the recording (recording.recovered): the deletion is forgotten and the meeting's content goes back
 * to pending (its removed transcript and links come back with the import that follows, in the same transaction).
 * Returns the meeting's id, or null when the team has none.
 */
export async function clearDeletedRecording(tx: Tx, teamId: string, uuid: string): Promise<string | null> {
  await lockMeetingKeys(tx, teamId, "zoom", [uuid]);
  await tx`delete from public.provider_deletions where team_id = ${teamId} and provider = 'zoom' and provider_meeting_id = ${uuid}`;
  const [row] = await tx<{ id: string }[]>`
    update public.meetings set provider_deleted_at = null, content_status = 'pending', content_last_error = null,
           updated_at = now()
     where team_id = ${teamId} and provider = 'zoom' and provider_meeting_id = ${uuid} and provider_deleted_at is not null
    returning id`;
  return row?.id ?? null;
}

/** True when Zoom told us this recording was deleted (on its meeting, or before the meeting was stored). */
export async function isDeletedRecording(tx: Tx, teamId: string, uuid: string): Promise<boolean> {
  const rows = await tx`
    select 1 from public.meetings
     where team_id = ${teamId} and provider = 'zoom' and provider_meeting_id = ${uuid} and provider_deleted_at is not null
    union all
    select 1 from public.provider_deletions where team_id = ${teamId} and provider = 'zoom' and provider_meeting_id = ${uuid}`;
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
