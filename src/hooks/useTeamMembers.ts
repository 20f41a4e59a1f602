import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { TeamRole } from "@/lib/types";
import { liveQueryOptions } from "./useLiveRefresh";
import { membersQueryKey } from "./useMembers";
import { teamsQueryKey } from "./useTeams";

export const invitesQueryKey = (teamId: string) => ["invites", teamId] as const;

/** GET api/teams/:teamId/invites: the pending invites (owners and admins only; `enabled` false for members). */
export function useInvites(teamId: string, enabled: boolean) {
  return useQuery({ queryKey: invitesQueryKey(teamId), queryFn: () => api.listInvites(teamId), enabled, ...liveQueryOptions });
}

/** The membership changes of the Members page; each refreshes the members, the invites and, where it can change, the caller's teams. */
export function useMembershipMutations(teamId: string) {
  const qc = useQueryClient();
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: membersQueryKey(teamId) }),
      qc.invalidateQueries({ queryKey: invitesQueryKey(teamId) }),
      qc.invalidateQueries({ queryKey: teamsQueryKey }),
    ]);
  return {
    changeRole: useMutation({
      mutationFn: ({ userId, role }: { userId: string; role: TeamRole }) => api.changeMemberRole(teamId, userId, role),
      onSettled: refresh,
    }),
    remove: useMutation({ mutationFn: (userId: string) => api.removeMember(teamId, userId), onSettled: refresh }),
    invite: useMutation({
      mutationFn: (input: { email: string; role: TeamRole }) => api.inviteMember(teamId, input),
      onSuccess: refresh,
    }),
    revoke: useMutation({ mutationFn: (inviteId: string) => api.revokeInvite(teamId, inviteId), onSettled: refresh }),
  };
}

/** POST api/teams: a new team, the caller its owner; the teams list is refreshed before it resolves. */
export function useCreateTeam() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.createTeam(name),
    onSuccess: () => qc.invalidateQueries({ queryKey: teamsQueryKey }),
  });
}
