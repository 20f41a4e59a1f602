-- Who the last refused response came from (newcomer review 12, finding 9): the form's row says "Last refused ...:
-- <reason>" and now also whose response it was, so the admin can follow it up by hand.
--   last_refusal_respondent  a short label written with the refusal (_shared/typeform/respondent.ts): the mapped name
--                answer, else the first short text answers; at most 120 characters, no control characters; null
--                when the response has nothing usable (then the row shows the reason alone).
-- Members read it like the reason (it holds what the respondent typed on a form the team published, not a secret).

alter table public.typeform_forms
  add column last_refusal_respondent text
    check (last_refusal_respondent is null
           or (char_length(last_refusal_respondent) between 1 and 120 and last_refusal_respondent !~ '[[:cntrl:]]'));

grant select (last_refusal_respondent) on public.typeform_forms to authenticated;
