// Names a provider gives for a person (a transcript's speaker, an invitee, a participant, the recorder, an action
// item's assignee, a Typeform respondent's label) are shown as they are stored: they must show what they say. The
// characters team names refuse (team_name.ts, security review 10 finding 6) are removed here instead of refused: a
// name from a provider is not ours to refuse, and a meeting is not to be lost over a stray character (attacker
// review 12, note 8c). One cleaning for every such name: cleanDisplayName (attacker review 12b, note 4).

/**
 * Control (C0, DEL, C1), format (bidi embeddings, overrides and isolates, zero-width space, BOM), line and paragraph
 * separator characters; not the zero-width joiners U+200C and U+200D, which emoji sequences and several scripts need.
 */
export const HIDDEN_CHARACTER = /(?![\u200C\u200D])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const HIDDEN_CHARACTERS = new RegExp(HIDDEN_CHARACTER.source, "gu");

/**
 * Characters that show as nothing though Unicode calls them letters or marks (the blank fillers team_name.ts also
 * refuses): Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the braille blank (U+2800), the combining grapheme
 * joiner (U+034F), Khmer inherent vowels (U+17B4, U+17B5) and the Mongolian free variation selectors and vowel
 * separator (U+180B-U+180F). Not the variation selectors U+FE00-U+FE0F: emoji need them.
 */
const INVISIBLE_FILLERS = /[\u115F\u1160\u3164\uFFA0\u2800\u034F\u17B4\u17B5\u180B-\u180F]/gu;

/**
 * Whole terminal escape sequences (ECMA-48), so none leaves its tail behind ("\u001b[31m" -> "", not "[31m"):
 * - CSI: ESC [ (or C1 CSI U+009B), parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, one final byte 0x40-0x7E;
 * - OSC, DCS, SOS, PM, APC: ESC ] / P / X / ^ / _ (or their C1 forms) up to BEL, ESC \ or ST (U+009C), or to the end
 *   of the text when unterminated (a terminal would swallow the rest too);
 * - any other escape: ESC, intermediate bytes, one final byte 0x30-0x7E ("ESC ( B", "ESC c").
 */
// deno-lint-ignore no-control-regex
const ESCAPE_SEQUENCES = /(?:\u001b\[|\u009b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c|$)|\u001b[\x20-\x2f]*[\x30-\x7e]/gu;

/**
 * A person's display name as stored: terminal escape sequences removed whole (ESCAPE_SEQUENCES), white space (tabs,
 * line breaks) made spaces, hidden characters (HIDDEN_CHARACTER) and invisible fillers (INVISIBLE_FILLERS) removed,
 * runs of white space made one space, trimmed; null when nothing is left (the caller's fallback applies).
 * `name` is already a storable string (fathom/wire.ts cleanText).
 * "Mallory\u0007\u001b[31m" -> "Mallory"; "\u202Eevil" -> "evil"; "Jane\nDoe" -> "Jane Doe"; "\u3164\u2800" -> null; "\uFE0F" -> null.
 */
export function cleanDisplayName(name: string | null | undefined): string | null {
  if (typeof name !== "string") return null;
  const cleaned = name
    .replace(ESCAPE_SEQUENCES, "")
    .replace(/\s/gu, " ")
    .replace(HIDDEN_CHARACTERS, "")
    .replace(INVISIBLE_FILLERS, "")
    .replace(/\s+/gu, " ")
    .trim();
  // variation selectors (and the zero-width joiners kept above for emoji) show nothing on their own
  return cleaned.replace(SHOWS_NOTHING_ALONE, "") === "" ? null : cleaned;
}

/** Variation selectors (U+FE00-U+FE0F, U+E0100-U+E01EF), zero-width (non-)joiners and spaces. */
const SHOWS_NOTHING_ALONE = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}\u200C\u200D ]/gu;

/**
 * Longest webhook_deliveries.label and subject_ref (characters; the columns' check, migration 20261205000200).
 * Written by the acknowledgements (zoom/webhook.ts, typeform/webhook.ts) from the body they parse anyway, the label
 * cleaned by cleanTitle like every provider title (migration 20261205000400).
 */
export const LABEL_MAX = 200;

/**
 * A provider's title (a meeting's, a form's, a delivery's label) as stored: cleanDisplayName, then cut to at most
 * `maxChars` code points (PostgreSQL's char_length; a surrogate pair is not split), trimmed again; null when empty.
 * "\u001b[31mGlobex\u001b[0m call" -> "Globex call".
 */
export function cleanTitle(title: string | null | undefined, maxChars: number): string | null {
  const cleaned = cleanDisplayName(title);
  if (cleaned === null) return null;
  const chars = [...cleaned];
  return chars.length <= maxChars ? cleaned : cleanDisplayName(chars.slice(0, maxChars).join(""));
}
