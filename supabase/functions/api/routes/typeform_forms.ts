// Typeform forms in the integration's dialog (issue 12 step 4):
//   GET /api/teams/:teamId/integrations/typeform/forms            members: the account's forms, live from Typeform,
//       each with its saved state -> { forms: [TypeformFormView] } (409 not_connected / needs_reauth, 429
//       provider_rate_limited, 502 provider_error, 503 provider_unavailable, 504 provider_timeout). When Typeform
//       fails but the CRM knows forms of this account (typeform_forms: on, refused, a webhook left), those are
//       listed instead -> { forms, unavailable: { code, message } }: during an outage an admin still sees what is on
//       and can switch it off.
//   GET /api/teams/:teamId/integrations/typeform/forms/:formId    members: its fields and the mapping (saved, else
//       guessed from field types and titles) and, for a form that is off, what switching it on imports:
//       past_responses (how many Typeform holds) and known_responses (how many of this form's responses are here
//       already, imported or refused: the import skips those) -> { form: TypeformFormView & { fields, suggested,
//       past_responses: number | null, known_responses: number | null } }
//   PATCH /api/teams/:teamId/integrations/typeform/forms/:formId  admins, body { enabled: boolean, mapping? } ->
//       on: the webhook is created at Typeform and past responses are imported; off: it is deleted ->
//       { form: TypeformFormView, warning? }; 400 invalid_mapping, 404 form_not_found
// TypeformFormView = { form_id, title, enabled, mapping, last_refusal: { reason, at, respondent } | null (respondent:
//   who sent the refused response, a short cleaned label or null: typeform/respondent.ts),
//   backfill: { status: idle|running|done|failed, imported, error }, webhook_left: boolean (off, but Typeform may
//   still hold its webhook), webhook_refused_at: ISO time | null (when a delivery of that left webhook was refused
//   here, after which Typeform disables it; typeform/webhook.ts) }. No route id, secret or tag ever leaves.
// The membership gate is its own short transaction; nothing holds a connection while Typeform answers.
import { z } from "zod";
import { asService } from "../../_shared/db.ts";
import { AppError, type ErrorCode } from "../../_shared/errors.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { typeformClientFor } from "../../_shared/typeform/client.ts";
import {
  atTypeform,
  connectedIntegration,
  SAVED_FORM_COLUMNS,
  type SavedForm,
  savedForms,
  switchOff,
  switchOn,
} from "../../_shared/typeform/forms.ts";
import { guessMapping, MappingSchema } from "../../_shared/typeform/mapping.ts";
import { requireMember, teamRoute } from "./team_route.ts";

const FORM_ID = /^[A-Za-z0-9_-]{1,64}$/;

function formIdParam(params: Record<string, string>): string {
  const id = params.formId ?? "";
  if (!FORM_ID.test(id)) throw new AppError("form_not_found", "Form not found.");
  return id;
}

function view(formId: string, title: string, saved: SavedForm | undefined) {
  return {
    form_id: formId,
    title,
    enabled: saved?.enabled ?? false,
    mapping: saved?.mapping ?? null,
    last_refusal: saved?.last_refusal_reason
      ? { reason: saved.last_refusal_reason, at: saved.last_refusal_at, respondent: saved.last_refusal_respondent }
      : null,
    backfill: { status: saved?.backfill_status ?? "idle", imported: saved?.backfill_imported ?? 0, error: saved?.backfill_error ?? null },
    webhook_left: saved?.webhook_left ?? false,
    // only while a webhook is left: a refusal of an earlier left webhook says nothing about today's
    webhook_refused_at: saved?.webhook_left ? saved.webhook_refused_at ?? null : null,
  };
}

/** Typeform's failures that leave the CRM's own list worth showing (not a reauth, not a missing form). */
const OUTAGE: ReadonlySet<ErrorCode> = new Set(["provider_error", "provider_unavailable", "provider_timeout", "provider_rate_limited"]);

const listForms = teamRoute(async ({ teamId, asMember }) => {
  await asMember(async () => {});
  const integrationId = await connectedIntegration(teamId);
  let live;
  try {
    live = await atTypeform(() => typeformClientFor(integrationId).listForms());
  } catch (err) {
    if (!(err instanceof AppError && OUTAGE.has(err.code))) throw err;
    const known = [...(await savedForms(teamId, integrationId)).values()];
    if (known.length === 0) throw err;
    return jsonResponse({
      forms: known.map((f) => view(f.form_id, f.title, f)),
      unavailable: { code: err.code, message: err.message },
    });
  }
  const saved = await savedForms(teamId, integrationId);
  return jsonResponse({ forms: live.map((f) => view(f.id, f.title, saved.get(f.id))) });
});

const getForm = teamRoute(async ({ teamId, params, asMember }) => {
  const formId = formIdParam(params);
  await asMember(async () => {});
  const integrationId = await connectedIntegration(teamId);
  const client = typeformClientFor(integrationId);
  const form = await atTypeform(() => client.getForm(formId));
  const saved = (await savedForms(teamId, integrationId)).get(formId);
  const suggested = guessMapping(form.fields);
  // what switching on will import, said before it happens (a form already on needs no count; unknown is null)
  const pastResponses = saved?.enabled ? null : await client.listResponses(formId, { pageSize: 1 }).then((p) => p.totalItems, () => null);
  // the import deduplicates on the response token: those already here (a reconnect, an earlier switch-on) are not new
  const knownResponses = pastResponses === null ? null : await knownResponseCount(teamId, formId);
  return jsonResponse({
    form: {
      ...view(form.id, form.title, saved),
      mapping: saved?.mapping ?? suggested,
      suggested,
      past_responses: pastResponses,
      known_responses: knownResponses,
      fields: form.fields.map((f) => ({ id: f.id, title: f.title, type: f.type })),
    },
  });
});

/** How many responses of the form the team holds (imported or refused), by typeform_responses' unique key. */
async function knownResponseCount(teamId: string, formId: string): Promise<number> {
  const [row] = await asService((tx) =>
    tx<{ n: number }[]>`select count(*)::int as n from public.typeform_responses where team_id = ${teamId} and form_id = ${formId}`
  );
  return row?.n ?? 0;
}

const patchSchema = z.strictObject({ enabled: z.boolean(), mapping: MappingSchema.optional() });

const patchForm = teamRoute(async ({ teamId, params, body, asUser }) => {
  const formId = formIdParam(params);
  const input = await body(patchSchema, { gate: "admin" });
  const integrationId = await connectedIntegration(teamId);
  let warning = null;
  if (input.enabled) {
    await switchOn(teamId, integrationId, formId, input.mapping ?? null);
  } else {
    warning = (await switchOff(teamId, integrationId, formId)).warning;
  }
  // read back through RLS as the caller (members read; the gate passed above)
  const [row] = await asUser(async (tx) => {
    await requireMember(tx, teamId);
    return await tx<SavedForm[]>`
      select ${tx.unsafe(SAVED_FORM_COLUMNS)} from public.typeform_forms where team_id = ${teamId} and form_id = ${formId}`;
  });
  return jsonResponse({ form: view(formId, row?.title ?? formId, row), ...(warning ? { warning } : {}) });
});

export const typeformFormRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/integrations/typeform/forms", handler: listForms },
  { method: "GET", path: "/api/teams/:teamId/integrations/typeform/forms/:formId", handler: getForm },
  { method: "PATCH", path: "/api/teams/:teamId/integrations/typeform/forms/:formId", handler: patchForm },
];



