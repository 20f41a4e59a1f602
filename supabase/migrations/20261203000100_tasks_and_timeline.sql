-- Issue 11, CRM objects: tasks, lead notes (the lead timeline's notes; leads.notes migrates into them), the stage
-- history of leads (written by a trigger), and manual meeting <-> lead links.
--
-- Same rules as the earlier migrations: start every table from no privilege, grant exactly (column by column for
-- clients), enable RLS everywhere, check membership through private.is_team_member / private.is_team_admin. A child
-- row can only point at its own team's lead, meeting or member: composite foreign keys on (x_id, team_id), like
-- leads_owner_is_member (20261202000500_membership_hardening.sql).
--
-- automation_run_id columns have no foreign key yet: automation_runs comes with 20261203000200_automations.sql, and
-- 20261203000300_crm_automation_links.sql adds the keys.

-- ---------------------------------------------------------------------------------------------------------------
-- tasks

create table public.tasks (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  lead_id uuid,
  meeting_id uuid,
  -- the index in the meeting's action items as the meeting page shows them (wire.ts actionItemsSection)
  action_item_index integer check (action_item_index is null or action_item_index between 0 and 9999),
  title text not null check (char_length(title) <= 500 and char_length(btrim(title)) >= 1),
  assignee_id uuid,
  due_on date,
  done_at timestamptz,
  -- who ticked it: set by tasks_done_by below, never by a client
  done_by uuid references auth.users (id) on delete set null,
  source text not null default 'person' check (source in ('person', 'action_item', 'automation')),
  automation_run_id uuid,
  -- the idempotency key of whoever created it: 'action_item:<meeting>:<index>' (API, ticking an action item),
  -- 'automation:<run id>:<step index>:<item index>' (an automation step)
  source_key text check (source_key is null or char_length(source_key) between 1 and 300),
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (team_id, source_key),
  -- a lead or a meeting that goes leaves the task (a person's to-do) without it; a departing assignee likewise
  constraint tasks_lead_of_team foreign key (lead_id, team_id)
    references public.leads (id, team_id) on delete set null (lead_id),
  constraint tasks_meeting_of_team foreign key (meeting_id, team_id)
    references public.meetings (id, team_id) on delete set null (meeting_id),
  constraint tasks_assignee_is_member foreign key (team_id, assignee_id)
    references public.team_members (team_id, user_id) on delete set null (assignee_id)
);
-- At most one task per (meeting, action item, lead); a task without a lead is kept unique by its source_key.
create unique index tasks_action_item_lead_idx on public.tasks (meeting_id, action_item_index, lead_id)
  where meeting_id is not null and action_item_index is not null;
create index tasks_meeting_idx on public.tasks (meeting_id) where meeting_id is not null;
create index tasks_lead_idx on public.tasks (lead_id, created_at desc) where lead_id is not null;
-- the Tasks page: open (due soon first) and done (newest first), all or one assignee's
create index tasks_open_idx on public.tasks (team_id, due_on asc nulls last, created_at, id) where done_at is null;
create index tasks_open_assignee_idx on public.tasks (team_id, assignee_id, due_on asc nulls last, created_at, id)
  where done_at is null;
create index tasks_done_idx on public.tasks (team_id, done_at desc, id desc) where done_at is not null;
create index tasks_done_assignee_idx on public.tasks (team_id, assignee_id, done_at desc, id desc)
  where done_at is not null;

create trigger tasks_touch before update on public.tasks
  for each row execute function private.touch_updated_at();

/** done_by follows done_at: the caller when a task becomes done (kept for a writer without a user), null when not. */
create function private.tasks_done_by() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if new.done_at is null then
    new.done_by := null;
  elsif tg_op = 'INSERT' or old.done_at is null then
    new.done_by := coalesce((select auth.uid()), new.done_by);
  else
    new.done_by := old.done_by;
  end if;
  return new;
end
$$;
revoke all on function private.tasks_done_by() from public;

create trigger tasks_done_by before insert or update of done_at, done_by on public.tasks
  for each row execute function private.tasks_done_by();

-- ---------------------------------------------------------------------------------------------------------------
-- lead_notes: the notes of a lead's timeline (markdown, rendered safely by the app)

create table public.lead_notes (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  lead_id uuid not null,
  body text not null check (char_length(body) <= 20000 and char_length(btrim(body)) >= 1),
  author_id uuid references auth.users (id) on delete set null default auth.uid(),
  source text not null default 'person' check (source in ('person', 'automation', 'migrated')),
  automation_run_id uuid,
  source_key text check (source_key is null or char_length(source_key) between 1 and 300),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (team_id, source_key),
  constraint lead_notes_lead_of_team foreign key (lead_id, team_id)
    references public.leads (id, team_id) on delete cascade
);
create index lead_notes_lead_idx on public.lead_notes (lead_id, created_at desc, id desc);

create trigger lead_notes_touch before update on public.lead_notes
  for each row execute function private.touch_updated_at();

-- leads.notes becomes each lead's first note (author unknown: 'migrated', dated when the lead last changed).
-- notes migration: begin (supabase/functions/tests/api_lead_timeline_test.ts runs this section on a fixture)
insert into public.lead_notes (team_id, lead_id, body, author_id, source, created_at, updated_at)
select l.team_id, l.id, l.notes, null, 'migrated', l.updated_at, l.updated_at
  from public.leads l
 where l.notes is not null and btrim(l.notes) <> '';

alter table public.leads drop column notes;
-- notes migration: end

-- ---------------------------------------------------------------------------------------------------------------
-- lead_stage_changes: written by the trigger below in the same transaction as the change, never by a client

create table public.lead_stage_changes (
  id bigint generated always as identity primary key,
  team_id uuid not null references public.teams (id) on delete cascade,
  lead_id uuid not null,
  from_stage text not null,
  to_stage text not null,
  changed_by uuid references auth.users (id) on delete set null,
  automation_run_id uuid,
  changed_at timestamptz not null default now(),
  constraint lead_stage_changes_lead_of_team foreign key (lead_id, team_id)
    references public.leads (id, team_id) on delete cascade
);
create index lead_stage_changes_lead_idx on public.lead_stage_changes (lead_id, changed_at desc, id desc);

/**
 * Records a lead's stage change: who (auth.uid(), null for a service writer) and, when an automation run made it,
 * which run (`app.automation_run_id`, set with set_config(..., true) by the runner; empty or unset: none).
 */
create function private.record_lead_stage_change() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_run text := nullif(current_setting('app.automation_run_id', true), '');
begin
  insert into public.lead_stage_changes (team_id, lead_id, from_stage, to_stage, changed_by, automation_run_id)
  values (new.team_id, new.id, old.stage, new.stage, (select auth.uid()), v_run::uuid);
  return new;
end
$$;
revoke all on function private.record_lead_stage_change() from public;

create trigger leads_record_stage_change after update of stage on public.leads
  for each row when (old.stage is distinct from new.stage)
  execute function private.record_lead_stage_change();

-- ---------------------------------------------------------------------------------------------------------------
-- Privileges: from nothing, then exactly.

revoke all on public.tasks, public.lead_notes, public.lead_stage_changes from anon, authenticated, service_role;
revoke all on sequence public.lead_stage_changes_id_seq from anon, authenticated, service_role;

grant select, insert, update, delete on public.tasks, public.lead_notes to service_role;
grant select, insert, delete on public.lead_stage_changes to service_role;
grant usage, select on sequence public.lead_stage_changes_id_seq to service_role;

-- tasks: members read, create and edit; the creator or an admin deletes. team_id, meeting and action item are fixed
-- after insert; created_by, done_by and automation_run_id are the server's.
grant select, delete on public.tasks to authenticated;
grant insert (id, team_id, lead_id, meeting_id, action_item_index, title, assignee_id, due_on, done_at, source,
              source_key) on public.tasks to authenticated;
grant update (title, lead_id, assignee_id, due_on, done_at) on public.tasks to authenticated;

-- notes: members read and write; the author (or an admin) edits and deletes
grant select, delete on public.lead_notes to authenticated;
grant insert (id, team_id, lead_id, body) on public.lead_notes to authenticated;
grant update (body) on public.lead_notes to authenticated;

-- stage history: read only
grant select on public.lead_stage_changes to authenticated;

-- manual links: members link a meeting to a lead (matched_email stays null) and unlink
grant insert (meeting_id, lead_id, team_id), delete on public.meeting_leads to authenticated;

alter table public.tasks enable row level security;
alter table public.lead_notes enable row level security;
alter table public.lead_stage_changes enable row level security;

create policy "tasks: members read" on public.tasks
  for select to authenticated
  using (private.is_team_member(team_id));

create policy "tasks: members create" on public.tasks
  for insert to authenticated
  with check (
    private.is_team_member(team_id)
    and created_by = (select auth.uid())
    and source in ('person', 'action_item')
    and automation_run_id is null
  );

create policy "tasks: members edit" on public.tasks
  for update to authenticated
  using (private.is_team_member(team_id))
  with check (private.is_team_member(team_id));

create policy "tasks: creator or admin deletes" on public.tasks
  for delete to authenticated
  using (private.is_team_admin(team_id) or (private.is_team_member(team_id) and created_by = (select auth.uid())));

create policy "lead_notes: members read" on public.lead_notes
  for select to authenticated
  using (private.is_team_member(team_id));

create policy "lead_notes: members write their own" on public.lead_notes
  for insert to authenticated
  with check (
    private.is_team_member(team_id)
    and author_id = (select auth.uid())
    and source = 'person'
    and automation_run_id is null
    and source_key is null
  );

create policy "lead_notes: author or admin edits" on public.lead_notes
  for update to authenticated
  using (private.is_team_admin(team_id) or (private.is_team_member(team_id) and author_id = (select auth.uid())))
  with check (private.is_team_member(team_id));

create policy "lead_notes: author or admin deletes" on public.lead_notes
  for delete to authenticated
  using (private.is_team_admin(team_id) or (private.is_team_member(team_id) and author_id = (select auth.uid())));

create policy "lead_stage_changes: members read" on public.lead_stage_changes
  for select to authenticated
  using (private.is_team_member(team_id));

create policy "meeting_leads: members link" on public.meeting_leads
  for insert to authenticated
  with check (private.is_team_member(team_id) and matched_email is null);

create policy "meeting_leads: members unlink" on public.meeting_leads
  for delete to authenticated
  using (private.is_team_member(team_id));
