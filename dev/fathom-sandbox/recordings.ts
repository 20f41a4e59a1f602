// Creating recordings: the demo seed, simulated new recordings (which fire webhooks) and bulk history.

import type { SandboxContext } from "./context.ts";
import { DEFAULT_USER, DEMO_MEETINGS } from "./demo-data.ts";
import { createMeetingRecord, generateHistory, inventMeeting, titleFor } from "./generator.ts";
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
      kind: demo.kind,
      recorderEmail: demo.recorderEmail,
      attendees: demo.attendees,
      scheduledStartMs: today - demo.daysAgo * DAY_MS + demo.hourUtc * 3_600_000,
      durationMinutes: demo.durationMinutes,
    }));
  }
}

export interface NewRecordingInput {
  userEmail?: string;
  title?: string;
  invitees?: Attendee[];
  durationMinutes?: number;
  /** Fire the recorder's webhooks (default true). */
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
  if (input.invitees?.length) {
    const others = input.invitees
      .map((i) => ({ name: i.name ?? null, email: normalizeEmail(i.email) }))
      .filter((i, index, all) => i.email !== recorder.email && all.findIndex((j) => j.email === i.email) === index);
    attendees = [self, ...others];
    const external = others.some((a) => emailDomain(a.email) !== emailDomain(recorder.email));
    kind = external ? createPrng(recordingId).pick(CALL_KINDS) : "internal";
  } else {
    ({ kind, attendees } = inventMeeting(recordingId, recorder));
  }

  const durationMinutes = input.durationMinutes ?? 30;
  const nowMs = ctx.now();
  const record = createMeetingRecord({
    recordingId,
    title: input.title?.trim() || titleFor(kind, attendees, recorder.email),
    kind,
    recorderEmail: recorder.email,
    attendees,
    // Ended ten minutes ago; Fathom has just finished processing it, so it is created "now".
    scheduledStartMs: nowMs - (durationMinutes + 10) * 60_000,
    durationMinutes,
  });
  record.createdAtMs = nowMs;
  ctx.store.meetings.add(record);

  const deliveries = input.deliver === false ? [] : await deliverRecording(ctx, record);
  return { recording_id: recordingId, deliveries };
}

export function generateMeetings(ctx: SandboxContext, input: { userEmail?: string; count: number }) {
  const recorder = ctx.ensureUser(normalizeEmail(input.userEmail || DEFAULT_USER.email));
  const ids = generateHistory(ctx.store, recorder, input.count, ctx.now());
  return { created: ids.length, first_recording_id: ids[0] ?? null, last_recording_id: ids.at(-1) ?? null };
}
