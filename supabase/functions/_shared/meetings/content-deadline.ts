// How long a meeting's content may stay pending when nothing fetches it: a provider that pushes its transcript
// (Zoom's recording.transcript_completed) and never answers "not ready" has no retry that could end the wait, so the
// API read ends it. Computed when read, not stored: no sweep to run, and a late transcript still completes the row
// (the stored status stays 'pending' until then).
import type { Tx } from "../db.ts";

/**
 * Why a meeting's content is reported `unavailable` (MeetingSummary.content_reason): its pushed transcript did not
 * come in time, or the recording was deleted at the provider (zoom/retention.ts removed its transcript and links).
 */
export type ContentReason = "no_transcript" | "deleted_at_provider";

/**
 * Hours after a recording ends (else starts, else was imported) after which a still-missing pushed transcript is
 * reported as not coming. Zoom: its audio transcript takes about as long as the recording to process, so a day
 * covers the longest meetings and Zoom's slow days; an account without audio transcription never sends one.
 * Providers not listed here (Fathom) end their own wait: their content pass marks the meeting failed.
 */
export const PUSHED_TRANSCRIPT_WAIT_HOURS: Readonly<Record<string, number>> = { zoom: 24 };

/** True (SQL boolean over `m`, public.meetings) when m's pending transcript is past its provider's wait. */
function pastTranscriptWait(tx: Tx) {
  const waits = Object.entries(PUSHED_TRANSCRIPT_WAIT_HOURS);
  if (waits.length === 0) return tx`false`;
  const [first, ...rest] = waits.map(([provider, hours]) =>
    tx`(m.provider = ${provider}
        and coalesce(m.recording_end_time, m.recording_start_time, m.imported_at) + make_interval(hours => ${hours}::int) < now())`
  );
  const any = rest.reduce((acc, cond) => tx`${acc} or ${cond}`, first);
  return tx`(m.content_status = 'pending' and m.transcript is null and (${any}))`;
}

/**
 * The columns a meeting is read with (over `m`): `content_status` 'pending' | 'complete' | 'failed' as stored, or
 * 'unavailable' when the recording was deleted at the provider or a pushed transcript is past its wait
 * (PUSHED_TRANSCRIPT_WAIT_HOURS); `content_reason` (ContentReason) saying why it is unavailable, else null; and
 * `provider_deleted_at` (timestamptz | null, when the provider told us of the deletion).
 */
export function reportedContentColumns(tx: Tx) {
  const past = pastTranscriptWait(tx);
  return tx`case when m.provider_deleted_at is not null or ${past} then 'unavailable' else m.content_status end as content_status,
            case when m.provider_deleted_at is not null then 'deleted_at_provider'
                 when ${past} then 'no_transcript' end as content_reason,
            m.provider_deleted_at`;
}
