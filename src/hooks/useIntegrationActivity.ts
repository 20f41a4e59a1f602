import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { RetryResult } from "@/lib/activitySchema";
import { errorMessage } from "@/lib/errorMessages";
import { toast } from "@/lib/toast";
import type { ProviderId } from "@/lib/providers";
import { meetingSyncsQueryKey } from "./useFathomSync";
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

/** What a Retry did, in a sentence (the row's status line and the toast). */
export const RETRY_TEXT: Record<RetryResult, string> = {
  imported: "Imported.",
  // any provider's: Fathom's summary not ready, Zoom's or Typeform's delivery scheduled again after a passing failure
  waiting: "Not finished yet; it will be tried again shortly.",
  failed: "Failed again.",
  in_progress: "Already being retried.",
  already_done: "Already imported.",
};

/**
 * POST .../activity/retry (admins) for one failed item. One mutation per row: its button is disabled while it runs,
 * and the server retries once whatever arrives twice. Afterwards the activity, the import panel and meetings are re-read.
 */
export function useRetryIntegrationItem(teamId: string, provider: ProviderId) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (item: { kind: "meeting" | "delivery"; id: string }) => api.retryIntegrationItem(teamId, provider, item),
    // A toast as well as the row's status line: the row usually leaves the list when the activity is re-read (the
    // item is pending or imported by then), and its line with it. Here, not in the row: the row may be gone.
    onSuccess: ({ result, reason }) => {
      const text = `Retry: ${RETRY_TEXT[result]}${result === "failed" && reason ? ` ${reason}` : ""}`;
      if (result === "failed") toast.error(text);
      else if (result === "imported" || result === "already_done") toast.success(text);
      else toast(text);
    },
    onError: (error) => toast.error(`Retry: ${errorMessage(error)}`),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: activityQueryKey(teamId, provider) });
      void queryClient.invalidateQueries({ queryKey: meetingSyncsQueryKey(teamId) });
      void queryClient.invalidateQueries({ queryKey: meetingsQueryKey(teamId) });
    },
  });
}
