import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { useSession } from "./useSession";

export const invitationsQueryKey = ["invitations"] as const;

/** The caller's pending invitations (also started early by src/lib/entryPrefetch.ts). */
export const invitationsQueryOptions = queryOptions({ queryKey: invitationsQueryKey, queryFn: () => api.listMyInvitations() });

/** GET api/invitations: the signed-in person's pending invitations (empty until their address is confirmed). */
export function useMyInvitations() {
  const { session } = useSession();
  return useQuery({ ...invitationsQueryOptions, enabled: !!session });
}
