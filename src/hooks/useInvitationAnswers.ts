import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { invitationsQueryKey } from "./useInvitations";
import { teamsQueryKey } from "./useTeams";

// Apart from useInvitations.ts, which every page's entry chunk holds (TeamLayout, entryPrefetch): the answers load
// with PendingInvitations, and with them React Query's mutation observer (the Integrations page's budget, issue 10).

/** Join or decline an invitation; both refresh the invitations, joining the caller's teams too (before resolving). */
export function useInvitationAnswers() {
  const qc = useQueryClient();
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: invitationsQueryKey }),
      qc.invalidateQueries({ queryKey: teamsQueryKey }),
    ]);
  return {
    accept: useMutation({ mutationFn: (inviteId: string) => api.acceptInvitation(inviteId), onSettled: refresh }),
    decline: useMutation({ mutationFn: (inviteId: string) => api.declineInvitation(inviteId), onSettled: refresh }),
  };
}
