import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { TeamSettings } from "@/lib/types";

export const teamSettingsQueryKey = (teamId: string) => ["teamSettings", teamId] as const;

/** GET api/teams/:teamId/settings. */
export function useTeamSettings(teamId: string) {
  return useQuery({
    queryKey: teamSettingsQueryKey(teamId),
    queryFn: () => api.getTeamSettings(teamId),
  });
}

/** PATCH api/teams/:teamId/settings (admins); the answer replaces the cached settings. */
export function useUpdateTeamSettings(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: Partial<TeamSettings>) => api.updateTeamSettings(teamId, patch),
    onSuccess: (settings) => queryClient.setQueryData(teamSettingsQueryKey(teamId), settings),
  });
}
