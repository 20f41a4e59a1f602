import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { liveQueryOptions } from "./useLiveRefresh";

export const meetingsQueryKey = (teamId: string) => ["meetings", teamId] as const;

/** GET api/teams/:teamId/meetings?q=&leadId=&cursor=: pages of meetings, newest first ("Load more");
 * re-read every few seconds while the tab is visible (a webhook's meeting shows up without a reload). */
export function useMeetings(teamId: string, filters: { q?: string; leadId?: string } = {}) {
  const q = filters.q?.trim() || undefined;
  const leadId = filters.leadId || undefined;
  return useInfiniteQuery({
    queryKey: [...meetingsQueryKey(teamId), { q, leadId }] as const,
    queryFn: ({ pageParam }) => api.listMeetings(teamId, { q, leadId, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor || null,
    placeholderData: keepPreviousData,
    ...liveQueryOptions,
  });
}
