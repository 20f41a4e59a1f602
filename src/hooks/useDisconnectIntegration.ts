import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { integrationsQueryKey } from "./useIntegrations";

/**
 * DELETE api/teams/:teamId/integrations/:provider, then re-read the team's integrations. `data` is the server's
 * warning (e.g. `webhook_cleanup_failed`) when the row is gone but the provider's cleanup failed, else null.
 */
export function useDisconnectIntegration(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (provider: string) => api.disconnectIntegration(teamId, provider),
    onSettled: () => queryClient.invalidateQueries({ queryKey: integrationsQueryKey(teamId) }),
  });
}
