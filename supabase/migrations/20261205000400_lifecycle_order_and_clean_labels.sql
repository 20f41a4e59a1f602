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

-- Attacker review 12c, finding 2: the delivery label's SQL cleaning (private.clean_delivery_label) kept the tails
-- of terminal escape sequences ("[31m", an OSC-8 link's URL) and invisible fillers (U+3164, U+2800, U+115F), unlike
-- the one cleaning docs/security.md promises for every provider name (_shared/display-name.ts). The label and the
-- subject key are now written by the acknowledgements themselves (zoom/webhook.ts, typeform/webhook.ts), from the
-- body they parse anyway, the label cleaned by display-name.ts cleanTitle; the trigger and its SQL cleaning go (the
-- acknowledgement no longer parses the body a second time in SQL). Labels already stored keep their old cleaning.
drop trigger webhook_deliveries_label on public.webhook_deliveries;
drop function private.webhook_deliveries_label();
drop function private.clean_delivery_label(text);
