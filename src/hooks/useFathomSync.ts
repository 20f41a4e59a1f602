import { useEffect, useRef } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { FathomSync, FathomSyncState } from "@/lib/types";
import { leadsQueryKey } from "./useLeads";
import { meetingsQueryKey } from "./useMeetings";
import { LIVE_REFRESH_MS } from "./useLiveRefresh";

export const fathomSyncQueryKey = (teamId: string) => ["fathomSync", teamId] as const;

/** Statuses during which the import is still moving and worth polling. */
export function isSyncActive(sync: FathomSync | null | undefined): boolean {
  return sync?.status === "running" || sync?.status === "paused_rate_limited";
}

/**
 * GET api/teams/:teamId/integrations/fathom/sync (`{ sync, inbox }`), polled every `pollIntervalMs` while the import is running or
 * waiting for the rate limit, and every `idlePollIntervalMs` otherwise (an import started elsewhere, a failed webhook
 * delivery), only while the tab is visible. When an import stops, meetings and leads are re-read.
 */
export function useFathomSync(teamId: string, { enabled = true, pollIntervalMs = 2000, idlePollIntervalMs = LIVE_REFRESH_MS } = {}) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: fathomSyncQueryKey(teamId),
    queryFn: () => api.getFathomSync(teamId),
    enabled,
    refetchInterval: (q) => (isSyncActive(q.state.data?.sync) ? pollIntervalMs : idlePollIntervalMs),
    refetchIntervalInBackground: false,
  });

  const active = isSyncActive(query.data?.sync);
  const wasActive = useRef(active);
  useEffect(() => {
    if (wasActive.current && !active) {
      void queryClient.invalidateQueries({ queryKey: meetingsQueryKey(teamId) });
      void queryClient.invalidateQueries({ queryKey: leadsQueryKey(teamId) });
    }
    wasActive.current = active;
  }, [active, queryClient, teamId]);

  return query;
}

/** POST api/teams/:teamId/integrations/fathom/sync (admins): start or resume "Import past meetings". */
export function useStartFathomSync(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (options: { full?: boolean } | void) =>
      options?.full ? api.startFathomSync(teamId, { full: true }) : api.startFathomSync(teamId),
    onSuccess: (sync) =>
      queryClient.setQueryData<FathomSyncState>(fathomSyncQueryKey(teamId), (old) => ({ inbox: old?.inbox ?? null, sync })),
  });
}
