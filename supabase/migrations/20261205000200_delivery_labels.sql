-- Issue 12, review 12b (newcomer A, A2, B): a webhook delivery says what it is about without its body.
-- The activity panel names a waiting or failed delivery ("Globex call", "Contact us") and the meeting page tells a
-- transcript download that is failing from one Zoom has not finished; the stored body is scrubbed after import (and
-- a failed one keeps only what a retry needs), and members never read it. So two short columns are written when the
-- row is inserted, from the body the acknowledgement stores:
--   label        Zoom: payload.object.topic; Typeform: form_response.definition.title. Cleaned as display names
--                are (_shared/display-name.ts: white space made one space, control, format and separator characters
--                removed, trimmed), at most 200 characters; null when there is none.
--   subject_ref  the provider's key of what the delivery is about: Zoom: payload.object.uuid (meetings.provider_meeting_id);
--                Typeform: form_response.token (typeform_responses.response_token). At most 200 characters.
-- Fathom's rows are left alone: they carry recording_id already, and their bodies (transcript included) are the
-- largest, so parsing them would cost the acknowledgement most (bench/webhook, budget p99 within 1.5x: migration
-- 20261202000600). The trigger only reads the row being inserted; a body that is not JSON leaves both null.

alter table public.webhook_deliveries
  add column label text check (label is null or char_length(label) <= 200),
  add column subject_ref text check (subject_ref is null or char_length(subject_ref) <= 200);

create function private.clean_delivery_label(value text) returns text
language sql immutable parallel safe
set search_path = ''
as $$
  -- white space first (a line break between two words leaves a space), then the hidden characters, then the
  -- spaces their removal put side by side
  select nullif(left(btrim(regexp_replace(regexp_replace(
           regexp_replace(value, '\s+', ' ', 'g'),
           '[\u0001-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B\u200E\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]', '', 'g'),
           ' {2,}', ' ', 'g')), 200), '')
$$;

create function private.webhook_deliveries_label() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  body json;
begin
  begin
    body := new.body::json;
  exception when others then
    return new; -- not JSON: nothing to name it by (the import fails it with its reason)
  end;
  if json_typeof(body) <> 'object' then
    return new;
  end if;
  if new.provider = 'zoom' then
    new.label := private.clean_delivery_label(body #>> '{payload,object,topic}');
    new.subject_ref := left(body #>> '{payload,object,uuid}', 200);
  elsif new.provider = 'typeform' then
    new.label := private.clean_delivery_label(body #>> '{form_response,definition,title}');
    new.subject_ref := left(body #>> '{form_response,token}', 200);
  end if;
  return new;
exception when others then
  return new; -- a path through a non-object (a string where an object belongs): leave the row unnamed
end
$$;

create trigger webhook_deliveries_label
  before insert on public.webhook_deliveries
  for each row when (new.provider in ('zoom', 'typeform') and new.body is not null)
  execute function private.webhook_deliveries_label();

-- members read the label and the key like the other columns of their team's deliveries (never the body)
grant select (label, subject_ref) on public.webhook_deliveries to authenticated;
