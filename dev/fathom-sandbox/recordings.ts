// Creating recordings: the demo seed, simulated new recordings (which fire webhooks) and bulk history.

import type { SandboxContext } from "./context.ts";
import { DEFAULT_USER, DEMO_MEETINGS } from "./demo-data.ts";
import { AD_HOC_TITLES, createMeetingRecord, generateHistory, inventMeeting, type InventedMeeting, titleFor } from "./generator.ts";
import { createPrng } from "./prng.ts";
import { type Attendee, emailDomain, type MeetingKind, normalizeEmail } from "./store.ts";
import { deliverRecording, type DeliveryOutcome } from "./webhooks.ts";

const DAY_MS = 86_400_000;

/** The demo meetings sit on fixed days and hours before the day the sandbox started (UTC). */
export function seedDemoMeetings(ctx: SandboxContext): void {
  const today = Math.floor(ctx.now() / DAY_MS) * DAY_MS;
  for (const demo of DEMO_MEETINGS) {
    ctx.store.meetings.add(createMeetingRecord({
      recordingId: ctx.store.nextRecordingId++,
      title: demo.title,
      meetingTitle: demo.meetingTitle,
      kind: demo.kind,
      recorderEmail: demo.recorderEmail,
      attendees: demo.attendees,
      scheduledStartMs: today - demo.daysAgo * DAY_MS + demo.hourUtc * 3_600_000,
      durationMinutes: demo.durationMinutes,
      language: demo.language,
      summaryReady: demo.summaryReady,
      sharedWithTeam: ctx.store.users.get(demo.recorderEmail)?.team != null,
    }));
  }
}

export interface NewRecordingInput {
  /** The recorder (created if unknown); default Sandy. */
  userEmail?: string;
  title?: string;
  /** The calendar event's title; default the title; null: none (as for an ad-hoc recording). */
  meetingTitle?: string | null;
  /**
   * Calendar invitees; the recorder is added first. Omitted: invented, untidy now and then (see messFor).
   * []: an ad-hoc recording with no calendar invitees (the recorder not among them, no meeting_title).
   */
  invitees?: Attendee[];
  durationMinutes?: number;
  /** Transcript language, e.g. "de" (the sandbox writes de, es, ja and fr; anything else reads as English). */
  language?: string;
  /** false: the summary is not ready yet (null in the webhook and from /recordings/{id}/summary). */
  summaryReady?: boolean;
  /** Shared with the recorder's team; default: when the recorder is on a team. */
  sharedWithTeam?: boolean;
  /** Fire the matching webhooks (default true). */
  deliver?: boolean;
}

export interface NewRecordingResult {
  recording_id: number;
  deliveries: DeliveryOutcome[];
}

const CALL_KINDS: readonly MeetingKind[] = ["discovery", "demo", "intro", "pricing", "negotiation", "renewal"];

/** A meeting that has just finished recording, as if Fathom had processed it a moment ago. */
export async function addRecording(ctx: SandboxContext, input: NewRecordingInput = {}): Promise<NewRecordingResult> {
  const recorder = ctx.ensureUser(normalizeEmail(input.userEmail || DEFAULT_USER.email));
  const recordingId = ctx.store.nextRecordingId++;
  const self: Attendee = { name: recorder.name, email: recorder.email };

  let kind: MeetingKind;
  let attendees: Attendee[];
  let invented: Partial<InventedMeeting> = {};
  if (input.invitees?.length) {
    const others = input.invitees
      .map((i) => ({ name: i.name ?? null, email: normalizeEmail(i.email) }))
      .filter((i, index, all) => i.email !== recorder.email && all.findIndex((j) => j.email === i.email) === index);
    attendees = [self, ...others];
    const external = others.some((a) => emailDomain(a.email) !== emailDomain(recorder.email));
    kind = external ? createPrng(recordingId).pick(CALL_KINDS) : "internal";
  } else if (input.invitees) {
    // Ad hoc: nobody was invited, so there is no calendar event and no meeting_title.
    attendees = [];
    kind = createPrng(recordingId).pick(CALL_KINDS);
    invented = { title: AD_HOC_TITLES[recordingId % AD_HOC_TITLES.length], meetingTitle: null };
  } else {
    invented = inventMeeting(recordingId, recorder);
    ({ kind, attendees } = invented as InventedMeeting);
  }

  const durationMinutes = input.durationMinutes ?? 30;
  const nowMs = ctx.now();
  const givenTitle = input.title?.trim();
  const title = givenTitle || invented.title || titleFor(kind, attendees, recorder.email);
  // A given title is the calendar event's too, unless meeting_title says otherwise.
  const meetingTitle = input.meetingTitle !== undefined
    ? input.meetingTitle
    : givenTitle || invented.meetingTitle === undefined ? title : invented.meetingTitle;
  const record = createMeetingRecord({
    recordingId,
    title,
    meetingTitle,
    language: input.language ?? invented.language,
    summaryReady: input.summaryReady ?? invented.summaryReady,
    sharedWithTeam: input.sharedWithTeam ?? recorder.team !== null,
    kind,
    recorderEmail: recorder.email,
    attendees,
    // Ended ten minutes ago; Fathom has just finished processing it, so it is created "now".
    scheduledStartMs: nowMs - (durationMinutes + 10) * 60_000,
    durationMinutes,
  });
  record.createdAtMs = nowMs;
  if (!record.summaryReady && ctx.options.summaryDelayMs !== null) record.summaryReadyAtMs = Date.now() + ctx.options.summaryDelayMs;
  ctx.store.meetings.add(record);

  const deliveries = input.deliver === false ? [] : await deliverRecording(ctx, record);
  return { recording_id: recordingId, deliveries };
}

export function generateMeetings(ctx: SandboxContext, input: { userEmail?: string; count: number }) {
  const recorder = ctx.ensureUser(normalizeEmail(input.userEmail || DEFAULT_USER.email));
  const ids = generateHistory(ctx.store, recorder, input.count, ctx.now());
  return { created: ids.length, first_recording_id: ids[0] ?? null, last_recording_id: ids.at(-1) ?? null };
}

/** Summaries that were not ready become ready (all meetings when `recordingIds` is omitted); returns how many. */
export function finishSummaries(ctx: SandboxContext, recordingIds?: number[]): number {
  const wanted = recordingIds ? new Set(recordingIds) : null;
  let finished = 0;
  for (const meeting of ctx.store.meetings.newestFirst()) {
    if (meeting.summaryReady || (wanted && !wanted.has(meeting.recordingId))) continue;
    meeting.summaryReady = true;
    finished++;
  }
  return finished;
}
