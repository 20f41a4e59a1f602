import { CheckSquare2, Square } from "lucide-react";
import { Avatar } from "@/components/ui/avatar";
import { actionItemUrl } from "@/lib/meetings";
import { cn } from "@/lib/utils";
import type { ActionItem } from "@/lib/types";

/** Fathom's action items, read-only: done state, description, assignee and a link to that moment. */
export function ActionItems({ items, meetingUrl }: { items: ActionItem[]; meetingUrl: string | null }) {
  if (items.length === 0) return <p className="text-sm text-muted-foreground">No action items.</p>;
  return (
    <ul className="flex flex-col divide-y divide-border" aria-label="Action items">
      {items.map((item, i) => {
        const href = actionItemUrl(item, meetingUrl);
        const who = item.assignee?.name || item.assignee?.email;
        return (
          <li key={i} className="flex items-start gap-3 py-2.5" data-testid="action-item">
            {item.completed ? (
              <CheckSquare2 className="mt-0.5 size-4 shrink-0 text-emerald-600" role="img" aria-label="Completed" />
            ) : (
              <Square className="mt-0.5 size-4 shrink-0 text-muted-foreground" role="img" aria-label="Not completed" />
            )}
            <div className="min-w-0 flex-1">
              <p className={cn("text-sm", item.completed && "text-muted-foreground line-through")}>{item.description}</p>
              <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
                {who ? (
                  <span className="flex min-w-0 items-center gap-1.5" data-testid="action-item-assignee">
                    <Avatar name={item.assignee?.name} email={item.assignee?.email} size="sm" className="size-5 text-[9px] ring-0" />
                    <span className="truncate">
                      {item.assignee?.name && <span className="font-medium text-foreground">{item.assignee.name}</span>}
                      {item.assignee?.name && item.assignee?.email && " "}
                      {item.assignee?.email && <span>{item.assignee.name ? `(${item.assignee.email})` : item.assignee.email}</span>}
                    </span>
                  </span>
                ) : (
                  <span>Unassigned</span>
                )}
                {item.recording_timestamp &&
                  (href ? (
                    <a
                      href={href}
                      target="_blank"
                      rel="noopener noreferrer"
                      className="font-mono tabular-nums text-foreground underline decoration-dotted underline-offset-2 hover:decoration-solid"
                      aria-label={`Play from ${item.recording_timestamp}`}
                    >
                      {item.recording_timestamp}
                    </a>
                  ) : (
                    <span className="font-mono tabular-nums">{item.recording_timestamp}</span>
                  ))}
                {item.user_generated && <span>Added by hand</span>}
              </div>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
