-- At most one open run asked for by hand per (rule, event) (issue 11, second attacker's findings): "Retry failed
-- steps" on a dead re-run while another re-run of the same event was queued hit automation_runs_one_open_rerun_idx
-- unmapped (a 500), and "Re-run" of a re-run opened a second open run of the same event (the two would repeat the
-- same side effects side by side). engine/manual.ts takes a transaction lock on (rule, event) and refuses with
-- 409 not_retryable while one is open; this index is the backstop (a 23505 there maps to the same 409).
-- "By hand": a re-run (retry_of set) or a retried run (requested_by set). Open: queued, running, retrying.

-- runs that already break the rule (made before this migration): the oldest open one stays, the others end
with ranked as (
  select id, row_number() over (partition by rule_id, event_id order by created_at, id) as n
    from public.automation_runs
   where event_id is not null and (retry_of is not null or requested_by is not null)
     and status in ('queued', 'running', 'retrying')
)
update public.automation_runs r
   set status = 'cancelled', finished_at = now(), lease_id = null, locked_until = null, error_code = 'superseded',
       error_message = 'Cancelled: another run of the same event asked for by hand was already open.'
  from ranked
 where ranked.id = r.id and ranked.n > 1;

create unique index automation_runs_one_open_manual_idx on public.automation_runs (rule_id, event_id)
  where event_id is not null and (retry_of is not null or requested_by is not null)
    and status in ('queued', 'running', 'retrying');
