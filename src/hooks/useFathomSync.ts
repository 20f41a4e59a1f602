import { useEffect, useRef } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { MeetingProviderId } from "@/lib/providers";
import type { FathomSync, FathomSyncState } from "@/lib/types";
import { leadsQueryKey } from "./useLeads";
import { meetingsQueryKey } from "./useMeetings";
import { LIVE_REFRESH_MS } from "./useLiveRefresh";

/** The import state of one meeting provider (Fathom, Zoom) for one team. */
export const meetingSyncQueryKey = (teamId: string, provider: MeetingProviderId) => ["meetingSync", teamId, provider] as const;
/** Every provider's import state of the team (to invalidate them all). */
export const meetingSyncsQueryKey = (teamId: string) => ["meetingSync", teamId] as const;

/** Statuses during which the import is still moving and worth polling. */
export function isSyncActive(sync: FathomSync | null | undefined): boolean {
  return sync?.status === "running" || sync?.status === "paused_rate_limited";
}

/**
 * GET api/teams/:teamId/integrations/:provider/sync (`{ sync, inbox }`), polled every `pollIntervalMs` while the
 * import is running or waiting for the rate limit, and every `idlePollIntervalMs` otherwise (an import started
 * elsewhere, a failed webhook delivery), only while the tab is visible. When an import stops, meetings and leads
 * are re-read.
 */
export function useMeetingSync(
  teamId: string,
  provider: MeetingProviderId,
  { enabled = true, pollIntervalMs = 2000, idlePollIntervalMs = LIVE_REFRESH_MS } = {},
) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: meetingSyncQueryKey(teamId, provider),
    queryFn: () => api.getMeetingSync(teamId, provider),
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

/** POST api/teams/:teamId/integrations/:provider/sync (admins): start or resume the import of past meetings. */
export function useStartMeetingSync(teamId: string, provider: MeetingProviderId) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (options: { full?: boolean } | void) =>
      options?.full ? api.startMeetingSync(teamId, provider, { full: true }) : api.startMeetingSync(teamId, provider),
    onSuccess: (sync) =>
      queryClient.setQueryData<FathomSyncState>(meetingSyncQueryKey(teamId, provider), (old) => ({
        inbox: old?.inbox ?? null,
        sync,
      })),
  });
}
