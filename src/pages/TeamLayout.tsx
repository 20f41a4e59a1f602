import { Navigate, Outlet, useLocation, useNavigate, useOutletContext, useParams } from "react-router-dom";
import { useEffect } from "react";
import { UsersRound } from "lucide-react";
import { AppShell } from "@/components/AppShell";
import { PageErrorBoundary } from "@/components/PageErrorBoundary";
import { EmptyState, FullPageSpinner } from "@/components/FullPageState";
import { useTeams } from "@/hooks/useTeams";
import { getStoredTeamId, integrationsPath, storeTeamId } from "@/lib/teamSelection";
import type { Team } from "@/lib/types";
import { ErrorAlert } from "@/components/ErrorAlert";

export interface TeamOutletContext {
  team: Team;
}

export function useCurrentTeam(): Team {
  return useOutletContext<TeamOutletContext>().team;
}

function TeamsError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div className="mx-auto max-w-lg p-8">
      <ErrorAlert title="Couldn't load your teams" error={error} onRetry={onRetry} />
    </div>
  );
}

export function NoTeamState() {
  return (
    <EmptyState icon={<UsersRound className="size-5" aria-hidden="true" />} title="You're not a member of any team yet">
      <p>Ask a team owner or admin to invite you. Once you're added, your team's workspace and integrations appear here.</p>
    </EmptyState>
  );
}

/** `/`: go to the remembered team (or the first one); a user in no team gets the empty state. */
export function HomeRedirect() {
  const teams = useTeams();
  if (teams.isPending) return <FullPageSpinner />;
  if (teams.isError) return <TeamsError error={teams.error} onRetry={() => teams.refetch()} />;
  const list = teams.data;
  if (list.length === 0) {
    return (
      <AppShell teams={[]} currentTeam={undefined} onSelectTeam={() => undefined}>
        <NoTeamState />
      </AppShell>
    );
  }
  const stored = getStoredTeamId();
  const team = list.find((t) => t.id === stored) ?? list[0];
  return <Navigate to={integrationsPath(team.id)} replace />;
}

/** `/teams/:teamId/*`: the shell for one team; the URL is the source of truth, localStorage remembers it. */
export function TeamLayout() {
  const { teamId } = useParams();
  const teams = useTeams();
  const navigate = useNavigate();
  const location = useLocation();
  const team = teams.data?.find((t) => t.id === teamId);

  useEffect(() => {
    if (team) storeTeamId(team.id);
  }, [team]);

  if (teams.isPending) return <FullPageSpinner />;
  if (teams.isError) return <TeamsError error={teams.error} onRetry={() => teams.refetch()} />;
  if (!team) return <Navigate to="/" replace />;

  const onSelectTeam = (id: string) => {
    if (id === team.id) return;
    storeTeamId(id);
    const prefix = `/teams/${encodeURIComponent(team.id)}`;
    const rest = location.pathname.startsWith(prefix) ? location.pathname.slice(prefix.length) : "/settings/integrations";
    navigate(`/teams/${encodeURIComponent(id)}${rest || "/settings/integrations"}`);
  };

  return (
    <AppShell teams={teams.data} currentTeam={team} onSelectTeam={onSelectTeam}>
      <PageErrorBoundary resetKey={location.pathname}>
        <Outlet context={{ team } satisfies TeamOutletContext} />
      </PageErrorBoundary>
    </AppShell>
  );
}
