-- "Import past meetings" survives an unstable listing and a database that goes away.
--
-- 1. Fathom's meeting list is not a stable snapshot: meetings recorded while an import pages through it can be
--    skipped (a keyset cursor is already past the newest ones) or shift pages (page numbers re-read the item at a
--    page boundary). When the main listing ends the import lists once more, meetings created after
--    list_sweep_after (this import's start minus an overlap), before the content stage. The recording ids an import
--    has listed are kept while it lists, so listed_count counts distinct meetings however often the listing shows
--    one; they are deleted when the listing ends.
-- 2. A transient failure (database or Fathom unavailable) that exhausted a step's retries leaves the import
--    'failed'; the every-minute fathom-sync resumes it after a growing backoff from last_error_at, at most a few
--    times in a row. auto_resumes counts those resumes since the last progress.

alter table public.integration_syncs
  add column list_sweep_after timestamptz,
  add column auto_resumes integer not null default 0 check (auto_resumes >= 0);

comment on column public.integration_syncs.list_sweep_after is
  'null while the main listing runs; then the final sweep lists meetings created after this instant.';
comment on column public.integration_syncs.auto_resumes is
  'Automatic resumes of this failed import (transient failures) since it last made progress.';

create table public.integration_sync_listed (
  integration_id uuid not null references public.integration_syncs (integration_id) on delete cascade,
  recording_id bigint not null,
  primary key (integration_id, recording_id)
);

comment on table public.integration_sync_listed is
  'Recording ids the running import has listed (for a distinct listed_count); emptied when its listing ends.';

revoke all on public.integration_sync_listed from anon, authenticated, service_role;
grant select, insert, delete on public.integration_sync_listed to service_role;
alter table public.integration_sync_listed enable row level security;   -- no policy: service_role only
