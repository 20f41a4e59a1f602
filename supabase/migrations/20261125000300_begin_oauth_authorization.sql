-- Starting an OAuth connection in one round trip, as the user: the admin check and the state write happen in
-- the same statement, so no demotion can slip between them, and fathom-oauth-start needs one transaction.
-- SECURITY DEFINER because clients have no write grant on team_integrations; it writes only the OAuth-state
-- columns, never touches an existing connection's tokens, and returns a boolean (nothing secret leaves).
create function private.begin_oauth_authorization(
  p_team_id uuid,
  p_provider text,
  p_state_hash text,
  p_ttl_minutes integer,
  p_redirect_uri text,
  p_code_verifier_encrypted text
) returns boolean
language plpgsql security definer set search_path = ''
as $$
begin
  if (select auth.uid()) is null or not private.is_team_admin(p_team_id) then
    return false;
  end if;
  -- The state lives ten minutes and a crash only costs the user another click on Connect: no need to wait
  -- for the WAL flush (it is the bulk of this request's time on a real disk).
  perform set_config('synchronous_commit', 'off', true);
  insert into public.team_integrations
    (team_id, provider, oauth_state_hash, oauth_state_expires_at, oauth_state_user_id, oauth_redirect_uri,
     oauth_code_verifier_encrypted)
  values (p_team_id, p_provider, p_state_hash, now() + make_interval(mins => p_ttl_minutes),
          (select auth.uid()), p_redirect_uri, p_code_verifier_encrypted)
  on conflict (team_id, provider) do update set
    oauth_state_hash = excluded.oauth_state_hash,
    oauth_state_expires_at = excluded.oauth_state_expires_at,
    oauth_state_user_id = excluded.oauth_state_user_id,
    oauth_redirect_uri = excluded.oauth_redirect_uri,
    oauth_code_verifier_encrypted = excluded.oauth_code_verifier_encrypted;
  return true;
end
$$;

revoke all on function private.begin_oauth_authorization(uuid, text, text, integer, text, text) from public;
grant execute on function private.begin_oauth_authorization(uuid, text, text, integer, text, text)
  to authenticated, service_role;
