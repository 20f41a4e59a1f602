-- Bind an OAuth connection to the person who started it (RFC 9700 §4.7.1; docs/decisions.md "OAuth binding").
--
-- The start step stores, beside the state, sha256 of a one-time `confirm` secret that only the initiating app holds
-- (the start response; never a URL). The callback exchanges the code but does NOT connect the team: it parks the
-- encrypted tokens in oauth_pending_connections under a one-time `pending` id that only the browser which finished
-- the consent receives. The connection is made when the initiating user's app posts {pending, confirm} with their
-- own session (oauth-confirm): user = starter, both hashes, not expired, once. A forwarded authorization URL
-- completed by someone else leaves a pending row nobody can confirm; it expires.

alter table public.team_integrations add column oauth_confirm_hash text;

-- Same function, one more argument (defaulted, so a caller of the old shape still resolves; such a start can
-- never be confirmed, which fails closed).
drop function private.begin_oauth_authorization(uuid, text, text, integer, text, text);

create function private.begin_oauth_authorization(
  p_team_id uuid, p_provider text, p_state_hash text, p_ttl_minutes integer, p_redirect_uri text,
  p_code_verifier_encrypted text, p_confirm_hash text default null
) returns boolean
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid := (select auth.uid());
begin
  if v_user is null or not exists (
    select 1 from public.team_members m
     where m.team_id = p_team_id and m.user_id = v_user and m.role in ('owner', 'admin')
  ) then
    return false;
  end if;
  perform set_config('synchronous_commit', 'off', true);
  update public.team_integrations set
    oauth_state_hash = p_state_hash,
    oauth_state_expires_at = now() + make_interval(mins => p_ttl_minutes),
    oauth_state_user_id = v_user,
    oauth_redirect_uri = p_redirect_uri,
    oauth_code_verifier_encrypted = p_code_verifier_encrypted,
    oauth_confirm_hash = p_confirm_hash
  where team_id = p_team_id and provider = p_provider;
  if not found then
    insert into public.team_integrations
      (team_id, provider, oauth_state_hash, oauth_state_expires_at, oauth_state_user_id, oauth_redirect_uri,
       oauth_code_verifier_encrypted, oauth_confirm_hash)
    values (p_team_id, p_provider, p_state_hash, now() + make_interval(mins => p_ttl_minutes),
            v_user, p_redirect_uri, p_code_verifier_encrypted, p_confirm_hash)
    on conflict (team_id, provider) do update set
      oauth_state_hash = excluded.oauth_state_hash,
      oauth_state_expires_at = excluded.oauth_state_expires_at,
      oauth_state_user_id = excluded.oauth_state_user_id,
      oauth_redirect_uri = excluded.oauth_redirect_uri,
      oauth_code_verifier_encrypted = excluded.oauth_code_verifier_encrypted,
      oauth_confirm_hash = excluded.oauth_confirm_hash;
  end if;
  return true;
end
$$;

revoke all on function private.begin_oauth_authorization(uuid, text, text, integer, text, text, text) from public;
grant execute on function private.begin_oauth_authorization(uuid, text, text, integer, text, text, text)
  to authenticated, service_role;

-- A finished authorization waiting for its initiator's confirmation. One per integration: a newer callback
-- replaces an older one. Service role only: it holds token ciphertext (same AAD as the connection's columns, so
-- confirming moves the ciphertext as it is).
create table public.oauth_pending_connections (
  id uuid primary key default gen_random_uuid(),
  integration_id uuid not null unique references public.team_integrations (id) on delete cascade,
  team_id uuid not null references public.teams (id) on delete cascade,
  provider text not null,
  user_id uuid not null references auth.users (id) on delete cascade,
  pending_hash text not null unique,
  confirm_hash text not null,
  account_id text,
  account_name text,
  account_email text,
  scopes text[] not null default '{}',
  access_token_encrypted text not null,
  refresh_token_encrypted text,
  token_expires_at timestamptz,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);

revoke all on public.oauth_pending_connections from anon, authenticated;
grant select, insert, update, delete on public.oauth_pending_connections to service_role;
alter table public.oauth_pending_connections enable row level security;
-- no policy: no client role ever reads or writes it (service_role bypasses RLS)
