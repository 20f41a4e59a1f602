// Deterministic fake meetings. Content (transcript, summary, action items) is a pure function of the meeting
// record, seeded by its recording id: nothing big is stored, and the same id always reads the same.

import { COMPANY_BY_DOMAIN, GENERATED_CONTACTS } from "./demo-data.ts";
import { isOtherLanguage, OTHER_LANGUAGES, scriptFor } from "./languages.ts";
import { createPrng, type Prng } from "./prng.ts";
import {
  type Attendee,
  emailDomain,
  MEETING_DEFAULTS,
  type MeetingKind,
  type MeetingRecord,
  type SandboxStore,
  type SandboxUser,
} from "./store.ts";
import type { WireActionItem, WireSummary, WireTranscriptItem } from "./wire-types.ts";

export interface MeetingContent {
  transcript: WireTranscriptItem[];
  /** null while the summary is not ready (meeting.summaryReady false); the action items come with it. */
  summary: WireSummary | null;
  actionItems: WireActionItem[] | null;
}

export const KIND_LABELS: Readonly<Record<MeetingKind, string>> = {
  discovery: "discovery call",
  demo: "product demo",
  intro: "intro call",
  pricing: "pricing discussion",
  onboarding: "onboarding kickoff",
  security: "security review",
  negotiation: "contract negotiation",
  qbr: "quarterly business review",
  renewal: "renewal check-in",
  partnership: "partnership sync",
  internal: "pipeline review",
};

const EXTERNAL_KINDS: readonly MeetingKind[] = [
  "discovery", "demo", "intro", "pricing", "onboarding", "security", "negotiation", "qbr", "renewal",
];

export function companyFor(email: string): string {
  const domain = emailDomain(email);
  const known = COMPANY_BY_DOMAIN[domain];
  if (known) return known;
  const label = domain.split(".")[0];
  return label.charAt(0).toUpperCase() + label.slice(1);
}

export function hhmmss(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, "0")).join(":");
}

// ---------------------------------------------------------------------------------------------------------------
// Meeting records

export interface NewMeetingInput {
  recordingId: number;
  title: string;
  kind: MeetingKind;
  recorderEmail: string;
  attendees: readonly Attendee[];
  scheduledStartMs: number;
  durationMinutes: number;
  /** The calendar event's title; default: the title. null: no title (an ad-hoc recording, a private event). */
  meetingTitle?: string | null;
  language?: string;
  summaryReady?: boolean;
  sharedWithTeam?: boolean;
}

/** Fills in the recording times the way Fathom's look: started a bit late, created minutes after the end. */
export function createMeetingRecord(input: NewMeetingInput): MeetingRecord {
  const prng = createPrng(input.recordingId ^ 0x5eed);
  const scheduledEndMs = input.scheduledStartMs + input.durationMinutes * 60_000;
  const recordingStartMs = input.scheduledStartMs + prng.int(5, 240) * 1000;
  const recordingEndMs = scheduledEndMs + prng.int(-300, 240) * 1000;
  return {
    recordingId: input.recordingId,
    title: input.title,
    meetingTitle: input.meetingTitle === undefined ? input.title : input.meetingTitle,
    kind: input.kind,
    recorderEmail: input.recorderEmail,
    attendees: input.attendees,
    scheduledStartMs: input.scheduledStartMs,
    scheduledEndMs,
    recordingStartMs,
    recordingEndMs,
    createdAtMs: recordingEndMs + prng.int(30, 180) * 1000,
    language: input.language ?? MEETING_DEFAULTS.language,
    summaryReady: input.summaryReady ?? MEETING_DEFAULTS.summaryReady,
    sharedWithTeam: input.sharedWithTeam ?? MEETING_DEFAULTS.sharedWithTeam,
  };
}

/** Fathom's titles for recordings with no calendar event behind them. */
export const AD_HOC_TITLES = ["Impromptu Zoom Meeting", "Impromptu Google Meet Meeting"] as const;

/**
 * The untidy parts of real traffic, drawn per recording id from a stream of its own (so the kind and contact a
 * recording id got before stay the same). Shares: ad hoc (no calendar invitees, no meeting_title) 6 %, a calendar
 * event without a title 5 %, the recorder not among the invitees 5 %, a transcript in de/es/ja/fr 12 %, the summary
 * not ready yet 5 %.
 */
export interface Mess {
  adHoc: boolean;
  untitledEvent: boolean;
  recorderNotInvited: boolean;
  language: string;
  summaryReady: boolean;
}

export function messFor(recordingId: number): Mess {
  const prng = createPrng(recordingId ^ 0x3e55a9);
  const adHoc = prng.chance(0.06);
  const untitledEvent = prng.chance(0.05);
  const recorderNotInvited = prng.chance(0.05);
  const language = prng.chance(0.12) ? prng.pick(OTHER_LANGUAGES) : "en";
  const summaryReady = !prng.chance(0.05);
  return { adHoc, untitledEvent: !adHoc && untitledEvent, recorderNotInvited: !adHoc && recorderNotInvited, language, summaryReady };
}

export interface InventedMeeting {
  kind: MeetingKind;
  attendees: Attendee[];
  title: string;
  meetingTitle: string | null;
  language: string;
  summaryReady: boolean;
}

/** Picks a kind, an external contact and the untidy parts (messFor) for a meeting that was given none. */
export function inventMeeting(recordingId: number, recorder: SandboxUser): InventedMeeting {
  const prng = createPrng(recordingId);
  const self: Attendee = { name: recorder.name, email: recorder.email };
  const internal = prng.chance(0.08);
  const contact = internal ? null : prng.pick(GENERATED_CONTACTS);
  const kind = internal ? "internal" : prng.pick(EXTERNAL_KINDS);
  const mess = messFor(recordingId);
  const invited = internal ? [self] : [self, contact!];
  const attendees = mess.adHoc ? [] : mess.recorderNotInvited && contact ? [contact] : invited;
  const title = mess.adHoc ? AD_HOC_TITLES[recordingId % AD_HOC_TITLES.length] : titleFor(kind, invited, recorder.email);
  return {
    kind,
    attendees,
    title,
    meetingTitle: mess.adHoc || mess.untitledEvent ? null : title,
    language: mess.language,
    summaryReady: mess.summaryReady,
  };
}

export function titleFor(kind: MeetingKind, attendees: readonly Attendee[], recorderEmail: string): string {
  const external = attendees.find((a) => emailDomain(a.email) !== emailDomain(recorderEmail));
  const label = KIND_LABELS[kind];
  if (!external) return label.charAt(0).toUpperCase() + label.slice(1);
  return `${companyFor(external.email)} ${label}`;
}

/**
 * Appends `count` older meetings for a user: a history to page through. Fast on purpose (10,000 in well under a
 * second): only small records are created, and attendee objects are shared between meetings.
 */
export function generateHistory(store: SandboxStore, user: SandboxUser, count: number, nowMs: number): number[] {
  const oldest = store.meetings.newestFirst().at(-1)?.createdAtMs ?? nowMs;
  let cursorMs = Math.min(oldest, nowMs) - 60 * 60_000;
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const recordingId = store.nextRecordingId++;
    const prng = createPrng(recordingId);
    // About 5 % are recorded by a colleague on no team (recorded_by.team null) who invited the user.
    const byColleague = createPrng(recordingId ^ 0x7ea3).chance(0.05);
    const recorder = byColleague ? teamlessColleague(store, user, nowMs) : user;
    const invented = inventMeeting(recordingId, recorder);
    const attendees = byColleague
      ? [...invented.attendees.filter((a) => a.email !== user.email), { name: user.name, email: user.email }]
      : invented.attendees;
    cursorMs -= prng.int(90, 600) * 60_000;
    const durationMinutes = prng.pick([15, 20, 25, 30, 30, 45, 45, 60]);
    store.meetings.add(createMeetingRecord({
      ...invented,
      recordingId,
      recorderEmail: recorder.email,
      attendees,
      scheduledStartMs: cursorMs - durationMinutes * 60_000,
      durationMinutes,
      sharedWithTeam: recorder.team !== null,
    }));
    ids.push(recordingId);
  }
  return ids;
}

/** Robin Solo, on no team, in the user's organisation; created on first use. */
function teamlessColleague(store: SandboxStore, user: SandboxUser, nowMs: number): SandboxUser {
  const email = `robin.solo@${emailDomain(user.email)}`;
  let robin = store.users.get(email);
  if (!robin) {
    robin = { name: "Robin Solo", email, team: null, createdAtMs: nowMs };
    store.users.set(email, robin);
  }
  return robin.email === user.email ? user : robin;
}

// ---------------------------------------------------------------------------------------------------------------
// Content

const PROCESSES = [
  "track customer conversations", "hand deals over from sales to onboarding", "keep call notes in the CRM",
  "follow up after demos", "prepare the weekly forecast",
];
/** [as the customer says it, as the summary reports it] */
const CURRENT_STATES: readonly [string, string][] = [
  ["copy notes into a spreadsheet by hand", "copies notes into a spreadsheet by hand"],
  ["rely on a shared doc and everyone's memory", "relies on a shared doc and everyone's memory"],
  ["use a mix of email threads and an old CRM", "uses a mix of email threads and an old CRM"],
  ["paste call notes into Slack channels", "pastes call notes into Slack channels"],
];
const PAINS = [
  "follow-ups slip through the cracks", "nobody knows who last talked to a customer",
  "forecast calls take half a day to prepare", "new reps take months to ramp up",
];
const PLANS = ["Team", "Business", "Enterprise"];
/** [as the customer says it, as the summary reports it] */
const APPROVERS: readonly [string, string][] = [
  ["our CFO", "their CFO"],
  ["the head of IT", "their head of IT"],
  ["my VP of Sales", "their VP of Sales"],
  ["procurement", "procurement"],
];
const DELIVERABLES = [
  "a written proposal", "the security questionnaire answers", "a pilot plan", "an updated quote",
  "a short recap with pricing",
];
const FOLLOW_UP_WHEN = ["next Tuesday", "early next week", "on Thursday", "after their board meeting"];

interface Speaker {
  display_name: string;
  matched_calendar_invitee_email: string | null;
  attendee: Attendee | null;
}

interface Scenario {
  company: string;
  process: string;
  current: string;
  currentReported: string;
  pain: string;
  seats: number;
  plan: string;
  pricePerYear: number;
  approver: string;
  approverReported: string;
  deliverable: string;
  when: string;
  weeks: number;
  adoption: number;
}

type Line = [Speaker, string];

function speakerFor(attendee: Attendee, index: number): Speaker {
  // Fathom labels voices it cannot match to a named invitee generically.
  if (!attendee.name) return { display_name: `Speaker ${index + 1}`, matched_calendar_invitee_email: null, attendee };
  return { display_name: attendee.name, matched_calendar_invitee_email: attendee.email, attendee };
}

function firstName(speaker: Speaker): string {
  return speaker.attendee?.name?.split(" ")[0] ?? "there";
}

function scenarioFor(prng: Prng, company: string): Scenario {
  const seats = prng.pick([12, 25, 40, 60, 85, 120, 200]);
  const plan = prng.pick(PLANS);
  const perSeat = plan === "Team" ? 240 : plan === "Business" ? 420 : 660;
  const [current, currentReported] = prng.pick(CURRENT_STATES);
  const [approver, approverReported] = prng.pick(APPROVERS);
  return {
    company,
    process: prng.pick(PROCESSES),
    current,
    currentReported,
    pain: prng.pick(PAINS),
    seats,
    plan,
    pricePerYear: seats * perSeat,
    approver,
    approverReported,
    deliverable: prng.pick(DELIVERABLES),
    when: prng.pick(FOLLOW_UP_WHEN),
    weeks: prng.int(3, 8),
    adoption: prng.int(62, 94),
  };
}

const money = (amount: number) => `$${amount.toLocaleString("en-US")}`;

function middleLines(kind: MeetingKind, host: Speaker, contact: Speaker, other: Speaker, s: Scenario): Line[] {
  switch (kind) {
    case "discovery":
      return [
        [host, "What made you start looking at this now?"],
        [contact, `We just hired a batch of new reps, and the way we ${s.process} today won't scale.`],
        [host, "That's very common at your stage. Who else would be involved in a decision like this?"],
        [contact, `Me, ${s.approver}, and probably someone from operations.`],
      ];
    case "demo":
      return [
        [host, "Let me share my screen. This is the timeline for an account: every call, email and note in one place."],
        [contact, "Oh nice, so the call summary lands on the contact automatically?"],
        [host, "Exactly, as soon as the recording finishes. And action items become tasks with an owner."],
        [other, "That alone would save us a few hours every week."],
      ];
    case "intro":
      return [
        [host, "Before we dive in, how did you hear about us?"],
        [contact, "A colleague recommended you, and I saw a post about your integrations."],
        [host, "Great. Let me give you the two-minute overview, then I'd love to hear about your team."],
        [contact, "Sounds good. We're still early, so I'm mostly trying to understand the options."],
      ];
    case "pricing":
      return [
        [host, "You asked whether we price per seat or with a platform fee."],
        [contact, "Right, we'd prefer predictable costs. Is there a discount for annual billing?"],
        [host, "Yes, annual billing is fifteen percent off, and we can lock the price for two years."],
        [contact, "That helps a lot with budgeting."],
      ];
    case "onboarding":
      return [
        [host, "Welcome aboard! Today is all about getting your workspace set up."],
        [contact, `We're excited. Our main goal is to have everyone live within ${s.weeks} weeks.`],
        [host, "Very doable. Week one we import contacts, week two we connect calendars and call recording."],
        [other, "Who should be our main point of contact during the rollout?"],
        [host, "Our customer success team will own your onboarding, and I'll stay on the thread."],
      ];
    case "security":
      return [
        [contact, "Our IT team needs to know where the data is stored and whether you support SSO."],
        [host, "Data stays in the region you choose, it's encrypted at rest, and SSO is included on Enterprise."],
        [other, "Do you have a SOC 2 report we can review?"],
        [host, "Yes, I can share it under NDA today."],
      ];
    case "negotiation":
      return [
        [contact, "We've reviewed the contract. The main sticking point is the payment terms."],
        [host, "Understood. We can move to net-45 if we sign a two-year agreement."],
        [contact, "That could work. Could you also include onboarding at no cost?"],
        [host, "Let me check with my manager, but I think we can meet you halfway."],
      ];
    case "qbr":
      return [
        [host, `Let's look at the last quarter. Adoption is at ${s.adoption} percent of seats, up from last quarter.`],
        [contact, "The team loves the call summaries. Reporting is still a bit clunky, though."],
        [host, "Noted. The new dashboards ship next month and should cover exactly that."],
      ];
    case "renewal":
      return [
        [host, `Your renewal is coming up in ${s.weeks} weeks, so I wanted to check in early.`],
        [contact, "Overall we're happy. We might add a few seats for the new support team."],
        [host, "Great, I'll prepare a renewal quote that includes the extra seats."],
      ];
    case "partnership":
      return [
        [host, "The goal today is to see how your two companies and ours could put together a joint offer."],
        [contact, "We see a lot of overlap in mid-market accounts."],
        [other, "Agreed. A co-marketing webinar could be a good first step."],
        [host, "Love it. Let's pick a date and split the promotion three ways."],
      ];
    case "internal":
      return [];
  }
}

function externalCallLines(kind: MeetingKind, host: Speaker, contact: Speaker, other: Speaker, s: Scenario): Line[] {
  return [
    [host, `Hi ${firstName(contact)}, thanks for making the time today. Can you hear me okay?`],
    [contact, "Yes, loud and clear. Thanks for setting this up."],
    [host, `Great. The plan is a quick ${KIND_LABELS[kind]}, and we'll leave time for questions at the end.`],
    [contact, "Perfect."],
    [host, `To start, how does ${s.company} ${s.process} today?`],
    [contact, `Right now we ${s.current}. Honestly it's painful, especially because ${s.pain}.`],
    [host, "How many people are involved in that?"],
    [contact, `About ${s.seats} people, and the team keeps growing.`],
    ...middleLines(kind, host, contact, other, s),
    [host, `For ${s.seats} seats you'd be looking at roughly ${money(s.pricePerYear)} per year on the ${s.plan} plan.`],
    [contact, `That's within the range we discussed, but I'll need to run it by ${s.approver}.`],
    [host, "Makes sense. What would be a good next step?"],
    [contact, `Send over ${s.deliverable} and let's reconvene ${s.when}.`],
    [host, `Will do. I'll send ${s.deliverable} by tomorrow. Thanks, ${firstName(contact)}!`],
    [contact, "Thanks, talk soon."],
  ];
}

function internalLines(host: Speaker, a: Speaker, b: Speaker): Line[] {
  return [
    [host, "Morning everyone, let's run through the pipeline."],
    [a, "Acme is moving forward. The security review is scheduled for this week."],
    [host, "Great. What's the main risk there?"],
    [a, "Mostly timing. Their CFO is out until the twentieth."],
    [b, "Umbrella's onboarding kicked off. They want everyone live in four weeks."],
    [host, "Any blockers?"],
    [b, "We need their IT to approve the calendar integration."],
    [host, "Globex asked for net-45 payment terms. I'll check with finance."],
    [a, "Initech's quarterly review went well, adoption is up again."],
    [host, "Nice. Let's wrap up with action items."],
  ];
}

function timestamps(prng: Prng, count: number, durationSeconds: number): number[] {
  // Each line gets its own slot of the recording, so timestamps always increase.
  const slot = Math.max(durationSeconds, count * 4) / (count + 1);
  return Array.from({ length: count }, (_, i) => Math.floor((i + 0.2 + prng.next() * 0.6) * slot));
}

function assigneeFor(attendee: Attendee | null, lookupUser: (email: string) => SandboxUser | undefined) {
  if (!attendee) return { name: null, email: null, team: null };
  return { name: attendee.name, email: attendee.email, team: lookupUser(attendee.email)?.team ?? null };
}

/** Ready now: written from the start, or its delay (summaryReadyAtMs) has passed, which makes it ready for good. */
export function summaryIsReady(meeting: MeetingRecord): boolean {
  if (!meeting.summaryReady && meeting.summaryReadyAtMs !== undefined && Date.now() >= meeting.summaryReadyAtMs) {
    meeting.summaryReady = true;
  }
  return meeting.summaryReady;
}

export function generateContent(
  meeting: MeetingRecord,
  lookupUser: (email: string) => SandboxUser | undefined,
  recordingUrl: string,
): MeetingContent {
  const prng = createPrng(meeting.recordingId);
  const recorderDomain = emailDomain(meeting.recorderEmail);
  const speakers = meeting.attendees.map(speakerFor);
  // A recorder who was not on the invite is a voice Fathom cannot match to an invitee.
  const host = speakers.find((s) => s.attendee?.email === meeting.recorderEmail) ?? {
    display_name: lookupUser(meeting.recorderEmail)?.name ?? "Host",
    matched_calendar_invitee_email: null,
    attendee: { name: lookupUser(meeting.recorderEmail)?.name ?? null, email: meeting.recorderEmail },
  };
  const external = speakers.filter((s) => s.attendee && emailDomain(s.attendee.email) !== recorderDomain);
  // An ad-hoc external call has no invitees: the other side is an unmatched voice from some company.
  const adHocGuest = meeting.attendees.length === 0 && meeting.kind !== "internal"
    ? { speaker: { display_name: "Speaker 2", matched_calendar_invitee_email: null, attendee: null }, company: companyFor(prng.pick(GENERATED_CONTACTS).email) }
    : null;
  if (adHocGuest) external.push(adHocGuest.speaker);
  const internal = speakers.filter((s) => s !== host && !external.includes(s));
  const isInternal = meeting.kind === "internal" || external.length === 0;

  const contact = external[0] ?? internal[0] ?? host;
  const other = external[1] ?? internal[0] ?? contact;
  const scenario = scenarioFor(prng, adHocGuest?.company ?? companyFor(contact.attendee?.email ?? meeting.recorderEmail));
  const english = isInternal
    ? internalLines(host, internal[0] ?? host, internal[1] ?? internal[0] ?? host)
    : externalCallLines(meeting.kind, host, contact, other, scenario);
  const lines: Line[] = isOtherLanguage(meeting.language)
    ? scriptFor(meeting.language, scenario.company, firstName(contact)).map(([who, text]) => [who === "host" ? host : contact, text])
    : english;

  const durationSeconds = (meeting.recordingEndMs - meeting.recordingStartMs) / 1000;
  const times = timestamps(prng, lines.length, durationSeconds);
  const transcript: WireTranscriptItem[] = lines.map(([speaker, text], i) => ({
    speaker: {
      display_name: speaker.display_name,
      matched_calendar_invitee_email: speaker.matched_calendar_invitee_email,
    },
    text,
    timestamp: hhmmss(times[i]),
  }));

  // The summary is English whatever was spoken; its line references may point past a shorter translated script.
  const clampLine = (i: number) => Math.max(0, Math.min(i, lines.length - 1));
  const at = (lineIndex: number) => ({
    recording_timestamp: hhmmss(times[clampLine(lineIndex)]),
    recording_playback_url: `${recordingUrl}#t=${times[clampLine(lineIndex)]}`,
  });
  const item = (description: string, assignee: Attendee | null, lineIndex: number): WireActionItem => ({
    description,
    user_generated: false,
    completed: false,
    ...at(lineIndex),
    assignee: assigneeFor(assignee, lookupUser),
  });

  // Not written yet: Fathom returns the summary (and with it the action items) as null for now.
  if (!summaryIsReady(meeting)) return { transcript, summary: null, actionItems: null };

  if (isInternal) {
    const a = internal[0]?.attendee ?? host.attendee;
    const b = internal[1]?.attendee ?? a;
    return {
      transcript,
      summary: {
        template_name: "General",
        markdown_formatted: [
          "## Meeting purpose",
          "Weekly review of the sales pipeline.",
          "",
          "## Key takeaways",
          "- **Acme Corp**: security review this week; timing risk while their CFO is away.",
          "- **Umbrella**: onboarding started, target is everyone live in four weeks; blocked on IT approval.",
          "- **Globex**: asked for net-45 payment terms.",
          "- **Initech**: quarterly review went well, adoption keeps growing.",
          "",
          "## Next steps",
          "- Check net-45 terms for Globex with finance.",
          "- Chase Umbrella's IT for the calendar integration approval.",
          "- Prepare answers to Acme's security questionnaire.",
          "",
        ].join("\n"),
      },
      actionItems: [
        item("Check net-45 payment terms for Globex with finance", host.attendee, 7),
        item("Chase Umbrella's IT for the calendar integration approval", b, 6),
        item("Prepare answers to Acme's security questionnaire", a, 1),
      ],
    };
  }

  const contactName = contact.attendee?.name ?? contact.attendee?.email ?? contact.display_name;
  const hostName = host.attendee?.name ?? host.display_name;
  const pricingLine = lines.length - 6;
  const deliverLine = lines.length - 2;
  return {
    transcript,
    summary: {
      template_name: "General",
      markdown_formatted: [
        "## Meeting purpose",
        `${KIND_LABELS[meeting.kind].charAt(0).toUpperCase()}${KIND_LABELS[meeting.kind].slice(1)} with ${scenario.company}.`,
        "",
        "## Key takeaways",
        `- ${scenario.company} currently ${scenario.currentReported}; the main pain is that ${scenario.pain}.`,
        `- About ${scenario.seats} people would use the product.`,
        `- Discussed the ${scenario.plan} plan at roughly ${money(scenario.pricePerYear)} per year.`,
        `- Final approval sits with ${scenario.approverReported}.`,
        "",
        "## Next steps",
        `- ${hostName}: send ${scenario.deliverable} by tomorrow.`,
        `- ${contactName}: review it with ${scenario.approverReported} and reconvene ${scenario.when}.`,
        "",
      ].join("\n"),
    },
    actionItems: [
      item(`Send ${scenario.deliverable} to ${contactName}`, host.attendee, deliverLine),
      item(`Review pricing with ${scenario.approverReported}`, contact.attendee, pricingLine + 1),
      item(`Schedule the follow-up call with ${scenario.company} ${scenario.when}`, host.attendee, deliverLine - 1),
    ],
  };
}
