-- A Typeform webhook left behind by a failed switch-off, and its refusal (newcomer review 12b, finding G): the form's
-- row said "Typeform still has this form's webhook ... It stops after its next response is refused here" and never
-- changed once that had happened. Now the refusal is recorded and the row says when.
--   stale_route_id_hash  the route hash the form had when it was switched off (the route's own column is cleared then,
--                so that a delivery to it is 404). Only the webhook function's 404 path reads it, by this index; like
--                route_id_hash it is never granted to clients. Cleared by the next switch-on.
--   webhook_refused_at   when a delivery to that old route was first refused here (404): Typeform disables a webhook
--                on a 404 (providers.md T13). Null until then; reset by the next switch-off and by a switch-on.
-- Members read webhook_refused_at (a date, not a secret).

alter table public.typeform_forms
  add column stale_route_id_hash text check (stale_route_id_hash is null or stale_route_id_hash ~ '^[0-9a-f]{64}$'),
  add column webhook_refused_at timestamptz;

create index typeform_forms_stale_route_idx on public.typeform_forms (stale_route_id_hash) where stale_route_id_hash is not null;

grant select (webhook_refused_at) on public.typeform_forms to authenticated;
