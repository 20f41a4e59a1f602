import { ClipboardList, Hash, MessagesSquare, MonitorPlay, Video, type LucideIcon } from "lucide-react";
import type { ChatDestination, ProviderId } from "./types";

export type { ProviderId };

/**
 * The provider catalog: what the Integrations page shows for each provider and which extras its dialog has.
 * Front-end data only (names, icons, colours, copy); the OAuth facts live in the back end's provider registry
 * (supabase/functions/_shared/oauth/providers/<id>.ts). Adding a provider here is one entry.
 */

export type ProviderCategory = "meetings" | "chat" | "forms";

export interface ProviderExtras {
  /** Posts messages to a channel picked on the consent screen (card and dialog say where; "Send test message"). */
  postsMessages?: boolean;
  /** Fathom's meeting import panel. */
  syncPanel?: boolean;
  /** The team setting "create leads from unknown attendees". */
  leadSetting?: boolean;
}

export interface ProviderEntry {
  id: ProviderId;
  name: string;
  icon: LucideIcon;
  category: ProviderCategory;
  /** One line: what it does for the CRM. */
  description: string;
  /** Brand colour as #rrggbb (icon tile, dialog header, callback page). */
  brandColor: string;
  /** "available": connect now; "coming_soon": a card that says what it will do (`comingSoon`). */
  availability: "available" | "coming_soon";
  /** For coming-soon providers: what the integration will do once it ships. */
  comingSoon?: string;
  extras: ProviderExtras;
}

export const CATEGORIES: { id: ProviderCategory; label: string; description: string }[] = [
  { id: "meetings", label: "Meetings", description: "Bring calls, recordings and transcripts into the CRM." },
  { id: "chat", label: "Chat", description: "Send CRM updates to your team's chat." },
  { id: "forms", label: "Forms", description: "Turn form responses into leads." },
];

export const PROVIDERS: readonly ProviderEntry[] = [
  {
    id: "fathom",
    name: "Fathom",
    icon: Video,
    category: "meetings",
    description: "Meeting recordings and transcriptions",
    brandColor: "#5636D3",
    availability: "available",
    extras: { syncPanel: true, leadSetting: true },
  },
  {
    id: "zoom",
    name: "Zoom",
    icon: MonitorPlay,
    category: "meetings",
    description: "Import Zoom cloud recordings",
    brandColor: "#0B5CFF",
    availability: "coming_soon",
    comingSoon: "Will import Zoom cloud recordings and their transcripts, matched to leads by attendee e-mail.",
    extras: {},
  },
  {
    id: "slack",
    name: "Slack",
    icon: Hash,
    category: "chat",
    description: "Post lead and meeting updates to a Slack channel",
    brandColor: "#4A154B",
    availability: "available",
    extras: { postsMessages: true },
  },
  {
    id: "discord",
    name: "Discord",
    icon: MessagesSquare,
    category: "chat",
    description: "Post lead and meeting updates to a Discord channel",
    brandColor: "#5865F2",
    availability: "available",
    extras: { postsMessages: true },
  },
  {
    id: "typeform",
    name: "Typeform",
    icon: ClipboardList,
    category: "forms",
    description: "Create leads from Typeform responses",
    brandColor: "#262627",
    availability: "coming_soon",
    comingSoon: "Will create a lead from each new Typeform response, with the answers in its notes.",
    extras: {},
  },
];

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

/** The static page the provider's OAuth callback function redirects to (`public/<id>-callback.html`). */
export function callbackUrl(id: ProviderId, origin: string = window.location.origin): string {
  return `${origin}/${id}-callback.html`;
}

/**
 * Where a chat provider posts, as one sentence: "Posting to #sales in Acme Sales"; Discord's token response does
 * not name the channel, so "Posting to the channel picked in Acme". Null when nothing is known.
 */
export function destinationText(destination: ChatDestination | null | undefined): string | null {
  if (!destination) return null;
  const { channel, workspace } = destination;
  if (channel && workspace) return `Posting to ${channel} in ${workspace}`;
  if (channel) return `Posting to ${channel}`;
  if (workspace) return `Posting to the channel picked in ${workspace}`;
  return null;
}
