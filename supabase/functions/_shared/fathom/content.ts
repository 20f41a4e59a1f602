// Pass 2 of an import: a meeting's transcript and summary, fetched from Fathom (two calls: OAuth apps cannot
// inline them in GET /meetings, fathom-api.md §1.6) and stored. Used by the backfill's content stage and by the
// meeting page ("a meeting whose content is still pending is fetched from Fathom at once").
import { asService, type Tx } from "../db.ts";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import { type FathomClient, FathomApiError } from "./client.ts";
import { fathomClientFor } from "./connection.ts";
import { recordContentFailure, storeContent } from "./import.ts";
import { RateLimitedUntil } from "./pacer.ts";

/** Attempts before a meeting's content is given up on (each attempt already retries transient failures). */
export const CONTENT_MAX_ATTEMPTS = 3;

export type ContentOutcome = "stored" | "already_complete" | "retry_later" | "failed";

/** A meeting whose content is to be fetched; the `has_*` flags skip a section that is already stored. */
export interface PendingMeeting {
  id: string;
  /** Fathom's recording id (meetings.provider_meeting_id of a 'fathom' meeting, read back as a number) */
  recording_id: number | string;
  has_transcript?: boolean;
  has_summary?: boolean;
  /** false: the meeting has no action items yet (they come with the summary); fetched with a late summary */
  has_action_items?: boolean;
  /** Fathom's created_at: where to find the meeting in GET /meetings for its action items */
  created_at?: Date | string | null;
}

/**
 * The columns a PendingMeeting is read with (`m` is public.meetings), for the three places that pick meetings. Only
 * for Fathom's meetings: every query using it also says `m.provider = 'fathom'` (fathomMeetings), since another
 * provider's id is not a recording id.
 */
export const pendingMeetingColumns = (tx: Tx) =>
  tx`m.id, m.provider_meeting_id::bigint as recording_id, m.transcript is not null as has_transcript,
     m.summary_markdown is not null as has_summary, m.action_items is not null as has_action_items,
     m.provider_created_at as created_at`;

/** The condition that keeps a query over public.meetings `m` to Fathom's meetings. */
export const fathomMeetings = (tx: Tx) => tx`m.provider = 'fathom'`;

/**
 * The action items of one meeting. Fathom serves them only in GET /meetings (include_action_items; there is no
 * per-recording endpoint, fathom-api.md §3.5), so the meeting is listed by its own created_at, one second either
 * side, and picked out by recording_id. null when it is not found or has none yet.
 */
async function actionItemsOf(client: FathomClient, recordingId: number, createdAt: Date | string | null | undefined) {
  if (!createdAt) return null;
  const at = new Date(createdAt).getTime();
  if (Number.isNaN(at)) return null;
  const page = await client.listMeetings({
    created_after: new Date(at - 1000).toISOString(),
    created_before: new Date(at + 1000).toISOString(),
    include_action_items: true,
  });
  return page.items.find((m) => m.recording_id === recordingId)?.action_items ?? null;
}

/**
 * Fetch the missing sections of one meeting (GET /recordings/{id}/transcript and /summary) and store them. A
 * section Fathom still answers null for (a summary not ready yet) leaves the meeting pending for a later attempt.
 * Returns what happened to the meeting; throws what should stop the caller as a whole: RateLimitedUntil (pause),
 * AppError needs_reauth / not_connected / provider_unavailable, FathomApiError when transient.
 */
export async function fetchAndStoreContent(client: FathomClient, meeting: PendingMeeting): Promise<ContentOutcome> {
  const recordingId = Number(meeting.recording_id);
  let transcript = null, summary = null, actionItems = null;
  try {
    if (!meeting.has_transcript) transcript = await client.getTranscript(recordingId);
    if (!meeting.has_summary) summary = await client.getSummary(recordingId);
    // a summary that came late came without its action items (Fathom writes them together)
    if (summary && meeting.has_action_items === false) {
      actionItems = await actionItemsOf(client, recordingId, meeting.created_at);
    }
  } catch (err) {
    if (!(err instanceof FathomApiError) || err.transient) throw err;
    // 404: not visible to this account (anymore); other 4xx: this request will never work. Count it.
    const permanent = err.status === 404 || err.status === 403 || err.status === 400 || err.status === 422;
    const status = await asService((tx) =>
      recordContentFailure(tx, meeting.id, `http_${err.status}`, { maxAttempts: CONTENT_MAX_ATTEMPTS, permanent })
    );
    return status === "failed" ? "failed" : "retry_later";
  }
  const status = await asService((tx) => storeContent(tx, meeting.id, { transcript, summary, actionItems }));
  if (status === null) return "already_complete";
  return status === "complete" ? "stored" : status === "failed" ? "failed" : "retry_later";
}

/**
 * The meeting page's "fetch it now": no-op when the content is complete, or the meeting is another provider's.
 * Throws AppError (not_found, not_connected, needs_reauth, rate_limited, provider_unavailable) on failure.
 */
export async function fetchMeetingContentNow(teamId: string, meetingId: string): Promise<void> {
  const meeting = await asService(async (tx) => {
    const rows = await tx<
      (PendingMeeting & { content_status: string; integration_id: string | null; backing_off: boolean })[]
    >`
      select ${pendingMeetingColumns(tx)}, m.content_status,
             -- tried moments ago: a reload must not spend the rate limit again
             coalesce(m.content_fetched_at > now() - interval '15 seconds', false) as backing_off,
             coalesce(m.integration_id, (select i.id from public.team_integrations i
                                          where i.team_id = m.team_id and i.provider = 'fathom')) as integration_id
        from public.meetings m
       where m.id = ${meetingId} and m.team_id = ${teamId} and ${fathomMeetings(tx)}`;
    if (rows[0]) return rows[0];
    // another provider's meeting: its own importer fetches its content, nothing to ask Fathom
    const [other] = await tx`select 1 from public.meetings where id = ${meetingId} and team_id = ${teamId}`;
    return other ? "not_fathom" as const : null;
  });
  if (meeting === "not_fathom") return;
  if (!meeting) throw new AppError("not_found", "Meeting not found.");
  if (meeting.content_status === "complete") return;
  // Asked moments ago (a reload, two people opening it): asking again would only spend the rate limit. A pause set
  // by an earlier "not ready" is not waited out here: a person opening the meeting gets Fathom's answer now.
  if (meeting.backing_off) return;
  if (!meeting.integration_id) throw new AppError("not_connected", "Fathom is not connected to this team.");

  const outcome = await fetchContentForPerson(meeting.integration_id, meeting);
  if (outcome === "failed" || outcome === "retry_later") {
    throw new AppError("provider_unavailable", "Fathom did not return this meeting's content.");
  }
}

/** 429 rate_limited that knows how long Fathom asked to wait (whole seconds, >= 1): routes send it as Retry-After. */
export class FathomRateLimited extends AppError {
  readonly retryAfterSeconds: number;

  constructor(until: number) {
    super("rate_limited", "Fathom's rate limit is reached; the content will load shortly.");
    this.retryAfterSeconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
  }
}

/**
 * fetchAndStoreContent for a person waiting on the answer (the meeting page, the activity panel's Retry): at most
 * 10 s of rate-limit wait, and every failure as an AppError: FathomRateLimited (429 with the wait), not_connected,
 * needs_reauth, provider_unavailable.
 */
export async function fetchContentForPerson(integrationId: string, meeting: PendingMeeting): Promise<ContentOutcome> {
  // A page view must not hang on the rate limit: give up if the window is not free within 10 s.
  const client = fathomClientFor(integrationId, { deadline: Date.now() + 10_000 });
  try {
    return await fetchAndStoreContent(client, meeting);
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof RateLimitedUntil) throw new FathomRateLimited(err.until);
    logError("fathom content", err);
    throw new AppError("provider_unavailable", "Fathom is unavailable. Please try again later.");
  }
}

/**
 * For fathom-sync (every minute): content still missing outside an import (a webhook delivered a meeting before
 * its summary was ready; a fetch failed), fetched once its pause (`content_retry_after`) has passed. Meetings of an
 * integration whose import is running are left to that import's content pass. Returns the outcomes by kind.
 */
export async function processDueContent(limit = 20): Promise<Record<ContentOutcome | "stopped", number>> {
  const due = await asService((tx) =>
    tx<(PendingMeeting & { integration_id: string })[]>`
      select ${pendingMeetingColumns(tx)}, m.integration_id
        from public.meetings m
        join public.team_integrations i on i.id = m.integration_id and i.status = 'connected'
       where ${fathomMeetings(tx)} and m.content_status = 'pending' and (m.content_retry_after is null or m.content_retry_after <= now())
         and m.imported_at < now() - interval '1 minute' -- a fresh delivery's own fetch may still be running
         and not exists (select 1 from public.integration_syncs s
                          where s.integration_id = m.integration_id and s.status in ('running', 'paused_rate_limited'))
       order by m.content_retry_after nulls first, m.imported_at
       limit ${limit}`
  );
  const counts: Record<ContentOutcome | "stopped", number> = {
    stored: 0, already_complete: 0, retry_later: 0, failed: 0, stopped: 0,
  };
  const stopped = new Set<string>();
  for (const meeting of due) {
    if (stopped.has(meeting.integration_id)) continue;
    try {
      counts[await fetchAndStoreContent(fathomClientFor(meeting.integration_id, { deadline: Date.now() + 20_000 }), meeting)]++;
    } catch (err) {
      // rate limit, reauth, Fathom down: leave this integration's meetings for the next minute
      stopped.add(meeting.integration_id);
      counts.stopped++;
      if (!(err instanceof RateLimitedUntil)) logError("fathom content sweep", err);
      if (err instanceof FathomApiError) {
        await asService((tx) =>
          tx`update public.meetings set content_retry_after = now() + interval '5 minutes' where id = ${meeting.id}`
        ).catch(() => {});
      }
    }
  }
  return counts;
}
