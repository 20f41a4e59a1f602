import { useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { ApiError } from "@/lib/apiError";
import { isUuidShape } from "@/lib/ids";
import type { MeetingsPage, MeetingSummary } from "@/lib/types";
import { LIVE_REFRESH_MS } from "./useLiveRefresh";
import { meetingsQueryKey } from "./useMeetings";

export const meetingQueryKey = (teamId: string, meetingId: string) => ["meeting", teamId, meetingId] as const;

/**
 * GET api/teams/:teamId/meetings/:meetingId: the meeting with transcript, summary and action items. A meeting
 * whose content is pending is fetched from Fathom by the server during this call, so the first open can be slow;
 * `cached` is the meeting as the list already knows it, to show while waiting. An id that is not a UUID names no
 * meeting: 404 meeting_not_found without asking the server. While the content is pending the meeting is re-read every
 * LIVE_REFRESH_MS, only while the tab is visible (as the lists: useLiveRefresh), so a transcript that arrives later
 * shows without a reload; for Fathom each re-read may ask Fathom, which the server spaces out (its 15 s fetch-now
 * back-off, fathom/content.ts).
 */
export function useMeeting(teamId: string, meetingId: string) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: meetingQueryKey(teamId, meetingId),
    queryFn: () =>
      isUuidShape(meetingId)
        ? api.getMeeting(teamId, meetingId)
        : Promise.reject(new ApiError("meeting_not_found", "Meeting not found.", 404)),
    refetchInterval: (q) => (q.state.data?.content_status === "pending" ? LIVE_REFRESH_MS : false),
    refetchIntervalInBackground: false,
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
