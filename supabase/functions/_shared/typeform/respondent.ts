// Who a refused response came from, as a short label for the form's row (newcomer review 12, finding 9: the admin
// follows a refused response up by hand): the mapped name answer, else the first short text answers ("Anon Person,
// Initech"), cleaned for display. Stored in typeform_forms.last_refusal_respondent (migration 20261204000700), read by
// members as `last_refusal.respondent`. The answers are the respondent's own words, so untrusted: cleaned as every
// name from a provider is (display-name.ts cleanDisplayName: terminal escape sequences, control, format and
// line-separator characters and blank fillers removed, kept: the zero-width joiners emoji need; whitespace runs
// collapse), and the label is clipped to RESPONDENT_MAX_CHARS code points (an ellipsis marks the cut).
import { cleanDisplayName } from "../display-name.ts";
import type { Mapping } from "./mapping.ts";
import type { CleanResponse } from "./wire.ts";

export const RESPONDENT_MAX_CHARS = 120;
/** A text answer this long or longer is a message, not a name or a company: not part of the fallback label. */
const SHORT_TEXT_CHARS = 80;
/** How many short text answers make the fallback label. */
const FALLBACK_ANSWERS = 2;

/** `text` cleaned (display-name.ts cleanDisplayName), at most `max` code points; null if nothing is left. */
export function displayLabel(text: string, max = RESPONDENT_MAX_CHARS): string | null {
  const clean = cleanDisplayName(text);
  if (!clean) return null;
  const chars = [...clean];
  return chars.length <= max ? clean : `${chars.slice(0, max - 1).join("").trimEnd()}…`;
}

/** The label of the response's respondent, or null when no answer gives one (see the module comment). */
export function respondentLabel(response: CleanResponse, mapping: Partial<Mapping>): string | null {
  const named = mapping.name ? response.answers.find((a) => a.field_id === mapping.name) : undefined;
  const name = typeof named?.value === "string" ? displayLabel(named.value) : null;
  if (name) return name;
  const short = response.answers
    .filter((a) => a.type === "text" && a.field_id !== mapping.notes && typeof a.value === "string")
    .map((a) => displayLabel(a.value as string))
    .filter((t): t is string => t !== null && [...t].length < SHORT_TEXT_CHARS)
    .slice(0, FALLBACK_ANSWERS);
  return short.length ? displayLabel(short.join(", ")) : null;
}
