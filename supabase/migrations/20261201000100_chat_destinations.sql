-- Where a chat integration posts (Slack incoming webhook, Discord channel webhook: chosen by the person on the
-- provider's consent screen and returned in the token response; providers.md §1, §2).
--
-- destination: what the team may see, for "Posting to #sales in Acme": {channel, channelId, workspace, workspaceId}
--   (strings or null; workspace = Slack team / Discord guild). null for providers that do not post.
-- destination_secret_encrypted: the webhook URL (and Discord's webhook id + token), AES-256-GCM like the tokens
--   (AAD "<team>:<provider>:destination"). A webhook URL is a bearer credential: service role only, never in the
--   view, never logged.
-- The pending connection carries both until its initiator confirms (20261130000500_oauth_binding.sql).

alter table public.team_integrations
  add column destination jsonb
    check (destination is null or (jsonb_typeof(destination) = 'object' and pg_column_size(destination) < 4096)),
  add column destination_secret_encrypted text;

grant select (destination) on public.team_integrations to authenticated;

alter table public.oauth_pending_connections
  add column destination jsonb,
  add column destination_secret_encrypted text;

-- Same view as in 20261130000200 plus destination at the end (create or replace may only append); security_invoker,
-- grants restated unchanged.
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
  i.webhook_triggers,
  i.destination
from public.team_integrations i
left join public.profiles p on p.id = i.connected_by;

revoke all on public.team_integrations_public from anon, authenticated;
grant select on public.team_integrations_public to authenticated, service_role;
