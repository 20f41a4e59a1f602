import { useEffect, useRef, useState } from "react";
import { Link } from "react-router-dom";
import { AlertTriangle, CalendarClock, CalendarDays, UserRound, Zap } from "lucide-react";
import { Avatar } from "@/components/ui/avatar";
import { useUpdateTask } from "@/hooks/useTasks";
import { errorMessage } from "@/lib/errorMessages";
import { teamPath } from "@/lib/teamSelection";
import { toast } from "@/lib/toast";
import { dueLabel, isOverdue, localToday, personName, SOURCE_LABELS } from "@/lib/tasks";
import { cn } from "@/lib/utils";
import type { Member, Task, TeamRole } from "@/lib/types";
import { TaskFormDialog } from "./TaskFormDialog";

/**
 * Tasks as a list: a checkbox to complete (optimistic, with "Undo" in the toast), the title (opens the edit dialog),
 * then due date (overdue in red), assignee, lead, meeting and origin. A card each on a phone, rows from md up.
 * `hideLead`: on the lead's own page.
 */
export function TaskList({
  teamId,
  role,
  tasks,
  members,
  label,
  hideLead = false,
}: {
  teamId: string;
  role: TeamRole;
  tasks: Task[];
  members?: Member[];
  label: string;
  hideLead?: boolean;
}) {
  const update = useUpdateTask(teamId);
  const [editing, setEditing] = useState<Task | null>(null);
  const today = localToday();
  const list = useRef<HTMLUListElement>(null);
  // The row last ticked from the keyboard or mouse: when the list is re-read without it (a done task leaves "Open"),
  // focus moves to the checkbox that took its place instead of falling to the page's body.
  const ticked = useRef<{ id: string; index: number } | null>(null);
  useEffect(() => {
    const last = ticked.current;
    if (!last || tasks.some((t) => t.id === last.id)) return;
    ticked.current = null;
    const active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    const boxes = list.current?.querySelectorAll<HTMLInputElement>("input[type=checkbox]");
    if (boxes && boxes.length > 0) boxes[Math.max(0, Math.min(last.index, boxes.length - 1))].focus();
  }, [tasks]);

  const setDone = (task: Task, done: boolean) => {
    ticked.current = { id: task.id, index: tasks.findIndex((t) => t.id === task.id) };
    update
      .mutateAsync({ taskId: task.id, patch: { done } })
      .then(() =>
        toast.success(done ? "Task completed" : "Task reopened", {
          description: task.title,
          action: { label: "Undo", onClick: () => setDone(task, !done) },
        }),
      )
      .catch((err: unknown) => toast.error(`Couldn't update the task: ${errorMessage(err)}`));
  };

  return (
    <>
      <ul ref={list} className="flex flex-col gap-2 md:gap-0 md:divide-y md:divide-border" aria-label={label}>
        {tasks.map((task) => (
          <TaskRow
            key={task.id}
            teamId={teamId}
            task={task}
            today={today}
            members={members}
            hideLead={hideLead}
            onToggle={(done) => setDone(task, done)}
            onEdit={() => setEditing(task)}
          />
        ))}
      </ul>
      <TaskFormDialog
        teamId={teamId}
        role={role}
        open={editing !== null}
        onOpenChange={(open) => !open && setEditing(null)}
        task={editing ?? undefined}
      />
    </>
  );
}

function TaskRow({
  teamId,
  task,
  today,
  members,
  hideLead,
  onToggle,
  onEdit,
}: {
  teamId: string;
  task: Task;
  today: string;
  members?: Member[];
  hideLead: boolean;
  onToggle: (done: boolean) => void;
  onEdit: () => void;
}) {
  const overdue = isOverdue(task, today);
  const checkboxId = `task-done-${task.id}`;
  return (
    <li
      className="flex items-start gap-3 rounded-lg border border-border p-3 md:rounded-none md:border-0 md:px-1 md:py-2.5"
      data-testid="task-row"
    >
      <input
        id={checkboxId}
        type="checkbox"
        className="mt-0.5 size-4 shrink-0 cursor-pointer accent-primary"
        checked={task.done}
        onChange={(e) => onToggle(e.target.checked)}
        aria-label={`Done: ${task.title}`}
      />
      <div className="min-w-0 flex-1">
        <button
          type="button"
          onClick={onEdit}
          className={cn(
            "rounded-sm text-left text-sm font-medium [overflow-wrap:anywhere] hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
            task.done && "text-muted-foreground line-through",
          )}
        >
          {task.title}
          <span className="sr-only"> (edit)</span>
        </button>
        <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
          {task.due_on && (
            <span className={cn("flex items-center gap-1", overdue && "font-medium text-red-700")} data-testid="task-due">
              {overdue ? <AlertTriangle className="size-3.5" aria-hidden="true" /> : <CalendarClock className="size-3.5" aria-hidden="true" />}
              {overdue ? "Overdue: " : "Due "}
              <time dateTime={task.due_on}>{dueLabel(task.due_on, today)}</time>
            </span>
          )}
          <span className="flex min-w-0 items-center gap-1.5" data-testid="task-assignee">
            {task.assignee ? (
              <>
                <Avatar name={task.assignee.name} email={task.assignee.email} size="sm" className="size-5 text-[9px] ring-0" />
                <span className="truncate">{personName(task.assignee, members)}</span>
              </>
            ) : (
              <>
                <UserRound className="size-3.5" aria-hidden="true" />
                Unassigned
              </>
            )}
          </span>
          {!hideLead && task.lead && (
            <Link
              to={teamPath(teamId, `leads/${encodeURIComponent(task.lead.id)}`)}
              className="truncate font-medium text-foreground underline decoration-border underline-offset-2 hover:decoration-foreground"
            >
              {task.lead.name}
            </Link>
          )}
          {task.meeting && (
            <Link
              to={teamPath(teamId, `meetings/${encodeURIComponent(task.meeting.id)}`)}
              className="flex min-w-0 items-center gap-1 underline decoration-border underline-offset-2 hover:text-foreground hover:decoration-foreground"
            >
              <CalendarDays className="size-3.5 shrink-0" aria-hidden="true" />
              <span className="truncate">{task.meeting.title}</span>
            </Link>
          )}
          {task.source === "automation" ? (
            <span className="flex items-center gap-1">
              <Zap className="size-3.5" aria-hidden="true" />
              {SOURCE_LABELS.automation}
            </span>
          ) : null}
        </div>
      </div>
    </li>
  );
}
