-- Issue 12, attacker review 12d, findings 1-3.
--
-- 1. An import running or paused when its connection is removed is closed then. Since 20261205000500 the runs
--    outlive their connection (integration_id set null), but integration_syncs goes with the connection and
--    private.record_sync_run records nothing once the connection is gone, so such a run said "Running" or "Waiting
--    for rate limit" for good. A BEFORE DELETE trigger on team_integrations (it runs before the cascades) closes
--    the connection's open runs: status 'failed', finished_at now(), last_error 'disconnected' (activity/sentences.ts:
--    "Stopped: <provider> was disconnected."). Runs already left open by a removed connection are closed the same way.
--
-- 2. webhook_deliveries.event_kind: the provider's event name, written at acknowledgement from what the handler has
--    already parsed (Zoom: "recording.completed", "recording.trashed", ...), at most 60 characters; null for providers
--    with one kind of event (Fathom, Typeform). The meeting page offers a failed delivery as "Retry download" only
--    when it carried the content (meetings/content-deadline.ts); matching on webhook_message_id would break for keys
--    over 200 characters, which are stored hashed. Existing Zoom rows get theirs from the key (a hashed one keeps null:
--    not offered, the Activity still lists it).
--
-- 3. webhook_deliveries.has_body: whether the row still keeps its body (a failed one's is dropped after 30 days,
--    inbox/failed-bodies.ts), so the activity can say a row can no longer be retried without members reading the
--    body. A generated column: no write path can forget it.

create function private.close_runs_of_removed_connection() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  update public.integration_sync_runs
     set status = 'failed', finished_at = coalesce(finished_at, now()), last_error = 'disconnected',
         last_error_at = now(), updated_at = now()
   where integration_id = old.id and status not in ('completed', 'failed');
  return old;
end
$$;

revoke all on function private.close_runs_of_removed_connection() from public;

create trigger team_integrations_close_runs
  before delete on public.team_integrations
  for each row execute function private.close_runs_of_removed_connection();

update public.integration_sync_runs
   set status = 'failed', finished_at = coalesce(finished_at, now()), last_error = 'disconnected',
       last_error_at = now(), updated_at = now()
 where integration_id is null and status not in ('completed', 'failed');

alter table public.webhook_deliveries
  add column event_kind text check (event_kind is null or char_length(event_kind) between 1 and 60),
  add column has_body boolean generated always as (body is not null) stored;

update public.webhook_deliveries
   set event_kind = left(split_part(webhook_message_id, ':', 1), 60)
 where provider = 'zoom' and webhook_message_id not like 'sha256:%';

grant select (event_kind, has_body) on public.webhook_deliveries to authenticated;
