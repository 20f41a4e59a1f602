import { request } from "@/lib/api";

/**
 * Typeform forms in the integration's dialog (api/routes/typeform_forms.ts), loaded with the dialog's own chunk.
 * Answers are read defensively: a form without an id is dropped, unknown values fall back to "off".
 */
export type LeadField = "email" | "name" | "company" | "notes";
export type FormMapping = Partial<Record<LeadField, string>>;

export interface TypeformFormView {
  form_id: string;
  title: string;
  enabled: boolean;
  mapping: FormMapping | null;
  /** respondent: who was refused (the server's `last_refusal.respondent`, a short cleaned label), when known */
  last_refusal: { reason: string; at: string | null; respondent: string | null } | null;
  backfill: { status: "idle" | "running" | "done" | "failed"; imported: number; error: string | null };
  /** off here, but Typeform may still hold its webhook (a removal that failed) */
  webhook_left: boolean;
  /** with webhook_left: when a delivery of that webhook was refused here (Typeform then disables it), else null */
  webhook_refused_at: string | null;
}

export interface TypeformFormDetail extends TypeformFormView {
  fields: { id: string; title: string; type: string }[];
  suggested: FormMapping;
  /** how many responses Typeform holds for the form, null when unknown (or the form is on) */
  past_responses: number | null;
  /** how many of the form's responses are here already (imported or refused): switching on skips them; null: unknown */
  known_responses: number | null;
}

/** The dialog's list: live from Typeform, or (unavailable set) only the forms the CRM knows, Typeform having failed. */
export interface TypeformFormList {
  forms: TypeformFormView[];
  unavailable: { code: string; message: string } | null;
}

const str = (v: unknown) => (typeof v === "string" ? v : null);
const count = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : null);

function mappingOf(raw: unknown): FormMapping | null {
  if (!raw || typeof raw !== "object") return null;
  const out: FormMapping = {};
  for (const key of ["email", "name", "company", "notes"] as const) {
    const id = str((raw as Record<string, unknown>)[key]);
    if (id) out[key] = id;
  }
  return out;
}

function formOf(raw: unknown): TypeformFormView | null {
  const r = (raw ?? {}) as Record<string, unknown>;
  const id = str(r.form_id);
  if (!id) return null;
  const refusal = (r.last_refusal ?? null) as Record<string, unknown> | null;
  const respondent = str(refusal?.respondent);
  const b = (r.backfill ?? {}) as Record<string, unknown>;
  const status = ["idle", "running", "done", "failed"].includes(b.status as string) ? (b.status as TypeformFormView["backfill"]["status"]) : "idle";
  return {
    form_id: id,
    title: str(r.title) || "Untitled form",
    enabled: r.enabled === true,
    mapping: mappingOf(r.mapping),
    last_refusal: refusal && str(refusal.reason) ? { reason: str(refusal.reason)!, at: str(refusal.at), respondent: respondent?.trim() || null } : null,
    backfill: { status, imported: typeof b.imported === "number" ? b.imported : 0, error: str(b.error) },
    webhook_left: r.webhook_left === true,
    webhook_refused_at: r.webhook_left === true ? str(r.webhook_refused_at) : null,
  };
}

const base = (teamId: string) => `api/teams/${encodeURIComponent(teamId)}/integrations/typeform/forms`;

export const typeformApi = {
  listForms: (teamId: string) =>
    request<{ forms?: unknown[]; unavailable?: { code?: unknown; message?: unknown } }>(base(teamId)).then((d): TypeformFormList => ({
      forms: (Array.isArray(d?.forms) ? d.forms : []).map(formOf).filter((f): f is TypeformFormView => f !== null),
      unavailable: d?.unavailable ? { code: str(d.unavailable.code) ?? "provider_error", message: str(d.unavailable.message) ?? "" } : null,
    })),
  getForm: (teamId: string, formId: string) =>
    request<{ form?: Record<string, unknown> }>(`${base(teamId)}/${encodeURIComponent(formId)}`).then((d): TypeformFormDetail => {
      const view = formOf(d?.form) ?? formOf({ form_id: formId })!;
      const fields = Array.isArray(d?.form?.fields) ? d.form.fields : [];
      return {
        ...view,
        suggested: mappingOf(d?.form?.suggested) ?? {},
        past_responses: count(d?.form?.past_responses),
        known_responses: count(d?.form?.known_responses),
        fields: fields.flatMap((f) => {
          const x = (f ?? {}) as Record<string, unknown>;
          return str(x.id) ? [{ id: str(x.id)!, title: str(x.title) || "Untitled question", type: str(x.type) ?? "" }] : [];
        }),
      };
    }),
  setForm: (teamId: string, formId: string, body: { enabled: boolean; mapping?: FormMapping }) =>
    request<{ form?: unknown; warning?: { message?: unknown } }>(`${base(teamId)}/${encodeURIComponent(formId)}`, "PATCH", body).then((d) => ({
      form: formOf(d?.form),
      warning: str(d?.warning?.message),
    })),
};
