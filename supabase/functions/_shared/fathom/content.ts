// Pass 2 of an import: a meeting's transcript and summary, fetched from Fathom (two calls: OAuth apps cannot
// inline them in GET /meetings, fathom-api.md §1.6) and stored. Used by the backfill's content stage and by the
// meeting page ("a meeting whose content is still pending is fetched from Fathom at once").
import { asService } from "../db.ts";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import { type FathomClient, FathomApiError } from "./client.ts";
import { fathomClientFor } from "./connection.ts";
import { recordContentFailure, storeContent } from "./import.ts";
import { RateLimitedUntil } from "./pacer.ts";

/** Attempts before a meeting's content is given up on (each attempt already retries transient failures). */
export const CONTENT_MAX_ATTEMPTS = 3;

export type ContentOutcome = "stored" | "already_complete" | "retry_later" | "failed";

/**
 * Fetch and store one meeting's content. Returns what happened to the meeting; throws what should stop the
 * caller as a whole: RateLimitedUntil (pause), AppError needs_reauth / not_connected / provider_unavailable.
 */
export async function fetchAndStoreContent(
  client: FathomClient,
  meeting: { id: string; recording_id: number | string },
): Promise<ContentOutcome> {
  const recordingId = Number(meeting.recording_id);
  let transcript, summary;
  try {
    transcript = await client.getTranscript(recordingId);
    summary = await client.getSummary(recordingId);
  } catch (err) {
    if (!(err instanceof FathomApiError) || err.transient) throw err;
    // 404: not visible to this account (anymore); other 4xx: this request will never work. Count it.
    const permanent = err.status === 404 || err.status === 403 || err.status === 400 || err.status === 422;
    const status = await asService((tx) =>
      recordContentFailure(tx, meeting.id, `http_${err.status}`, { maxAttempts: CONTENT_MAX_ATTEMPTS, permanent })
    );
    return status === "failed" ? "failed" : "retry_later";
  }
  const stored = await asService((tx) => storeContent(tx, meeting.id, { transcript, summary }));
  return stored ? "stored" : "already_complete";
}

/**
 * The meeting page's "fetch it now": no-op when the content is complete. Throws AppError (not_found,
 * not_connected, needs_reauth, rate_limited, provider_unavailable) on failure.
 */
export async function fetchMeetingContentNow(teamId: string, meetingId: string): Promise<void> {
  const meeting = await asService(async (tx) => {
    const rows = await tx<{ id: string; recording_id: string; content_status: string; integration_id: string | null }[]>`
      select m.id, m.recording_id, m.content_status,
             coalesce(m.integration_id, (select i.id from public.team_integrations i
                                          where i.team_id = m.team_id and i.provider = 'fathom')) as integration_id
        from public.meetings m
       where m.id = ${meetingId} and m.team_id = ${teamId}`;
    return rows[0] ?? null;
  });
  if (!meeting) throw new AppError("not_found", "Meeting not found.");
  if (meeting.content_status === "complete") return;
  if (!meeting.integration_id) throw new AppError("not_connected", "Fathom is not connected to this team.");

  // A page view must not hang on the rate limit: give up if the window is not free within 10 s.
  const client = fathomClientFor(meeting.integration_id, { deadline: Date.now() + 10_000 });
  let outcome: ContentOutcome;
  try {
    outcome = await fetchAndStoreContent(client, meeting);
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof RateLimitedUntil) {
      throw new AppError("rate_limited", "Fathom's rate limit is reached; the content will load shortly.");
    }
    logError("fathom content", err);
    throw new AppError("provider_unavailable", "Fathom is unavailable. Please try again later.");
  }
  if (outcome === "failed" || outcome === "retry_later") {
    throw new AppError("provider_unavailable", "Fathom did not return this meeting's content.");
  }
}
