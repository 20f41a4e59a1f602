-- Typeform (issue 12): the forms a team switched on, and the responses that became leads.
--
-- typeform_forms: one row per (team, Typeform form) the team has seen in its dialog and switched on at least once.
--   mapping      {email: <field id>, name?: <field id>, company?: <field id>, notes?: <field id>} (field ids of the
--                form; e-mail required while enabled). Guessed server-side from field types and titles, editable.
--   webhook_tag  the tag of our webhook on the form (PUT/DELETE /forms/{id}/webhooks/{tag}); null while off.
--   route_id_hash  sha256 hex of the route id in the webhook URL (<functions>/typeform-webhook/<route id>). The route
--                id is a capability (whoever knows it reaches the verifier for this form): only its hash is stored,
--                so it is never read back, logged or sent to the browser. A new one is made each time the form is
--                switched on.
--   webhook_secret_encrypted  the HMAC secret given to Typeform, AES-GCM like the tokens (_shared/crypto.ts, AAD
--                typeform_forms:<team>:<row id>:webhook_secret); never granted to clients.
--   last_refusal_reason / _at  the last response refused (a sentence: "No e-mail in the response"), shown on the
--                form's row.
--   backfill_*   the import of past responses when switched on (GET /forms/{id}/responses paged with `before`).
-- typeform_responses: one row per (team, form, response token): the dedupe key of deliveries and of the backfill
--   (concurrent duplicates insert one row: on conflict do nothing), kept when Typeform is disconnected (the form
--   rows go with the integration; a lead's timeline keeps the answers). answers: cleaned [{field_id, title, type,
--   value}].
--   status imported (lead_id set) | refused (reason set).
-- Members read both (no secret columns); every write is the API's or the webhook's (service_role).

-- A lead created from a response has source 'typeform': leads_source_check already takes any provider slug
-- (migration 20261204000300).

create table public.typeform_forms (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  integration_id uuid not null references public.team_integrations (id) on delete cascade,
  form_id text not null check (form_id ~ '^[A-Za-z0-9_-]{1,64}$'),
  title text not null check (char_length(title) <= 500),
  enabled boolean not null default false,
  mapping jsonb not null default '{}'::jsonb check (jsonb_typeof(mapping) = 'object' and pg_column_size(mapping) <= 4096),
  webhook_tag text check (webhook_tag is null or webhook_tag ~ '^[A-Za-z0-9_-]{1,100}$'),
  route_id_hash text check (route_id_hash is null or route_id_hash ~ '^[0-9a-f]{64}$'),
  webhook_secret_encrypted text,
  last_refusal_reason text check (last_refusal_reason is null or char_length(last_refusal_reason) <= 500),
  last_refusal_at timestamptz,
  backfill_status text not null default 'idle' check (backfill_status in ('idle', 'running', 'done', 'failed')),
  backfill_before text check (backfill_before is null or char_length(backfill_before) <= 200),
  backfill_imported integer not null default 0 check (backfill_imported >= 0),
  backfill_error text check (backfill_error is null or char_length(backfill_error) <= 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (team_id, form_id),
  unique (id, team_id),
  -- an enabled form always has its e-mail field, its webhook and its route
  check (not enabled or (mapping ? 'email' and webhook_tag is not null and route_id_hash is not null
                         and webhook_secret_encrypted is not null))
);
create unique index typeform_forms_route_idx on public.typeform_forms (route_id_hash) where route_id_hash is not null;
create index typeform_forms_integration_idx on public.typeform_forms (integration_id);

create trigger typeform_forms_touch before update on public.typeform_forms
  for each row execute function private.touch_updated_at();

create table public.typeform_responses (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  -- null once the form's row is gone (Typeform disconnected): the response, its answers and its lead stay
  form_row_id uuid,
  form_id text not null,
  form_title text not null check (char_length(form_title) <= 500),
  response_token text not null check (response_token ~ '^[A-Za-z0-9_-]{1,200}$'),
  lead_id uuid,
  answers jsonb not null default '[]'::jsonb check (jsonb_typeof(answers) = 'array'),
  submitted_at timestamptz,
  status text not null check (status in ('imported', 'refused')),
  reason text check (reason is null or char_length(reason) <= 500),
  source text not null check (source in ('webhook', 'backfill')),
  created_at timestamptz not null default now(),
  unique (team_id, form_id, response_token),
  foreign key (form_row_id, team_id) references public.typeform_forms (id, team_id) on delete set null (form_row_id),
  foreign key (lead_id, team_id) references public.leads (id, team_id) on delete set null (lead_id),
  check (status = 'imported' or reason is not null)
);
create index typeform_responses_lead_idx on public.typeform_responses (lead_id, submitted_at desc) where lead_id is not null;
create index typeform_responses_form_idx on public.typeform_responses (form_row_id, created_at desc);

revoke all on public.typeform_forms, public.typeform_responses from anon, authenticated, service_role;
grant select, insert, update, delete on public.typeform_forms, public.typeform_responses to service_role;
-- never route_id_hash nor webhook_secret_encrypted
grant select (id, team_id, integration_id, form_id, title, enabled, mapping, webhook_tag, last_refusal_reason,
              last_refusal_at, backfill_status, backfill_imported, backfill_error, created_at, updated_at)
  on public.typeform_forms to authenticated;
grant select on public.typeform_responses to authenticated;

alter table public.typeform_forms enable row level security;
alter table public.typeform_responses enable row level security;

create policy "typeform_forms: members read" on public.typeform_forms
  for select to authenticated
  using (private.is_team_member(team_id));

create policy "typeform_responses: members read" on public.typeform_responses
  for select to authenticated
  using (private.is_team_member(team_id));
