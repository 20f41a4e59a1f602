import { matchPath } from "react-router-dom";
import type { QueryClient } from "@tanstack/react-query";
import { supabase } from "./supabase";
import { teamsQueryOptions } from "@/hooks/useTeams";
import { invitationsQueryOptions } from "@/hooks/useInvitations";
import { integrationsQueryOptions } from "@/hooks/useIntegrations";

/**
 * The data the first page of a visit needs, asked for as soon as the app starts (with the stored session) instead of
 * level by level as the tree renders: RequireAuth waits for the session, TeamLayout for the teams, the page for its
 * own query, so a cold load of a team page used to make three round trips one after the other (bench/frontend,
 * docs/performance.md). Each query is the one its hook runs (same key and function), so the hook picks up the answer
 * or the request in flight, and nothing is fetched twice.
 *
 * Signed out (no stored session): nothing. A path under `/teams/<id>`: the teams and the pending invitations (the
 * shell shows both on every team page), plus the Integrations page's own rows on that page. Resolves when the requests
 * are started; errors stay in the query cache, where the hooks retry and show them as they always do.
 */
export async function prefetchEntryData(pathname: string, queryClient: QueryClient): Promise<void> {
  const team = matchPath("/teams/:teamId/*", pathname);
  if (!team?.params.teamId) return;
  const { data } = await supabase.auth.getSession();
  if (!data.session) return;
  void queryClient.prefetchQuery(teamsQueryOptions);
  void queryClient.prefetchQuery(invitationsQueryOptions);
  if (matchPath("/teams/:teamId/settings/integrations", pathname)) {
    void queryClient.prefetchQuery(integrationsQueryOptions(team.params.teamId));
  }
}
