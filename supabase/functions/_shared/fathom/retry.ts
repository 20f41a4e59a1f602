// "Retry" on the activity panel for a meeting whose content Fathom did not give (content_status 'failed'): put back
// where the import left it and fetched by the same code as the first time (content.ts's fetchContentForPerson, as
// the meeting page). The claim is ONE conditional update (failed -> pending) under the row's lock, so a double click
// or two admins at once retry once: the second finds the row no longer failed and says so. A failed webhook delivery
// of any provider is retried by activity/retry.ts.
import { asService } from "../db.ts";
import { AppError } from "../errors.ts";
import { problemSentence } from "../activity/sentences.ts";
import { fathomMeetings, fetchContentForPerson, type PendingMeeting, pendingMeetingColumns } from "./content.ts";

/**
 * imported   done now (content stored, or the delivery's meeting written)
 * waiting    retried; Fathom has not finished it (a summary not ready), or the attempt is scheduled again
 * failed     retried and failed again; `reason` says why
 * in_progress another retry (or the every-minute sweep) holds it right now
 * already_done nothing to retry any more (imported since, or superseded by a later delivery)
 */
export type RetryResult = "imported" | "waiting" | "failed" | "in_progress" | "already_done";

export interface RetryOutcome {
  result: RetryResult;
  reason: string | null;
}

const outcome = (result: RetryResult, reason: string | null = null): RetryOutcome => ({ result, reason });

/**
 * Retry a failed meeting's content. The caller has checked that the person is an admin of `teamId`. Errors
 * (AppError): 404 meeting_not_found (not this team's), 409 not_connected, and fetchContentForPerson's: 429
 * rate_limited with retryAfterSeconds (FathomRateLimited), 409 needs_reauth, 503 provider_unavailable; after such an
 * error the meeting stays pending and the every-minute sweep fetches it.
 */
export async function retryMeetingContent(teamId: string, meetingId: string): Promise<RetryOutcome> {
  const claimed = await asService(async (tx) => {
    const [meeting] = await tx<{ content_status: string; integration_id: string | null }[]>`
      select m.content_status,
             (select i.id from public.team_integrations i
               where i.team_id = m.team_id and i.provider = 'fathom' and i.status = 'connected') as integration_id
        from public.meetings m where m.id = ${meetingId} and m.team_id = ${teamId}`;
    if (!meeting) throw new AppError("meeting_not_found", "Meeting not found.");
    if (!meeting.integration_id) throw new AppError("not_connected", "Connect Fathom first.");
    const rows = await tx<PendingMeeting[]>`
      update public.meetings m set content_status = 'pending', content_attempts = 0, content_retry_after = null,
             content_last_error = null
       where m.id = ${meetingId} and m.team_id = ${teamId} and m.content_status = 'failed' and ${fathomMeetings(tx)}
       returning ${pendingMeetingColumns(tx)}`;
    if (!rows[0]) return meeting.content_status === "complete" ? "already_done" as const : "in_progress" as const;
    return { meeting: rows[0], integrationId: meeting.integration_id };
  });
  if (typeof claimed === "string") return outcome(claimed);

  const fetched = await fetchContentForPerson(claimed.integrationId, claimed.meeting);
  if (fetched === "stored" || fetched === "already_complete") return outcome("imported");
  const [row] = await asService((tx) =>
    tx<{ content_last_error: string | null }[]>`select content_last_error from public.meetings where id = ${meetingId}`
  );
  return outcome(fetched === "failed" ? "failed" : "waiting", problemSentence(row?.content_last_error));
}
