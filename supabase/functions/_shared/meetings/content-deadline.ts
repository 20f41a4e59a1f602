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

/**
 * The time (SQL timestamptz over `m`, public.meetings) until which m's pushed transcript is waited for: its
 * provider's wait after the recording ended (else started, else was imported); null for a provider that ends its
 * own wait.
 */
function transcriptWaitEnd(tx: Tx) {
  const waits = Object.entries(PUSHED_TRANSCRIPT_WAIT_HOURS);
  if (waits.length === 0) return tx`null::timestamptz`;
  const whens = waits.map(([provider, hours]) =>
    tx`when m.provider = ${provider}
       then coalesce(m.recording_end_time, m.recording_start_time, m.imported_at) + make_interval(hours => ${hours}::int)`
  );
  return tx`(case ${whens.reduce((acc, w) => tx`${acc} ${w}`)} end)`;
}

/** True (SQL boolean over `m`) while m's transcript is pending and missing: the wait applies. */
const transcriptAwaited = (tx: Tx) => tx`(m.content_status = 'pending' and m.transcript is null)`;

/** True (SQL boolean over `m`, public.meetings) when m's pending transcript is past its provider's wait. */
function pastTranscriptWait(tx: Tx) {
  return tx`(${transcriptAwaited(tx)} and coalesce(${transcriptWaitEnd(tx)} < now(), false))`;
}

/**
 * The columns a meeting is read with (over `m`): `content_status` 'pending' | 'complete' | 'failed' as stored, or
 * 'unavailable' when the recording was deleted at the provider or a pushed transcript is past its wait
 * (PUSHED_TRANSCRIPT_WAIT_HOURS); `content_reason` (ContentReason) saying why it is unavailable, else null;
 * `provider_deleted_at` (timestamptz | null, when the provider told us of the deletion); and
 * `content_wait_until` (timestamptz | null): while a pushed transcript is still awaited (reported 'pending'), when the
 * wait ends and the meeting reads as having none; null otherwise.
 */
export function reportedContentColumns(tx: Tx) {
  const past = pastTranscriptWait(tx);
  return tx`case when m.provider_deleted_at is not null or ${past} then 'unavailable' else m.content_status end as content_status,
            case when m.provider_deleted_at is not null then 'deleted_at_provider'
                 when ${past} then 'no_transcript' end as content_reason,
            m.provider_deleted_at,
            case when m.provider_deleted_at is null and ${transcriptAwaited(tx)} and not ${past}
                 then ${transcriptWaitEnd(tx)} end as content_wait_until`;
}

/**
 * The deliveries that bring a meeting's content (webhook_deliveries.event_kind, written at acknowledgement): Zoom's
 * recording and transcript events. A trash, deletion or recovery of the same recording (same subject_ref) is not a
 * download: failed, it is not offered as "Retry download"; imported, it does not settle a failed download (attacker
 * review 12d, finding 2). Fathom's deliveries carry no subject_ref and are not matched here.
 */
export const CONTENT_EVENT_KINDS = ["recording.completed", "recording.transcript_completed"] as const;

/**
 * One meeting's page only (a lookup per row, not for lists): `content_delivery_wait`, json | null. While the
 * meeting's content is pending and a webhook delivery bringing it (webhook_deliveries.subject_ref = the provider's
 * meeting id, event_kind one of CONTENT_EVENT_KINDS) is held back after a failed attempt (status 'received'), or was given up on after its last attempt
 * (status 'failed', no later delivery of it imported since), `{ id, status, error, retry_at }`: the delivery's id
 * (what an admin retries: POST .../activity/retry), its status, the attempt's stored reason code (the caller makes it
 * a sentence: activity/sentences.ts) and when the inbox tries again (null once failed). A live delivery wins over a
 * failed one, then the newest. The provider has the transcript then (it sent the event); what fails is the CRM's
 * download. RLS decides the rows as everywhere (members read a delivery's id, status, last_error, next_attempt_at
 * and subject_ref, never its body).
 */
export function contentDeliveryWaitColumn(tx: Tx) {
  return tx`case when m.content_status = 'pending' and m.provider_deleted_at is null then (
              select json_build_object('id', d.id, 'status', d.status, 'error', d.last_error,
                                       'retry_at', case when d.status = 'received' then d.next_attempt_at end)
                from public.webhook_deliveries d
               where d.team_id = m.team_id and d.provider = m.provider and d.status in ('received', 'failed')
                 and d.last_error is not null and d.subject_ref = m.provider_meeting_id
                 and d.event_kind = any(${[...CONTENT_EVENT_KINDS]}::text[])
                 and not (d.status = 'failed' and exists (
                   select 1 from public.webhook_deliveries n
                    where n.team_id = d.team_id and n.provider = d.provider and n.subject_ref = d.subject_ref
                      and n.event_kind = any(${[...CONTENT_EVENT_KINDS]}::text[])
                      and n.status = 'imported' and n.received_at > d.received_at))
               order by (d.status = 'received') desc, d.received_at desc, d.next_attempt_at desc nulls last
               limit 1) end as content_delivery_wait`;
}
