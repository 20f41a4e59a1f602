import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";

export const integrationsQueryKey = (teamId: string) => ["integrations", teamId] as const;

export const integrationsQueryOptions = (teamId: string) =>
  queryOptions({
    queryKey: integrationsQueryKey(teamId),
    queryFn: () => api.listIntegrations(teamId),
  });

/** GET api/teams/:teamId/integrations: rows of team_integrations_public (no row = not connected). */
export function useIntegrations(teamId: string | undefined) {
  return useQuery({
    ...integrationsQueryOptions(teamId ?? ""),
    enabled: !!teamId,
  });
}
