-- Issue 7, items 6 and 7.
--
-- (6) One e-mail rule everywhere. The JS rule (supabase/functions/_shared/email.ts) and this database agree on
--     what an address is and when two are the same: Unicode NFC, then trim, then lower-case. Before, the database's
--     lead_emails.email_normalized was lower(btrim(email)): no NFC (an NFD "jo\u0308rg@..." invitee became a second
--     lead next to "jörg@..."), btrim() trims only U+0020 (JS trims every White_Space character), and lower()
--     follows the database's LC_CTYPE (C: ASCII only, libc: per-character towlower, "İ" -> "i" without the dot,
--     no final sigma), while JS lower-cases with Unicode's full default mapping. Here lower() runs under the ICU
--     root collation ("und-x-icu"), which IS Unicode's default full mapping on every database whatever its
--     LC_CTYPE: real PostgreSQL 15 (C.UTF-8 here, en_US.UTF-8 on Supabase) and PGlite (PostgreSQL 18, WASM) both
--     ship it. Decisions, shared with the JS rule and tested on both databases in
--     supabase/functions/tests/lead_emails_test.ts:
--       NFC, not NFKC: full-width "ＪＯＥ" stays full width ("＠" is no "@"); "ẞ" -> "ß" (lower-case, not case
--       folding: "ß" is not "ss"); "İ" -> "i" + U+0307 (Unicode's rule, not Turkish); final "Σ" -> "ς".
--     Valid: at most 320 code points (trimmed, and canonical), exactly one "@", a dotted domain, no whitespace and
--     no control character. Internationalised local parts and IDN domains (in Unicode) are valid.
--
--     Rows that collide under the new rule (the same address stored twice in two Unicode forms, necessarily on
--     two leads of one team, or twice on one lead) must not make this migration fail. The address stays with the
--     lead that had it first (oldest lead_emails row, then oldest lead); the later rows are removed from their
--     leads, and each removal is recorded as a 'lead.email_removed' event (provider 'crm') naming the address and
--     the lead that keeps it, so the team can see and merge. Leads are NOT merged automatically: two leads may
--     carry different names, owners, stages and notes that only a person can reconcile, and a merge cannot be
--     undone; the duplicate lead keeps everything else, including the meeting links it already has. A row that
--     is not an address under the new rule (e.g. a control character the old check let through) is removed and
--     recorded the same way.
--
-- (7) A lead is linked to the team's meetings as soon as one of its e-mails is added or changed, in the same
--     transaction, whoever writes it (the API, the import creating a lead, SQL): an AFTER trigger on lead_emails,
--     not a call in the leads store, because the database is the one place every writer passes through.
--     meetings.attendee_emails (normalised invitee e-mails, the recorder's own excluded: the import's matching
--     rule) is a generated column with a GIN index, so it can never drift from invitees/recorded_by and the
--     import need not know about it. Each new link writes a meeting_leads row (matched_email = the normalised
--     e-mail) and the 'fathom.meeting.linked_to_lead' event under the import's idempotency key
--     (fathom.meeting.linked_to_lead:<meeting id>:<lead id>), so neither side announces a link twice.
--     Removing an e-mail from a lead leaves its links alone: the lead did attend those meetings under that address,
--     there is no "unlinked" event to tell automations, and an automatic unlink cannot tell a typo from an address
--     the person simply stopped using. Manual links (matched_email null) are never touched either.
--     Existing data is linked once at the end of this migration, so leads created after an earlier import no
--     longer wait for "Re-import all".

-- ---------------------------------------------------------------------------------------------------------------
-- The rule in SQL. SQL-standard bodies: parsed once, dependencies recorded, no search_path involved.
-- The trim set is ECMAScript's WhiteSpace + LineTerminator (what String.prototype.trim and \s remove):
-- U+0009-000D, U+0020, U+00A0, U+1680, U+2000-200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.

create function private.trim_email(raw text) returns text
language sql immutable strict parallel safe
return btrim(normalize(raw, NFC),
  E'\u0009\u000a\u000b\u000c\u000d\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff');

comment on function private.trim_email(text) is
  'NFC, then trimmed of ECMAScript White_Space: the stored spelling of an e-mail (case kept).';

-- NFC, trimmed, lower-cased under ICU's root locale (Unicode's default full mapping), NFC, validity not judged.
-- Equal to canonicalEmail() in supabase/functions/_shared/email.ts.
create function private.canonical_email(raw text) returns text
language sql immutable strict parallel safe
-- NFC again after lower-casing: J + caron lower-cases to j + caron, which composes to ǰ like the other spelling.
return normalize(lower(private.trim_email(raw) collate "und-x-icu"), NFC);

-- The canonical form of an e-mail, or null when it is not one we store. Equal to normalizeEmail() in
-- supabase/functions/_shared/email.ts. PL/pgSQL rather than a SQL body: it runs for every invitee of every imported
-- meeting (meetings.attendee_emails), and PL/pgSQL keeps its expressions planned across calls; the SQL-body version
-- with subqueries was re-planned on every call and made a page of 10 meetings cost ~7 ms more (bench/import).
create function private.normalize_email(raw text) returns text
language plpgsql immutable strict parallel safe
as $$
declare
  trimmed text := private.trim_email(raw);
  canonical text;
begin
  if char_length(trimmed) > 320 then
    return null;
  end if;
  canonical := normalize(lower(trimmed collate "und-x-icu"), NFC);
  if char_length(canonical) > 320
     or canonical !~ '^[^@\u0009-\u000d\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+@[^@\u0009-\u000d\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+\.[^@\u0009-\u000d\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+$'
     -- control and format characters (Cc, Cf: zero-width spaces, direction marks, soft hyphens): look-alikes
     or canonical ~ '[\u0001-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]' then
    return null;
  end if;
  return canonical;
end
$$;

comment on function private.normalize_email(text) is
  'The one e-mail rule (NFC, trim, lower-case; valid or null). Mirrors supabase/functions/_shared/email.ts.';

-- The normalised e-mails of a meeting's invitees, the recorder's own excluded, distinct and sorted: whom the
-- meeting can be linked to. Junk (not an array, not objects, no valid e-mail) is skipped, never an error.
create function private.meeting_attendee_emails(invitees jsonb, recorded_by jsonb) returns text[]
language plpgsql immutable parallel safe
as $$
declare
  host text := case when jsonb_typeof(recorded_by) = 'object' then private.normalize_email(recorded_by ->> 'email') end;
  invitee jsonb;
  email text;
  emails text[] := '{}';
begin
  if jsonb_typeof(invitees) is distinct from 'array' then
    return emails;
  end if;
  for invitee in select value from jsonb_array_elements(invitees) loop
    if jsonb_typeof(invitee) = 'object' then
      email := private.normalize_email(invitee ->> 'email');
      if email is not null and email is distinct from host and not email = any(emails) then
        emails := emails || email;
      end if;
    end if;
  end loop;
  return array(select unnest(emails) order by 1);
end
$$;

-- Generated columns and check constraints call these as the writing role (members write lead_emails, the
-- functions write meetings as service_role).
revoke all on function private.trim_email(text), private.canonical_email(text), private.normalize_email(text),
  private.meeting_attendee_emails(jsonb, jsonb) from public;
grant execute on function private.trim_email(text), private.canonical_email(text), private.normalize_email(text),
  private.meeting_attendee_emails(jsonb, jsonb) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------------------------
-- Rows that collide (or are no longer addresses) under the new rule: see the header for why and what happens.

with keyed as (
  select e.lead_id, e.team_id, e.email, e.email_normalized as old_key, k.new_key,
         row_number() over w as position,
         first_value(e.lead_id) over w as kept_by
    from public.lead_emails e
    join public.leads l on l.id = e.lead_id
    cross join lateral (select private.normalize_email(e.email) as new_key) k
  window w as (partition by e.team_id, k.new_key order by e.created_at, l.created_at, e.lead_id, e.email)
),
removed as (
  delete from public.lead_emails e
   using keyed k
   where e.lead_id = k.lead_id and e.email_normalized = k.old_key
     and (k.new_key is null or k.position > 1)
  returning e.lead_id, e.team_id, e.email, k.new_key, k.kept_by
)
insert into public.integration_events (team_id, provider, type, subject_type, subject_id, payload)
select r.team_id, 'crm', 'lead.email_removed', 'lead', r.lead_id::text,
       jsonb_build_object(
         'email', r.email,
         'reason', case when r.new_key is null then 'not_an_email' else 'duplicate' end,
         'kept_by_lead_id', case when r.new_key is not null then r.kept_by end,
         'by', 'migration 20261130000100_email_rule_and_lead_linking')
  from removed r;

-- ---------------------------------------------------------------------------------------------------------------
-- lead_emails.email_normalized under the new rule (a generated column cannot be altered: drop and add it, and
-- with it its primary key and unique constraint; existing rows are recomputed by the table rewrite).

alter table public.lead_emails
  drop constraint lead_emails_pkey,
  drop constraint lead_emails_team_id_email_normalized_key,
  drop constraint lead_emails_email_check;
alter table public.lead_emails drop column email_normalized;
-- canonical_email, not normalize_email: junk then fails the check constraint (23514, as before) rather than the
-- key's not-null; for every row that passes the check the two are equal.
alter table public.lead_emails
  add column email_normalized text generated always as (private.canonical_email(email)) stored,
  add constraint lead_emails_email_check
    check (char_length(email) <= 1000 and private.normalize_email(email) is not null),
  add primary key (lead_id, email_normalized),
  add constraint lead_emails_team_id_email_normalized_key unique (team_id, email_normalized);

comment on column public.lead_emails.email_normalized is
  'private.canonical_email(email): NFC, trimmed, lower-cased (ICU root). One address per team.';

-- ---------------------------------------------------------------------------------------------------------------
-- meetings.attendee_emails: whom a meeting can be linked to, by e-mail (the import's rule, kept in the database).

alter table public.meetings
  add column attendee_emails text[] not null
    generated always as (private.meeting_attendee_emails(invitees, recorded_by)) stored;
create index meetings_attendee_emails_idx on public.meetings using gin (attendee_emails);

comment on column public.meetings.attendee_emails is
  'Normalised invitee e-mails without the recorder''s: private.meeting_attendee_emails(invitees, recorded_by).';

-- ---------------------------------------------------------------------------------------------------------------
-- Linking a lead's e-mail to the team's meetings.

-- Links every meeting of the team that the (normalised) e-mail attended to the lead, with one
-- 'fathom.meeting.linked_to_lead' event per new link (the import's key: a link it announced is not announced
-- again, and vice versa). Returns how many links are new. Service/trigger use only.
create function private.link_lead_email_to_meetings(p_team_id uuid, p_lead_id uuid, p_email text)
returns integer
language plpgsql security definer set search_path = ''
as $$
declare
  linked_count integer;
begin
  with linked as (
    insert into public.meeting_leads (meeting_id, lead_id, team_id, matched_email)
    select m.id, p_lead_id, p_team_id, p_email
      from public.meetings m
     where m.team_id = p_team_id and m.attendee_emails @> array[p_email]
    on conflict (meeting_id, lead_id) do nothing
    returning meeting_id
  ),
  announced as (
    insert into public.integration_events (team_id, integration_id, provider, type, subject_type, subject_id,
                                           payload, idempotency_key)
    select p_team_id, m.integration_id, m.provider, 'fathom.meeting.linked_to_lead', 'meeting', m.id::text,
           jsonb_build_object('meeting_id', m.id, 'lead_id', p_lead_id, 'recording_id', m.recording_id),
           'fathom.meeting.linked_to_lead:' || m.id::text || ':' || p_lead_id::text
      from linked l
      join public.meetings m on m.id = l.meeting_id
     order by m.recording_start_time nulls first, m.id
    on conflict (team_id, idempotency_key) where idempotency_key is not null do nothing
    returning 1
  )
  select count(*)::integer into linked_count from linked;
  return linked_count;
end
$$;

create function private.link_lead_email_trigger() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if tg_op = 'INSERT'
     or new.email_normalized is distinct from old.email_normalized
     or new.lead_id is distinct from old.lead_id then
    perform private.link_lead_email_to_meetings(new.team_id, new.lead_id, new.email_normalized);
  end if;
  return null;
end
$$;

create trigger lead_emails_link_meetings after insert or update on public.lead_emails
  for each row execute function private.link_lead_email_trigger();

revoke all on function private.link_lead_email_to_meetings(uuid, uuid, text), private.link_lead_email_trigger()
  from public;

-- Existing leads: link what an import before this migration could not (leads created after their meetings).
select private.link_lead_email_to_meetings(team_id, lead_id, email_normalized)
  from public.lead_emails
 order by created_at, lead_id, email_normalized;
