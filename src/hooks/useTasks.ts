import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { Task, TaskInput, TaskPatch, TasksPage, TasksQuery } from "@/lib/types";
import { liveQueryOptions } from "./useLiveRefresh";

export const tasksQueryKey = (teamId: string) => ["tasks", teamId] as const;

export type TaskFilters = Pick<TasksQuery, "assignee" | "status" | "lead_id">;

/**
 * GET api/teams/:teamId/tasks?assignee=&status=&lead_id=&cursor=: pages of 50 ("Load more" fetches the next), open ones
 * due soon first (no due date last), done ones last done first. Re-read every few seconds while the tab is visible.
 */
export function useTasks(teamId: string, filters: TaskFilters, { enabled = true } = {}) {
  const key: TaskFilters = {
    assignee: filters.assignee || "me",
    status: filters.status || "open",
    lead_id: filters.lead_id || undefined,
  };
  return useInfiniteQuery({
    queryKey: [...tasksQueryKey(teamId), key] as const,
    queryFn: ({ pageParam }) => api.listTasks(teamId, { ...key, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor || null,
    placeholderData: keepPreviousData,
    enabled,
    ...liveQueryOptions,
  });
}

/** What a task change can show up in besides the task lists: a lead's timeline, a meeting's action items. */
function invalidateAround(qc: ReturnType<typeof useQueryClient>, teamId: string) {
  return Promise.all([
    qc.invalidateQueries({ queryKey: tasksQueryKey(teamId) }),
    qc.invalidateQueries({ queryKey: ["timeline", teamId] }),
    qc.invalidateQueries({ queryKey: ["meeting", teamId] }),
  ]);
}

/** Replace `taskId` in every cached task page by `fn(task)`. */
function patchCachedTask(qc: ReturnType<typeof useQueryClient>, teamId: string, taskId: string, fn: (t: Task) => Task) {
  qc.setQueriesData<InfiniteData<TasksPage>>({ queryKey: tasksQueryKey(teamId) }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((p) => ({ ...p, tasks: p.tasks.map((t) => (t.id === taskId ? fn(t) : t)) })),
        }
      : data,
  );
}

/** POST api/teams/:teamId/tasks, then re-read the lists, timelines and meetings. */
export function useCreateTask(teamId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: TaskInput) => api.createTask(teamId, input),
    onSettled: () => invalidateAround(qc, teamId),
  });
}

/**
 * PATCH api/teams/:teamId/tasks/:taskId. Optimistic: the cached rows change at once (a tick shows before the server
 * answers) and go back if the server refuses; the lists are re-read after either.
 */
export function useUpdateTask(teamId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ taskId, patch }: { taskId: string; patch: TaskPatch }) => api.updateTask(teamId, taskId, patch),
    onMutate: async ({ taskId, patch }) => {
      await qc.cancelQueries({ queryKey: tasksQueryKey(teamId) });
      const before = qc.getQueriesData<InfiniteData<TasksPage>>({ queryKey: tasksQueryKey(teamId) });
      patchCachedTask(qc, teamId, taskId, (t) => ({
        ...t,
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.due_on !== undefined ? { due_on: patch.due_on } : {}),
        ...(patch.done !== undefined ? { done: patch.done, done_at: patch.done ? new Date().toISOString() : null } : {}),
      }));
      return { before };
    },
    onError: (_err, _vars, context) => {
      for (const [key, data] of context?.before ?? []) qc.setQueryData(key, data);
    },
    onSuccess: (task) => patchCachedTask(qc, teamId, task.id, () => task),
    onSettled: () => invalidateAround(qc, teamId),
  });
}

/** DELETE api/teams/:teamId/tasks/:taskId (its creator or an admin). */
export function useDeleteTask(teamId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (taskId: string) => api.deleteTask(teamId, taskId),
    onSettled: () => invalidateAround(qc, teamId),
  });
}
