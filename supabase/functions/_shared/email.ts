// The one e-mail rule of the CRM. Everything that compares or stores e-mails goes through it: the leads API, the
// Fathom import's matcher, and, in SQL, private.normalize_email (migration
// 20261130000100_email_rule_and_lead_linking.sql), which computes lead_emails.email_normalized and
// meetings.attendee_emails. The two implementations are kept equal by supabase/functions/tests/lead_emails_test.ts.
//
// Canonical form: Unicode NFC, then trim, then lower-case.
//   - NFC, not NFKC: a decomposed "ö" (o + U+0308) is the same address as "ö"; full-width "ＪＯＥ" stays its own
//     (and "＠" is no "@").
//   - trim: ECMAScript's White_Space and line terminators (String.prototype.trim); the SQL side lists the same set.
//   - lower-case: Unicode's default full mapping, locale-independent (String.prototype.toLowerCase; ICU's root
//     locale in SQL): "Ö" -> "ö", "ẞ" -> "ß" (no case folding to "ss"), "İ" -> "i" + U+0307 (not Turkish "i"),
//     final "Σ" -> "ς".
// Valid: at most 320 code points, exactly one "@" with something before it and a dotted domain after it, no
// whitespace and no control characters anywhere, well-formed UTF-16. Internationalised local parts and domains
// (RFC 6531/6532, IDN in Unicode form) are valid; nothing is converted to punycode.

/** Longest e-mail stored, in code points (RFC 5321's 64 + 1 + 255, rounded as the database has it). */
export const EMAIL_MAX_CHARS = 320;

const SHAPE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/u;
// Control and format characters (zero-width spaces, direction marks, soft hyphens: Unicode Cc and Cf) make
// addresses that look identical to another and match nothing: refused.
const CONTROL = /[\p{Cc}\p{Cf}]/u;

/**
 * NFC -> trim -> lower-case -> NFC, without judging validity. The second NFC: lower-casing can leave a decomposed
 * pair (J + caron -> j + caron) whose composed form (ǰ) another spelling of the same address already has.
 */
export function canonicalEmail(raw: string): string {
  return raw.normalize("NFC").trim().toLowerCase().normalize("NFC");
}

/** The trimmed NFC spelling, case kept: what is stored as lead_emails.email (the user's spelling). */
export function displayEmail(raw: string): string {
  return raw.normalize("NFC").trim();
}

/** Whether a canonical or raw string is an e-mail we store (see the rule above). */
export function isEmail(raw: string): boolean {
  return normalizeEmail(raw) !== null;
}

/**
 * The canonical form of an e-mail, or null when it is not one we store (never throws: provider data is untrusted).
 * Source: this module's rule; equal to private.normalize_email(text) in SQL.
 */
export function normalizeEmail(raw: string | null | undefined): string | null {
  if (typeof raw !== "string" || !raw.isWellFormed()) return null;
  const value = canonicalEmail(raw);
  if (countCodePoints(value) > EMAIL_MAX_CHARS || countCodePoints(displayEmail(raw)) > EMAIL_MAX_CHARS) return null;
  return SHAPE.test(value) && !CONTROL.test(value) ? value : null;
}

function countCodePoints(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}
