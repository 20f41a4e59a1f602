// THE SEAM to the provider-neutral meetings (issue 12's contract, helper N): a Zoom recording, mapped to the neutral
// meeting (wire.ts toNeutralMeeting) with its transcript (transcript.ts), is written by N's `storeMeeting` +
// `storeMeetingContent` in the caller's transaction (webhook inbox, past-recordings import). Everything Zoom-side
// (verify, route, dedupe, fetch participants and transcript, map, parse) is done before this call; only this
// function changes when N's module lands.
import type { Tx } from "../db.ts";
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
}

export class NeutralMeetingsNotWired extends Error {
  override readonly name = "NeutralMeetingsNotWired";
  constructor() {
    super("Zoom meetings are stored through the provider-neutral storeMeeting (issue 12, helper N), not merged yet");
  }
}

/** False until N's storeMeeting is wired below: connecting Zoom then starts no import (it could store nothing). */
export const NEUTRAL_MEETINGS_WIRED = false;

/**
 * Upserts the meeting (links leads by participant e-mail, emits the events) and its transcript when there is one.
 * Returns the meeting's id and how many lead links it made.
 */
export function storeZoomMeeting(_tx: Tx, _ctx: ZoomStoreContext, _meeting: NeutralMeeting, _content: ZoomContent): Promise<{ meetingId: string; linked: number }> {
  return Promise.reject(new NeutralMeetingsNotWired());
}
