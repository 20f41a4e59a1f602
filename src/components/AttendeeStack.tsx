import { Avatar } from "@/components/ui/avatar";
import type { Invitee } from "@/lib/types";

export function attendeeLabel(i: Invitee): string {
  return i.name?.trim() || i.email?.trim() || "Unknown attendee";
}

/** Overlapping initials of the first few attendees, "+N" for the rest; the full list is the accessible name. */
export function AttendeeStack({ invitees, max = 4 }: { invitees: Invitee[] | null | undefined; max?: number }) {
  const list = invitees ?? [];
  if (list.length === 0) return <span className="text-xs text-muted-foreground">No attendees</span>;
  const shown = list.slice(0, max);
  const rest = list.length - shown.length;
  const names = list.map(attendeeLabel).join(", ");
  return (
    <span className="flex items-center" role="img" aria-label={`Attendees: ${names}`} title={names}>
      <span className="flex -space-x-1">
        {shown.map((i, idx) => (
          <Avatar key={`${i.email ?? i.name ?? ""}-${idx}`} name={i.name} email={i.email} size="md" />
        ))}
      </span>
      {rest > 0 && <span className="ml-1.5 text-xs text-muted-foreground">+{rest}</span>}
    </span>
  );
}
