-- Meetings are provider-neutral (issue 12): a meeting is keyed by (team_id, provider, provider_meeting_id), not by
-- Fathom's recording id, so Zoom (and whatever comes next) stores its meetings in the same table, with the same lead
-- matching, links, tasks and automation triggers.
--
-- 1. provider: the check becomes the slug rule team_integrations uses (20261201000300), not a list of one. Its
--    default stays 'fathom' (what every row written before this migration is; storeMeeting always names it).
-- 2. provider_meeting_id text: the provider's own id for the meeting. Fathom: the recording id as decimal text (no
--    leading zeros: bigint::text); Zoom: the recording's meeting uuid. Text, because providers' ids are not all
--    numbers (docs/decisions.md). Every existing row gets its recording id; the row (and its id, links, tasks,
--    events) is the same row.
-- 3. unique (team_id, provider, provider_meeting_id) replaces unique (team_id, recording_id).
-- 4. fathom_created_at becomes provider_created_at; recording_id leaves the table (Fathom's wire keeps recording_id:
--    Fathom's code converts at its edge; webhook_deliveries and fathom_import_listed stay Fathom's own tables).
-- 5. private.link_lead_email_to_meetings read m.recording_id (PL/pgSQL: not tracked as a dependency, so dropping
--    the column would only break it at run time): re-created with provider_meeting_id in the event payload.
-- RLS and grants on meetings are unchanged (policies name team_id only; the table's grants cover new columns).

alter table public.meetings drop constraint meetings_provider_check;
alter table public.meetings
  add constraint meetings_provider_check check (provider ~ '^[a-z][a-z0-9]{1,30}$');

alter table public.meetings add column provider_meeting_id text;
update public.meetings set provider_meeting_id = recording_id::text;
alter table public.meetings alter column provider_meeting_id set not null;
alter table public.meetings
  add constraint meetings_provider_meeting_id_check
  check (length(provider_meeting_id) between 1 and 200 and provider_meeting_id !~ '[[:cntrl:]]');

alter table public.meetings
  add constraint meetings_team_provider_meeting_key unique (team_id, provider, provider_meeting_id);
alter table public.meetings drop constraint meetings_team_id_recording_id_key;
alter table public.meetings drop column recording_id;

alter table public.meetings rename column fathom_created_at to provider_created_at;

comment on column public.meetings.provider is 'The meeting''s source: a provider slug (fathom, zoom, ...).';
comment on column public.meetings.provider_meeting_id is
  'The provider''s id for the meeting, as text. Fathom: the recording id in decimal; Zoom: the recording''s meeting uuid.';
comment on column public.meetings.provider_created_at is 'When the provider created the meeting (Fathom: created_at).';

-- Same as in 20261130000100, the event payload naming the meeting by provider and provider_meeting_id.
create or replace function private.link_lead_email_to_meetings(p_team_id uuid, p_lead_id uuid, p_email text)
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
    select p_team_id, m.integration_id, m.provider, m.provider || '.meeting.linked_to_lead', 'meeting', m.id::text,
           jsonb_build_object('meeting_id', m.id, 'lead_id', p_lead_id, 'provider', m.provider,
                              'provider_meeting_id', m.provider_meeting_id),
           m.provider || '.meeting.linked_to_lead:' || m.id::text || ':' || p_lead_id::text
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
revoke all on function private.link_lead_email_to_meetings(uuid, uuid, text) from public;

-- A lead created from an unknown attendee carries the meeting's provider as its source ('fathom' until now):
-- 'manual' or a provider slug. Same constraint name, so a later migration can narrow or widen it again.
alter table public.leads drop constraint leads_source_check;
alter table public.leads
  add constraint leads_source_check check (source = 'manual' or source ~ '^[a-z][a-z0-9]{1,30}$');
