import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { canonicalEmail } from "@/lib/email";
import type { LeadInput, LeadsQuery } from "@/lib/types";
import { liveQueryOptions } from "./useLiveRefresh";

export const leadsQueryKey = (teamId: string) => ["leads", teamId] as const;

export type LeadFilters = Pick<LeadsQuery, "q" | "stage" | "owner" | "sort" | "dir">;

/**
 * GET api/teams/:teamId/leads?q=&stage=&owner=&sort=&dir=&cursor=: pages of leads (100 each), filtered and sorted by
 * the server ("Load more" fetches the next page). Re-read every few seconds while the tab is visible.
 */
export function useLeads(teamId: string, filters: LeadFilters = {}) {
  const key: LeadFilters = {
    q: filters.q?.trim() || undefined,
    stage: filters.stage || undefined,
    owner: filters.owner || undefined,
    sort: filters.sort || undefined,
    dir: filters.dir || undefined,
  };
  return useInfiniteQuery({
    queryKey: [...leadsQueryKey(teamId), key] as const,
    queryFn: ({ pageParam }) => api.listLeads(teamId, { ...key, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor || null,
    placeholderData: keepPreviousData,
    ...liveQueryOptions,
  });
}

/** The server takes at most this many e-mails in one leads request. */
export const LEADS_BY_EMAIL_MAX = 100;

/**
 * The leads having any of these e-mails (a meeting's attendees): one bounded request, however many leads the team
 * has. Disabled when there are no e-mails.
 */
export function useLeadsByEmail(teamId: string, emails: (string | null | undefined)[]) {
  const wanted = [...new Set(emails.filter(plausibleEmail).map(canonicalEmail))].sort().slice(0, LEADS_BY_EMAIL_MAX);
  return useQuery({
    queryKey: [...leadsQueryKey(teamId), { emails: wanted }] as const,
    queryFn: () => api.listLeads(teamId, { emails: wanted, limit: 200 }).then((page) => page.leads),
    enabled: wanted.length > 0,
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

/**
 * Attendee e-mails come from Fathom: only those shaped like the server's e-mail rule (at most 320 characters, one
 * "@", a dotted domain, no whitespace or control characters) are asked about, as the server refuses the others.
 */
function plausibleEmail(value: string | null | undefined): value is string {
  if (typeof value !== "string") return false;
  try {
    encodeURIComponent(value); // throws on an unpaired surrogate
  } catch {
    return false;
  }
  const email = canonicalEmail(value);
  // eslint-disable-next-line no-control-regex
  return email.length <= 320 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/u.test(email) && !/[\u0000-\u001f\u007f]/.test(email);
}
