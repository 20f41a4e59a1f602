import { useState } from "react";
import { useSearchParams } from "react-router-dom";
import { CheckCircle2, ListTodo, Loader2, Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/FullPageState";
import { ErrorAlert } from "@/components/ErrorAlert";
import { TaskFormDialog } from "@/components/tasks/TaskFormDialog";
import { TaskList } from "@/components/tasks/TaskList";
import { useMembers } from "@/hooks/useMembers";
import { useTasks } from "@/hooks/useTasks";
import { errorMessage } from "@/lib/errorMessages";
import { cn } from "@/lib/utils";
import type { TaskStatus } from "@/lib/types";
import { useCurrentTeam } from "./TeamLayout";

type Whose = "me" | "all";

/** Two or more buttons of which one is pressed (aria-pressed): a filter that is always visible. */
function Segmented<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  return (
    <div role="group" aria-label={label} className="inline-flex rounded-md border border-border p-0.5">
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={value === o.value}
          onClick={() => onChange(o.value)}
          className={cn(
            "h-8 rounded-[5px] px-3 text-sm text-muted-foreground transition-colors hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
            value === o.value && "bg-muted font-medium text-foreground",
          )}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

/**
 * /teams/:teamId/tasks: the team's tasks, mine or everyone's, open (due soon first, overdue marked) or done (last done
 * first). The filters live in the URL (`?whose=all&status=done`) so a reload or a shared link keeps them.
 */
export function TasksPage() {
  const team = useCurrentTeam();
  const [params, setParams] = useSearchParams();
  const whose: Whose = params.get("whose") === "all" ? "all" : "me";
  const status: TaskStatus = params.get("status") === "done" ? "done" : "open";
  const tasks = useTasks(team.id, { assignee: whose, status });
  const members = useMembers(team.id);
  const [createOpen, setCreateOpen] = useState(false);

  const set = (key: "whose" | "status", value: string, fallback: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value === fallback) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );

  const rows = tasks.data?.pages.flatMap((p) => p.tasks) ?? [];

  return (
    <div className="mx-auto w-full max-w-4xl px-4 py-8 md:px-8">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Tasks</h1>
        <Button onClick={() => setCreateOpen(true)}>
          <Plus aria-hidden="true" />
          New task
        </Button>
      </div>
      <div className="mt-6 mb-4 flex flex-wrap items-center gap-3">
        <Segmented<Whose>
          label="Whose tasks"
          value={whose}
          onChange={(v) => set("whose", v, "me")}
          options={[
            { value: "me", label: "Mine" },
            { value: "all", label: "All" },
          ]}
        />
        <Segmented<TaskStatus>
          label="Status"
          value={status}
          onChange={(v) => set("status", v, "open")}
          options={[
            { value: "open", label: "Open" },
            { value: "done", label: "Done" },
          ]}
        />
        {tasks.isSuccess && (
          <span className="text-sm text-muted-foreground sm:ml-auto" aria-live="polite" data-testid="tasks-count">
            {rows.length} {rows.length === 1 ? "task" : "tasks"}
            {tasks.hasNextPage && " shown, more to load"}
          </span>
        )}
      </div>

      {tasks.isError && !tasks.data ? (
        <ErrorAlert title="Couldn't load tasks" error={tasks.error} onRetry={() => tasks.refetch()} />
      ) : tasks.isPending ? (
        <div className="flex flex-col gap-2" aria-busy="true">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-14 w-full" />
          ))}
        </div>
      ) : rows.length === 0 ? (
        status === "open" ? (
          <EmptyState icon={<CheckCircle2 className="size-5" aria-hidden="true" />} title="Nothing to do">
            <p>
              {whose === "me" ? "No open tasks are assigned to you." : "The team has no open tasks."} Tick an action item
              on a meeting, or add a task.
            </p>
          </EmptyState>
        ) : (
          <EmptyState icon={<ListTodo className="size-5" aria-hidden="true" />} title="No done tasks yet">
            <p>Completed tasks show here, the most recent first.</p>
          </EmptyState>
        )
      ) : (
        <>
          <TaskList
            teamId={team.id}
            role={team.role}
            tasks={rows}
            members={members.data}
            label={`${status === "open" ? "Open" : "Done"} tasks`}
          />
          {tasks.hasNextPage && (
            <div className="mt-4 flex justify-center">
              <Button variant="outline" onClick={() => void tasks.fetchNextPage()} disabled={tasks.isFetchingNextPage}>
                {tasks.isFetchingNextPage && <Loader2 className="animate-spin" aria-hidden="true" />}
                Load more
              </Button>
            </div>
          )}
          {tasks.isFetchNextPageError && (
            <p role="alert" className="mt-2 text-center text-sm text-red-700">
              Couldn't load more tasks: {errorMessage(tasks.error)}
            </p>
          )}
        </>
      )}

      <TaskFormDialog teamId={team.id} role={team.role} open={createOpen} onOpenChange={setCreateOpen} />
    </div>
  );
}
