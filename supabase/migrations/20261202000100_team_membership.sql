-- Team membership managed by the team itself: roles, removal, leaving, invites by e-mail, creating a team.
--
-- Who may do what (row-level security decides; the API only explains a refusal):
--   - owners and admins change roles and remove members; only an owner makes, unmakes or removes an owner;
--   - anyone may leave (delete their own membership);
--   - a team always keeps one owner: the last owner can never be demoted, removed or leave (a trigger that locks the
--     team row first, so two concurrent demotions of the two last owners cannot both pass);
--   - invites (team_invites) are read and revoked by the team's owners and admins only, and written only by
--     private.invite_team_member (security definer: it must look the address up in auth.users);
--   - a pending invite becomes a membership when an account with that address (the e-mail rule,
--     private.normalize_email) is confirmed: at sign-up when Auth confirms at once, at confirmation, or at a sign-in.

create function private.is_team_owner(p_team_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.team_members m
    where m.team_id = p_team_id and m.user_id = (select auth.uid()) and m.role = 'owner'
  )
$$;
revoke all on function private.is_team_owner(uuid) from public;
grant execute on function private.is_team_owner(uuid) to authenticated, service_role;

-- Roles and removals --------------------------------------------------------------------------------------------

grant update (role) on public.team_members to authenticated;
grant delete on public.team_members to authenticated;

-- USING sees the row before the change, WITH CHECK the row after: an admin can neither touch an owner's row nor
-- write role 'owner'.
create policy "team_members: admins change roles, owners for owners" on public.team_members
  for update to authenticated
  using (private.is_team_admin(team_id) and (role <> 'owner' or private.is_team_owner(team_id)))
  with check (private.is_team_admin(team_id) and (role <> 'owner' or private.is_team_owner(team_id)));

create policy "team_members: admins remove, owners for owners, anyone leaves" on public.team_members
  for delete to authenticated
  using (
    user_id = (select auth.uid())
    or (private.is_team_admin(team_id) and (role <> 'owner' or private.is_team_owner(team_id)))
  );

-- The last owner. The team row is locked (NO KEY UPDATE: members may still be added, their foreign-key checks take
-- KEY SHARE) before the owners are counted, so of two concurrent demotions the second counts after the first
-- committed. A plpgsql statement takes a fresh snapshot in READ COMMITTED, so the count sees that commit.
-- A membership removed because its team or its account is being deleted is let go (the row is gone already).
create function private.keep_a_team_owner() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if old.role <> 'owner' or (tg_op = 'UPDATE' and new.role = 'owner') then
    return coalesce(new, old);
  end if;
  perform 1 from public.teams where id = old.team_id for no key update;
  if not found or not exists (select 1 from auth.users where id = old.user_id) then
    return coalesce(new, old);
  end if;
  if not exists (
    select 1 from public.team_members
     where team_id = old.team_id and role = 'owner' and user_id <> old.user_id
  ) then
    raise exception 'last_owner: a team keeps at least one owner'
      using errcode = 'P0001', hint = 'last_owner';
  end if;
  return coalesce(new, old);
end
$$;

create trigger team_members_keep_an_owner before update of role or delete on public.team_members
  for each row execute function private.keep_a_team_owner();

-- Invites -------------------------------------------------------------------------------------------------------

create table public.team_invites (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  -- as typed (trimmed, NFC); matched by its canonical form
  email text not null check (char_length(email) between 3 and 320),
  email_normalized text not null generated always as (private.normalize_email(email)) stored
    check (email_normalized is not null),
  role text not null check (role in ('owner', 'admin', 'member')),
  invited_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  unique (team_id, email_normalized)
);
create index team_invites_email_idx on public.team_invites (email_normalized);

revoke all on public.team_invites from anon, authenticated;
grant all on public.team_invites to service_role;
grant select, delete on public.team_invites to authenticated;
alter table public.team_invites enable row level security;

create policy "team_invites: admins read" on public.team_invites
  for select to authenticated
  using (private.is_team_admin(team_id));

create policy "team_invites: admins revoke" on public.team_invites
  for delete to authenticated
  using (private.is_team_admin(team_id));

/**
 * Invite an address to a team as `p_role`, as the calling user (auth.uid()) who must be an owner or admin (an owner
 * for role 'owner'). An account with that address whose e-mail is confirmed joins at once ('joined', its user id);
 * otherwise a pending invite is stored ('invited', the invite id). Errors (SQLSTATE P0001, the code in HINT):
 * not_team_admin, not_team_owner, invalid_email, already_member, invite_exists.
 */
create function private.invite_team_member(p_team_id uuid, p_email text, p_role text)
returns table (outcome text, user_id uuid, invite_id uuid)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_email text := normalize(btrim(p_email), NFC);
  v_canonical text := private.normalize_email(p_email);
  v_user uuid;
begin
  if not private.is_team_admin(p_team_id) then
    raise exception 'not_team_admin' using errcode = 'P0001', hint = 'not_team_admin';
  end if;
  if p_role = 'owner' and not private.is_team_owner(p_team_id) then
    raise exception 'not_team_owner' using errcode = 'P0001', hint = 'not_team_owner';
  end if;
  if v_canonical is null then
    raise exception 'invalid_email' using errcode = 'P0001', hint = 'invalid_email';
  end if;
  select u.id into v_user from auth.users u
   where private.normalize_email(u.email) = v_canonical and u.email_confirmed_at is not null
   order by u.created_at limit 1;
  if v_user is not null then
    if exists (select 1 from public.team_members m where m.team_id = p_team_id and m.user_id = v_user) then
      raise exception 'already_member' using errcode = 'P0001', hint = 'already_member';
    end if;
    insert into public.team_members (team_id, user_id, role) values (p_team_id, v_user, p_role);
    return query select 'joined'::text, v_user, null::uuid;
    return;
  end if;
  return query
    insert into public.team_invites (team_id, email, role, invited_by)
    values (p_team_id, v_email, p_role, (select auth.uid()))
    on conflict (team_id, email_normalized) do nothing
    returning 'invited'::text, null::uuid, id;
  if not found then
    raise exception 'invite_exists' using errcode = 'P0001', hint = 'invite_exists';
  end if;
end
$$;
revoke all on function private.invite_team_member(uuid, text, text) from public;
grant execute on function private.invite_team_member(uuid, text, text) to authenticated;

-- Pending invites become memberships once the address is proven: Supabase Auth sets email_confirmed_at at sign-up
-- (autoconfirm) or at confirmation, updates last_sign_in_at at every sign-in, and email after a confirmed change.
create function private.accept_team_invites() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_canonical text := private.normalize_email(new.email);
begin
  if new.email_confirmed_at is null or v_canonical is null then
    return new;
  end if;
  insert into public.team_members (team_id, user_id, role)
  select i.team_id, new.id, i.role from public.team_invites i where i.email_normalized = v_canonical
  on conflict (team_id, user_id) do nothing;
  delete from public.team_invites where email_normalized = v_canonical;
  return new;
end
$$;

create trigger on_auth_user_accept_invites
  after insert or update of email, email_confirmed_at, last_sign_in_at on auth.users
  for each row execute function private.accept_team_invites();

-- Creating a team -----------------------------------------------------------------------------------------------

/** A new team named `p_name` (trimmed, 1-100 characters) with the caller as its owner; its id. */
create function private.create_team(p_name text) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_user uuid := (select auth.uid());
  v_team uuid;
begin
  if v_user is null then
    raise exception 'unauthorized' using errcode = 'P0001', hint = 'unauthorized';
  end if;
  insert into public.teams (name) values (btrim(p_name)) returning id into v_team;
  insert into public.team_members (team_id, user_id, role) values (v_team, v_user, 'owner');
  insert into public.team_settings (team_id) values (v_team) on conflict (team_id) do nothing;
  return v_team;
end
$$;
revoke all on function private.create_team(text) from public;
grant execute on function private.create_team(text) to authenticated;
