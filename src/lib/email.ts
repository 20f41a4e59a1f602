/**
 * The product's one e-mail rule (supabase/functions/_shared/email.ts, lead_emails.email_normalized): NFC, trim,
 * lower-case. Two spellings of one address (an NFD "jörg", a capital letter) compare equal here as they do on the
 * server. The app cannot import the functions' module (the wings never import each other), so it is repeated here.
 */
export function canonicalEmail(email: string): string {
  return email.normalize("NFC").trim().toLowerCase().normalize("NFC");
}

/**
 * Whether `value` (trimmed) has the shape of an e-mail address: one `@`, no spaces, a dot in the domain, at most
 * 320 characters (RFC 5321's 64 + 1 + 255). A shape check for a field message, not a deliverability test: the server
 * has the last word.
 */
export function isEmailAddress(value: string): boolean {
  const v = value.trim();
  return v.length <= 320 && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v);
}
