import { useState } from "react";
import { Link } from "react-router-dom";
import { Loader2, Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorAlert } from "@/components/ErrorAlert";
import { useMembers } from "@/hooks/useMembers";
import { useTasks } from "@/hooks/useTasks";
import { teamPath } from "@/lib/teamSelection";
import type { TeamRole } from "@/lib/types";
import { TaskFormDialog } from "./TaskFormDialog";
import { TaskList } from "./TaskList";

/** The lead page's open tasks (everyone's, due soon first) with "Add task" for this lead. */
export function LeadTasks({ teamId, role, lead }: { teamId: string; role: TeamRole; lead: { id: string; name: string } }) {
  const tasks = useTasks(teamId, { assignee: "all", status: "open", lead_id: lead.id });
  const members = useMembers(teamId);
  const [createOpen, setCreateOpen] = useState(false);
  const rows = tasks.data?.pages.flatMap((p) => p.tasks) ?? [];
  return (
    <section aria-labelledby="lead-tasks-title">
      <Card>
        <CardHeader className="flex flex-row items-center justify-between gap-2 pb-3">
          <h2 id="lead-tasks-title" className="text-sm font-semibold leading-none tracking-tight">
            Open tasks{" "}
            {tasks.isSuccess && (
              <span className="font-normal text-muted-foreground">
                {rows.length}
                {tasks.hasNextPage ? "+" : ""}
              </span>
            )}
          </h2>
          <Button size="sm" variant="outline" onClick={() => setCreateOpen(true)}>
            <Plus aria-hidden="true" />
            Add task
          </Button>
        </CardHeader>
        <CardContent>
          {tasks.isError && !tasks.data ? (
            <ErrorAlert title="Couldn't load tasks" error={tasks.error} onRetry={() => tasks.refetch()} />
          ) : tasks.isPending ? (
            <Skeleton className="h-12 w-full" />
          ) : rows.length === 0 ? (
            <p className="text-sm text-muted-foreground">No open tasks.</p>
          ) : (
            <TaskList teamId={teamId} role={role} tasks={rows} members={members.data} label={`Open tasks for ${lead.name}`} hideLead />
          )}
          {tasks.hasNextPage && (
            <Button
              variant="ghost"
              size="sm"
              className="mt-2"
              onClick={() => void tasks.fetchNextPage()}
              disabled={tasks.isFetchingNextPage}
            >
              {tasks.isFetchingNextPage && <Loader2 className="animate-spin" aria-hidden="true" />}
              Load more
            </Button>
          )}
          <Link to={`${teamPath(teamId, "tasks")}?whose=all`} className="mt-2 block text-xs text-muted-foreground hover:text-foreground">
            All tasks
          </Link>
        </CardContent>
      </Card>
      <TaskFormDialog teamId={teamId} role={role} open={createOpen} onOpenChange={setCreateOpen} lead={lead} />
    </section>
  );
}
