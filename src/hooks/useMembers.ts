import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { liveQueryOptions } from "./useLiveRefresh";

export const membersQueryKey = (teamId: string) => ["members", teamId] as const;

/** GET api/teams/:teamId/members: who can own a lead. */
/**
 * The team's members. `live`: re-read every LIVE_REFRESH_MS while the tab is visible (the Members page, where someone
 * joining or being removed elsewhere should show up by itself); elsewhere (owner pickers) a 5 minute staleness is fine.
 */
export function useMembers(teamId: string, { live = false } = {}) {
  return useQuery({
    queryKey: membersQueryKey(teamId),
    queryFn: () => api.listMembers(teamId),
    staleTime: 5 * 60_000,
    ...(live ? liveQueryOptions : {}),
  });
}
