import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { ApiError } from "@/lib/apiError";
import { isUuidShape } from "@/lib/ids";
import type { LeadDetail, LeadPatch, Lead } from "@/lib/types";
import { leadsQueryKey } from "./useLeads";
import { liveQueryOptions } from "./useLiveRefresh";
import { timelineQueryKey } from "./useTimeline";

export const leadQueryKey = (teamId: string, leadId: string) => ["lead", teamId, leadId] as const;

/**
 * GET api/teams/:teamId/leads/:leadId: the lead, its newest meetings and their total. An id that is not a UUID
 * (`/leads/not-a-uuid`) names no lead: 404 lead_not_found without asking the server. Re-read every
 * few seconds while the tab is visible (new meetings, another member's edits).
 */
export function useLead(teamId: string, leadId: string) {
  return useQuery({
    queryKey: leadQueryKey(teamId, leadId),
    queryFn: () =>
      isUuidShape(leadId)
        ? api.getLead(teamId, leadId)
        : Promise.reject(new ApiError("lead_not_found", "Lead not found.", 404)),
    ...liveQueryOptions,
  });
}

/**
 * PATCH api/teams/:teamId/leads/:leadId; the answer replaces the cached lead, the lists and the lead's timeline (a
 * stage change is an entry) are re-read.
 */
export function useUpdateLead(teamId: string, leadId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: LeadPatch) => api.updateLead(teamId, leadId, patch),
    onSuccess: (lead: Lead) => {
      queryClient.setQueryData<LeadDetail>(leadQueryKey(teamId, leadId), (old) =>
        old ? { ...old, lead } : old,
      );
      void queryClient.invalidateQueries({ queryKey: leadsQueryKey(teamId) });
      void queryClient.invalidateQueries({ queryKey: ["meetings", teamId] });
      void queryClient.invalidateQueries({ queryKey: timelineQueryKey(teamId, leadId) });
    },
  });
}

/** DELETE api/teams/:teamId/leads/:leadId (admins). */
export function useDeleteLead(teamId: string, leadId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.deleteLead(teamId, leadId),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: leadQueryKey(teamId, leadId) });
      void queryClient.invalidateQueries({ queryKey: leadsQueryKey(teamId) });
      void queryClient.invalidateQueries({ queryKey: ["meetings", teamId] });
    },
  });
}
