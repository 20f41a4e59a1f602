// What a team name may be (security review 10, finding 6): it is shown to every member and in every invitation, so
// it must show what it says. The database holds the same rule (private.is_team_name, migration
// 20261202000400_invites_are_accepted.sql); this one answers first with a clear 400.
import { z } from "zod";
import { HIDDEN_CHARACTER } from "./display-name.ts";

export const TEAM_NAME_MAX_CHARS = 100;

// control, format (bidi overrides, zero-width), line and paragraph separator characters (display-name.ts)
const HIDDEN = HIDDEN_CHARACTER;
// a character that shows on its own: not a space, not a combining mark (it only decorates its neighbour: a name made
// of marks shows as blank), not a blank filler (Hangul fillers, braille blank) or another invisible character
// (combining grapheme joiner, Khmer inherent vowels, Mongolian variation selectors, variation selectors)
const VISIBLE =
  /[^\p{Zs}\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{M}\u115F\u1160\u3164\uFFA0\u2800\u034F\u17B4\u17B5\u180B-\u180F\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;

/** Why `name` (already trimmed) is not a team name, or null: a sentence naming the rule, never the value. */
export function teamNameProblem(name: string): string | null {
  if (name.length === 0) return "name must not be empty.";
  if ([...name].length > TEAM_NAME_MAX_CHARS) return `name must be at most ${TEAM_NAME_MAX_CHARS} characters.`;
  if (HIDDEN.test(name)) return "name must not contain control or invisible formatting characters.";
  if (!VISIBLE.test(name)) return "name must contain at least one visible character.";
  return null;
}

/** The `name` field of a team: trimmed (spaces only, as the database's btrim), then teamNameProblem. */
export const teamName = z.string().transform((v) => v.replace(/^ +| +$/g, "")).superRefine((v, ctx) => {
  const problem = teamNameProblem(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
