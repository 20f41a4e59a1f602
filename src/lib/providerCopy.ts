import {
  type ChatProviderId,
  type ChatProviderLink,
  type MeetingProviderId,
  type MeetingsProviderFacts,
  type ProviderEntry,
  type ProviderId,
  providerEntry as catalogEntry,
} from "./providers";

/**
 * The provider dialogs' words, keyed by the catalog's ids (providers.ts, the one list of providers): what the chat
 * dialog, the import panel, the activity and the disconnect confirmation say. Imported by dialog code only, so these
 * sentences load with IntegrationDialog (lazy) and not with the Integrations page, whose JavaScript has a budget
 * (issue 10, docs/performance.md "bench/frontend"). The tables are typed by the catalog's ids: a provider added
 * there without its words here does not type-check.
 */

/** A chat provider's own copy for its dialog; the channel is picked on the provider's consent screen. */
export interface ChatProviderCopy extends ChatProviderLink {
  /** The consent screen's label of its channel picker, e.g. Slack's "Post to". */
  pickerLabel: string;
  /** What disconnecting revokes at the provider (one or two sentences). */
  revokeText: string;
}

/**
 * A meetings provider's facts (providers.ts) and how its "Import past meetings" panel (FathomSyncPanel.tsx) and its
 * activity speak of it: the import runs on the same states for Fathom and Zoom (api/routes/sync.ts), only the words
 * differ.
 */
export interface MeetingsProviderCopy extends MeetingsProviderFacts {
  /** what is imported, plural, lower case: "meetings", "recordings" */
  items: string;
  /** the second pass's label: what is fetched per item */
  contentLabel: string;
  /** the activity's line for an item whose content could not be fetched */
  contentMissing: string;
  /** whether a meeting whose content failed can be retried from the activity (Fathom's only; failed deliveries of every
   * inbox provider can: _shared/activity/retry.ts) */
  retry: boolean;
  /** what the second pass fetches, for "waiting for <name> to finish …" (null: the provider has nothing later) */
  waitingFor: { one: string; many: string } | null;
  /** why the import waits while rate-limited, and that it resumes */
  rateNote: string;
  /** "Re-import all": what it lists again and how long that takes */
  reimportText: string;
}

const MEETINGS_COPY = {
  fathom: {
    items: "meetings",
    contentLabel: "Transcripts & summaries",
    contentMissing: "Transcript and summary not imported",
    retry: true,
    waitingFor: { one: "its summary", many: "their summaries" },
    rateNote: "Fathom allows 60 requests a minute; the import resumes by itself.",
    reimportText:
      "This lists every meeting in your Fathom account again, not only new ones, fetches missing transcripts and summaries, and links meetings to leads by attendee e-mail. Meetings already here are updated, not duplicated. It can take a while: Fathom allows 60 requests a minute.",
  },
  zoom: {
    items: "recordings",
    contentLabel: "Transcripts",
    contentMissing: "Transcript not imported",
    retry: false,
    waitingFor: null,
    rateNote: "Zoom asked the CRM to slow down; the import resumes by itself.",
    reimportText:
      "This lists every cloud recording of the connected Zoom user again, not only new ones, fetches their transcripts and links them to leads by participant e-mail. Meetings already here are updated, not duplicated. It can take a while: Zoom lists one month per request.",
  },
} satisfies Record<MeetingProviderId, Omit<MeetingsProviderCopy, keyof MeetingsProviderFacts>>;

const CHAT_COPY = {
  slack: {
    pickerLabel: "Post to",
    revokeText: "The CRM also asks Slack to revoke its access. That is best effort: the CRM stops posting either way.",
  },
  discord: {
    pickerLabel: "Channel",
    revokeText:
      "The CRM also asks Discord to revoke its authorization. That is best effort: the CRM stops posting either way.",
  },
} satisfies Record<ChatProviderId, Omit<ChatProviderCopy, keyof ChatProviderLink>>;

/**
 * For a provider the CRM cannot revoke its access at (no revocation endpoint: the back end's entry has `revocation:
 * null`), one sentence saying so and where the person removes the app: shown in the disconnect confirmation and
 * after the disconnect, since the grant stays active at the provider.
 */
const NO_REVOCATION: Partial<Record<ProviderId, string>> = {
  // Typeform documents no revocation endpoint (providers.md §4); where its settings list connected apps is not
  // documented either, so the place is named generally
  typeform: "Typeform has no way for us to revoke access: to end it, remove the app in your Typeform account's settings.",
};

/** A catalog row with its dialog's words: `meetings` and `chat` complete, `noRevocation` where it applies. */
export interface ProviderDialogEntry extends Omit<ProviderEntry, "meetings" | "chat"> {
  /** Set for every meetings provider (category "meetings" with facts in the catalog). */
  meetings?: MeetingsProviderCopy;
  /** Set for every provider with dialog "chat". */
  chat?: ChatProviderCopy;
  noRevocation?: string;
}

function own<T>(table: Record<string, T>, id: string): T | undefined {
  return Object.hasOwn(table, id) ? table[id] : undefined;
}

/**
 * The catalog entry with its dialog's words (providers.ts providerEntry, completed from the tables above); throws for
 * an id that is not in the catalog (a programming error). A row that brings its words itself keeps them (a test's
 * made-up provider).
 */
export function providerEntry(id: ProviderId): ProviderDialogEntry {
  // one object per provider, as the catalog's: components may compare entries or depend on them
  let entry = ENTRIES.get(id);
  if (!entry) ENTRIES.set(id, (entry = withCopy(catalogEntry(id))));
  return entry;
}

const ENTRIES = new Map<string, ProviderDialogEntry>();

function withCopy(row: ProviderEntry): ProviderDialogEntry {
  const { meetings, chat, ...rest } = row;
  const meetingsCopy = own<object>(MEETINGS_COPY, row.id);
  const chatWords = own<object>(CHAT_COPY, row.id);
  const noRevocation = own(NO_REVOCATION, row.id);
  return {
    ...rest,
    ...(meetings ? { meetings: { ...meetings, ...meetingsCopy } as MeetingsProviderCopy } : {}),
    ...(row.dialog === "chat" ? { chat: { ...chat, ...chatWords } as ChatProviderCopy } : {}),
    ...(noRevocation ? { noRevocation } : {}),
  };
}

/** A chat provider's copy; throws for a provider whose row is not dialog "chat" with its words (a catalog error). */
export function chatCopy(id: ProviderId): ChatProviderCopy {
  const { dialog, chat } = providerEntry(id);
  if (dialog !== "chat" || !chat?.pickerLabel || !chat.revokeText) throw new Error(`provider ${id} has no chat copy`);
  return chat;
}
