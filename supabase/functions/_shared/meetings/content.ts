// A meeting's content (transcript, summary, action items) fetched after the meeting itself: written by the
// provider's content pass (Fathom: fathom/content.ts) through these two functions, whatever the provider.
import type { Tx } from "../db.ts";
import type { MeetingContent } from "./types.ts";

/** Fetches of a meeting's content that find a section still missing, before the meeting is marked failed. */
export const CONTENT_NOT_READY_ATTEMPTS = 5;

/**
 * Store fetched content on a meeting (by its id) that is not complete yet (a webhook may have won the race: then
 * null). Sections are in the stored shapes of types.ts (transcript: TranscriptLine[], "HH:MM:SS" timestamps); a
 * null/absent section never clobbers a stored one. A section that is still missing (the summary not ready yet) keeps
 * the meeting pending, retried after a growing pause (`content_retry_after`: 1, 4, 16, 64 minutes), and failed after
 * CONTENT_NOT_READY_ATTEMPTS such fetches. Returns the meeting's content status afterwards, or null when it was
 * already complete (or is not there).
 */
export async function storeMeetingContent(
  tx: Tx,
  meetingId: string,
  content: MeetingContent,
): Promise<"complete" | "pending" | "failed" | null> {
  const transcript = content.transcript ? tx.json(content.transcript as never) : null;
  const actionItems = content.actionItems ? tx.json(content.actionItems as never) : null;
  const summary = content.summaryMarkdown ?? null;
  const template = content.summaryTemplate ?? null;
  const [row] = await tx<{ content_status: "complete" | "pending" | "failed" }[]>`
    with next as (
      select m.id,
             coalesce(${transcript}::jsonb, m.transcript) is not null
               and coalesce(${summary}::text, m.summary_markdown) is not null
               as complete
        from public.meetings m
       where m.id = ${meetingId} and m.content_status <> 'complete'
         for update
    )
    update public.meetings m set
      transcript = coalesce(${transcript}::jsonb, m.transcript),
      summary_markdown = coalesce(${summary}, m.summary_markdown),
      summary_template = coalesce(${template}, m.summary_template),
      action_items = coalesce(${actionItems}::jsonb, m.action_items),
      content_status = case when next.complete then 'complete'
                            when m.content_attempts + 1 >= ${CONTENT_NOT_READY_ATTEMPTS} then 'failed'
                            else m.content_status end,
      content_attempts = case when next.complete then m.content_attempts else m.content_attempts + 1 end,
      content_last_error = case
        when next.complete then null
        when coalesce(${transcript}::jsonb, m.transcript) is null then 'transcript_not_ready'
        else 'summary_not_ready' end,
      content_retry_after = case when next.complete then null
                                 else now() + make_interval(mins => power(4, least(m.content_attempts, 4))::int) end,
      content_fetched_at = now()
      from next
     where m.id = next.id
    returning m.content_status`;
  return row?.content_status ?? null;
}

/** A failed content fetch: count the attempt; after `maxAttempts` (or a permanent error) the meeting is failed. */
export async function recordContentFailure(
  tx: Tx,
  meetingId: string,
  error: string,
  opts: { maxAttempts: number; permanent: boolean },
): Promise<"pending" | "failed"> {
  const [row] = await tx<{ content_status: "pending" | "failed" }[]>`
    update public.meetings set
      content_attempts = content_attempts + 1,
      content_last_error = ${error},
      content_status = case when ${opts.permanent} or content_attempts + 1 >= ${opts.maxAttempts} then 'failed'
                            else content_status end,
      content_retry_after = now() + make_interval(mins => power(4, least(content_attempts, 4))::int)
    where id = ${meetingId} and content_status = 'pending'
    returning content_status`;
  return row?.content_status ?? "pending";
}
