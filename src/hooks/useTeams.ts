import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { useSession } from "./useSession";

export const teamsQueryKey = ["teams"] as const;

/** GET api/teams: the caller's teams with their role. */
export function useTeams() {
  const { session } = useSession();
  return useQuery({
    queryKey: teamsQueryKey,
    queryFn: api.listTeams,
    enabled: !!session,
  });
}
