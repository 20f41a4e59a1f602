import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";

export const membersQueryKey = (teamId: string) => ["members", teamId] as const;

/** GET api/teams/:teamId/members: who can own a lead. */
export function useMembers(teamId: string) {
  return useQuery({
    queryKey: membersQueryKey(teamId),
    queryFn: () => api.listMembers(teamId),
    staleTime: 5 * 60_000,
  });
}
