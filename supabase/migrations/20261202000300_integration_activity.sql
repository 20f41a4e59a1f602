-- Integration activity (issue 10): what an integration did, readable by the team's members through RLS.
--
-- 1. integration_sync_runs: one row per "Import past meetings" run, the last RUNS_KEPT (20) per integration.
--    integration_syncs holds one row per integration that a new import resets, and integration_events carries
--    per-meeting facts only (no run start, end or counts), so the history cannot be derived: it is written by a
--    trigger on integration_syncs, hence in the same transaction as every state change (backfill-state.ts's
--    transitions, present and future), never by a second writer. A run is identified by its started_at (a new
--    import sets started_at = now(); a resume keeps it). Lease renewals change nothing a person sees and write
--    nothing here. last_error is the run's latest problem and stays after a resume completes the run.
-- 2. webhook_deliveries: an opaque id (the provider's message id is not shown; the route id never was), the
--    duplicates received for a delivery (Fathom retries a message it thinks failed; the same recording sent again),
--    and column grants + a policy so members read the delivery's outcome, never its body.

create table public.integration_sync_runs (
  id uuid primary key default gen_random_uuid(),
  integration_id uuid not null references public.team_integrations (id) on delete cascade,
  team_id uuid not null references public.teams (id) on delete cascade,
  started_at timestamptz not null,
  finished_at timestamptz,
  status text not null
    check (status in ('idle', 'running', 'completed', 'failed', 'paused_rate_limited')),
  stage text not null check (stage in ('list', 'content', 'done')),
  -- null: the whole history; else the run listed meetings created after this instant (an incremental import)
  list_created_after timestamptz,
  listed_count integer not null default 0,
  linked_count integer not null default 0,
  content_total integer not null default 0,
  content_done integer not null default 0,
  content_failed integer not null default 0,
  last_error text,
  last_error_at timestamptz,
  updated_at timestamptz not null default now(),
  unique (integration_id, started_at)
);
create index integration_sync_runs_team_idx on public.integration_sync_runs (team_id, integration_id, started_at desc);

create function private.record_sync_run() returns trigger
language plpgsql security definer set search_path = ''
as $$
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

  insert into public.integration_sync_runs as r (integration_id, team_id, started_at, finished_at, status, stage,
    list_created_after, listed_count, linked_count, content_total, content_done, content_failed, last_error,
    last_error_at)
  values (new.integration_id, new.team_id, new.started_at, new.finished_at, new.status, new.stage,
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
     where r.integration_id = new.integration_id
       and r.id not in (select k.id from public.integration_sync_runs k
                         where k.integration_id = new.integration_id
                         order by k.started_at desc limit 20);
  end if;
  return new;
end
$$;

create trigger integration_syncs_record_run after insert or update on public.integration_syncs
  for each row execute function private.record_sync_run();

revoke all on function private.record_sync_run() from public;

-- the run in progress today (if any) starts the history
insert into public.integration_sync_runs (integration_id, team_id, started_at, finished_at, status, stage,
  list_created_after, listed_count, linked_count, content_total, content_done, content_failed, last_error,
  last_error_at)
select integration_id, team_id, started_at, finished_at, status, stage, list_created_after, listed_count,
       linked_count, content_total, content_done, content_failed, last_error, last_error_at
  from public.integration_syncs where started_at is not null
on conflict (integration_id, started_at) do nothing;

revoke all on public.integration_sync_runs from anon, authenticated, service_role;
grant select on public.integration_sync_runs to service_role, authenticated;
alter table public.integration_sync_runs enable row level security;

create policy "integration_sync_runs: members read" on public.integration_sync_runs
  for select to authenticated
  using (private.is_team_member(team_id));

-- ---------------------------------------------------------------------------------------------------------------
-- webhook_deliveries: what members may see of a delivery

alter table public.webhook_deliveries
  add column id uuid not null default gen_random_uuid(),
  add column duplicate_count integer not null default 0 check (duplicate_count >= 0),
  add column last_duplicate_at timestamptz;

create unique index webhook_deliveries_id_idx on public.webhook_deliveries (id);
create index webhook_deliveries_team_received_idx on public.webhook_deliveries (team_id, received_at desc);

-- never body (the raw delivery) nor webhook_message_id (the provider's id); the route id lives elsewhere
grant select (id, team_id, integration_id, provider, recording_id, received_at, status, attempts, last_error,
              processed_at, meeting_id, duplicate_count, last_duplicate_at)
  on public.webhook_deliveries to authenticated;

create policy "webhook_deliveries: members read" on public.webhook_deliveries
  for select to authenticated
  using (private.is_team_member(team_id));
