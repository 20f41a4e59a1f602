-- Invites are accepted by the invitee, and only for a proven address (security review 10). Replaces the parts of
-- 20261202000100_team_membership.sql that joined people by themselves:
--   - private.invite_team_member never adds anyone: it stores a pending invite and answers the same for every address
--     (an account existing or not), so it neither forces a membership on an account nor tells that it exists;
--   - the trigger that turned invites into memberships at sign-up / confirmation / sign-in is gone;
--   - the signed-in user lists their pending invites (private.my_invitations) and accepts or declines one
--     (private.accept_invitation, private.decline_invitation), only when auth.users.email_confirmed_at is set and
--     the canonical address (private.normalize_email) matches the invite's;
--   - an accepted invite is kept (accepted_at, accepted_by) so that accepting again answers the same (idempotent);
--     a revoked (deleted) one cannot be accepted: accept locks the row, so a revoke and an accept never both win.
-- Also: a departing member's leads in that team lose their owner (finding 3), limits on teams and invites
-- (finding 4), the last-owner check under any isolation level (finding 5), team names without control or format
-- characters (finding 6).
--
-- Errors are SQLSTATE P0001 with the API's code in HINT (api/routes/membership_errors.ts maps them):
-- email_not_confirmed, invite_not_found, invalid_team_name, too_many_teams, team_limit, too_many_invites, and the
-- older not_team_admin, not_team_owner, invalid_email, already_member, invite_exists, last_owner.

drop trigger if exists on_auth_user_accept_invites on auth.users;
drop function if exists private.accept_team_invites();

-- Invites: pending until accepted ------------------------------------------------------------------------------

alter table public.team_invites
  add column accepted_at timestamptz,
  add column accepted_by uuid references auth.users (id) on delete set null;
-- one PENDING invite per address and team; accepted ones are history (and let the address be invited again later)
alter table public.team_invites drop constraint team_invites_team_id_email_normalized_key;
create unique index team_invites_pending_uniq on public.team_invites (team_id, email_normalized)
  where accepted_at is null;

-- Limits (finding 4). Pending invites per team; teams created per user per day and owned in total.
create function private.limits() returns table (pending_invites_per_team int, teams_per_day int, teams_owned int)
language sql immutable as $$ select 100, 10, 50 $$;
revoke all on function private.limits() from public;

/**
 * Invite an address to a team as `p_role`, as the calling user (an owner or admin; an owner for role 'owner').
 * Stores a pending invite; nobody joins until the invitee accepts with a confirmed address. The answer is the same
 * whether an account has that address or not: ('invited', the invite id). Errors (P0001, code in HINT):
 * not_team_admin, not_team_owner, invalid_email, already_member (a member of this team has that address: the admin
 * sees the members anyway), invite_exists, too_many_invites (private.limits()).
 */
drop function private.invite_team_member(uuid, text, text);
create function private.invite_team_member(p_team_id uuid, p_email text, p_role text)
returns table (outcome text, invite_id uuid)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_email text := normalize(btrim(p_email), NFC);
  v_canonical text := private.normalize_email(p_email);
  v_id uuid;
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
  -- one inviter at a time per team: the count below cannot be passed by two at once
  perform 1 from public.teams where id = p_team_id for no key update;
  if exists (
    select 1 from public.team_members m join auth.users u on u.id = m.user_id
     where m.team_id = p_team_id and private.normalize_email(u.email) = v_canonical
  ) then
    raise exception 'already_member' using errcode = 'P0001', hint = 'already_member';
  end if;
  if (select count(*) from public.team_invites i where i.team_id = p_team_id and i.accepted_at is null)
     >= (select l.pending_invites_per_team from private.limits() l) then
    raise exception 'too_many_invites' using errcode = 'P0001', hint = 'too_many_invites';
  end if;
  insert into public.team_invites (team_id, email, role, invited_by)
  values (p_team_id, v_email, p_role, (select auth.uid()))
  on conflict (team_id, email_normalized) where accepted_at is null do nothing
  returning id into v_id;
  if v_id is null then
    raise exception 'invite_exists' using errcode = 'P0001', hint = 'invite_exists';
  end if;
  return query select 'invited'::text, v_id;
end
$$;
revoke all on function private.invite_team_member(uuid, text, text) from public;
grant execute on function private.invite_team_member(uuid, text, text) to authenticated;

/** The caller's canonical address when it is confirmed (auth.users.email_confirmed_at), else null. */
create function private.my_confirmed_email() returns text
language sql stable security definer set search_path = ''
as $$
  select private.normalize_email(u.email) from auth.users u
   where u.id = (select auth.uid()) and u.email_confirmed_at is not null
$$;
revoke all on function private.my_confirmed_email() from public;

/**
 * The caller's pending invitations, newest first: (id, team_id, team_name, role, invited_by_name,
 * invited_by_email, created_at). Empty while the caller's address is not confirmed.
 */
create function private.my_invitations()
returns table (id uuid, team_id uuid, team_name text, role text, invited_by_name text, invited_by_email text,
               created_at timestamptz)
language sql stable security definer set search_path = ''
as $$
  select i.id, i.team_id, t.name, i.role, p.full_name, p.email, i.created_at
    from public.team_invites i
    join public.teams t on t.id = i.team_id
    left join public.profiles p on p.id = i.invited_by
   where i.accepted_at is null
     and i.email_normalized = private.my_confirmed_email()
     and not exists (select 1 from public.team_members m where m.team_id = i.team_id and m.user_id = (select auth.uid()))
   order by i.created_at desc, i.id
$$;
revoke all on function private.my_invitations() from public;
grant execute on function private.my_invitations() to authenticated;

/** The caller's confirmed canonical address, or P0001 unauthorized / email_not_confirmed. */
create function private.require_confirmed_email() returns text
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_email text;
begin
  if (select auth.uid()) is null then
    raise exception 'unauthorized' using errcode = 'P0001', hint = 'unauthorized';
  end if;
  v_email := private.my_confirmed_email();
  if v_email is null then
    raise exception 'email_not_confirmed' using errcode = 'P0001', hint = 'email_not_confirmed';
  end if;
  return v_email;
end
$$;
revoke all on function private.require_confirmed_email() from public;

/**
 * Accept invitation `p_invite_id` as the caller: it must be addressed to the caller's confirmed canonical address.
 * Returns (team_id, role): the caller's membership. Idempotent: accepting an invite the caller already accepted (and
 * is still a member through) answers the same. The invite row is locked first, so a concurrent revoke either
 * happens before (then invite_not_found) or waits and finds it accepted. Errors: unauthorized,
 * email_not_confirmed, invite_not_found (unknown, revoked, declined, or someone else's).
 */
create function private.accept_invitation(p_invite_id uuid)
returns table (team_id uuid, role text)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_email text := private.require_confirmed_email();
  v_invite public.team_invites;
begin
  select * into v_invite from public.team_invites i
   where i.id = p_invite_id and i.email_normalized = v_email
   for update;
  if not found
     or (v_invite.accepted_at is not null and (v_invite.accepted_by is distinct from v_uid or not exists (
           select 1 from public.team_members m where m.team_id = v_invite.team_id and m.user_id = v_uid))) then
    raise exception 'invite_not_found' using errcode = 'P0001', hint = 'invite_not_found';
  end if;
  if v_invite.accepted_at is null then
    -- already a member (another invite, or added before): keep the role they have
    insert into public.team_members (team_id, user_id, role) values (v_invite.team_id, v_uid, v_invite.role)
    on conflict on constraint team_members_pkey do nothing;
    update public.team_invites set accepted_at = now(), accepted_by = v_uid where id = v_invite.id;
  end if;
  return query select m.team_id, m.role from public.team_members m
                where m.team_id = v_invite.team_id and m.user_id = v_uid;
end
$$;
revoke all on function private.accept_invitation(uuid) from public;
grant execute on function private.accept_invitation(uuid) to authenticated;

/** Decline (delete) the caller's pending invitation `p_invite_id`. Errors as accept_invitation. */
create function private.decline_invitation(p_invite_id uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_email text := private.require_confirmed_email();
begin
  delete from public.team_invites i
   where i.id = p_invite_id and i.email_normalized = v_email and i.accepted_at is null;
  if not found then
    raise exception 'invite_not_found' using errcode = 'P0001', hint = 'invite_not_found';
  end if;
end
$$;
revoke all on function private.decline_invitation(uuid) from public;
grant execute on function private.decline_invitation(uuid) to authenticated;

-- Admins see and revoke only pending invites; accepted ones are the invitee's receipt.
drop policy "team_invites: admins read" on public.team_invites;
create policy "team_invites: admins read" on public.team_invites
  for select to authenticated
  using (private.is_team_admin(team_id) and accepted_at is null);
drop policy "team_invites: admins revoke" on public.team_invites;
create policy "team_invites: admins revoke" on public.team_invites
  for delete to authenticated
  using (private.is_team_admin(team_id) and accepted_at is null);

-- A departing member's leads (finding 3) ----------------------------------------------------------------------

-- Leads' RLS requires an owner to be a member of the lead's team; a removed or leaving member's leads in that team
-- would fail every later edit (42501). They lose their owner in the same transaction as the membership.
create function private.release_departing_members_leads() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  -- the team itself being deleted takes its leads along: nothing to release
  if exists (select 1 from public.teams where id = old.team_id) then
    update public.leads set owner_id = null where team_id = old.team_id and owner_id = old.user_id;
  end if;
  return old;
end
$$;
revoke all on function private.release_departing_members_leads() from public;

create trigger team_members_release_leads after delete on public.team_members
  for each row execute function private.release_departing_members_leads();

-- The last owner under any isolation level (finding 5) ---------------------------------------------------------

-- The team row's lock serialises the checks; the other owners' rows are then locked (FOR SHARE) as they are
-- counted. Under READ COMMITTED the lock re-reads a row changed meanwhile (a demoted owner no longer counts); under
-- REPEATABLE READ or SERIALIZABLE, locking a row another transaction changed after the snapshot fails with a
-- serialization error (40001) rather than counting a stale owner.
create or replace function private.keep_a_team_owner() returns trigger
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
  perform 1 from public.team_members
   where team_id = old.team_id and role = 'owner' and user_id <> old.user_id
   for share;
  if not found then
    raise exception 'last_owner: a team keeps at least one owner'
      using errcode = 'P0001', hint = 'last_owner';
  end if;
  return coalesce(new, old);
end
$$;

-- Team names (finding 6) ---------------------------------------------------------------------------------------

/**
 * A team name shows what it says: no control, format (bidi overrides, zero-width), line or paragraph separator
 * characters (but the zero-width joiners U+200C and U+200D, which emoji and several scripts need), and at least one
 * visible character (not only spaces, joiners or blank fillers). Mirrors teamNameProblem() in
 * supabase/functions/_shared/team_name.ts.
 */
create function private.is_team_name(p_name text) returns boolean
language sql immutable strict parallel safe
as $$
  select char_length(p_name) between 1 and 100
     and p_name !~ '[\u0001-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]'
     and p_name ~ '[^\u0020\u00a0\u1680\u2000-\u200a\u200c\u200d\u202f\u205f\u3000\u115f\u1160\u3164\uffa0\u2800]'
$$;

-- NOT VALID: names written before this rule stay readable; every new or renamed team follows it.
alter table public.teams add constraint teams_name_shown check (private.is_team_name(name)) not valid;

-- Creating a team, with limits ---------------------------------------------------------------------------------

alter table public.teams add column created_by uuid references auth.users (id) on delete set null;
create index teams_created_by_idx on public.teams (created_by, created_at) where created_by is not null;

/**
 * A new team named `p_name` (trimmed; private.is_team_name) with the caller as its owner; its id. Errors:
 * unauthorized, invalid_team_name, too_many_teams (more than private.limits().teams_per_day in 24 hours),
 * team_limit (owner of private.limits().teams_owned teams already).
 */
create or replace function private.create_team(p_name text) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_user uuid := (select auth.uid());
  v_name text := btrim(p_name);
  v_team uuid;
begin
  if v_user is null then
    raise exception 'unauthorized' using errcode = 'P0001', hint = 'unauthorized';
  end if;
  if not coalesce(private.is_team_name(v_name), false) then
    raise exception 'invalid_team_name' using errcode = 'P0001', hint = 'invalid_team_name';
  end if;
  -- one creation at a time per user, so the counts cannot be passed by parallel requests
  perform 1 from public.profiles where id = v_user for update;
  if (select count(*) from public.teams t where t.created_by = v_user and t.created_at > now() - interval '1 day')
     >= (select l.teams_per_day from private.limits() l) then
    raise exception 'too_many_teams' using errcode = 'P0001', hint = 'too_many_teams';
  end if;
  if (select count(*) from public.team_members m where m.user_id = v_user and m.role = 'owner')
     >= (select l.teams_owned from private.limits() l) then
    raise exception 'team_limit' using errcode = 'P0001', hint = 'team_limit';
  end if;
  insert into public.teams (name, created_by) values (v_name, v_user) returning id into v_team;
  insert into public.team_members (team_id, user_id, role) values (v_team, v_user, 'owner');
  insert into public.team_settings (team_id) values (v_team) on conflict (team_id) do nothing;
  return v_team;
end
$$;
