import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { ProviderId } from "@/lib/providers";
import { fathomSyncQueryKey } from "./useFathomSync";
import { liveQueryOptions } from "./useLiveRefresh";
import { meetingsQueryKey } from "./useMeetings";

export const activityQueryKey = (teamId: string, provider: ProviderId) => ["integrationActivity", teamId, provider] as const;

/**
 * GET api/teams/:teamId/integrations/:provider/activity, re-read every LIVE_REFRESH_MS while the tab is visible (as
 * the import panel and the lists), so a delivery or a finished run shows up by itself.
 */
export function useIntegrationActivity(teamId: string, provider: ProviderId, { enabled = true } = {}) {
  return useQuery({
    queryKey: activityQueryKey(teamId, provider),
    queryFn: () => api.getIntegrationActivity(teamId, provider),
    enabled,
    ...liveQueryOptions,
  });
}

/**
 * POST .../activity/retry (admins) for one failed item. One mutation per row: its button is disabled while it runs,
 * and the server retries once whatever arrives twice. Afterwards the activity, the import panel and meetings are re-read.
 */
export function useRetryIntegrationItem(teamId: string, provider: ProviderId) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (item: { kind: "meeting" | "delivery"; id: string }) => api.retryIntegrationItem(teamId, provider, item),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: activityQueryKey(teamId, provider) });
      void queryClient.invalidateQueries({ queryKey: fathomSyncQueryKey(teamId) });
      void queryClient.invalidateQueries({ queryKey: meetingsQueryKey(teamId) });
    },
  });
}
