// A recording's transcript for the store (webhook inbox and past-recordings import alike): downloaded and parsed, or,
// when Zoom will never give it (the file was deleted or trashed between listing and download, expired, too large,
// or its URL lies outside Zoom), no transcript and the reason, so the meeting, its participants and its lead links
// are stored all the same and the meeting's content is marked failed with that reason (store.ts). A passing failure
// (Zoom unreachable, 429, 5xx) or a 401 (the connection itself) still throws: the caller retries or pauses.
import type { ZoomClient } from "./client.ts";
import { ZoomApiError } from "./client.ts";
import { parseZoomTranscript, type TranscriptItem } from "./transcript.ts";
import { transcriptFile, type ZoomParticipant, type ZoomRecording } from "./wire.ts";

export interface FetchedTranscript {
  /** null: no transcript (none yet at Zoom, or `failure` says why it could not be had) */
  transcript: TranscriptItem[] | null;
  /** why Zoom will not give this transcript, e.g. `zoom_http_404` (stored as the meeting's content_last_error) */
  failure: string | null;
}

/** Whether a download error means the transcript will not come by asking again. */
export function transcriptGoneFor(err: unknown): string | null {
  if (!(err instanceof ZoomApiError) || err.transient || err.status === 401 || err.status === 429) return null;
  return err.status === 0 ? "zoom_download_refused" : `zoom_http_${err.status}`;
}

/** Shapes: see FetchedTranscript. Throws what transcriptGoneFor does not call permanent. */
export async function fetchTranscript(
  client: Pick<ZoomClient, "downloadText">,
  recording: ZoomRecording,
  participants: ZoomParticipant[],
  downloadToken?: string | null,
): Promise<FetchedTranscript> {
  const file = transcriptFile(recording);
  if (!file?.download_url) return { transcript: null, failure: null };
  let text: string;
  try {
    text = await client.downloadText(file.download_url, downloadToken);
  } catch (err) {
    const failure = transcriptGoneFor(err);
    if (failure === null) throw err;
    return { transcript: null, failure };
  }
  return { transcript: await parseZoomTranscript(text, participants), failure: null };
}
