// Typeform's answers and form definitions (providers.md §4: T10 `Response.answers`, T12 the webhook payload) cleaned
// into what we store and show. Provider data is untrusted: every string is bounded and storable (no NUL, no unpaired
// surrogate), an answer we cannot read is skipped (never the whole response), the e-mail is the first `email`
// answer that is an e-mail under the one rule (email.ts), else a hidden field named `email`.
import { z } from "zod";
import { normalizeEmail } from "../email.ts";
import { cleanDate } from "../fathom/wire.ts";
import { unstorableText } from "../http.ts";

/** One cleaned answer: `value` a string, number, boolean or list of strings; `title` the question (or null). */
export interface CleanAnswer {
  field_id: string;
  title: string | null;
  /** the answer's type as Typeform names it: text, email, choice, choices, boolean, number, date, url, ... */
  type: string;
  value: string | number | boolean | string[];
}

/** A cleaned response: `token` is Typeform's response id (unique per form only). */
export interface CleanResponse {
  token: string;
  submittedAt: Date | null;
  answers: CleanAnswer[];
  /** hidden fields, cleaned (string values only) */
  hidden: Record<string, string>;
  /** answers Typeform sent that could not be read, for the record */
  skipped: number;
}

export interface CleanField {
  id: string;
  title: string;
  /** Typeform field type: email, short_text, long_text, dropdown, ... */
  type: string;
  ref: string | null;
}

export const TOKEN = /^[A-Za-z0-9_-]{1,200}$/;
const FIELD_ID = /^[A-Za-z0-9_-]{1,100}$/;
const MAX_TEXT = 10_000;
const MAX_TITLE = 500;
const MAX_ANSWERS = 200;

/** Trimmed, bounded, storable text, or null. */
export function cleanText(value: unknown, max = MAX_TEXT): string | null {
  if (typeof value !== "string") return null;
  const text = value.trim();
  if (!text || unstorableText(text)) return null;
  return [...text].slice(0, max).join("");
}

const FieldRef = z.object({ id: z.string().regex(FIELD_ID), type: z.unknown().optional(), ref: z.unknown().optional() });

function valueOf(type: string, answer: Record<string, unknown>): CleanAnswer["value"] | null {
  const raw = answer[type];
  switch (type) {
    case "text":
    case "email":
    case "url":
    case "file_url":
    case "date":
    case "phone_number":
      return cleanText(raw);
    case "number":
      return typeof raw === "number" && Number.isFinite(raw) ? raw : null;
    case "boolean":
      return typeof raw === "boolean" ? raw : null;
    case "choice": {
      const c = raw as { label?: unknown; other?: unknown } | null;
      return cleanText(c?.label) ?? cleanText(c?.other);
    }
    case "choices": {
      const c = raw as { labels?: unknown; other?: unknown } | null;
      const labels = Array.isArray(c?.labels) ? c.labels.map((l) => cleanText(l, MAX_TITLE)).filter((l): l is string => l !== null) : [];
      const other = cleanText(c?.other, MAX_TITLE);
      const all = other ? [...labels, other] : labels;
      return all.length ? all.slice(0, 100) : null;
    }
    default:
      return null;
  }
}

/** The form's fields from a definition (`definition.fields` of a delivery, `fields` of GET /forms/{id}). */
export function cleanFields(raw: unknown): CleanField[] {
  if (!Array.isArray(raw)) return [];
  const out: CleanField[] = [];
  for (const f of raw.slice(0, MAX_ANSWERS)) {
    const parsed = FieldRef.safeParse(f);
    if (!parsed.success) continue;
    const type = cleanText((f as { type?: unknown }).type, 50);
    if (!type) continue;
    out.push({
      id: parsed.data.id,
      title: cleanText((f as { title?: unknown }).title, MAX_TITLE) ?? "",
      type,
      ref: cleanText(parsed.data.ref, 100),
    });
  }
  return out;
}

/**
 * A response (`form_response` of a delivery, an item of GET /forms/{id}/responses) cleaned; null when it has no
 * usable token (then nothing can be deduplicated or stored). `fields` name the questions.
 */
export function cleanResponse(raw: unknown, fields: CleanField[]): CleanResponse | null {
  if (raw === null || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  const token = typeof r.token === "string" && TOKEN.test(r.token) ? r.token : null;
  if (!token) return null;
  // ISO 8601 within 1970-9999 (the one date rule of provider data): Date reads "-000001-..." or "+275760-...", which
  // Postgres refuses
  const submitted = cleanDate(r.submitted_at);
  const titles = new Map(fields.map((f) => [f.id, f.title]));
  const answers: CleanAnswer[] = [];
  let skipped = 0;
  for (const a of Array.isArray(r.answers) ? r.answers.slice(0, MAX_ANSWERS) : []) {
    const answer = a as Record<string, unknown> | null;
    const field = FieldRef.safeParse(answer?.field);
    const type = typeof answer?.type === "string" ? answer.type : null;
    const value = field.success && type && answer ? valueOf(type, answer) : null;
    if (!field.success || !type || value === null) {
      skipped++;
      continue;
    }
    answers.push({ field_id: field.data.id, title: titles.get(field.data.id) ?? null, type, value });
  }
  const hidden: Record<string, string> = {};
  if (r.hidden && typeof r.hidden === "object") {
    for (const [k, v] of Object.entries(r.hidden as Record<string, unknown>).slice(0, 50)) {
      const key = cleanText(k, 100);
      const value = cleanText(v, MAX_TITLE);
      if (key && value) hidden[key] = value;
    }
  }
  return { token, submittedAt: submitted ? new Date(submitted) : null, answers, hidden, skipped };
}

/**
 * The response's e-mail, normalised: the mapped field's answer when it is an e-mail, else the first `email` answer,
 * else a hidden field `email` (providers.md §4 "Finding the email"). null: none.
 */
export function responseEmail(response: CleanResponse, emailFieldId: string | null): string | null {
  const mapped = emailFieldId ? response.answers.find((a) => a.field_id === emailFieldId) : undefined;
  for (const candidate of [mapped, ...response.answers.filter((a) => a.type === "email")]) {
    const email = typeof candidate?.value === "string" ? normalizeEmail(candidate.value) : null;
    if (email) return email;
  }
  return normalizeEmail(response.hidden.email ?? null);
}

/** The text of the mapped field's answer (lists joined), or null. */
export function answerText(response: CleanResponse, fieldId: string | null | undefined, max = 200): string | null {
  if (!fieldId) return null;
  const a = response.answers.find((x) => x.field_id === fieldId);
  if (!a) return null;
  const text = Array.isArray(a.value) ? a.value.join(", ") : typeof a.value === "string" ? a.value : String(a.value);
  return cleanText(text, max);
}
