-- Teams, their members and their OAuth integrations, with row-level security.
-- Clients (anon, authenticated) only ever read through RLS; every write that touches a secret goes through
-- an edge function acting as service_role. Token and OAuth-state columns are never granted to a client role.

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;

-- profiles: the public face of auth.users that teammates may see (auth.users itself is never exposed).
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  full_name text,
  created_at timestamptz not null default now()
);

create table public.teams (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 100),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.team_members (
  team_id uuid not null references public.teams (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null check (role in ('owner', 'admin', 'member')),
  created_at timestamptz not null default now(),
  primary key (team_id, user_id)
);
create index team_members_user_id_idx on public.team_members (user_id);

create table public.team_integrations (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  provider text not null check (provider in ('discord', 'slack', 'zoom', 'typeform', 'fathom')),
  status text not null default 'disconnected'
    check (status in ('disconnected', 'connected', 'needs_reauth', 'error')),
  account_id text,
  account_name text,
  account_email text,
  scopes text[] not null default '{}',
  -- secrets: AES-256-GCM ciphertext "<key version>:<iv b64>:<ciphertext+tag b64>", never granted to clients
  access_token_encrypted text,
  refresh_token_encrypted text,
  token_expires_at timestamptz,
  -- the OAuth transaction in flight: only the SHA-256 of the state token is stored
  oauth_state_hash text,
  oauth_state_expires_at timestamptz,
  oauth_state_user_id uuid references auth.users (id) on delete set null,
  oauth_redirect_uri text,
  oauth_code_verifier_encrypted text,
  connected_by uuid references auth.users (id) on delete set null,
  connected_at timestamptz,
  last_error text,
  last_error_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (team_id, provider)
);
create unique index team_integrations_state_idx on public.team_integrations (oauth_state_hash)
  where oauth_state_hash is not null;

-- Membership checks used by policies. SECURITY DEFINER so a policy on team_members can ask about
-- team_members without recursing into its own policy; kept in a schema the API never exposes.
create function private.is_team_member(p_team_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.team_members m
    where m.team_id = p_team_id and m.user_id = (select auth.uid())
  )
$$;

create function private.is_team_admin(p_team_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.team_members m
    where m.team_id = p_team_id and m.user_id = (select auth.uid()) and m.role in ('owner', 'admin')
  )
$$;

create function private.shares_team_with(p_user_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from public.team_members mine
    join public.team_members theirs on theirs.team_id = mine.team_id
    where mine.user_id = (select auth.uid()) and theirs.user_id = p_user_id
  )
$$;

revoke all on function private.is_team_member(uuid), private.is_team_admin(uuid), private.shares_team_with(uuid) from public;
grant execute on function private.is_team_member(uuid), private.is_team_admin(uuid), private.shares_team_with(uuid)
  to authenticated, service_role;

create function private.touch_updated_at() returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create trigger teams_touch before update on public.teams
  for each row execute function private.touch_updated_at();
create trigger team_integrations_touch before update on public.team_integrations
  for each row execute function private.touch_updated_at();

create function private.create_profile_for_user() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.profiles (id, email, full_name)
  values (new.id, coalesce(new.email, ''), new.raw_user_meta_data ->> 'full_name')
  on conflict (id) do nothing;
  return new;
end
$$;

create trigger on_auth_user_created after insert on auth.users
  for each row execute function private.create_profile_for_user();

-- Privileges: start from nothing (Supabase grants everything in public by default), then grant exactly.
revoke all on public.profiles, public.teams, public.team_members, public.team_integrations from anon, authenticated;
grant all on public.profiles, public.teams, public.team_members, public.team_integrations to service_role;

grant select on public.profiles, public.teams, public.team_members to authenticated;
grant update (name) on public.teams to authenticated;
grant select (
  id, team_id, provider, status, account_id, account_name, account_email, scopes, token_expires_at,
  connected_by, connected_at, last_error, last_error_at, created_at, updated_at
) on public.team_integrations to authenticated;
grant delete on public.team_integrations to authenticated;

alter table public.profiles enable row level security;
alter table public.teams enable row level security;
alter table public.team_members enable row level security;
alter table public.team_integrations enable row level security;

create policy "profiles: self and teammates read" on public.profiles
  for select to authenticated
  using (id = (select auth.uid()) or private.shares_team_with(id));

create policy "teams: members read" on public.teams
  for select to authenticated
  using (private.is_team_member(id));

create policy "teams: admins rename" on public.teams
  for update to authenticated
  using (private.is_team_admin(id))
  with check (private.is_team_admin(id));

create policy "team_members: members read their team" on public.team_members
  for select to authenticated
  using (private.is_team_member(team_id));

create policy "team_integrations: members read" on public.team_integrations
  for select to authenticated
  using (private.is_team_member(team_id));

create policy "team_integrations: admins remove" on public.team_integrations
  for delete to authenticated
  using (private.is_team_admin(team_id));

-- The only shape of an integration a client ever sees. security_invoker: the caller's RLS applies.
create view public.team_integrations_public
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
  i.updated_at
from public.team_integrations i
left join public.profiles p on p.id = i.connected_by;

revoke all on public.team_integrations_public from anon, authenticated;
grant select on public.team_integrations_public to authenticated, service_role;
