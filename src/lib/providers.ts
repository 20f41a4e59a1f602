import { ClipboardList, Hash, MessagesSquare, MonitorPlay, Video, type LucideIcon } from "lucide-react";
import type { ChatDestination } from "./types";

/**
 * The provider catalog: what the Integrations page shows for each provider and which dialog it opens. Front-end data
 * only (names, icons, colours, copy); the OAuth facts live in the back end's provider registry
 * (supabase/functions/_shared/oauth/providers/<id>.ts). Adding a provider to the front end is one row here (its id
 * becomes a `ProviderId`), its dialog's words in providerCopy.ts (keyed by that id; the type checker asks for them)
 * plus its callback page `public/<id>-callback.html`, which names itself.
 *
 * The rows hold what the Integrations page, its prerendered shell (src/shell/) and the meeting pages need; the
 * dialogs' sentences load with the dialogs (providerCopy.ts): the page's JavaScript budget (issue 10).
 */

export type ProviderCategory = "meetings" | "chat" | "forms";

/**
 * Which dialog body the Integrations page opens: "fathom" (its import panel and lead setting), "chat" (where it posts,
 * "Send test message"; needs `chat`), "typeform" (its forms, their switches and field mappings), "basic" (the plain shell: connect, status, disconnect; also coming-soon).
 */
export type ProviderDialogKind = "fathom" | "zoom" | "chat" | "basic" | "typeform";

/** What a chat provider's card needs beyond its row: the link to its channel, where the provider has one. */
export interface ChatProviderLink {
  /**
   * A link that opens the channel in the provider's app, or null when the ids do not make one (for a person to check
   * which channel it is when the token response did not name it).
   */
  channelLink?: { label: string; url: (destination: ChatDestination) => string | null };
}

/**
 * What a meetings provider gives the CRM for each meeting, so that the meeting page promises only that (Zoom writes no
 * summary and no action items: its page has no empty Summary card waiting for one). How its import panel speaks of
 * it is providerCopy.ts MeetingsProviderCopy.
 */
export interface MeetingsProviderFacts {
  /** it writes a summary (markdown) of each meeting */
  summaries: boolean;
  /** it lists action items (each can become a task) */
  actionItems: boolean;
  /**
   * opening a meeting whose content is pending asks the provider for it (the server's fetch-now: Fathom); false when
   * the content only comes pushed (Zoom's recording.transcript_completed)
   */
  fetchesOnOpen: boolean;
}

interface CatalogRow {
  id: string;
  name: string;
  icon: LucideIcon;
  category: ProviderCategory;
  /** One line: what it does for the CRM. */
  description: string;
  /** Brand colour as #rrggbb (icon tile, dialog header; the callback page's theme-color repeats it). */
  brandColor: string;
  /** "available": connect now; "coming_soon": a card that says what it will do (`comingSoon`). */
  availability: "available" | "coming_soon";
  /** For coming-soon providers: what the integration will do once it ships. */
  comingSoon?: string;
  dialog: ProviderDialogKind;
  /** With dialog "chat", where the provider's channel link is known. */
  chat?: ChatProviderLink;
  /** Required with category "meetings": what it provides for each meeting. */
  meetings?: MeetingsProviderFacts;
}

/** Discord's channel URL takes the guild and channel snowflakes (digits only; anything else makes no link). */
function discordChannelUrl({ workspaceId, channelId }: ChatDestination): string | null {
  const snowflake = /^[0-9]{1,20}$/;
  if (!workspaceId || !channelId || !snowflake.test(workspaceId) || !snowflake.test(channelId)) return null;
  return `https://discord.com/channels/${workspaceId}/${channelId}`;
}

const CATALOG = [
  {
    id: "fathom",
    name: "Fathom",
    icon: Video,
    category: "meetings",
    description: "Meeting recordings and transcriptions",
    brandColor: "#5636D3",
    availability: "available",
    dialog: "fathom",
    meetings: {
      summaries: true,
      actionItems: true,
      fetchesOnOpen: true,
    },
  },
  {
    id: "zoom",
    name: "Zoom",
    icon: MonitorPlay,
    category: "meetings",
    description: "Import Zoom cloud recordings and their transcripts, matched to leads by participant e-mail",
    brandColor: "#0B5CFF",
    availability: "available",
    dialog: "zoom",
    meetings: {
      summaries: false,
      actionItems: false,
      fetchesOnOpen: false,
    },
  },
  {
    id: "slack",
    name: "Slack",
    icon: Hash,
    category: "chat",
    description: "Post lead and meeting updates to a Slack channel",
    brandColor: "#4A154B",
    availability: "available",
    dialog: "chat",
  },
  {
    id: "discord",
    name: "Discord",
    icon: MessagesSquare,
    category: "chat",
    description: "Post lead and meeting updates to a Discord channel",
    brandColor: "#5865F2",
    availability: "available",
    dialog: "chat",
    chat: { channelLink: { label: "Open in Discord", url: discordChannelUrl } },
  },
  {
    id: "typeform",
    name: "Typeform",
    icon: ClipboardList,
    category: "forms",
    description: "Create leads from Typeform responses",
    brandColor: "#262627",
    availability: "available",
    dialog: "typeform",
  },
] as const satisfies readonly CatalogRow[];

/** The front end's provider ids: exactly the catalog's. */
export type ProviderId = (typeof CATALOG)[number]["id"];

/** The providers whose meetings are imported (GET/POST api/teams/:teamId/integrations/:provider/sync). */
export type MeetingProviderId = Extract<(typeof CATALOG)[number], { meetings: MeetingsProviderFacts }>["id"];

/** The providers whose dialog is the chat one (where it posts, test message). */
export type ChatProviderId = Extract<(typeof CATALOG)[number], { dialog: "chat" }>["id"];

export interface ProviderEntry extends CatalogRow {
  id: ProviderId;
}

export const CATEGORIES: { id: ProviderCategory; label: string; description: string }[] = [
  { id: "meetings", label: "Meetings", description: "Bring calls, recordings and transcripts into the CRM." },
  { id: "chat", label: "Chat", description: "Send CRM updates to your team's chat." },
  { id: "forms", label: "Forms", description: "Turn form responses into leads." },
];

export const PROVIDERS: readonly ProviderEntry[] = CATALOG;

/** The meetings providers one can connect now, in catalog order. */
export const MEETING_PROVIDERS: readonly ProviderEntry[] = PROVIDERS.filter(
  (p) => p.category === "meetings" && p.availability === "available",
);

const BY_ID = new Map<string, ProviderEntry>(PROVIDERS.map((p) => [p.id, p]));

export function isProviderId(id: string): id is ProviderId {
  return BY_ID.has(id);
}

/** The catalog entry; throws for an id that is not in the catalog (a programming error). */
export function providerEntry(id: ProviderId): ProviderEntry {
  const entry = BY_ID.get(id);
  if (!entry) throw new Error(`unknown provider ${id}`);
  return entry;
}

/**
 * The meetings providers one can connect, by name, as a phrase: "Fathom or Zoom" ("Fathom, Zoom or Teams" for three).
 * `joiner` "and" for "Fathom and Zoom".
 */
export function meetingProviderNames(joiner: "or" | "and" = "or"): string {
  const names = MEETING_PROVIDERS.map((p) => p.name);
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} ${joiner} ${names.at(-1)}`;
}

/** The static page the provider's OAuth callback function redirects to (`public/<id>-callback.html`). */
export function callbackUrl(id: ProviderId, origin: string = window.location.origin): string {
  return `${origin}/${id}-callback.html`;
}

/** How a destination line reads: now ("Posting to"), no longer (while it is not connected), or a sent message. */
export type DestinationTense = "posting" | "was_posting" | "posted";

const VERBS: Record<DestinationTense, string> = { posting: "Posting", was_posting: "Was posting", posted: "Posted" };

/**
 * Where a chat provider posts, as one sentence without a full stop: "Posting to #sales in Acme Sales"; Discord's
 * token response does not name the channel, so "Posting to a channel in Acme". `tense` picks the verb ("Was posting
 * to …" while the connection does not work, "Posted to …" for a sent message). Null when nothing is known.
 */
export function destinationText(
  destination: ChatDestination | null | undefined,
  tense: DestinationTense = "posting",
): string | null {
  if (!destination) return null;
  const { channel, workspace } = destination;
  const verb = VERBS[tense];
  if (channel && workspace) return `${verb} to ${channel} in ${workspace}`;
  if (channel) return `${verb} to ${channel}`;
  if (workspace) return `${verb} to a channel in ${workspace}`;
  return null;
}
