/**
 * A person's initials for an avatar: the first letter of the first and of the last word of their name, or of the
 * e-mail's local part when the name has no letters (or is missing, or is itself an e-mail address).
 *
 * - Letters are Unicode letters (`\p{L}`), so "Élodie Ørsted" is "ÉØ" and "王小明" is "王"; punctuation, digits and
 *   emoji never become an initial ("Tom Becker (CISO)" is "TB", not "T(").
 * - Parenthesised and bracketed parts are asides (a title, a company, a pronoun), not part of the name.
 * - One word gives one letter ("Ada" is "A"); the local part of an e-mail splits on `.`, `_`, `-` and `+`
 *   ("ada.lovelace@example.com" is "AL", "dev@example.com" is "D").
 * - "?" when neither yields a letter.
 */
export function initials(name: string | null | undefined, email?: string | null): string {
  const n = (name ?? "").trim();
  // Fathom and others sometimes put the address where the name belongs.
  const nameIsEmail = n.includes("@") && !/\s/.test(n);
  const fromName = nameIsEmail ? "" : wordInitials(n.replace(/\([^)]*\)|\[[^\]]*\]/g, " "));
  if (fromName) return fromName;
  const address = (nameIsEmail ? n : (email ?? "")).trim();
  const local = address.includes("@") ? address.slice(0, address.lastIndexOf("@")) : address;
  return wordInitials(local.replace(/[._+-]+/g, " ")) || "?";
}

/** The first letter of the first and last words that have a letter, upper-cased. */
function wordInitials(text: string): string {
  const letters = text
    .normalize("NFC")
    .split(/\s+/)
    .map((word) => word.match(/\p{L}/u)?.[0])
    .filter((letter): letter is string => !!letter);
  if (letters.length === 0) return "";
  const picked = letters.length === 1 ? [letters[0]] : [letters[0], letters[letters.length - 1]];
  return picked.join("").toLocaleUpperCase();
}
