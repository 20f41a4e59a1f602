// The deterministic demo world. The CRM seed creates leads with DEMO_CONTACTS' e-mails, so the demo meetings
// below link to those leads when synced.

import type { Attendee, MeetingKind } from "./store.ts";

export const SANDBOX_DOMAIN = "sandbox.fathom.test";
export const DEFAULT_USER = { name: "Sandy Sandbox", email: `sandy@${SANDBOX_DOMAIN}`, team: "Sales" } as const;

export const SEEDED_USERS: readonly { name: string; email: string; team: string | null }[] = [
  DEFAULT_USER,
  { name: "Sam Seller", email: `sam@${SANDBOX_DOMAIN}`, team: "Sales" },
  { name: "Casey Success", email: `casey@${SANDBOX_DOMAIN}`, team: "Customer Success" },
  // On no team: recorded_by.team is null on his recordings, and they are not shared with the team.
  { name: "Robin Solo", email: `robin.solo@${SANDBOX_DOMAIN}`, team: null },
];

export const SEEDED_TEAMS: readonly string[] = ["Sales", "Customer Success"];

export const DEFAULT_CLIENT = { clientId: "sandbox-client-id", clientSecret: "sandbox-client-secret" } as const;

export const DEMO_CONTACTS = [
  { name: "Jane Doe", email: "jane.doe@acme.example", company: "Acme Corp" },
  { name: "Raj Patel", email: "raj.patel@globex.example", company: "Globex" },
  { name: "Li Wei", email: "li.wei@initech.example", company: "Initech" },
  { name: "Maria Garcia", email: "maria.garcia@umbrella.example", company: "Umbrella" },
] as const;

/** Company names for known domains; anything else is derived from the domain ("newco.example" -> "Newco"). */
export const COMPANY_BY_DOMAIN: Readonly<Record<string, string>> = Object.fromEntries(
  DEMO_CONTACTS.map((c) => [c.email.split("@")[1], c.company]),
);

const [jane, raj, li, maria] = DEMO_CONTACTS.map(({ name, email }): Attendee => ({ name, email }));
const sandy: Attendee = { name: DEFAULT_USER.name, email: DEFAULT_USER.email };
const sam: Attendee = { name: "Sam Seller", email: `sam@${SANDBOX_DOMAIN}` };
const casey: Attendee = { name: "Casey Success", email: `casey@${SANDBOX_DOMAIN}` };
const robin: Attendee = { name: "Robin Solo", email: `robin.solo@${SANDBOX_DOMAIN}` };
/** An attendee Fathom knows only by e-mail (no name on the calendar invite). */
const unknownNewco: Attendee = { name: null, email: "someone@newco.example" };
const tom: Attendee = { name: "Tom Becker", email: "tom.becker@acme.example" };

export interface DemoMeeting {
  title: string;
  kind: MeetingKind;
  recorderEmail: string;
  attendees: readonly Attendee[];
  /** Days before the sandbox's creation day, and the UTC hour the meeting was scheduled. */
  daysAgo: number;
  hourUtc: number;
  durationMinutes: number;
  /** The untidy parts (see generator.ts messFor); omitted: the title, English, summary ready. */
  meetingTitle?: string | null;
  language?: string;
  summaryReady?: boolean;
}

/**
 * Newest first. Real traffic is untidy, and so are some of these: an event without a title (NewCo), an ad-hoc
 * recording with no calendar invitees, a recording by Robin Solo (no team) that Sandy was invited to, transcripts
 * in Japanese, German and Spanish, a summary not ready yet (Globex negotiation) and an invite Sandy recorded without
 * being on it (partnership sync). The CRM seed's leads (DEMO_CONTACTS) each still have meetings to link.
 */
export const DEMO_MEETINGS: readonly DemoMeeting[] = [
  { title: "Acme Corp discovery call", kind: "discovery", recorderEmail: sandy.email, attendees: [sandy, jane], daysAgo: 1, hourUtc: 15, durationMinutes: 30 },
  { title: "Globex product demo", kind: "demo", recorderEmail: sandy.email, attendees: [sandy, raj], daysAgo: 2, hourUtc: 14, durationMinutes: 45 },
  { title: "Intro call with NewCo", kind: "intro", recorderEmail: sandy.email, attendees: [sandy, unknownNewco], daysAgo: 2, hourUtc: 10, durationMinutes: 25, meetingTitle: null },
  { title: "Initech pricing discussion", kind: "pricing", recorderEmail: robin.email, attendees: [robin, sandy, li], daysAgo: 3, hourUtc: 16, durationMinutes: 30 },
  { title: "Weekly pipeline review", kind: "internal", recorderEmail: sandy.email, attendees: [sandy, sam, casey], daysAgo: 4, hourUtc: 9, durationMinutes: 30 },
  { title: "Umbrella onboarding kickoff", kind: "onboarding", recorderEmail: sandy.email, attendees: [sandy, maria, casey], daysAgo: 5, hourUtc: 13, durationMinutes: 50 },
  { title: "Acme security review", kind: "security", recorderEmail: sandy.email, attendees: [sandy, jane, tom], daysAgo: 6, hourUtc: 17, durationMinutes: 40, language: "de" },
  { title: "Acme technical deep-dive", kind: "demo", recorderEmail: sam.email, attendees: [sam, sandy, jane], daysAgo: 7, hourUtc: 15, durationMinutes: 45 },
  { title: "Impromptu Zoom Meeting", kind: "intro", recorderEmail: sandy.email, attendees: [], daysAgo: 8, hourUtc: 11, durationMinutes: 20, meetingTitle: null },
  { title: "Globex contract negotiation", kind: "negotiation", recorderEmail: sandy.email, attendees: [sandy, raj], daysAgo: 9, hourUtc: 14, durationMinutes: 35, summaryReady: false },
  { title: "Initech quarterly business review", kind: "qbr", recorderEmail: sandy.email, attendees: [sandy, li], daysAgo: 11, hourUtc: 16, durationMinutes: 55, language: "ja" },
  { title: "Umbrella renewal check-in", kind: "renewal", recorderEmail: sandy.email, attendees: [sandy, maria], daysAgo: 12, hourUtc: 12, durationMinutes: 25, language: "es" },
  { title: "Acme x Globex partnership sync", kind: "partnership", recorderEmail: sandy.email, attendees: [jane, raj], daysAgo: 13, hourUtc: 15, durationMinutes: 30 },
];

/** External people for bulk-generated meetings. */
export const GENERATED_CONTACTS: readonly Attendee[] = [
  ...DEMO_CONTACTS.map(({ name, email }) => ({ name, email })),
  { name: "Olivia Brown", email: "olivia.brown@soylent.example" },
  { name: "Noah Kim", email: "noah.kim@hooli.example" },
  { name: "Emma Rossi", email: "emma.rossi@vandelay.example" },
  { name: "Lucas Martin", email: "lucas.martin@wonka.example" },
  { name: "Ava Nguyen", email: "ava.nguyen@stark.example" },
  { name: "Mateo Silva", email: "mateo.silva@wayne.example" },
  { name: "Sofia Novak", email: "sofia.novak@cyberdyne.example" },
  { name: "Ethan Clarke", email: "ethan.clarke@tyrell.example" },
  { name: "Hana Sato", email: "hana.sato@oscorp.example" },
  { name: "Omar Haddad", email: "omar.haddad@massive.example" },
  { name: null, email: "someone@newco.example" },
  { name: "Grace Lee", email: "grace.lee@piedpiper.example" },
];
