/**
 * The product's one e-mail rule (supabase/functions/_shared/email.ts, lead_emails.email_normalized): NFC, trim,
 * lower-case. Two spellings of one address (an NFD "jörg", a capital letter) compare equal here as they do on the
 * server. The app cannot import the functions' module (the wings never import each other), so it is repeated here.
 */
export function canonicalEmail(email: string): string {
  return email.normalize("NFC").trim().toLowerCase().normalize("NFC");
}
