import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { useSession } from "./useSession";

export const teamsQueryKey = ["teams"] as const;

/** The teams query (also started early by src/lib/entryPrefetch.ts). */
export const teamsQueryOptions = queryOptions({ queryKey: teamsQueryKey, queryFn: () => api.listTeams() });

/** GET api/teams: the caller's teams with their role. */
export function useTeams() {
  const { session } = useSession();
  return useQuery({ ...teamsQueryOptions, enabled: !!session });
}
