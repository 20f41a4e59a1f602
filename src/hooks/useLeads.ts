import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { LeadInput } from "@/lib/types";

export const leadsQueryKey = (teamId: string) => ["leads", teamId] as const;

/** GET api/teams/:teamId/leads?q=: the team's leads, filtered by the server (name, company, e-mail). */
export function useLeads(teamId: string, q = "") {
  return useQuery({
    queryKey: [...leadsQueryKey(teamId), { q: q.trim() }] as const,
    queryFn: () => api.listLeads(teamId, q.trim() || undefined),
    placeholderData: keepPreviousData,
  });
}

/** POST api/teams/:teamId/leads, then re-read the lists. */
export function useCreateLead(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: LeadInput) => api.createLead(teamId, input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: leadsQueryKey(teamId) });
      void queryClient.invalidateQueries({ queryKey: ["meetings", teamId] });
    },
  });
}
