-- "Import past meetings" once an import has completed lists only what is new: GET /meetings with created_after
-- set to when the previous import started (minus a margin for clock skew), not the whole history again. Webhooks
-- are the main path; this catches what they missed. null = the whole history (the first import, or on request).
alter table public.integration_syncs add column list_created_after timestamptz;

comment on column public.integration_syncs.list_created_after is
  'Lower bound (created_after) of this import''s meeting list; null lists the whole history.';
