-- Membership hardening after the second review of issue 10:
--   1. an invite is only as good as its inviter's standing: when a member leaves or is removed, the pending invites
--      they sent in that team go; when demoted, those above what the new role may send go (to member: all; owner ->
--      admin: the owner-role ones); and private.accept_invitation refuses (invite_not_found) an invite its inviter
--      may no longer send (defence in depth: an invite written while its inviter was being removed, or one whose
--      inviter's account is gone);
--   2. a lead's owner is a member of the lead's team by a composite foreign key, not by a trigger: the foreign-key
--      check locks the membership row (KEY SHARE), so a lead assigned to a member while that member is being
--      removed either waits and is refused (23503), or goes first and the removal then clears its owner;
--   3. team names: combining marks and variation selectors alone are not a name.

-- 1. Invites follow their inviter ---------------------------------------------------------------------------------

/**
 * Whether `p_user` may (still) send an invite for role `p_role` in team `p_team_id`: an owner any role, an admin
 * 'admin' or 'member'; false for a non-member or a null user (the inviter's account was deleted). The rule of
 * private.invite_team_member, for a given user instead of the caller.
 */
create function private.may_send_invite(p_team_id uuid, p_user uuid, p_role text) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.team_members m
     where m.team_id = p_team_id and m.user_id = p_user
       and (m.role = 'owner' or (m.role = 'admin' and p_role <> 'owner'))
  )
$$;
revoke all on function private.may_send_invite(uuid, uuid, text) from public;

-- Pending invites the departing or demoted member may no longer send are deleted in the same transaction. An
-- accept holding the invite row (FOR UPDATE) finishes first; the delete then re-reads the row, finds it accepted
-- and leaves it (the invitee joined before the inviter left: a valid order).
create function private.drop_invites_beyond_inviter() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    delete from public.team_invites i
     where i.team_id = old.team_id and i.invited_by = old.user_id and i.accepted_at is null;
    return old;
  end if;
  if new.role is distinct from old.role then
    delete from public.team_invites i
     where i.team_id = new.team_id and i.invited_by = new.user_id and i.accepted_at is null
       and not private.may_send_invite(new.team_id, new.user_id, i.role);
  end if;
  return new;
end
$$;
revoke all on function private.drop_invites_beyond_inviter() from public;

create trigger team_members_drop_invites after update of role or delete on public.team_members
  for each row execute function private.drop_invites_beyond_inviter();

/**
 * Accept invitation `p_invite_id` as the caller (20261202000400_invites_are_accepted.sql), and now only while its
 * inviter may still send it (private.may_send_invite): an invite from a removed or demoted member, or from a deleted
 * account (invited_by null: nobody vouches for it any more, and the invitee could not be told who invited them), is
 * refused like a revoked one. Returns (team_id, role). Errors: unauthorized, email_not_confirmed, invite_not_found.
 */
create or replace function private.accept_invitation(p_invite_id uuid)
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
     or (v_invite.accepted_at is null
         and not private.may_send_invite(v_invite.team_id, v_invite.invited_by, v_invite.role))
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

-- Pending invites already orphaned by a departure or demotion before this migration.
delete from public.team_invites i
 where i.accepted_at is null and not private.may_send_invite(i.team_id, i.invited_by, i.role);

-- 2. A lead's owner is a member of its team -----------------------------------------------------------------------

-- The trigger of 20261202000400 cleared a departing member's leads, but a lead assigned to that member by a
-- concurrent transaction (leads' RLS `exists` check takes no lock) could still end up owned by a non-member.
drop trigger team_members_release_leads on public.team_members;
drop function private.release_departing_members_leads();

update public.leads l set owner_id = null
 where l.owner_id is not null
   and not exists (select 1 from public.team_members m where m.team_id = l.team_id and m.user_id = l.owner_id);

-- ON DELETE SET NULL (owner_id) (PostgreSQL 15+): a departing member's leads lose their owner, team_id stays.
-- Deleting the team deletes its leads as before (both cascade from teams).
alter table public.leads add constraint leads_owner_is_member
  foreign key (team_id, owner_id) references public.team_members (team_id, user_id) on delete set null (owner_id);
create index leads_team_owner_idx on public.leads (team_id, owner_id) where owner_id is not null;

-- 3. Team names ---------------------------------------------------------------------------------------------------

/**
 * A team name shows what it says: 1-100 characters, no control, format (bidi overrides, zero-width), line or
 * paragraph separator characters (but the zero-width joiners U+200C and U+200D, which emoji and several scripts
 * need), and at least one character that is none of: a space, a joiner, a blank filler (Hangul fillers, braille
 * blank), a combining mark (U+0300-036F, U+0483-0489, U+1AB0-1AFF, U+1DC0-1DFF, U+20D0-20FF, U+FE20-FE2F), the
 * grapheme joiner U+034F, the Khmer inherent vowels U+17B4-17B5, the Mongolian variation selectors U+180B-180F, or
 * a variation selector (U+FE00-FE0F, U+E0100-E01EF).
 * The API's rule (teamNameProblem() in supabase/functions/_shared/team_name.ts) answers first with a clear 400;
 * this database rule is the coarser one, a backstop for writes that bypass the API.
 */
create or replace function private.is_team_name(p_name text) returns boolean
language sql immutable strict parallel safe
as $$
  select char_length(p_name) between 1 and 100
     and p_name !~ '[\u0001-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]'
     and p_name ~ '[^\u0020\u00a0\u1680\u2000-\u200a\u200c\u200d\u202f\u205f\u3000\u115f\u1160\u3164\uffa0\u2800\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u034f\u17b4\u17b5\u180b-\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]'
$$;
