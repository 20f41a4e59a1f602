-- Leads, Fathom meetings, the append-only integration event log, webhook routing/dedupe and the backfill state
-- machine, with row-level security.
--
-- Same rules as the first migration: start every table from no privilege (Supabase grants everything in public by
-- default), grant exactly, enable RLS everywhere, and check membership through private.is_team_member /
-- private.is_team_admin. Edge functions import meetings and write sync state as service_role; clients only read
-- those, and write leads (a shared CRM: any member may create and edit; only admins delete).

-- ---------------------------------------------------------------------------------------------------------------
-- team_settings: one row per team (created with the team by a trigger, backfilled here for existing teams).

create table public.team_settings (
  team_id uuid primary key references public.teams (id) on delete cascade,
  -- When a Fathom meeting has an external attendee whose e-mail matches no lead, create a lead for them?
  create_leads_from_unknown_attendees boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create function private.create_team_settings() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.team_settings (team_id) values (new.id) on conflict (team_id) do nothing;
  return new;
end
$$;

create trigger teams_create_settings after insert on public.teams
  for each row execute function private.create_team_settings();

insert into public.team_settings (team_id) select id from public.teams on conflict (team_id) do nothing;

create trigger team_settings_touch before update on public.team_settings
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------------------------------------------
-- leads and their e-mails

create table public.leads (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 200),
  company text check (company is null or char_length(company) <= 200),
  stage text not null default 'new'
    check (stage in ('new', 'contacted', 'qualified', 'proposal', 'won', 'lost')),
  owner_id uuid references auth.users (id) on delete set null,
  notes text check (notes is null or char_length(notes) <= 20000),
  -- 'fathom': created by the importer from an unknown external attendee (team setting); never set by a client.
  source text not null default 'manual' check (source in ('manual', 'fathom')),
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- target of the composite foreign keys below: a child row can only point at a lead of its own team
  unique (id, team_id)
);
create index leads_team_created_idx on public.leads (team_id, created_at desc);
create index leads_team_name_idx on public.leads (team_id, lower(name));
create index leads_owner_idx on public.leads (owner_id) where owner_id is not null;

create trigger leads_touch before update on public.leads
  for each row execute function private.touch_updated_at();

-- One e-mail identifies at most one lead per team (case-insensitively): matching a Fathom invitee is one index
-- lookup on (team_id, email_normalized).
create table public.lead_emails (
  lead_id uuid not null,
  team_id uuid not null,
  email text not null
    check (char_length(email) <= 320 and btrim(email) ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
  email_normalized text generated always as (lower(btrim(email))) stored,
  created_at timestamptz not null default now(),
  primary key (lead_id, email_normalized),
  unique (team_id, email_normalized),
  foreign key (lead_id, team_id) references public.leads (id, team_id) on delete cascade
);

-- ---------------------------------------------------------------------------------------------------------------
-- team_integrations: webhook routing and refresh bookkeeping. Service-only columns: NOT granted to authenticated
-- and NOT in team_integrations_public. The route id is a capability (whoever knows it can reach the verifier for
-- this integration), so it is treated as a secret too; the webhook secret is AES-GCM ciphertext like the tokens.

alter table public.team_integrations
  add column webhook_id text,
  add column webhook_secret_encrypted text,
  add column webhook_route_id text
    check (webhook_route_id is null or webhook_route_id ~ '^[A-Za-z0-9_-]{32,128}$'),
  add column refresh_failure_count integer not null default 0 check (refresh_failure_count >= 0),
  add column last_refreshed_at timestamptz;

create unique index team_integrations_webhook_route_idx on public.team_integrations (webhook_route_id)
  where webhook_route_id is not null;

-- ---------------------------------------------------------------------------------------------------------------
-- meetings (Fathom recordings), keyed by team and recording_id

create table public.meetings (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  integration_id uuid references public.team_integrations (id) on delete set null,
  provider text not null default 'fathom' check (provider in ('fathom')),
  recording_id bigint not null,
  title text not null default '',
  meeting_title text,                       -- the calendar event's title
  url text,
  share_url text,
  fathom_created_at timestamptz,
  scheduled_start_time timestamptz,
  scheduled_end_time timestamptz,
  recording_start_time timestamptz,
  recording_end_time timestamptz,
  recorded_by jsonb,                        -- {name, email, email_domain, team}
  invitees jsonb not null default '[]'::jsonb check (jsonb_typeof(invitees) = 'array'),
  invitees_domains_type text check (invitees_domains_type in ('only_internal', 'one_or_more_external')),
  language text,
  -- pass 2 (content): null until fetched (or delivered by the webhook)
  transcript jsonb check (transcript is null or jsonb_typeof(transcript) = 'array'),
  summary_markdown text,
  summary_template text,
  action_items jsonb check (action_items is null or jsonb_typeof(action_items) = 'array'),
  content_status text not null default 'pending' check (content_status in ('pending', 'complete', 'failed')),
  content_attempts integer not null default 0 check (content_attempts >= 0),
  content_last_error text,
  content_fetched_at timestamptz,
  source text not null check (source in ('webhook', 'backfill')),
  search tsvector generated always as (
    to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(meeting_title, ''))
  ) stored,
  imported_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (team_id, recording_id),
  unique (id, team_id)
);
create index meetings_team_time_idx on public.meetings (team_id, recording_start_time desc nulls last);
create index meetings_team_title_idx on public.meetings (team_id, lower(title) text_pattern_ops);
create index meetings_search_idx on public.meetings using gin (search);
-- pass 2 work queue: meetings whose content is still to fetch
create index meetings_content_pending_idx on public.meetings (team_id, recording_start_time desc)
  where content_status = 'pending';
create index meetings_integration_idx on public.meetings (integration_id) where integration_id is not null;

create trigger meetings_touch before update on public.meetings
  for each row execute function private.touch_updated_at();

create table public.meeting_leads (
  meeting_id uuid not null,
  lead_id uuid not null,
  team_id uuid not null,
  matched_email text,                       -- normalized invitee e-mail that matched (null for a manual link)
  created_at timestamptz not null default now(),
  primary key (meeting_id, lead_id),
  foreign key (meeting_id, team_id) references public.meetings (id, team_id) on delete cascade,
  foreign key (lead_id, team_id) references public.leads (id, team_id) on delete cascade
);
create index meeting_leads_lead_idx on public.meeting_leads (lead_id);
create index meeting_leads_team_idx on public.meeting_leads (team_id);

-- ---------------------------------------------------------------------------------------------------------------
-- integration_events: append-only log that automations consume (in id order).
--
-- Append-only is enforced twice: no role gets UPDATE/DELETE/TRUNCATE (not even service_role), and a trigger
-- refuses UPDATE always and DELETE unless the event's team no longer exists. The one legitimate delete is the
-- ON DELETE CASCADE from public.teams: Postgres runs that referential action as the table owner (privileges do
-- not apply) after the team row is gone, so the trigger lets it through. integration_id deliberately has no
-- foreign key: an "on delete set null" would be an UPDATE of history, and events outlive a disconnect.
-- idempotency_key lets a writer that may retry (webhook + backfill of the same meeting) insert with
-- "on conflict do nothing" instead of emitting the same fact twice.

create table public.integration_events (
  id bigint generated always as identity primary key,
  team_id uuid not null references public.teams (id) on delete cascade,
  integration_id uuid,
  provider text not null,
  type text not null check (type ~ '^[a-z0-9_]+(\.[a-z0-9_]+)+$'),   -- e.g. fathom.meeting.imported
  subject_type text,                                                 -- e.g. meeting, lead
  subject_id text,
  payload jsonb not null default '{}'::jsonb,
  idempotency_key text,
  occurred_at timestamptz not null default now()
);
create index integration_events_team_id_idx on public.integration_events (team_id, id);
create index integration_events_team_type_idx on public.integration_events (team_id, type, id);
create index integration_events_subject_idx on public.integration_events (team_id, subject_type, subject_id);
create unique index integration_events_idempotency_idx on public.integration_events (team_id, idempotency_key)
  where idempotency_key is not null;

create function private.integration_events_append_only() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if tg_op = 'DELETE' and not exists (select 1 from public.teams t where t.id = old.team_id) then
    return old; -- the team is being deleted: its history goes with it
  end if;
  raise exception 'integration_events is append-only (% refused)', tg_op
    using errcode = 'insufficient_privilege';
end
$$;

create trigger integration_events_append_only before update or delete on public.integration_events
  for each row execute function private.integration_events_append_only();

-- ---------------------------------------------------------------------------------------------------------------
-- webhook_deliveries: dedupe of signed deliveries (service only).
-- Keyed per integration rather than globally on (provider, webhook-id): Fathom delivers through Svix, where one
-- message fanned out to two endpoints (two teams connecting the same Fathom account) keeps the same message id;
-- a global key would drop the second team's copy. A second delivery for the same recording is also a duplicate
-- (partial unique index), so one "insert ... on conflict do nothing" answers "seen before?" for both keys.

create table public.webhook_deliveries (
  integration_id uuid not null references public.team_integrations (id) on delete cascade,
  team_id uuid not null references public.teams (id) on delete cascade,
  provider text not null default 'fathom',
  webhook_message_id text not null check (char_length(webhook_message_id) between 1 and 200),
  recording_id bigint,
  received_at timestamptz not null default now(),
  primary key (integration_id, webhook_message_id)
);
create unique index webhook_deliveries_recording_idx on public.webhook_deliveries (integration_id, recording_id)
  where recording_id is not null;
create index webhook_deliveries_received_idx on public.webhook_deliveries (received_at);

-- ---------------------------------------------------------------------------------------------------------------
-- integration_syncs: the backfill state machine (Twenty's message channel: status, stage, stage started at,
-- cursor, failure count), one row per integration.
--   stage 'list'    pass 1: page through GET /meetings with `cursor`, upsert meetings, link leads
--   stage 'content' pass 2: transcripts and summaries, linked and recent meetings first (content_status queue)
--   stage 'done'
-- A worker takes the step lease with
--   update ... set locked_until = now() + interval '2 minutes', lease_token = gen_random_uuid()
--   where integration_id = $1 and (locked_until is null or locked_until < now()) returning lease_token
-- and checkpoints (cursor, counts) in the same transaction as the rows it imported, so a crash resumes without
-- duplicates. A stage whose stage_started_at is old while status = 'running' and the lease expired is stuck.

create table public.integration_syncs (
  integration_id uuid primary key references public.team_integrations (id) on delete cascade,
  team_id uuid not null references public.teams (id) on delete cascade,
  status text not null default 'idle'
    check (status in ('idle', 'running', 'completed', 'failed', 'paused_rate_limited')),
  stage text not null default 'list' check (stage in ('list', 'content', 'done')),
  stage_started_at timestamptz,
  cursor text,
  listed_count integer not null default 0 check (listed_count >= 0),
  linked_count integer not null default 0 check (linked_count >= 0),
  content_total integer not null default 0 check (content_total >= 0),
  content_done integer not null default 0 check (content_done >= 0),
  content_failed integer not null default 0 check (content_failed >= 0),
  failure_count integer not null default 0 check (failure_count >= 0),
  last_error text,
  last_error_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  last_synced_at timestamptz,
  resume_after timestamptz,                 -- paused_rate_limited: not before this (RateLimit-Reset)
  locked_until timestamptz,                 -- step lease
  lease_token uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index integration_syncs_team_idx on public.integration_syncs (team_id);

create trigger integration_syncs_touch before update on public.integration_syncs
  for each row execute function private.touch_updated_at();

revoke all on function private.create_team_settings(), private.integration_events_append_only() from public;

-- ---------------------------------------------------------------------------------------------------------------
-- Privileges: from nothing, then exactly.

revoke all on public.team_settings, public.leads, public.lead_emails, public.meetings, public.meeting_leads,
  public.integration_events, public.webhook_deliveries, public.integration_syncs
  from anon, authenticated, service_role;
revoke all on sequence public.integration_events_id_seq from anon, authenticated, service_role;

grant select, insert, update, delete on public.team_settings, public.leads, public.lead_emails, public.meetings,
  public.meeting_leads, public.integration_syncs to service_role;
grant select, insert, delete on public.webhook_deliveries to service_role;
grant select, insert on public.integration_events to service_role;   -- never update/delete/truncate
grant usage, select on sequence public.integration_events_id_seq to service_role;

-- team_settings: members read; admins flip the flag (only that column)
grant select on public.team_settings to authenticated;
grant update (create_leads_from_unknown_attendees) on public.team_settings to authenticated;

-- leads: members read, create and edit; admins delete. team_id is fixed after insert; source and created_by are
-- the server's (defaults), never a client's.
grant select, delete on public.leads to authenticated;
grant insert (id, team_id, name, company, stage, owner_id, notes) on public.leads to authenticated;
grant update (name, company, stage, owner_id, notes) on public.leads to authenticated;

grant select, delete on public.lead_emails to authenticated;
grant insert (lead_id, team_id, email) on public.lead_emails to authenticated;
grant update (email) on public.lead_emails to authenticated;

-- imported data and sync state: read only for clients
grant select on public.meetings, public.meeting_leads, public.integration_events, public.integration_syncs
  to authenticated;

alter table public.team_settings enable row level security;
alter table public.leads enable row level security;
alter table public.lead_emails enable row level security;
alter table public.meetings enable row level security;
alter table public.meeting_leads enable row level security;
alter table public.integration_events enable row level security;
alter table public.webhook_deliveries enable row level security;   -- no policy: service_role only
alter table public.integration_syncs enable row level security;

create policy "team_settings: members read" on public.team_settings
  for select to authenticated
  using (private.is_team_member(team_id));

create policy "team_settings: admins update" on public.team_settings
  for update to authenticated
  using (private.is_team_admin(team_id))
  with check (private.is_team_admin(team_id));

create policy "leads: members read" on public.leads
  for select to authenticated
  using (private.is_team_member(team_id));

-- The owner, when set, must be a member of the lead's team (team_members is readable by members through RLS).
create policy "leads: members create" on public.leads
  for insert to authenticated
  with check (
    private.is_team_member(team_id)
    and (owner_id is null
         or exists (select 1 from public.team_members m where m.team_id = leads.team_id and m.user_id = leads.owner_id))
  );

create policy "leads: members edit" on public.leads
  for update to authenticated
  using (private.is_team_member(team_id))
  with check (
    private.is_team_member(team_id)
    and (owner_id is null
         or exists (select 1 from public.team_members m where m.team_id = leads.team_id and m.user_id = leads.owner_id))
  );

create policy "leads: admins delete" on public.leads
  for delete to authenticated
  using (private.is_team_admin(team_id));

-- lead_emails: the composite foreign key (lead_id, team_id) keeps an e-mail on a lead of the same team.
create policy "lead_emails: members read" on public.lead_emails
  for select to authenticated
  using (private.is_team_member(team_id));

create policy "lead_emails: members add" on public.lead_emails
  for insert to authenticated
  with check (private.is_team_member(team_id));

create policy "lead_emails: members edit" on public.lead_emails
  for update to authenticated
  using (private.is_team_member(team_id))
  with check (private.is_team_member(team_id));

create policy "lead_emails: members remove" on public.lead_emails
  for delete to authenticated
  using (private.is_team_member(team_id));

create policy "meetings: members read" on public.meetings
  for select to authenticated
  using (private.is_team_member(team_id));

create policy "meeting_leads: members read" on public.meeting_leads
  for select to authenticated
  using (private.is_team_member(team_id));

create policy "integration_events: members read" on public.integration_events
  for select to authenticated
  using (private.is_team_member(team_id));

create policy "integration_syncs: members read" on public.integration_syncs
  for select to authenticated
  using (private.is_team_member(team_id));
