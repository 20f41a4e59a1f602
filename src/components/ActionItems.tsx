import { Link } from "react-router-dom";
import { CalendarClock, ListTodo } from "lucide-react";
import { Avatar } from "@/components/ui/avatar";
import { actionItemUrl } from "@/lib/meetings";
import { dueLabel, isOverdue, personName } from "@/lib/tasks";
import { teamPath } from "@/lib/teamSelection";
import { cn } from "@/lib/utils";
import type { ActionItem, ActionItemTask, Task } from "@/lib/types";

export interface ActionItemTicking {
  teamId: string;
  /** tick or untick item `index` (the server's index): creates or completes its task */
  onToggle: (index: number, done: boolean) => void;
  /** full tasks known for some items (POST's answers this visit), by index */
  tasks?: Record<number, Task>;
  /** indexes whose tick is on its way */
  pending?: ReadonlySet<number>;
}

/**
 * A meeting's action items: each a checkbox (ticking creates the item's task, or completes it; unticking reopens it),
 * the description as its label, the Fathom assignee and a link to that moment. An item with a task shows the task's
 * assignee and due date when known, and links to the Tasks page. Without `ticking` the list is read-only.
 */
export function ActionItems({
  items,
  meetingUrl,
  ticking,
}: {
  items: ActionItem[];
  meetingUrl: string | null;
  ticking?: ActionItemTicking;
}) {
  if (items.length === 0) return <p className="text-sm text-muted-foreground">No action items.</p>;
  return (
    <ul className="flex flex-col divide-y divide-border" aria-label="Action items">
      {items.map((item) => {
        const href = actionItemUrl(item, meetingUrl);
        const who = item.assignee?.name || item.assignee?.email;
        const done = item.task?.done ?? false;
        const inputId = `action-item-${item.index}`;
        const busy = !!ticking?.pending?.has(item.index);
        const known = ticking?.tasks?.[item.index];
        const task: ActionItemTask | null = item.task
          ? {
              ...item.task,
              assignee: item.task.assignee !== undefined ? item.task.assignee : known?.id === item.task.id ? known.assignee : undefined,
              due_on: item.task.due_on !== undefined ? item.task.due_on : known?.id === item.task.id ? known.due_on : undefined,
            }
          : null;
        return (
          <li key={item.index} className="flex items-start gap-3 py-2.5" data-testid="action-item">
            <input
              id={inputId}
              type="checkbox"
              className="mt-0.5 size-4 shrink-0 cursor-pointer accent-primary disabled:cursor-not-allowed aria-disabled:opacity-60"
              checked={done}
              disabled={!ticking}
              // while its tick is on its way the box keeps focus (a disabled one would drop it) but ignores changes
              aria-disabled={busy || undefined}
              onChange={(e) => {
                if (!busy) ticking?.onToggle(item.index, e.target.checked);
              }}
            />
            <div className="min-w-0 flex-1">
              <label
                htmlFor={inputId}
                className={cn("cursor-pointer text-sm [overflow-wrap:anywhere]", done && "text-muted-foreground line-through")}
              >
                {item.description}
              </label>
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
                {item.completed && !item.task && <span>Done in Fathom</span>}
              </div>
              {task && ticking && <LinkedTask teamId={ticking.teamId} task={task} />}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

function LinkedTask({ teamId, task }: { teamId: string; task: ActionItemTask }) {
  const overdue = !!task.due_on && isOverdue({ due_on: task.due_on, done: task.done });
  return (
    <div className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground" data-testid="action-item-task">
      <Link
        to={`${teamPath(teamId, "tasks")}?whose=all${task.done ? "&status=done" : ""}`}
        className="flex items-center gap-1 font-medium text-foreground underline decoration-border underline-offset-2 hover:decoration-foreground"
      >
        <ListTodo className="size-3.5" aria-hidden="true" />
        {task.done ? "Task done" : "Task open"}
      </Link>
      {task.assignee !== undefined && (
        <span data-testid="action-item-task-assignee">{task.assignee ? personName(task.assignee) : "Unassigned"}</span>
      )}
      {task.due_on && (
        <span className={cn("flex items-center gap-1", overdue && "font-medium text-red-700")}>
          <CalendarClock className="size-3.5" aria-hidden="true" />
          {overdue ? "Overdue: " : "Due "}
          <time dateTime={task.due_on}>{dueLabel(task.due_on)}</time>
        </span>
      )}
    </div>
  );
}
