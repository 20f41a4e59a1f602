// Responses in Typeform's shape (T10 `Response.answers`, T12 example payload): the value of an answer lives under
// the key its `type` names (text, email, choice{label}, boolean, number). Builds the answers of a simulated
// submission from what the page or a test typed, and the seeded past responses for imports.

import { randomAlphanumeric } from "../sandbox/ids.ts";
import { type FieldDef, type FormDef, FORMS } from "./account.ts";
import type { StoredResponse } from "./store.ts";

/** Typeform answer type per field type (answers of other field types are stored as text). */
function answerType(field: FieldDef): string {
  switch (field.type) {
    case "email":
      return "email";
    case "dropdown":
    case "multiple_choice":
      return "choice";
    case "yes_no":
    case "legal":
      return "boolean";
    case "opinion_scale":
    case "rating":
    case "number":
      return "number";
    default:
      return "text";
  }
}

/** One answer for `field` from a typed value; null when the value is empty (Typeform leaves unanswered fields out). */
export function answerFor(field: FieldDef, raw: unknown): Record<string, unknown> | null {
  if (raw === undefined || raw === null || raw === "") return null;
  const type = answerType(field);
  const base = { field: { id: field.id, type: field.type, ref: field.ref }, type };
  switch (type) {
    case "choice":
      return { ...base, choice: { label: String(raw) } };
    case "boolean":
      return { ...base, boolean: raw === true || raw === "true" || raw === "yes" || raw === "on" };
    case "number": {
      const n = Number(raw);
      return Number.isFinite(n) ? { ...base, number: n } : null;
    }
    default:
      return { ...base, [type]: String(raw) };
  }
}

/** `values` keyed by field id or ref. */
export function answersFor(form: FormDef, values: Record<string, unknown>): Record<string, unknown>[] {
  return form.fields.flatMap((f) => {
    const answer = answerFor(f, values[f.id] ?? values[f.ref]);
    return answer ? [answer] : [];
  });
}

/** Typeform's response token: 32 lower-case letters and digits (as in the example payloads). */
export function responseToken(): string {
  return randomAlphanumeric(32).toLowerCase();
}

/** The form's definition as a delivery carries it. */
export function definitionOf(form: FormDef) {
  return {
    id: form.id,
    title: form.title,
    fields: form.fields.map((f) => ({
      id: f.id,
      title: f.title,
      type: f.type,
      ref: f.ref,
      properties: f.choices ? { choices: f.choices.map((label) => ({ label })) } : {},
    })),
  };
}

const SEED: Record<string, Record<string, unknown>[]> = {
  cT1cXk9a: [
    { email: "ada@lovelace.example", name: "Ada Lovelace", company: "Analytical Engines", message: "Pricing for 5 seats?" },
    { email: "grace@hopper.example", name: "Grace Hopper", company: "Navy", message: "A demo, please." },
    { email: "Ada@Lovelace.example", name: "Ada Lovelace", message: "Also: an invoice in EUR." },
  ],
  wB8nR2qL: [
    { full_name: "Alan Turing", work_email: "alan@bletchley.example", team_size: "11-50", newsletter: true },
  ],
  fD3kP7sV: [{ nps: 9, comments: "Love it" }],
};

/** A few past responses per form, submitted a day apart before `nowMs` (oldest first). */
export function seedResponses(nowMs: number): StoredResponse[] {
  const out: StoredResponse[] = [];
  for (const form of FORMS) {
    const rows = SEED[form.id] ?? [];
    rows.forEach((values, i) => {
      const submitted = nowMs - (rows.length - i) * 86_400_000;
      out.push({
        form_id: form.id,
        token: `seed${form.id.toLowerCase()}${String(i).padStart(4, "0")}`.padEnd(32, "0"),
        landed_at: new Date(submitted - 60_000).toISOString(),
        submitted_at: new Date(submitted).toISOString(),
        hidden: {},
        answers: answersFor(form, values),
      });
    });
  }
  return out.sort((a, b) => a.submitted_at.localeCompare(b.submitted_at));
}
