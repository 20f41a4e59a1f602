// The import of a form's past responses when it is switched on (issue 12 step 6): GET /forms/{id}/responses newest
// first, 100 a page, paged with `before` = the last token of the previous page (providers.md §4 / T9), each page
// ingested in one short transaction (the same code as the webhook: dedupe on the response token, so a response that
// also arrives by webhook is stored once), the position checkpointed in typeform_forms.backfill_before after each
// page. Paced by the client (2 requests a second per account); no transaction is open during a call to Typeform.
import { asService } from "../db.ts";
import { logError } from "../http.ts";
import { TIMEOUT, type TypeformClient, TypeformApiError, typeformClientFor } from "./client.ts";
import { type FormRow, ingestResponse } from "./ingest.ts";
import { cleanResponse, type CleanField } from "./wire.ts";

export const BACKFILL_PAGE_SIZE = 100;
/** A form with more than this many pages is imported up to here (100,000 responses); the webhook does the rest. */
export const BACKFILL_MAX_PAGES = 1000;

interface BackfillRow extends FormRow {
  integration_id: string;
  enabled: boolean;
  backfill_status: string;
  backfill_before: string | null;
}

async function readRow(formRowId: string): Promise<BackfillRow | null> {
  const [row] = await asService((tx) =>
    tx<BackfillRow[]>`
      select id, team_id, integration_id, form_id, title, mapping, enabled, backfill_status, backfill_before
        from public.typeform_forms where id = ${formRowId}`
  );
  return row ?? null;
}

function failureSentence(err: unknown): string {
  if (err instanceof TypeformApiError) {
    if (err.status === 429) return "Typeform kept asking us to slow down. Switch the form off and on to try again.";
    if (err.status === 404) return "Typeform no longer has this form.";
    if (err.status === 401 || err.status === 403) return "Typeform refused our access. Reconnect Typeform.";
    if (err.status === 0 && err.code === TIMEOUT) return "Typeform didn't answer in time while importing past responses. Switch the form off and on to try again.";
    return "Typeform did not answer as expected while importing past responses.";
  }
  return "The import of past responses stopped on an error.";
}

/**
 * Imports every past response of the form from its checkpoint, page by page, while the form stays enabled and its
 * backfill 'running'. Never throws: a failure is recorded on the row as a sentence (backfill_status 'failed').
 */
export async function runBackfill(formRowId: string, fields: CleanField[], client?: TypeformClient): Promise<void> {
  try {
    const first = await readRow(formRowId);
    if (!first || !first.enabled || first.backfill_status !== "running") return;
    const api = client ?? typeformClientFor(first.integration_id);
    let before = first.backfill_before;
    for (let page = 0; page < BACKFILL_MAX_PAGES; page++) {
      const { items } = await api.listResponses(first.form_id, { before, pageSize: BACKFILL_PAGE_SIZE });
      const cleaned = items.map((item) => cleanResponse(item, fields));
      const lastToken = [...cleaned].reverse().find((r) => r !== null)?.token ?? null;
      const done = items.length < BACKFILL_PAGE_SIZE || lastToken === null;
      const still = await asService(async (tx) => {
        // the form may have been switched off (or on again, with a new backfill) while we were at Typeform
        const [row] = await tx<BackfillRow[]>`
          select id, team_id, integration_id, form_id, title, mapping, enabled, backfill_status, backfill_before
            from public.typeform_forms where id = ${formRowId} for update`;
        if (!row || !row.enabled || row.backfill_status !== "running" || row.backfill_before !== before) return false;
        let imported = 0;
        for (const response of cleaned) {
          if (!response) continue;
          const result = await ingestResponse(tx, row, response, "backfill");
          if (result.outcome !== "duplicate") imported++;
        }
        await tx`
          update public.typeform_forms
             set backfill_before = ${done ? before : lastToken}, backfill_imported = backfill_imported + ${imported},
                 backfill_status = ${done ? "done" : "running"}
           where id = ${formRowId}`;
        return !done;
      });
      if (!still) return;
      before = lastToken;
    }
    await asService((tx) => tx`update public.typeform_forms set backfill_status = 'done' where id = ${formRowId} and backfill_status = 'running'`);
  } catch (err) {
    logError("typeform backfill", err);
    await asService((tx) =>
      tx`update public.typeform_forms set backfill_status = 'failed', backfill_error = ${failureSentence(err)}
          where id = ${formRowId} and backfill_status = 'running'`
    ).catch((e) => logError("typeform backfill", e));
  }
}

declare const EdgeRuntime: { waitUntil(promise: Promise<unknown>): void } | undefined;

const running = new Set<Promise<void>>();

/** Runs the backfill in the background (EdgeRuntime.waitUntil on Supabase; a detached promise locally). */
export function scheduleBackfill(formRowId: string, fields: CleanField[]): void {
  const work = runBackfill(formRowId, fields);
  running.add(work);
  void work.finally(() => running.delete(work));
  if (typeof EdgeRuntime !== "undefined" && EdgeRuntime?.waitUntil) EdgeRuntime.waitUntil(work);
}

/** For tests: resolves once every scheduled backfill has settled. */
export async function backfillsIdle(): Promise<void> {
  while (running.size > 0) await Promise.all([...running]);
}
