// Zoom's recordings into the provider-neutral meetings (issue 12's contract, helper N: _shared/meetings): a Zoom
// recording, mapped to the neutral meeting (wire.ts toNeutralMeeting) with its transcript (transcript.ts), is
// written by `storeMeeting` in the caller's transaction (webhook inbox, past-recordings import): upserted by
// (team, 'zoom', meeting uuid), participants matched to leads by e-mail (the host internal), events emitted. Zoom's
// content is its transcript (Zoom writes no summary for the CRM to read), so a meeting with its transcript is
// complete; one without waits for recording.transcript_completed.
import type { Tx } from "../db.ts";
import { storeMeeting } from "../meetings/mod.ts";
import type { TranscriptItem } from "./transcript.ts";
import type { NeutralMeeting } from "./wire.ts";

export interface ZoomStoreContext {
  teamId: string;
  integrationId: string;
  source: "webhook" | "backfill";
}

export interface ZoomContent {
  /** null: Zoom has no transcript yet (it may come with recording.transcript_completed) */
  transcript: TranscriptItem[] | null;
  /** set when Zoom will never give this transcript (fetch-transcript.ts): the meeting's content is marked failed with it */
  failure?: string | null;
}

/**
 * Upserts the meeting (links leads by participant e-mail, emits the events) with its transcript when there is one.
 * Returns the meeting's id and how many lead links this call made.
 */
export async function storeZoomMeeting(tx: Tx, ctx: ZoomStoreContext, meeting: NeutralMeeting, content: ZoomContent): Promise<{ meetingId: string; linked: number }> {
  const result = await storeMeeting(tx, { ...ctx, provider: "zoom" }, {
    ...meeting,
    content: content.transcript ? { transcript: content.transcript } : undefined,
  });
  if (content.transcript) {
    // the neutral rule wants a transcript AND a summary (Fathom's sections); Zoom's content is the transcript
    await tx`update public.meetings set content_status = 'complete', content_fetched_at = now(), content_last_error = null,
                    content_retry_after = null
              where id = ${result.meetingId} and provider = 'zoom' and transcript is not null and content_status <> 'complete'
                and provider_deleted_at is null`;
  }
  if (!content.transcript && content.failure) {
    // a transcript already stored (an earlier event) stays; a later transcript_completed upgrades failed -> complete.
    // A recording deleted at Zoom keeps its own reason (meetings/store.ts)
    await tx`update public.meetings set content_status = 'failed', content_last_error = ${content.failure}, content_fetched_at = now()
              where id = ${result.meetingId} and provider = 'zoom' and content_status <> 'complete'
                and provider_deleted_at is null`;
  }
  return { meetingId: result.meetingId, linked: result.linkedLeadIds.length };
}
