-- Which providers exist is the registry's business (supabase/functions/_shared/oauth/registry.ts): every write of a
-- team_integrations row goes through the OAuth engine, which refuses an unknown id before any SQL, and clients have
-- no write grant. The list in this check made "adding a provider" a migration as well; the check now keeps only
-- what the database itself must hold: a provider id is a short lower-case slug (it becomes env names, function
-- names and AAD strings).
alter table public.team_integrations drop constraint team_integrations_provider_check;
alter table public.team_integrations
  add constraint team_integrations_provider_check check (provider ~ '^[a-z][a-z0-9]{1,30}$');
