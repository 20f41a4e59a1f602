-- Issue 11, attacker findings 2-5: the limits the API checks hold in the database too, because `authenticated`
-- writes automation_rules / automation_rule_versions / tasks directly through PostgREST (the grants of
-- 20261203000100 and 20261203000200 stay: the API publishes as the caller, under RLS).
--
-- 1. At most 50 rules per team (api/routes/automations_store.ts MAX_RULES_PER_TEAM): a BEFORE INSERT trigger counts
--    the team's rules under the same transaction-scoped advisory lock the API takes, so two inserts at once cannot
--    both be the 50th. SECURITY DEFINER: the count must see every rule of the team, whoever inserts.
-- 2. A version holds 1-10 actions, at most 20 condition rules, and at most 64 KiB of JSON (rule.ts MAX_ACTIONS,
--    MAX_CONDITIONS; templates are 2,000 characters each). NOT VALID: checked on every new write, existing rows are
--    not re-read (a hand-edited old version is refused by the engine's parser instead, which ends its run dead).
-- 3. Tasks written by clients carry no key, or (an 'action_item' task, which names its meeting and item index) the
--    API's own key for exactly that item, 'action_item:<meeting>:<index>:<lead|none>' (tasks.ts). The
--    'automation:%' keys belong to the engine (service role): a member who squatted one made the automation's task
--    silently never appear; one holding another item's action_item key would make the API's insert give way forever.
-- 4. At most one unfinished re-run per original run (two "Re-run" clicks at once); engine/manual.ts checks first
--    and answers 409, this index is the backstop.

create or replace function private.automation_rules_cap() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  n integer;
begin
  perform pg_advisory_xact_lock(hashtextextended('automation_rules:' || new.team_id::text, 0));
  select count(*) into n from public.automation_rules where team_id = new.team_id;
  if n >= 50 then
    raise exception 'A team has at most 50 automation rules.' using errcode = 'check_violation';
  end if;
  return new;
end $$;
revoke all on function private.automation_rules_cap() from public;

create trigger automation_rules_cap before insert on public.automation_rules
  for each row execute function private.automation_rules_cap();

alter table public.automation_rule_versions
  add constraint automation_rule_versions_actions_count
    check (jsonb_typeof(actions) = 'array' and jsonb_array_length(actions) between 1 and 10) not valid,
  add constraint automation_rule_versions_conditions_count
    check (jsonb_typeof(conditions -> 'rules') is distinct from 'array' or jsonb_array_length(conditions -> 'rules') <= 20)
    not valid,
  add constraint automation_rule_versions_size
    check (octet_length(actions::text) + octet_length(conditions::text) <= 65536) not valid;

drop policy "tasks: members create" on public.tasks;
create policy "tasks: members create" on public.tasks
  for insert to authenticated
  with check (
    private.is_team_member(team_id)
    and created_by = (select auth.uid())
    and automation_run_id is null
    and (
      (source = 'person' and source_key is null)
      or (source = 'action_item' and meeting_id is not null and action_item_index is not null
          and (source_key is null
               or source_key = 'action_item:' || meeting_id::text || ':' || action_item_index::text || ':'
                               || coalesce(lead_id::text, 'none')))
    )
  );

create unique index automation_runs_one_open_rerun_idx on public.automation_runs (retry_of)
  where retry_of is not null and status in ('queued', 'running', 'retrying');
