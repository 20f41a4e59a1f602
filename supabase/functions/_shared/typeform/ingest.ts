// One Typeform response into the CRM, in the caller's transaction (service role): the response row first, deduped
// on (team, form, response token) with `on conflict do nothing` (two concurrent deliveries of one response insert
// one row: the second waits on the unique index, then does nothing), then the lead: the team's lead holding the
// response's e-mail under the one e-mail rule (private.normalize_email, lead_emails.email_normalized), else a new
// lead (source 'typeform'; its insert is the lead.created automation event, by the existing trigger). A response
// without an e-mail is stored refused with its reason, which the form's row shows with who sent it (respondent.ts).
import type { Tx } from "../db.ts";
import { createLeadForEmail } from "../leads/create.ts";
import { autoLeadName } from "../meetings/lead-name.ts";
import type { Mapping } from "./mapping.ts";
import { respondentLabel } from "./respondent.ts";
import { answerText, type CleanResponse, responseEmail } from "./wire.ts";

export interface FormRow {
  id: string;
  team_id: string;
  form_id: string;
  title: string;
  mapping: Partial<Mapping>;
}

export type IngestResult =
  | { outcome: "duplicate" }
  | { outcome: "refused"; reason: string }
  | { outcome: "imported"; leadId: string; created: boolean };

export const NO_EMAIL_REASON = "The response has no e-mail address, so no lead could be made from it.";

export async function ingestResponse(tx: Tx, form: FormRow, response: CleanResponse, source: "webhook" | "backfill"): Promise<IngestResult> {
  const email = responseEmail(response, form.mapping.email ?? null);
  const reason = email ? null : NO_EMAIL_REASON;
  const [row] = await tx<{ id: string }[]>`
    insert into public.typeform_responses (team_id, form_row_id, form_id, form_title, response_token, answers, submitted_at, status, reason, source)
    values (${form.team_id}, ${form.id}, ${form.form_id}, ${form.title}, ${response.token}, ${JSON.stringify(response.answers)}::text::jsonb,
            ${response.submittedAt}, ${email ? "imported" : "refused"}, ${reason}, ${source})
    on conflict (team_id, form_id, response_token) do nothing
    returning id`;
  if (!row) return { outcome: "duplicate" };
  if (!email) {
    await tx`update public.typeform_forms set last_refusal_reason = ${NO_EMAIL_REASON}, last_refusal_at = now(),
                    last_refusal_respondent = ${respondentLabel(response, form.mapping)}
              where id = ${form.id}`;
    return { outcome: "refused", reason: NO_EMAIL_REASON };
  }
  // one lead per address even when two responses with a new address arrive at once
  await tx`select pg_advisory_xact_lock(hashtextextended(${`typeform-lead:${form.team_id}:${email}`}, 0))`;
  const name = answerText(response, form.mapping.name, 200);
  const company = answerText(response, form.mapping.company, 200);
  const [existing] = await tx<{ id: string }[]>`
    select e.lead_id as id from public.lead_emails e
     where e.team_id = ${form.team_id} and e.email_normalized = private.normalize_email(${email})`;
  let leadId: string;
  let created = false;
  if (existing) {
    leadId = existing.id;
    // fill what the lead lacks; never overwrite what a person wrote
    if (company) await tx`update public.leads set company = ${company} where id = ${leadId} and company is null`;
  } else {
    // another writer (a meeting import, the leads API) may create the same address meanwhile: use its lead then
    const lead = await createLeadForEmail(tx, {
      teamId: form.team_id,
      name: autoLeadName(name, email),
      company,
      source: "typeform",
      email,
    });
    leadId = lead.id;
    created = lead.created;
  }
  await tx`update public.typeform_responses set lead_id = ${leadId} where id = ${row.id}`;
  return { outcome: "imported", leadId, created };
}
