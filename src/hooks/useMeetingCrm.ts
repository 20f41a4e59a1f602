import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { ActionItemTask, MeetingDetail, Task } from "@/lib/types";
import { leadsQueryKey } from "./useLeads";
import { meetingQueryKey } from "./useMeeting";
import { tasksQueryKey } from "./useTasks";

/**
 * Ticking an action item: POST api/teams/:teamId/tasks {meeting_id, action_item_index, done} (idempotent: the item's
 * task is created the first time, then returned and given `done`). Optimistic on the meeting's cached action items.
 */
export function useTickActionItem(teamId: string, meetingId: string) {
  const qc = useQueryClient();
  const key = meetingQueryKey(teamId, meetingId);
  const setItemDone = (index: number, fn: (t: ActionItemTask | null) => ActionItemTask | null) =>
    qc.setQueryData<MeetingDetail>(key, (m) =>
      m?.action_items
        ? { ...m, action_items: m.action_items.map((a) => (a.index === index ? { ...a, task: fn(a.task) } : a)) }
        : m,
    );
  return useMutation({
    mutationFn: ({ index, done }: { index: number; done: boolean }) =>
      api.createTask(teamId, { meeting_id: meetingId, action_item_index: index, done }),
    onMutate: async ({ index, done }) => {
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData<MeetingDetail>(key);
      setItemDone(index, (t) => ({ ...t, id: t?.id ?? "", done }));
      return { before };
    },
    onError: (_e, _v, context) => {
      if (context?.before) qc.setQueryData(key, context.before);
    },
    onSuccess: (task: Task, { index }) => setItemDone(index, (t) => ({ ...t, id: task.id, done: task.done })),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: key }),
        qc.invalidateQueries({ queryKey: tasksQueryKey(teamId) }),
        qc.invalidateQueries({ queryKey: ["timeline", teamId] }),
      ]),
  });
}

/** "Link to lead" and unlink on the meeting page (members); the meeting, leads and their pages are re-read after. */
export function useMeetingLeadLinks(teamId: string, meetingId: string) {
  const qc = useQueryClient();
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: meetingQueryKey(teamId, meetingId) }),
      qc.invalidateQueries({ queryKey: ["meetings", teamId] }),
      qc.invalidateQueries({ queryKey: leadsQueryKey(teamId) }),
      qc.invalidateQueries({ queryKey: ["lead", teamId] }),
      qc.invalidateQueries({ queryKey: ["timeline", teamId] }),
    ]);
  return {
    link: useMutation({
      mutationFn: (leadId: string) => api.linkMeetingLead(teamId, meetingId, leadId),
      onSuccess: (leads) => {
        qc.setQueryData<MeetingDetail>(meetingQueryKey(teamId, meetingId), (m) => (m ? { ...m, leads } : m));
      },
      onSettled: refresh,
    }),
    unlink: useMutation({
      mutationFn: (leadId: string) => api.unlinkMeetingLead(teamId, meetingId, leadId),
      onSuccess: (_d, leadId) => {
        qc.setQueryData<MeetingDetail>(meetingQueryKey(teamId, meetingId), (m) =>
          m ? { ...m, leads: m.leads.filter((l) => l.id !== leadId) } : m,
        );
      },
      onSettled: refresh,
    }),
  };
}
