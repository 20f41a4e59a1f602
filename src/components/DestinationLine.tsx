import { ExternalLink, Send } from "lucide-react";
import { destinationText, type ProviderEntry } from "@/lib/providers";
import type { TeamIntegration } from "@/lib/types";

/**
 * The one line that says where a chat provider's messages go: "Posting to #sales in Acme Sales" while connected,
 * "Was posting to …" while it is not (gone channel, refused credentials), and the provider's link to the channel
 * where its row has one (Discord's token response does not name the channel: the link lets a person check it).
 */
export function DestinationLine({
  entry,
  row,
  className,
}: {
  entry: ProviderEntry;
  row: TeamIntegration;
  className?: string;
}) {
  const working = row.status === "connected";
  const text =
    destinationText(row.destination, working ? "posting" : "was_posting") ??
    (working ? "Posting to the channel picked when it was connected" : "Was posting to the channel picked when it was connected");
  const link = entry.chat?.channelLink;
  const href = link && row.destination ? link.url(row.destination) : null;
  return (
    <p className={className ?? "flex flex-wrap items-center gap-x-2 gap-y-1 text-sm"} data-testid="destination">
      <Send className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
      {/* wraps rather than truncates: on a phone the workspace is the part that matters */}
      <span className="min-w-0 break-words">{text}</span>
      {link && href && (
        <a
          href={href}
          target="_blank"
          rel="noreferrer noopener"
          className="inline-flex shrink-0 items-center gap-1 font-medium text-foreground underline underline-offset-2 hover:no-underline"
        >
          {link.label}
          <ExternalLink className="size-3.5" aria-hidden="true" />
        </a>
      )}
    </p>
  );
}
