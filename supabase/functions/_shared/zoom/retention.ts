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
// - Order (attacker review 12c, finding 1): deletions and recoveries of one recording apply in Zoom's event_ts
//   order, whatever order they are processed in (Zoom's retries, our backoff, an admin's Retry, a trash processed
//   while a recovery downloads): provider_deletions keeps the newest one (deleted true/false, event_at), and an
//   older one is ignored, recorded as a `zoom.recording.stale_event_ignored` integration event. An event without
//   event_ts counts as of its receipt (webhook_deliveries.received_at).
// - app_deauthorized: the connection's tokens are deleted and it becomes needs_reauth with last_error
//   `deauthorized` (the dialog then says so and offers Reconnect), with a `zoom.integration.deauthorized` event;
//   imported meetings stay, like after a disconnect.
import type { Tx } from "../db.ts";
import { DELETED_AT_PROVIDER, lockMeetingKeys } from "../meetings/store.ts";

export { DELETED_AT_PROVIDER };

/**
 * One lifecycle event of a recording (recording.deleted / trashed / recovered) as the inbox claimed it: the team,
 * the recording's uuid, Zoom's event_ts (epoch ms) or null, and the delivery (its received_at stands in for a
 * missing event_ts: the order is then the order of receipt).
 */
export interface LifecycleEvent {
  teamId: string;
  uuid: string;
  eventTs: number | null;
  integrationId: string;
  messageId: string;
}

/** What a lifecycle event did: applied, or ignored because Zoom told us of a newer one first (stale). */
export interface LifecycleOutcome {
  applied: boolean;
  meetingId: string | null;
}

/**
 * Record a lifecycle event as the recording's newest state (provider_deletions: deleted + event_at, migration
 * 20261205000400) unless the stored one is newer; ties apply (a retry of the same event changes nothing). Holds the
 * meeting's advisory lock (lockMeetingKeys) for the rest of the caller's transaction, so the meetings upsert and the
 * other lifecycle events of this recording wait for it. A stale event is recorded as a
 * `zoom.recording.stale_event_ignored` integration event (idempotent per delivery). Returns whether it applied.
 */
async function recordLifecycle(tx: Tx, ev: LifecycleEvent, deleted: boolean): Promise<boolean> {
  await lockMeetingKeys(tx, ev.teamId, "zoom", [ev.uuid]);
  const eventAt = ev.eventTs === null ? null : new Date(Math.min(ev.eventTs, MAX_EVENT_MS)).toISOString();
  const applied = await tx`
    insert into public.provider_deletions as d (team_id, provider, provider_meeting_id, deleted, event_at)
    values (${ev.teamId}, 'zoom', ${ev.uuid}, ${deleted},
            coalesce(${eventAt}::timestamptz,
                     (select received_at from public.webhook_deliveries
                       where integration_id = ${ev.integrationId} and webhook_message_id = ${ev.messageId}),
                     now()))
    on conflict (team_id, provider, provider_meeting_id) do update
      set deleted = excluded.deleted, event_at = excluded.event_at,
          -- when the recording was first seen deleted, kept across repeats of a deletion
          deleted_at = case when d.deleted and excluded.deleted then d.deleted_at else now() end
      where d.event_at <= excluded.event_at
    returning 1`;
  if (applied.length > 0) return true;
  const [newer] = await tx<{ deleted: boolean; event_at: Date }[]>`
    select deleted, event_at from public.provider_deletions
     where team_id = ${ev.teamId} and provider = 'zoom' and provider_meeting_id = ${ev.uuid}`;
  await tx`insert into public.integration_events (team_id, integration_id, provider, type, subject_type, subject_id,
                                                  payload, idempotency_key)
           values (${ev.teamId}, ${ev.integrationId}, 'zoom', 'zoom.recording.stale_event_ignored', 'zoom_recording',
                   ${ev.uuid},
                   ${tx.json({ event: deleted ? "deleted" : "recovered", event_ts: ev.eventTs, newer: newer?.deleted ? "deleted" : "recovered", newer_at: newer?.event_at?.toISOString?.() ?? null })},
                   ${`zoom.recording.stale_event_ignored:${ev.integrationId}:${ev.messageId}`})
           on conflict (team_id, idempotency_key) where idempotency_key is not null do nothing`;
  return false;
}

/** Zoom's event_ts beyond this (year 9999) is clamped: JS dates and timestamptz both hold it. */
const MAX_EVENT_MS = Date.UTC(9999, 11, 31);

/**
 * Apply a recording's deletion at Zoom (team, zoom, meeting uuid): record it (provider_deletions, deleted = true)
 * and clear the team's meeting when there is one, unless Zoom told us of a newer recovery first (then nothing
 * changes: see recordLifecycle). The deletion is kept even when the team has no meeting yet (for the import that may
 * come later). meetingId: the cleared meeting's id, or null (no such meeting, or the deletion was stale).
 */
export async function removeDeletedRecording(tx: Tx, ev: LifecycleEvent): Promise<LifecycleOutcome> {
  if (!(await recordLifecycle(tx, ev, true))) return { applied: false, meetingId: null };
  const [row] = await tx<{ id: string }[]>`
    update public.meetings set transcript = null, url = null, share_url = null,
           content_status = 'failed', content_last_error = ${DELETED_AT_PROVIDER}, content_retry_after = null,
           provider_deleted_at = coalesce(provider_deleted_at, now()), updated_at = now()
     where team_id = ${ev.teamId} and provider = 'zoom' and provider_meeting_id = ${ev.uuid}
    returning id`;
  return { applied: true, meetingId: row?.id ?? null };
}

/**
 * Zoom restored the recording (recording.recovered): unless a newer deletion was recorded (by now: this runs in
 * the store step, under the meeting's lock, after the recovery's downloads), the recording's state becomes
 * recovered (provider_deletions.deleted = false, kept so an older trash delivered later is ignored) and the
 * meeting's content goes back to pending (its transcript and links come back with the import that follows, in the
 * same transaction). applied false: the caller stores nothing.
 */
export async function clearDeletedRecording(tx: Tx, ev: LifecycleEvent): Promise<LifecycleOutcome> {
  if (!(await recordLifecycle(tx, ev, false))) return { applied: false, meetingId: null };
  const [row] = await tx<{ id: string }[]>`
    update public.meetings set provider_deleted_at = null, content_status = 'pending', content_last_error = null,
           updated_at = now()
     where team_id = ${ev.teamId} and provider = 'zoom' and provider_meeting_id = ${ev.uuid} and provider_deleted_at is not null
    returning id`;
  return { applied: true, meetingId: row?.id ?? null };
}

/** True when Zoom's newest word on this recording is a deletion (on its meeting, or before the meeting was stored). */
export async function isDeletedRecording(tx: Tx, teamId: string, uuid: string): Promise<boolean> {
  const rows = await tx`
    select 1 from public.meetings
     where team_id = ${teamId} and provider = 'zoom' and provider_meeting_id = ${uuid} and provider_deleted_at is not null
    union all
    select 1 from public.provider_deletions
     where team_id = ${teamId} and provider = 'zoom' and provider_meeting_id = ${uuid} and deleted`;
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
