// Which of a form's fields fill which lead field. Mapping = {email: <field id>, name?, company?, notes?} (field ids).
// guessMapping reads field types and titles (server-side, so the dialog shows a suggestion it can edit);
// checkMapping refuses a mapping that names a field the form does not have, or no e-mail field.
import { z } from "zod";
import { AppError } from "../errors.ts";
import type { CleanField } from "./wire.ts";

export const LEAD_FIELDS = ["email", "name", "company", "notes"] as const;
export type LeadField = typeof LEAD_FIELDS[number];
export type Mapping = { email: string } & Partial<Record<Exclude<LeadField, "email">, string>>;

const fieldId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/);
export const MappingSchema = z.strictObject({
  email: fieldId,
  name: fieldId.nullish(),
  company: fieldId.nullish(),
  notes: fieldId.nullish(),
});

const TEXT_TYPES = new Set(["short_text", "long_text", "dropdown", "multiple_choice"]);
const PATTERNS: Record<Exclude<LeadField, "email">, RegExp> = {
  name: /\b(full name|your name|name|first name|nom|nombre)\b/i,
  company: /\b(company|organi[sz]ation|business|employer|firm)\b/i,
  notes: /\b(message|comments?|notes?|help|question|anything else|details)\b/i,
};

/** A suggestion from types and titles: the first email field; name/company/notes by their question's words. */
export function guessMapping(fields: CleanField[]): Partial<Mapping> {
  const out: Partial<Mapping> = {};
  const email = fields.find((f) => f.type === "email") ?? fields.find((f) => /e-?mail/i.test(f.title) && f.type === "short_text");
  if (email) out.email = email.id;
  const used = new Set(email ? [email.id] : []);
  for (const key of ["name", "company", "notes"] as const) {
    const match = fields.find((f) => !used.has(f.id) && TEXT_TYPES.has(f.type) && (PATTERNS[key].test(f.title) || f.ref === key));
    if (match) {
      out[key] = match.id;
      used.add(match.id);
    }
  }
  if (!out.notes) {
    const long = fields.find((f) => !used.has(f.id) && f.type === "long_text");
    if (long) out.notes = long.id;
  }
  return out;
}

/** The mapping, checked against the form's fields: 400 invalid_mapping naming the lead field. */
export function checkMapping(raw: unknown, fields: CleanField[]): Mapping {
  const parsed = MappingSchema.safeParse(raw);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path.join(".") || "mapping";
    throw new AppError("invalid_mapping", `The mapping's ${path} is not a field id${path === "email" ? " (an e-mail field is required)" : ""}.`);
  }
  const ids = new Set(fields.map((f) => f.id));
  const out: Mapping = { email: parsed.data.email };
  for (const key of LEAD_FIELDS) {
    const id = parsed.data[key];
    if (!id) continue;
    if (!ids.has(id)) throw new AppError("invalid_mapping", `The mapping's ${key} names a field this form does not have.`);
    out[key] = id;
  }
  return out;
}
