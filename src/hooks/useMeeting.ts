import { useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { MeetingsPage, MeetingSummary } from "@/lib/types";
import { meetingsQueryKey } from "./useMeetings";

export const meetingQueryKey = (teamId: string, meetingId: string) => ["meeting", teamId, meetingId] as const;

/**
 * GET api/teams/:teamId/meetings/:meetingId: the meeting with transcript, summary and action items. A meeting
 * whose content is pending is fetched from Fathom by the server during this call, so the first open can be slow;
 * `cached` is the meeting as the list already knows it, to show while waiting.
 */
export function useMeeting(teamId: string, meetingId: string) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: meetingQueryKey(teamId, meetingId),
    queryFn: () => api.getMeeting(teamId, meetingId),
  });
  let cached: MeetingSummary | undefined;
  if (query.isPending) {
    for (const [, data] of queryClient.getQueriesData<InfiniteData<MeetingsPage>>({ queryKey: meetingsQueryKey(teamId) })) {
      cached = data?.pages?.flatMap((p) => p.meetings).find((m) => m.id === meetingId);
      if (cached) break;
    }
  }
  return { ...query, cached };
}
