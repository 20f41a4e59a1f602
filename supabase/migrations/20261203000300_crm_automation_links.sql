-- Issue 11: the CRM objects' automation_run_id (20261203000100_tasks_and_timeline.sql) now that automation_runs
-- exists (20261203000200_automations.sql). A task or note made by a run points at a run of its own team (composite
-- key on automation_runs (id, team_id)); deleting the run (its rule deleted) keeps the task or note, without the link.
-- lead_stage_changes.automation_run_id stays without a key: it is read from app.automation_run_id by a trigger on
-- leads, and a stage change is history that a missing run must never refuse.

alter table public.tasks add constraint tasks_automation_run_of_team
  foreign key (automation_run_id, team_id) references public.automation_runs (id, team_id)
  on delete set null (automation_run_id);
create index tasks_automation_run_idx on public.tasks (automation_run_id) where automation_run_id is not null;

alter table public.lead_notes add constraint lead_notes_automation_run_of_team
  foreign key (automation_run_id, team_id) references public.automation_runs (id, team_id)
  on delete set null (automation_run_id);
create index lead_notes_automation_run_idx on public.lead_notes (automation_run_id)
  where automation_run_id is not null;
