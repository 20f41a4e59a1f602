import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { useSession } from "./useSession";
import { teamsQueryKey } from "./useTeams";

export const invitationsQueryKey = ["invitations"] as const;

/** The caller's pending invitations (also started early by src/lib/entryPrefetch.ts). */
export const invitationsQueryOptions = queryOptions({ queryKey: invitationsQueryKey, queryFn: () => api.listMyInvitations() });

/** GET api/invitations: the signed-in person's pending invitations (empty until their address is confirmed). */
export function useMyInvitations() {
  const { session } = useSession();
  return useQuery({ ...invitationsQueryOptions, enabled: !!session });
}

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
