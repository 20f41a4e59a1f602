-- Starting an OAuth connection in one round trip, as the user: the admin check and the state write happen in
-- the same statement, so no demotion can slip between them, and fathom-oauth-start needs one transaction.
-- SECURITY DEFINER because clients have no write grant on team_integrations; it writes only the OAuth-state
-- columns, never touches an existing connection's tokens, and returns a boolean (nothing secret leaves).
-- Update first and insert only for a team's first connection: cheaper than insert ... on conflict on the common
-- path (a speculative insertion per call). The membership check is inlined (same rule as private.is_team_admin).
create function private.begin_oauth_authorization(
  p_team_id uuid, p_provider text, p_state_hash text, p_ttl_minutes integer, p_redirect_uri text, p_code_verifier_encrypted text
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
  -- The state lives ten minutes and a crash only costs the user another click on Connect: no need to wait
  -- for the WAL flush.
  perform set_config('synchronous_commit', 'off', true);
  update public.team_integrations set
    oauth_state_hash = p_state_hash,
    oauth_state_expires_at = now() + make_interval(mins => p_ttl_minutes),
    oauth_state_user_id = v_user,
    oauth_redirect_uri = p_redirect_uri,
    oauth_code_verifier_encrypted = p_code_verifier_encrypted
  where team_id = p_team_id and provider = p_provider;
  if not found then
    insert into public.team_integrations
      (team_id, provider, oauth_state_hash, oauth_state_expires_at, oauth_state_user_id, oauth_redirect_uri,
       oauth_code_verifier_encrypted)
    values (p_team_id, p_provider, p_state_hash, now() + make_interval(mins => p_ttl_minutes),
            v_user, p_redirect_uri, p_code_verifier_encrypted)
    on conflict (team_id, provider) do update set
      oauth_state_hash = excluded.oauth_state_hash,
      oauth_state_expires_at = excluded.oauth_state_expires_at,
      oauth_state_user_id = excluded.oauth_state_user_id,
      oauth_redirect_uri = excluded.oauth_redirect_uri,
      oauth_code_verifier_encrypted = excluded.oauth_code_verifier_encrypted;
  end if;
  return true;
end
$$;

revoke all on function private.begin_oauth_authorization(uuid, text, text, integer, text, text) from public;
grant execute on function private.begin_oauth_authorization(uuid, text, text, integer, text, text)
  to authenticated, service_role;
