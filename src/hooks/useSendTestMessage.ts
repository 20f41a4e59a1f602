import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, ApiError } from "@/lib/api";
import type { ProviderId } from "@/lib/providers";
import { integrationsQueryKey } from "./useIntegrations";

/**
 * POST api/teams/:teamId/integrations/:provider/test-message (admins). `data` is `{status: "sent", destination}`;
 * on an error that changed the integration (the destination is gone: now needs_reauth; not connected any more) the
 * team's integrations are re-read so the dialog shows the new state.
 */
export function useSendTestMessage(teamId: string, provider: ProviderId) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.sendTestMessage(teamId, provider),
    onError: (err) => {
      if (err instanceof ApiError && (err.code === "destination_gone" || err.code === "not_found")) {
        return queryClient.invalidateQueries({ queryKey: integrationsQueryKey(teamId) });
      }
    },
  });
}
