// "Retry" on the activity panel for a webhook delivery the inbox gave up on (status 'failed'), whatever its provider:
// put back to 'received' with its attempts reset, then imported by the provider's own inbox code, as the first time
// (fathom/inbox.ts processDelivery, zoom/inbox.ts processZoomDelivery, typeform/inbox.ts processTypeformDelivery)
// from the body the failed row kept (inbox/queue.ts retainOnFailure: Zoom's without its download_token). The claim is
// ONE conditional update (failed -> received) under the row's lock, so a double click or two admins at once retry
// once: the second finds the row no longer failed and says so.
import { asService } from "../db.ts";
import { AppError } from "../errors.ts";
import { processDelivery } from "../fathom/inbox.ts";
import type { InboxOutcome } from "../inbox/queue.ts";
import { processTypeformDelivery } from "../typeform/inbox.ts";
import { processZoomDelivery } from "../zoom/inbox.ts";
import { problemSentence } from "./sentences.ts";
import { getProvider } from "../oauth/registry.ts";
import type { ProviderId } from "../oauth/types.ts";

/**
 * imported   done now (content stored, or the delivery's meeting or lead written)
 * waiting    retried; not finished yet (a summary not ready), or the attempt is scheduled again
 * failed     retried and failed again; `reason` says why
 * in_progress another retry (or the every-minute sweep) holds it right now
 * already_done nothing to retry any more (imported since, or superseded by a later delivery)
 */
export type RetryResult = "imported" | "waiting" | "failed" | "in_progress" | "already_done";

export interface RetryOutcome {
  result: RetryResult;
  reason: string | null;
}

/** The providers whose failed deliveries can be retried, each through its own inbox import. */
const IMPORTERS: Readonly<Record<string, (integrationId: string, messageId: string) => Promise<InboxOutcome>>> = {
  fathom: processDelivery,
  zoom: processZoomDelivery,
  typeform: processTypeformDelivery,
};

/** Whether `provider`'s failed deliveries can be retried by hand. */
export function canRetryDeliveries(provider: string): boolean {
  return Object.hasOwn(IMPORTERS, provider);
}

/**
 * Retry one of `provider`'s failed webhook deliveries. The caller has checked that the person is an admin of
 * `teamId`. Errors (AppError): 404 not_found (not this team's or this provider's delivery, or a provider without
 * deliveries). A delivery whose recording arrived since by another delivery is already_done (the unique index allows
 * one live delivery per recording); one that no longer keeps its body is
 * failed at once with the "no body" sentence and left untouched (its first reason kept).
 */
export async function retryDelivery(teamId: string, provider: string, deliveryId: string): Promise<RetryOutcome> {
  const importer = IMPORTERS[provider];
  if (!Object.hasOwn(IMPORTERS, provider)) throw new AppError("not_found", "Nothing to retry for this integration.");
  const claimed = await asService(async (tx) => {
    const [delivery] = await tx<{ status: string; has_body: boolean }[]>`
      select status, has_body from public.webhook_deliveries
       where id = ${deliveryId} and team_id = ${teamId} and provider = ${provider}
       for update`;
    if (!delivery) throw new AppError("not_found", "Delivery not found.");
    // nothing to import again: the row is left as it is, its first reason kept (attacker review 12d, finding 3)
    if (delivery.status === "failed" && !delivery.has_body) return "no_body" as const;
    const rows = await tx<{ integration_id: string; webhook_message_id: string }[]>`
      update public.webhook_deliveries d set status = 'received', attempts = 0, next_attempt_at = null,
             locked_until = null, processed_at = null
       where d.id = ${deliveryId} and d.team_id = ${teamId} and d.provider = ${provider} and d.status = 'failed'
         and not exists (select 1 from public.webhook_deliveries n
                          where n.integration_id = d.integration_id and n.recording_id = d.recording_id
                            and n.status <> 'failed')
       returning d.integration_id, d.webhook_message_id`;
    if (rows[0]) return rows[0];
    return delivery.status === "received" ? "in_progress" as const : "already_done" as const;
  }).catch((err) => {
    // a new delivery of the same recording was stored between the check and the update: it is the live one now
    if ((err as { code?: string }).code === "23505") return "already_done" as const;
    throw err;
  });
  if (claimed === "no_body") {
    return { result: "failed", reason: problemSentence("no body", getProvider(provider as ProviderId).displayName) };
  }
  if (typeof claimed === "string") return { result: claimed, reason: null };

  const result = await importer(claimed.integration_id, claimed.webhook_message_id);
  if (result === "imported") return { result: "imported", reason: null };
  if (result === "busy") return { result: "in_progress", reason: null };
  const [row] = await asService((tx) =>
    tx<{ last_error: string | null }[]>`select last_error from public.webhook_deliveries where id = ${deliveryId}`
  );
  return {
    result: result === "failed" ? "failed" : "waiting",
    reason: problemSentence(row?.last_error, getProvider(provider as ProviderId).displayName),
  };
}
