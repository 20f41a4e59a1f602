-- Issue 12, attacker review 12c finding 1: a recording.recovered imported after a newer trash undid the trash (a
-- recovery in backoff, an admin's Retry, Zoom's out-of-order event_ts, a trash processed while the recovery was
-- downloading). provider_deletions now keeps, per (team, provider, recording), the NEWEST lifecycle event Zoom told
-- us of, ordered by Zoom's own event_ts (event_at; receipt time when an event has none):
--   deleted = true   the recording is deleted or trashed at the provider (as before);
--   deleted = false  it was recovered (the row stays, so an older trash delivered later is known to be stale).
-- A deletion or a recovery older than event_at is ignored (zoom/retention.ts, under the meeting's advisory lock).
-- The meetings upsert (meetings/store.ts) treats only deleted = true as deleted.
alter table public.provider_deletions
  add column deleted boolean not null default true,
  add column event_at timestamptz;

update public.provider_deletions set event_at = deleted_at where event_at is null;

alter table public.provider_deletions
  alter column event_at set not null,
  alter column event_at set default now();
