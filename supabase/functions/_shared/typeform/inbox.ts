// What Typeform brings to the shared webhook inbox (inbox/queue.ts): a stored form_response delivery (verified and
// checked against its form by webhook.ts before it was stored) is parsed again, its form row read, and the response
// ingested (ingest.ts: the response row deduped on its token, the lead by the one e-mail rule, a refusal recorded on
// the form's row) in the transaction that marks the delivery imported. Nothing to fetch from Typeform first: the
// delivery carries the whole response. A form row gone meanwhile (Typeform disconnected) takes its deliveries with
// it (on delete cascade); a form switched off after the acknowledgement is still ingested: it was accepted.
import { z } from "zod";
import { sha256Hex } from "../crypto.ts";
import { singleStatement, type Tx } from "../db.ts";
import { dropOldFailedBodies } from "../inbox/failed-bodies.ts";
import { dueDeliveries, type DeliveryImporter, type InboxOutcome, processStored } from "../inbox/queue.ts";
import { type FormRow, ingestResponse, type IngestResult } from "./ingest.ts";
import { type CleanResponse, cleanFields, cleanResponse } from "./wire.ts";

/** A Typeform webhook body: `{event_type: "form_response", form_response: {form_id, token, answers, definition}}`. */
export const formResponseEvent = z.object({
  event_type: z.literal("form_response"),
  form_response: z.object({ form_id: z.string(), definition: z.object({ fields: z.unknown(), title: z.unknown() }).partial().nullish() }).loose(),
});

export interface ParsedFormResponse {
  formId: string;
  /** the form's title as the delivery gives it (definition.title), uncleaned (the label is cleaned: webhook.ts) */
  formTitle: string | null;
  response: CleanResponse;
}

/**
 * The form id and the cleaned response of a raw body, or a reason (not JSON, not a form_response, no usable
 * response token). Used by the acknowledgement (a reason there is 400) and by the import (a reason fails the row).
 */
export function parseFormResponse(rawBody: string): { ok: true; value: ParsedFormResponse } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, reason: "not a Typeform form_response: invalid JSON" };
  }
  const parsed = formResponseEvent.safeParse(json);
  if (!parsed.success) return { ok: false, reason: "not a Typeform form_response" };
  const raw = parsed.data.form_response;
  const response = cleanResponse(raw, cleanFields(raw.definition?.fields));
  if (!response) return { ok: false, reason: "no response token" };
  const title = raw.definition?.title;
  return { ok: true, value: { formId: raw.form_id, formTitle: typeof title === "string" ? title : null, response } };
}

/** Messages of one integration are keyed "<form id>:<response token>" (form ids: 1-64 and tokens 1-200 characters). */
export async function typeformMessageId(formId: string, token: string): Promise<string> {
  const key = `${formId}:${token}`;
  if (key.length <= 200) return key;
  return `sha256:${await sha256Hex(key)}`;
}

type Stored = { meetingId: null; outcome: IngestResult["outcome"] };

async function formOf(tx: Tx, teamId: string, integrationId: string, formId: string): Promise<FormRow> {
  const [form] = await tx<FormRow[]>`
    select id, team_id, form_id, title, mapping from public.typeform_forms
     where team_id = ${teamId} and integration_id = ${integrationId} and form_id = ${formId}`;
  // the row goes only with the integration, whose deliveries go with it: reaching this is a race with disconnect
  if (!form) throw Object.assign(new Error("the form's row is gone"), { name: "TypeformFormGone" });
  return form;
}

const typeformImporter: DeliveryImporter<ParsedFormResponse, Stored> = {
  provider: "typeform",
  parse: parseFormResponse,
  async store(tx, claimed, { formId, response }) {
    const form = await formOf(tx, claimed.teamId, claimed.integrationId, formId);
    const result = await ingestResponse(tx, form, response, "webhook");
    return { meetingId: null, outcome: result.outcome };
  },
  // A failed row keeps its body whole (attacker review 12b, finding 3): Typeform's own retry of the same response is
  // a duplicate of this row, so the kept body is the only way to import it again (the Activity's retry). It holds
  // the respondent's answers and no credential (Typeform signs with a header, not a token in the body); kept
  // FAILED_BODY_DAYS only (dropOldFailedBodies).
  retainOnFailure: (body) => body,
};

/** Import one stored Typeform delivery (inbox/queue.ts processStored). */
export function processTypeformDelivery(integrationId: string, messageId: string): Promise<InboxOutcome> {
  return processStored(typeformImporter, integrationId, messageId);
}

// the 30-day drop of failed bodies, shared with Zoom's (inbox/failed-bodies.ts); re-exported for its callers here
export { dropOldFailedBodies, FAILED_BODY_DAYS } from "../inbox/failed-bodies.ts";

/**
 * For the every-minute sweep (fathom-sync): Typeform deliveries left behind by a crash or waiting out a backoff;
 * first, the bodies of failed ones (Typeform's and Zoom's) past FAILED_BODY_DAYS are dropped (dropOldFailedBodies).
 */
export async function processDueTypeformDeliveries(limit = 50): Promise<Record<InboxOutcome, number>> {
  await dropOldFailedBodies();
  const counts: Record<InboxOutcome, number> = { imported: 0, retry: 0, failed: 0, busy: 0 };
  for (const row of await dueDeliveries("typeform", limit)) {
    counts[await processTypeformDelivery(row.integration_id, row.webhook_message_id)]++;
  }
  return counts;
}
