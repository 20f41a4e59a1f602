// Names a provider gives for a person (a transcript's speaker, an invitee, a participant, the recorder, an action
// item's assignee) are shown as they are stored: they must show what they say. The characters team names refuse
// (team_name.ts, security review 10 finding 6) are removed here instead of refused: a name from a provider is not
// ours to refuse, and a meeting is not to be lost over a stray character (attacker review 12, note 8c).

/**
 * Control (C0, DEL, C1), format (bidi embeddings, overrides and isolates, zero-width space, BOM), line and paragraph
 * separator characters; not the zero-width joiners U+200C and U+200D, which emoji sequences and several scripts need.
 */
export const HIDDEN_CHARACTER = /(?![\u200C\u200D])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const HIDDEN_CHARACTERS = new RegExp(HIDDEN_CHARACTER.source, "gu");

/**
 * A person's display name as stored: hidden characters (HIDDEN_CHARACTER) removed, runs of white space made one
 * space, trimmed; null when nothing is left. `name` is already a storable string (fathom/wire.ts cleanText).
 * "Mallory\u0007\u001b[31m" -> "Mallory[31m"; "\u202Eevil" -> "evil".
 */
export function cleanDisplayName(name: string | null | undefined): string | null {
  if (typeof name !== "string") return null;
  const cleaned = name.replace(HIDDEN_CHARACTERS, "").replace(/\s+/gu, " ").trim();
  return cleaned === "" ? null : cleaned;
}
