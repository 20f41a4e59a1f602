-- Issue 11 follow-up 7: turning a rule off ends the runs of it that wait (queued, or retrying until
-- next_attempt_at), in the same transaction as the switch: status skipped, skip_reason rule_disabled, and a
-- sentence the run log shows. Turning the rule on again does not resurrect them (a person may "Re-run" one).
-- Before, they stayed "retrying, next attempt in 2 h" and were skipped silently when due, or ran after all if the
-- rule had been switched back on meanwhile.
--
-- A trigger, not the API: the switch is flipped by PATCH, by clients through PostgREST (the grants of
-- 20261203000200), and by the engine's auto-pause (engine/finish.ts); all three must end the waiting runs.
-- SECURITY DEFINER: clients have no UPDATE on automation_runs. Runs that are `running` belong to their lease holder
-- and are left alone: the holder's finishRun reads the switch under a FOR SHARE lock of the rule row and ends the
-- run the same way instead of scheduling a retry (the lock orders it against this trigger's transaction).
-- A rule PAUSED by the engine (paused_reason set in the same update, engine/finish.ts) is not a rule someone turned
-- off: its runs end with skip_reason rule_paused and a sentence that says why (its runs kept failing), so the run
-- log does not blame a person for a switch nobody flipped.
-- The sentences are engine/finish.ts RULE_DISABLED_MESSAGE and RULE_PAUSED_MESSAGE: keep them equal (the engine's
-- tests compare them).

alter table public.automation_runs drop constraint automation_runs_skip_reason_check;
alter table public.automation_runs add constraint automation_runs_skip_reason_check
  check (skip_reason in ('conditions', 'loop_guard', 'rule_disabled', 'rule_paused', 'subject_gone'));

create or replace function private.automation_rule_off_ends_runs() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  paused boolean := new.paused_reason is not null;
begin
  update public.automation_runs
     set status = 'skipped', skip_reason = case when paused then 'rule_paused' else 'rule_disabled' end,
         finished_at = now(),
         error_message = case when paused
           then 'The automation was paused after 5 failed runs in a row before this run finished; it was not run again, and turning the automation on does not resume it.'
           else 'The automation was turned off before this run finished; it was not run again, and turning the automation on does not resume it.'
         end,
         lease_id = null, locked_until = null
   where rule_id = new.id and status in ('queued', 'retrying');
  return null;
end $$;
revoke all on function private.automation_rule_off_ends_runs() from public;

create trigger automation_rule_off_ends_runs after update of enabled on public.automation_rules
  for each row when (old.enabled and not new.enabled)
  execute function private.automation_rule_off_ends_runs();
