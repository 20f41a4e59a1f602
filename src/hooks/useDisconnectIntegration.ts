import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { integrationsQueryKey } from "./useIntegrations";

/** DELETE api/teams/:teamId/integrations/:provider, then re-read the team's integrations. */
export function useDisconnectIntegration(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (provider: string) => api.disconnectIntegration(teamId, provider),
    onSettled: () => queryClient.invalidateQueries({ queryKey: integrationsQueryKey(teamId) }),
  });
}
