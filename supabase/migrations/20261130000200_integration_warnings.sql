-- team_integrations: what the team should know about a connection that still works, and which Fathom webhook
-- triggers are active.
--
-- warning: { code, message, at } or null. Set when something was left behind that the team may have to clean up
-- by hand (today: webhook_cleanup_failed, the previous Fathom account's webhook could not be deleted on a
-- reconnect); cleared when the next reconnect cleans up. `message` is our own sentence, never provider text.
-- webhook_triggers: the triggered_for values the registered Fathom webhook was accepted with (all four documented
-- values, or the first two when Fathom refused the Team-plan ones); null while no webhook is registered.
-- Both are for the team's eyes: granted to authenticated and shown in team_integrations_public.

alter table public.team_integrations
  add column warning jsonb
    check (warning is null or (jsonb_typeof(warning) = 'object' and warning ?& array['code', 'message', 'at'])),
  add column webhook_triggers text[]
    check (webhook_triggers is null or webhook_triggers <@ array['my_recordings', 'shared_external_recordings',
      'my_shared_with_team_recordings', 'shared_team_recordings']::text[]);

grant select (warning, webhook_triggers) on public.team_integrations to authenticated;

-- Same view as in 20261125000100 plus the two columns at the end (create or replace may only append). It stays
-- security_invoker, so the caller's RLS and column grants still decide; the grants are restated unchanged.
create or replace view public.team_integrations_public
with (security_invoker = true)
as
select
  i.id,
  i.team_id,
  i.provider,
  i.status,
  i.account_id,
  i.account_name,
  i.account_email,
  i.scopes,
  i.token_expires_at,
  i.connected_by,
  p.email as connected_by_email,
  i.connected_at,
  i.last_error,
  i.last_error_at,
  i.created_at,
  i.updated_at,
  i.warning,
  i.webhook_triggers
from public.team_integrations i
left join public.profiles p on p.id = i.connected_by;

revoke all on public.team_integrations_public from anon, authenticated;
grant select on public.team_integrations_public to authenticated, service_role;
