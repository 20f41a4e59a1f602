-- A lead.created automation event says where the lead came from (newcomer review 12, finding 13b): a lead a
-- provider's data made (leads.source fathom, zoom, typeform: a meeting attendee or a form respondent nobody knew)
-- is an event of source '<provider>', not 'import', so a rule can tell a Typeform lead from a Zoom one. The rest
-- is unchanged: a person's change is 'person', an automation's 'automation' (private.automation_cause decides those
-- first), and a lead with source 'manual' made by no person nor automation is still 'import'.
-- The source column takes the provider slugs as leads.source and meetings.provider do (migration
-- 20261204000300_provider_neutral_meetings.sql); the rule language lists the ones it offers (automations/context.ts
-- EVENT_SOURCES).

alter table public.automation_events drop constraint automation_events_source_check;
alter table public.automation_events
  add constraint automation_events_source_check
    check (source in ('import', 'webhook', 'person', 'automation') or source ~ '^[a-z][a-z0-9]{1,30}$');

create or replace function private.automation_on_lead_created() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.emit_automation_event(new.team_id, 'lead.created', new.id, null,
    case when new.source = 'manual' then 'import' else new.source end,
    jsonb_build_object('lead_source', new.source), 'lead.created:' || new.id::text);
  return null;
end
$$;
