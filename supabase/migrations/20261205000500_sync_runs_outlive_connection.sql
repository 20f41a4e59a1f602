-- A team's import history outlives a disconnect (review 12c, newcomer finding 5): integration_sync_runs cascaded
-- with its connection, so "Import history" started again from nothing after a reconnect. Each run now names its
-- provider and keeps its row when the connection goes (integration_id set null: "an earlier connection"); the
-- activity reads a team's runs by provider (activity/read.ts). RLS is unchanged: members of the run's team read it.
-- The 20 newest runs are kept per team and provider (was: per connection, which a gone connection never trimmed).
--
-- Webhook deliveries are NOT kept the same way: their rows are the inbox itself (keyed and deduplicated by
-- connection, retried through it, bodies holding the provider's download tokens until imported), so they still go
-- with their connection.

alter table public.integration_sync_runs add column provider text;
update public.integration_sync_runs r set provider = i.provider
  from public.team_integrations i where i.id = r.integration_id;
alter table public.integration_sync_runs alter column provider set not null;
alter table public.integration_sync_runs
  add constraint integration_sync_runs_provider_check check (char_length(provider) between 1 and 40);

alter table public.integration_sync_runs alter column integration_id drop not null;
alter table public.integration_sync_runs drop constraint integration_sync_runs_integration_id_fkey;
alter table public.integration_sync_runs add constraint integration_sync_runs_integration_id_fkey
  foreign key (integration_id) references public.team_integrations (id) on delete set null;

create index integration_sync_runs_team_provider_idx
  on public.integration_sync_runs (team_id, provider, started_at desc);

create or replace function private.record_sync_run() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_provider text;
begin
  if new.started_at is null then
    return new;
  end if;
  if tg_op = 'UPDATE'
     and (old.started_at, old.status, old.stage, old.listed_count, old.linked_count, old.content_total,
          old.content_done, old.content_failed, old.last_error, old.finished_at, old.list_created_after)
         is not distinct from
         (new.started_at, new.status, new.stage, new.listed_count, new.linked_count, new.content_total,
          new.content_done, new.content_failed, new.last_error, new.finished_at, new.list_created_after) then
    return new; -- a lease taken, renewed or given back
  end if;

  select i.provider into v_provider from public.team_integrations i where i.id = new.integration_id;
  if v_provider is null then
    return new; -- the connection is being removed: nothing to record
  end if;

  insert into public.integration_sync_runs as r (integration_id, team_id, provider, started_at, finished_at, status,
    stage, list_created_after, listed_count, linked_count, content_total, content_done, content_failed, last_error,
    last_error_at)
  values (new.integration_id, new.team_id, v_provider, new.started_at, new.finished_at, new.status, new.stage,
    new.list_created_after, new.listed_count, new.linked_count, new.content_total, new.content_done,
    new.content_failed, new.last_error, new.last_error_at)
  on conflict (integration_id, started_at) do update set
    finished_at = excluded.finished_at,
    status = excluded.status,
    stage = excluded.stage,
    list_created_after = excluded.list_created_after,
    listed_count = excluded.listed_count,
    linked_count = excluded.linked_count,
    content_total = excluded.content_total,
    content_done = excluded.content_done,
    content_failed = excluded.content_failed,
    last_error = coalesce(excluded.last_error, r.last_error),
    last_error_at = coalesce(excluded.last_error_at, r.last_error_at),
    updated_at = now();

  if tg_op = 'INSERT' or old.started_at is distinct from new.started_at then
    delete from public.integration_sync_runs r
     where r.team_id = new.team_id and r.provider = v_provider
       and r.id not in (select k.id from public.integration_sync_runs k
                         where k.team_id = new.team_id and k.provider = v_provider
                         order by k.started_at desc limit 20);
  end if;
  return new;
end
$$;

revoke all on function private.record_sync_run() from public;
