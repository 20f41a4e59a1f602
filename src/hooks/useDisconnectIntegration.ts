import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { integrationsQueryKey } from "./useIntegrations";

/**
 * DELETE api/teams/:teamId/integrations/:provider, then re-read the team's integrations. `data` is what is left to
 * do by hand (fathomSchema.ts DisconnectResult): the provider's failed cleanup (`warning`, e.g.
 * `webhook_cleanup_failed`) and an unconfirmed revocation (`revocationMessage`); both null for a clean disconnect.
 */
export function useDisconnectIntegration(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (provider: string) => api.disconnectIntegration(teamId, provider),
    onSettled: () => queryClient.invalidateQueries({ queryKey: integrationsQueryKey(teamId) }),
  });
}
