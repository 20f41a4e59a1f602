-- Automations (issue 11): rules, their immutable versions, the outbox of events they react to, runs and steps.
-- Design and sources: docs/architecture.md "Automations", ../shared/automations.md section 5 (Twenty's
-- workflow -> version -> run, Activepieces' step outputs, n8n's dedup key, HubSpot's enroll-once and loop guard).
--
-- The contract, for the engine (_shared/automations/engine/) and the API (api/routes/automations*.ts):
-- 1. automation_rules: one row per rule; name/trigger/enabled mirror its current version for the dispatcher's index.
--    Publishing = insert the next automation_rule_versions row and point current_version_id at it, in one
--    transaction (the composite foreign key keeps a rule pointing at one of its OWN versions). enabled is the
--    switch; an auto-pause sets enabled = false with paused_reason/paused_at (cleared when someone enables it).
-- 2. automation_rule_versions: immutable (a trigger refuses UPDATE); a run is pinned to one and shows it.
-- 3. automation_events: the outbox. Written ONLY by the triggers below, in the same transaction as the change (a
--    rolled-back change leaves no event; a committed one always has its event). Only when the team has an enabled
--    rule for that trigger at that moment (a rule enabled later does not see older events: HubSpot's "enroll when
--    enabled"; a backfill would be an explicit action). Exactly one event per fact: dedupe_key is unique per team
--    (a meeting linked to a lead is announced once per (meeting, lead), even after an unlink and a relink).
--    source: import | webhook (the meeting's origin) | person (a user's request: auth.uid() set) | automation
--    (the change was made by a run, which sets app.automation_run_id and app.automation_depth in its transaction);
--    depth: how many automation runs led here (the dispatcher records runs past the loop guard as skipped).
--    status pending -> dispatched; claimed with FOR UPDATE SKIP LOCKED and a lease (locked_until).
-- 4. automation_runs: one per (rule, event) for first runs (unique index); a "Re-run" is a new row with retry_of.
--    status: queued -> running -> succeeded | retrying (next_attempt_at) -> ... | dead; skipped (skip_reason
--    conditions | loop_guard | rule_disabled) and cancelled are terminal. context is the template context frozen
--    at dispatch (what the run acted on, even if the lead changes later); conditions_result explains a skip.
--    Claimed with FOR UPDATE SKIP LOCKED: status in (queued, retrying), next_attempt_at <= now(), lease expired.
-- 5. automation_run_steps: one per (run, action index). A succeeded step is never executed again; its output keeps
--    what it created (task ids, message ids). Side effects carry the key automation:<run>:<step>[:<item>].
-- 6. automation_endpoints: send_webhook targets. URL and Standard Webhooks signing secret are AES-GCM ciphertext
--    (like tokens) and never granted to clients; members see the name and the host.
--
-- Members read everything here except endpoint secrets; admins write rules, versions and endpoints (RLS); runs,
-- steps and events are written by the engine as service_role only.

-- ---------------------------------------------------------------------------------------------------------------
-- rules and versions

create table public.automation_rules (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 120),
  trigger text not null check (trigger in ('meeting.linked_to_lead', 'meeting.imported_unmatched', 'lead.created',
                                           'lead.stage_changed')),
  enabled boolean not null default false,
  current_version_id uuid,
  version integer not null default 0 check (version >= 0),
  paused_reason text check (paused_reason is null or char_length(paused_reason) <= 500),
  paused_at timestamptz,
  -- dead runs in a row (the engine resets it on a success); the auto-pause reads it
  consecutive_failures integer not null default 0 check (consecutive_failures >= 0),
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, team_id),
  check (enabled = false or current_version_id is not null)
);
create index automation_rules_team_idx on public.automation_rules (team_id, created_at);
create index automation_rules_dispatch_idx on public.automation_rules (team_id, trigger) where enabled;

create trigger automation_rules_touch before update on public.automation_rules
  for each row execute function private.touch_updated_at();

create table public.automation_rule_versions (
  id uuid primary key default gen_random_uuid(),
  rule_id uuid not null,
  team_id uuid not null,
  version integer not null check (version >= 1),
  name text not null check (char_length(btrim(name)) between 1 and 120),
  trigger text not null check (trigger in ('meeting.linked_to_lead', 'meeting.imported_unmatched', 'lead.created',
                                           'lead.stage_changed')),
  conditions jsonb not null check (jsonb_typeof(conditions) = 'object'),
  actions jsonb not null check (jsonb_typeof(actions) = 'array'),
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  unique (rule_id, version),
  unique (id, team_id),
  unique (id, rule_id),
  foreign key (rule_id, team_id) references public.automation_rules (id, team_id) on delete cascade
);

-- a rule points at one of its own versions; deferred: the rule row is written before its first version
alter table public.automation_rules
  add constraint automation_rules_current_version_fk foreign key (current_version_id, id)
  references public.automation_rule_versions (id, rule_id) deferrable initially deferred;

create function private.automation_rule_versions_immutable() returns trigger
language plpgsql set search_path = ''
as $$
begin
  raise exception 'a published automation version is immutable: publish a new version instead'
    using errcode = 'insufficient_privilege';
end
$$;

create trigger automation_rule_versions_immutable before update on public.automation_rule_versions
  for each row execute function private.automation_rule_versions_immutable();

-- ---------------------------------------------------------------------------------------------------------------
-- the outbox

create table public.automation_events (
  id bigint generated always as identity primary key,
  team_id uuid not null references public.teams (id) on delete cascade,
  type text not null check (type in ('meeting.linked_to_lead', 'meeting.imported_unmatched', 'lead.created',
                                     'lead.stage_changed')),
  -- the subject; no foreign keys: an event is history, and the dispatcher records a run whose lead or meeting is
  -- gone as skipped rather than losing it
  lead_id uuid,
  meeting_id uuid,
  source text not null check (source in ('import', 'webhook', 'person', 'automation')),
  depth integer not null default 0 check (depth >= 0),
  caused_by_run_id uuid,
  payload jsonb not null default '{}'::jsonb check (jsonb_typeof(payload) = 'object'),   -- {from_stage, to_stage}
  dedupe_key text not null,
  status text not null default 'pending' check (status in ('pending', 'dispatched')),
  attempts integer not null default 0 check (attempts >= 0),
  locked_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  dispatched_at timestamptz,
  unique (team_id, dedupe_key)
);
create index automation_events_pending_idx on public.automation_events (id) where status = 'pending';

-- ---------------------------------------------------------------------------------------------------------------
-- runs and steps

create table public.automation_runs (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null,
  rule_id uuid not null,
  version_id uuid not null,
  event_id bigint references public.automation_events (id) on delete cascade,
  lead_id uuid,        -- the run's subject (timeline, run log); names are in context
  meeting_id uuid,
  status text not null default 'queued'
    check (status in ('queued', 'running', 'retrying', 'succeeded', 'skipped', 'dead', 'cancelled')),
  skip_reason text check (skip_reason in ('conditions', 'loop_guard', 'rule_disabled', 'subject_gone')),
  context jsonb not null default '{}'::jsonb check (jsonb_typeof(context) = 'object'),
  conditions_result jsonb,
  depth integer not null default 0 check (depth >= 0),
  attempt integer not null default 0 check (attempt >= 0),
  next_attempt_at timestamptz not null default now(),
  locked_until timestamptz,
  lease_id uuid,
  error_code text,
  error_message text check (error_message is null or char_length(error_message) <= 2000),
  retry_of uuid references public.automation_runs (id) on delete set null,
  requested_by uuid references auth.users (id) on delete set null,   -- who asked for a re-run / retry
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null default now(),
  unique (id, team_id),
  foreign key (rule_id, team_id) references public.automation_rules (id, team_id) on delete cascade,
  foreign key (version_id, team_id) references public.automation_rule_versions (id, team_id) on delete cascade
);
-- exactly once per (rule, event) for first runs
create unique index automation_runs_once_idx on public.automation_runs (rule_id, event_id)
  where event_id is not null and retry_of is null;
create index automation_runs_due_idx on public.automation_runs (next_attempt_at)
  where status in ('queued', 'retrying');
create index automation_runs_rule_idx on public.automation_runs (rule_id, created_at desc, id);
create index automation_runs_team_idx on public.automation_runs (team_id, created_at desc, id);
create index automation_runs_lead_idx on public.automation_runs (lead_id, created_at desc) where lead_id is not null;
create index automation_runs_retry_of_idx on public.automation_runs (retry_of) where retry_of is not null;

create trigger automation_runs_touch before update on public.automation_runs
  for each row execute function private.touch_updated_at();

create table public.automation_run_steps (
  run_id uuid not null,
  team_id uuid not null,
  step_index integer not null check (step_index between 0 and 99),
  action_type text not null,
  status text not null default 'pending'
    check (status in ('pending', 'running', 'succeeded', 'failed', 'skipped')),
  resolved_input jsonb,
  output jsonb,
  error_code text,
  error_message text check (error_message is null or char_length(error_message) <= 2000),
  attempts integer not null default 0 check (attempts >= 0),
  started_at timestamptz,
  finished_at timestamptz,
  primary key (run_id, step_index),
  foreign key (run_id, team_id) references public.automation_runs (id, team_id) on delete cascade
);

-- ---------------------------------------------------------------------------------------------------------------
-- send_webhook endpoints

create table public.automation_endpoints (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 100),
  url_host text not null check (char_length(url_host) between 1 and 255),   -- shown; the URL itself is a secret
  url_encrypted text not null,
  secret_encrypted text not null,                                           -- whsec_<base64>, encrypted
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  unique (id, team_id),
  unique (team_id, name)
);

-- ---------------------------------------------------------------------------------------------------------------
-- outbox triggers

-- Who caused the change being made in this transaction: (source, depth, run). A run sets app.automation_run_id
-- and app.automation_depth (its event's depth + 1) with set_config(..., true) before it writes; a user's request
-- has auth.uid(); otherwise it is the importer, and p_import_source says which path (webhook or import).
create function private.automation_cause(p_import_source text, out source text, out depth integer,
                                         out run_id uuid)
language plpgsql stable set search_path = ''
as $$
declare
  v_depth text := nullif(current_setting('app.automation_depth', true), '');
  v_run text := nullif(current_setting('app.automation_run_id', true), '');
begin
  if v_depth is not null and v_depth ~ '^[0-9]{1,4}$' and v_depth::integer > 0 then
    source := 'automation';
    depth := v_depth::integer;
    run_id := case when v_run ~* '^[0-9a-f-]{36}$' then v_run::uuid end;
  elsif auth.uid() is not null then
    source := 'person';
    depth := 0;
  else
    source := p_import_source;
    depth := 0;
  end if;
end
$$;

create function private.automation_wanted(p_team_id uuid, p_trigger text) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from public.automation_rules r
                  where r.team_id = p_team_id and r.trigger = p_trigger and r.enabled)
$$;

-- One event, at most: on conflict the fact was already announced.
create function private.emit_automation_event(p_team_id uuid, p_type text, p_lead_id uuid, p_meeting_id uuid,
                                              p_import_source text, p_payload jsonb, p_dedupe_key text)
returns void
language plpgsql security definer set search_path = ''
as $$
declare
  cause record;
begin
  if not private.automation_wanted(p_team_id, p_type) then
    return;
  end if;
  select * into cause from private.automation_cause(p_import_source);
  insert into public.automation_events (team_id, type, lead_id, meeting_id, source, depth, caused_by_run_id,
                                        payload, dedupe_key)
  values (p_team_id, p_type, p_lead_id, p_meeting_id, cause.source, cause.depth, cause.run_id, p_payload,
          p_dedupe_key)
  on conflict (team_id, dedupe_key) do nothing;
end
$$;

-- meeting_leads insert: a meeting linked to a lead (the import's match, a lead's new e-mail, or a manual link)
create function private.automation_on_meeting_linked() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_source text;
begin
  select case m.source when 'webhook' then 'webhook' else 'import' end into v_source
    from public.meetings m where m.id = new.meeting_id;
  perform private.emit_automation_event(new.team_id, 'meeting.linked_to_lead', new.lead_id, new.meeting_id,
    coalesce(v_source, 'import'), jsonb_build_object('manual', new.matched_email is null),
    'meeting.linked_to_lead:' || new.meeting_id::text || ':' || new.lead_id::text);
  return null;
end
$$;

create trigger automation_on_meeting_linked after insert on public.meeting_leads
  for each row execute function private.automation_on_meeting_linked();

-- meetings insert, checked at COMMIT (deferred): the import links a meeting to its leads after inserting it, in
-- the same transaction, so only at commit is "imported with no lead" known.
create function private.automation_on_meeting_imported() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if not exists (select 1 from public.meeting_leads ml where ml.meeting_id = new.id)
     and exists (select 1 from public.meetings m where m.id = new.id) then
    perform private.emit_automation_event(new.team_id, 'meeting.imported_unmatched', null, new.id,
      case new.source when 'webhook' then 'webhook' else 'import' end, '{}'::jsonb,
      'meeting.imported_unmatched:' || new.id::text);
  end if;
  return null;
end
$$;

create constraint trigger automation_on_meeting_imported after insert on public.meetings
  deferrable initially deferred
  for each row execute function private.automation_on_meeting_imported();

-- leads insert: a lead created (by a person, or by the importer from an unknown attendee)
create function private.automation_on_lead_created() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.emit_automation_event(new.team_id, 'lead.created', new.id, null, 'import',
    jsonb_build_object('lead_source', new.source), 'lead.created:' || new.id::text);
  return null;
end
$$;

create trigger automation_on_lead_created after insert on public.leads
  for each row execute function private.automation_on_lead_created();

-- leads stage update: every change is its own fact (a fresh key), announced in the changing transaction
create function private.automation_on_lead_stage_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.emit_automation_event(new.team_id, 'lead.stage_changed', new.id, null, 'import',
    jsonb_build_object('from_stage', old.stage, 'to_stage', new.stage),
    'lead.stage_changed:' || new.id::text || ':' || gen_random_uuid()::text);
  return null;
end
$$;

create trigger automation_on_lead_stage_changed after update of stage on public.leads
  for each row when (old.stage is distinct from new.stage)
  execute function private.automation_on_lead_stage_changed();

revoke all on function private.automation_rule_versions_immutable(), private.automation_cause(text),
  private.automation_wanted(uuid, text),
  private.emit_automation_event(uuid, text, uuid, uuid, text, jsonb, text),
  private.automation_on_meeting_linked(), private.automation_on_meeting_imported(),
  private.automation_on_lead_created(), private.automation_on_lead_stage_changed()
  from public;

-- ---------------------------------------------------------------------------------------------------------------
-- Privileges: from nothing, then exactly.

revoke all on public.automation_rules, public.automation_rule_versions, public.automation_events,
  public.automation_runs, public.automation_run_steps, public.automation_endpoints
  from anon, authenticated, service_role;
revoke all on sequence public.automation_events_id_seq from anon, authenticated, service_role;

grant select, insert, update, delete on public.automation_rules, public.automation_rule_versions,
  public.automation_events, public.automation_runs, public.automation_run_steps, public.automation_endpoints
  to service_role;
grant usage, select on sequence public.automation_events_id_seq to service_role;

-- rules: members read; admins create, publish (name, trigger, enabled, version pointer), pause/resume, delete.
-- consecutive_failures and created_by are the server's.
grant select, delete on public.automation_rules to authenticated;
grant insert (id, team_id, name, trigger, enabled, current_version_id, version) on public.automation_rules
  to authenticated;
grant update (name, trigger, enabled, current_version_id, version, paused_reason, paused_at)
  on public.automation_rules to authenticated;

-- versions: members read; admins publish (insert only; never update, delete only through the rule)
grant select on public.automation_rule_versions to authenticated;
grant insert (id, rule_id, team_id, version, name, trigger, conditions, actions)
  on public.automation_rule_versions to authenticated;

-- runs, steps, events: members read what happened; only the engine writes
grant select on public.automation_events, public.automation_runs, public.automation_run_steps to authenticated;

-- endpoints: members see the name and host, never the URL or the secret; admins add and remove
grant select (id, team_id, name, url_host, created_by, created_at) on public.automation_endpoints to authenticated;
grant insert (id, team_id, name, url_host, url_encrypted, secret_encrypted) on public.automation_endpoints
  to authenticated;
grant delete on public.automation_endpoints to authenticated;

alter table public.automation_rules enable row level security;
alter table public.automation_rule_versions enable row level security;
alter table public.automation_events enable row level security;
alter table public.automation_runs enable row level security;
alter table public.automation_run_steps enable row level security;
alter table public.automation_endpoints enable row level security;

create policy "automation_rules: members read" on public.automation_rules
  for select to authenticated using (private.is_team_member(team_id));
create policy "automation_rules: admins create" on public.automation_rules
  for insert to authenticated with check (private.is_team_admin(team_id));
create policy "automation_rules: admins edit" on public.automation_rules
  for update to authenticated using (private.is_team_admin(team_id)) with check (private.is_team_admin(team_id));
create policy "automation_rules: admins delete" on public.automation_rules
  for delete to authenticated using (private.is_team_admin(team_id));

create policy "automation_rule_versions: members read" on public.automation_rule_versions
  for select to authenticated using (private.is_team_member(team_id));
create policy "automation_rule_versions: admins publish" on public.automation_rule_versions
  for insert to authenticated with check (private.is_team_admin(team_id));

create policy "automation_events: members read" on public.automation_events
  for select to authenticated using (private.is_team_member(team_id));
create policy "automation_runs: members read" on public.automation_runs
  for select to authenticated using (private.is_team_member(team_id));
create policy "automation_run_steps: members read" on public.automation_run_steps
  for select to authenticated using (private.is_team_member(team_id));

create policy "automation_endpoints: members read" on public.automation_endpoints
  for select to authenticated using (private.is_team_member(team_id));
create policy "automation_endpoints: admins add" on public.automation_endpoints
  for insert to authenticated with check (private.is_team_admin(team_id));
create policy "automation_endpoints: admins remove" on public.automation_endpoints
  for delete to authenticated using (private.is_team_admin(team_id));
