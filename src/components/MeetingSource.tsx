import { CircleHelp } from "lucide-react";
import { isProviderId, providerEntry } from "@/lib/providers";
import { cn } from "@/lib/utils";

/**
 * Where a meeting was recorded: the provider's name and icon from the front-end catalog (lib/providers.ts). Text, not
 * just an icon, so it reads the same to everyone; "Source:" is spoken, not shown. The icon is a fixed 14 px box, so the
 * row does not move when the catalog knows the provider or not. An unknown slug (a provider this build does not know)
 * shows as the slug itself; a missing one as "Unknown source".
 */
export function MeetingSource({ provider, className }: { provider: string | null | undefined; className?: string }) {
  const entry = provider && isProviderId(provider) ? providerEntry(provider) : null;
  const Icon = entry?.icon ?? CircleHelp;
  const name = entry?.name ?? (provider || "Unknown source");
  return (
    <span
      className={cn("inline-flex min-w-0 items-center gap-1 text-xs text-muted-foreground", className)}
      data-testid="meeting-source"
    >
      <Icon
        className="size-3.5 shrink-0"
        aria-hidden="true"
        style={entry ? { color: entry.brandColor } : undefined}
      />
      <span className="sr-only">Source: </span>
      <span className="truncate">{name}</span>
    </span>
  );
}
