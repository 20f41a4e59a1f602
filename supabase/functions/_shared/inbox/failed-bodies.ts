// How long a delivery given up on keeps its body for a retry by hand (attacker reviews 12c note 3, 12d note 4).
// Typeform's body is the respondent's e-mail and answers; Zoom's (download_token stripped: zoom/inbox.ts) still holds
// the host's e-mail, the topic, share/play links and Zoom's passcode fields. Neither is a credential and both are
// service-only (column grants), but nothing needs them once a person had the time to retry: 30 days, Typeform's own
// re-delivery window. Fathom's are kept (the meeting as sent; its row is the only copy a retry can import).
import { singleStatement } from "../db.ts";

/** Days a failed delivery keeps its body; after them the row stays (listed by its label), not retryable. */
export const FAILED_BODY_DAYS = 30;

/** The providers whose failed bodies are dropped after FAILED_BODY_DAYS. */
export const FAILED_BODY_PROVIDERS = ["typeform", "zoom"] as const;

/**
 * Drop the bodies of failed deliveries of FAILED_BODY_PROVIDERS received more than FAILED_BODY_DAYS ago; returns how
 * many. Run by the every-minute sweep (typeform/inbox.ts processDueTypeformDeliveries). The activity then reads the
 * row as not retryable (webhook_deliveries.has_body, activity/read.ts) and a Retry answers the "no body" sentence.
 */
export async function dropOldFailedBodies(): Promise<number> {
  const rows = await singleStatement((sql) =>
    sql`update public.webhook_deliveries set body = null
         where provider = any(${[...FAILED_BODY_PROVIDERS]}::text[]) and status = 'failed' and body is not null
           and received_at < now() - make_interval(days => ${FAILED_BODY_DAYS})
        returning 1`
  );
  return rows.length;
}
