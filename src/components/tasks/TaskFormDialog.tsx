import { useState, type FormEvent } from "react";
import { AlertCircle, Loader2, Trash2 } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { useMembers } from "@/hooks/useMembers";
import { useSession } from "@/hooks/useSession";
import { useCreateTask, useDeleteTask, useUpdateTask } from "@/hooks/useTasks";
import { toast } from "@/lib/toast";
import { errorMessage } from "@/lib/errorMessages";
import { isTeamAdmin, type Task, type TaskInput, type TaskPatch, type TeamRole } from "@/lib/types";

export const TASK_TITLE_MAX = 500;

export interface TaskFormDialogProps {
  teamId: string;
  role: TeamRole;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Edit this task (PATCH); without it the dialog creates one (POST). */
  task?: Task;
  /** A new task's lead (the lead page's "Add task"), shown by name. */
  lead?: { id: string; name: string };
}

/**
 * New task / edit task: title (1-500 characters), assignee (a member or nobody) and due date. Editing offers Delete to
 * the task's creator and admins (the server decides: 403 forbidden otherwise).
 */
export function TaskFormDialog(props: TaskFormDialogProps) {
  const { open, onOpenChange, task } = props;
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-md">
        <DialogHeader>
          <DialogTitle>{task ? "Edit task" : "New task"}</DialogTitle>
          <DialogDescription>
            {task?.lead || props.lead ? `For ${(task?.lead ?? props.lead)!.name}. ` : ""}
            Everyone on the team sees tasks.
          </DialogDescription>
        </DialogHeader>
        {/* mounted only while open, so each opening starts from the task's current values */}
        {open && <TaskForm {...props} />}
      </DialogContent>
    </Dialog>
  );
}

function TaskForm({ teamId, role, onOpenChange, task, lead }: TaskFormDialogProps) {
  const members = useMembers(teamId);
  const { session } = useSession();
  const me = session?.user?.id ?? "";
  const create = useCreateTask(teamId);
  const update = useUpdateTask(teamId);
  const del = useDeleteTask(teamId);
  const [title, setTitle] = useState(task?.title ?? "");
  const [assignee, setAssignee] = useState(task ? (task.assignee?.id ?? "") : me);
  const [due, setDue] = useState(task?.due_on ?? "");
  const [titleError, setTitleError] = useState<string | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const pending = create.isPending || update.isPending || del.isPending;
  const canDelete = !!task && (task.created_by === me || isTeamAdmin(role));

  const onSubmit = async (ev: FormEvent) => {
    ev.preventDefault();
    setServerError(null);
    const t = title.trim();
    const problem = !t ? "Give the task a title." : t.length > TASK_TITLE_MAX ? "Keep the title under 500 characters." : null;
    setTitleError(problem);
    if (problem) {
      document.getElementById("task-title")?.focus();
      return;
    }
    try {
      if (task) {
        const patch: TaskPatch = {};
        if (t !== task.title) patch.title = t;
        if ((assignee || null) !== (task.assignee?.id ?? null)) patch.assignee_id = assignee || null;
        if ((due || null) !== task.due_on) patch.due_on = due || null;
        if (Object.keys(patch).length > 0) await update.mutateAsync({ taskId: task.id, patch });
        toast.success("Task saved");
      } else {
        const input: TaskInput = {
          title: t,
          ...(lead ? { lead_id: lead.id } : {}),
          ...(assignee ? { assignee_id: assignee } : {}),
          ...(due ? { due_on: due } : {}),
        };
        await create.mutateAsync(input);
        toast.success("Task added");
      }
      onOpenChange(false);
    } catch (err) {
      setServerError(errorMessage(err));
    }
  };

  const onDelete = async () => {
    if (!task) return;
    setServerError(null);
    try {
      await del.mutateAsync(task.id);
      toast.success("Task deleted");
      onOpenChange(false);
    } catch (err) {
      setServerError(errorMessage(err));
    }
  };

  const assigneeListed = !assignee || (members.data ?? []).some((m) => m.user_id === assignee);

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      {serverError && (
        <Alert variant="destructive">
          <AlertCircle />
          <AlertTitle>Couldn't save the task</AlertTitle>
          <AlertDescription>
            <p>{serverError}</p>
          </AlertDescription>
        </Alert>
      )}
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="task-title">Title</Label>
        <Input
          id="task-title"
          value={title}
          onChange={(e) => {
            setTitle(e.target.value);
            setTitleError(null);
          }}
          autoFocus
          aria-required="true"
          aria-invalid={!!titleError}
          aria-describedby={titleError ? "task-title-error" : undefined}
        />
        {titleError && (
          <p id="task-title-error" className="text-xs text-red-700">
            {titleError}
          </p>
        )}
      </div>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="task-assignee">Assignee</Label>
          <NativeSelect id="task-assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
            <option value="">Unassigned</option>
            {(members.data ?? []).map((m) => (
              <option key={m.user_id} value={m.user_id}>
                {m.full_name || m.email}
                {m.user_id === me ? " (you)" : ""}
              </option>
            ))}
            {!assigneeListed && (
              <option value={assignee}>{task?.assignee?.name || task?.assignee?.email || "Current assignee"}</option>
            )}
          </NativeSelect>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="task-due">Due date</Label>
          <Input id="task-due" type="date" value={due} onChange={(e) => setDue(e.target.value)} />
        </div>
      </div>
      <DialogFooter className="gap-2 sm:justify-between">
        {canDelete ? (
          <Button type="button" variant="outline" className="text-red-700 hover:text-red-800" onClick={onDelete} disabled={pending}>
            <Trash2 aria-hidden="true" />
            Delete
          </Button>
        ) : (
          <span />
        )}
        <div className="flex gap-2">
          <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending && <Loader2 className="animate-spin" aria-hidden="true" />}
            {task ? "Save task" : "Add task"}
          </Button>
        </div>
      </DialogFooter>
    </form>
  );
}
