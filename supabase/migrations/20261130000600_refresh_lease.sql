-- team_integrations: a lease for the OAuth token refresh, so that no database connection is held while the
-- provider's token endpoint is called (oauth/refresh.ts, docs/decisions.md "Token refresh: a lease, not a lock").
--
-- refresh_lease_token / refresh_lease_until: taken in a short transaction by the one worker that calls the token
-- endpoint; its result is stored only where the lease token still matches (compare-and-swap), and the lease is
-- cleared with it. Others wait for the result instead of calling the provider. An expired lease is free again.
-- refresh_retry_after: a refresh whose outcome is unknown (the token call timed out or its answer was cut off: the
-- provider may already have rotated the single-use refresh token) keeps the stored tokens and is not tried again
-- before this time. The stored access token is used meanwhile, while it lasts.
-- Service-only columns: not granted to authenticated, not in team_integrations_public.

alter table public.team_integrations
  add column refresh_lease_token uuid,
  add column refresh_lease_until timestamptz,
  add column refresh_retry_after timestamptz,
  add constraint team_integrations_refresh_lease_pair
    check ((refresh_lease_token is null) = (refresh_lease_until is null));

-- New tokens from elsewhere (a reconnect) end any lease and pause taken for the tokens they replace: a refresh
-- still in flight for the old tokens then fails its compare-and-swap and cannot overwrite the new ones.
create function private.team_integrations_new_tokens_end_refresh_lease() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.refresh_lease_token := null;
  new.refresh_lease_until := null;
  new.refresh_retry_after := null;
  return new;
end
$$;

create trigger team_integrations_new_tokens_end_refresh_lease
  before update of refresh_token_encrypted on public.team_integrations
  for each row
  when (new.refresh_token_encrypted is distinct from old.refresh_token_encrypted)
  execute function private.team_integrations_new_tokens_end_refresh_lease();
