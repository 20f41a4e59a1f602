import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { liveQueryOptions } from "./useLiveRefresh";

export const timelineQueryKey = (teamId: string, leadId: string) => ["timeline", teamId, leadId] as const;

/** GET api/teams/:teamId/leads/:leadId/timeline: newest first, "Load more" for older entries; re-read while visible. */
export function useLeadTimeline(teamId: string, leadId: string) {
  return useInfiniteQuery({
    queryKey: timelineQueryKey(teamId, leadId),
    queryFn: ({ pageParam }) => api.getLeadTimeline(teamId, leadId, { cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor || null,
    ...liveQueryOptions,
  });
}

/** Add, edit and delete a lead's notes (POST/PATCH/DELETE .../leads/:leadId/notes[/:noteId]); each re-reads the timeline. */
export function useNoteMutations(teamId: string, leadId: string) {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: timelineQueryKey(teamId, leadId) });
  return {
    add: useMutation({ mutationFn: (body: string) => api.addLeadNote(teamId, leadId, body), onSuccess: refresh }),
    edit: useMutation({
      mutationFn: ({ noteId, body }: { noteId: string; body: string }) => api.updateLeadNote(teamId, leadId, noteId, body),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (noteId: string) => api.deleteLeadNote(teamId, leadId, noteId),
      onSettled: refresh,
    }),
  };
}
