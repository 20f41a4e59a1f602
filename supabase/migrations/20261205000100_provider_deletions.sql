-- Issue 12, attacker review 12b finding 1: a recording deleted at the provider before (or while) the CRM imports it.
-- The deletion is kept here even when the team has no meeting for it yet, so the import that comes after (a retried
-- recording.completed, a transcript_completed, the past-recordings import) stores no content for it
-- (meetings/store.ts reads this table in its upsert). A table of its own rather than a content-less meetings row: a
-- meetings row would show in the meeting lists and fire the meeting triggers (automations) for a call nobody
-- imported. Service only: nothing here is for the browser (the meeting row says provider_deleted_at).
create table public.provider_deletions (
  team_id uuid not null references public.teams (id) on delete cascade,
  provider text not null check (char_length(provider) between 1 and 40),
  provider_meeting_id text not null check (char_length(provider_meeting_id) between 1 and 500),
  deleted_at timestamptz not null default now(),
  primary key (team_id, provider, provider_meeting_id)
);

revoke all on public.provider_deletions from anon, authenticated, service_role;
grant select, insert, update, delete on public.provider_deletions to service_role;
alter table public.provider_deletions enable row level security;
