-- The Fathom webhook becomes an inbox: a verified delivery is stored as it arrived (deduplicated on its webhook-id
-- and recording), acknowledged at once, and imported right after; what a crash leaves behind is imported by the
-- every-minute fathom-sync. Nothing acknowledged is lost: the row is the durable copy until it is imported.
--
--   status 'received'  stored, to import (again after next_attempt_at when an attempt failed)
--          'imported'  the meeting is written (body cleared: the meeting row holds the data now)
--          'failed'    gave up after the attempt limit, or the body is not a meeting; last_error says why
-- Rows from before this migration were imported synchronously: they are 'imported'.

alter table public.webhook_deliveries
  add column status text not null default 'imported' check (status in ('received', 'imported', 'failed')),
  add column body text,
  add column attempts integer not null default 0 check (attempts >= 0),
  add column last_error text check (last_error is null or char_length(last_error) <= 500),
  add column next_attempt_at timestamptz,
  add column locked_until timestamptz,
  add column processed_at timestamptz,
  add column meeting_id uuid references public.meetings (id) on delete set null;

alter table public.webhook_deliveries alter column status set default 'received';

-- the work queue of the every-minute sweep
create index webhook_deliveries_due_idx on public.webhook_deliveries (next_attempt_at nulls first)
  where status = 'received';
create index webhook_deliveries_failed_idx on public.webhook_deliveries (team_id, received_at desc)
  where status = 'failed';

grant update on public.webhook_deliveries to service_role;

-- A second delivery of a recording is a duplicate only while the first one is waiting or imported: once the first
-- has failed (its import was given up on), a new delivery of that recording is stored and imported.
drop index public.webhook_deliveries_recording_idx;
create unique index webhook_deliveries_recording_idx on public.webhook_deliveries (integration_id, recording_id)
  where recording_id is not null and status <> 'failed';

-- A meeting whose content Fathom has not finished (a summary not ready yet) is asked again after a pause, not in a
-- loop that spends the rate limit.
alter table public.meetings add column content_retry_after timestamptz;

comment on column public.meetings.content_retry_after is
  'Pending content: not fetched again before this instant (Fathom answered a section as not ready, or failed).';

-- the every-minute content sweep (fathom-sync): pending meetings whose pause has passed
create index meetings_content_due_idx on public.meetings (content_retry_after nulls first)
  where content_status = 'pending';
