import { Navigate, Outlet, useLocation, useNavigate, useOutletContext, useParams } from "react-router-dom";
import { lazy, Suspense, useDeferredValue, useEffect } from "react";
import { AppShell } from "@/components/AppShell";
import { OptionalBoundary } from "@/components/OptionalBoundary";
import { PageErrorBoundary } from "@/components/PageErrorBoundary";
import { FullPageSpinner } from "@/components/FullPageState";
import { useTeams } from "@/hooks/useTeams";
import { getStoredTeamId, integrationsPath, storeTeamId } from "@/lib/teamSelection";
import type { Team } from "@/lib/types";
import { ErrorAlert } from "@/components/ErrorAlert";
import { useMyInvitations } from "@/hooks/useInvitations";

// Shown to few people, rarely: loaded when needed, off every page's entry chunk (the 150 kB budget, issue 10).
const NotFoundPage = lazy(() => import("./NotFoundPage").then((m) => ({ default: m.NotFoundPage })));
const NoTeamState = lazy(() => import("./NoTeamState"));
const PendingInvitations = lazy(() =>
  import("@/components/PendingInvitations").then((m) => ({ default: m.PendingInvitations })),
);

/** The invitations banner above a team's pages, loaded only when the person has pending invitations. */
function InvitationsBanner() {
  const invitations = useMyInvitations();
  if (!invitations.data?.length) return null;
  return (
    <Suspense fallback={null}>
      <PendingInvitations variant="banner" />
    </Suspense>
  );
}

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

/** `/`: go to the remembered team (or the first one); a user in no team gets the empty state. */
export function HomeRedirect() {
  const teams = useTeams();
  if (teams.isPending) return <FullPageSpinner />;
  if (teams.isError) return <TeamsError error={teams.error} onRetry={() => teams.refetch()} />;
  const list = teams.data;
  if (list.length === 0) {
    return (
      <AppShell teams={[]} currentTeam={undefined} onSelectTeam={() => undefined}>
        <Suspense fallback={<FullPageSpinner />}>
          <NoTeamState />
        </Suspense>
      </AppShell>
    );
  }
  return <Navigate to={integrationsPath(landingTeam(list)!.id)} replace />;
}

/** The team a person lands in: the remembered one if they still belong to it, else their first; none in no team. */
function landingTeam(list: Team[]): Team | undefined {
  const stored = getStoredTeamId();
  return list.find((t) => t.id === stored) ?? list[0];
}

/**
 * `/teams/<id>` of a team that does not exist or that the person is not in (RLS cannot tell them apart, nor should
 * the page): say so, in the shell with their own teams, with a way to one of them.
 */
function UnknownTeam({ teams }: { teams: Team[] }) {
  const landing = landingTeam(teams);
  const navigate = useNavigate();
  return (
    <AppShell teams={teams} currentTeam={undefined} onSelectTeam={(id) => navigate(integrationsPath(id))}>
      <Suspense fallback={null}>
        <NotFoundPage
          title="Team not found"
          back={landing ? integrationsPath(landing.id) : "/"}
          backLabel={landing ? `Go to ${landing.name}` : "Go to the CRM"}
        >
          <p>This team doesn't exist, or you're not a member of it. To join it, ask one of its owners or admins to invite you.</p>
        </NotFoundPage>
      </Suspense>
    </AppShell>
  );
}

/** An address under a team that is no page of the app: say so, with a way to the team's Integrations. */
export function TeamPageNotFound() {
  const team = useCurrentTeam();
  return (
    <Suspense fallback={null}>
      <NotFoundPage back={integrationsPath(team.id)} backLabel="Go to Integrations" />
    </Suspense>
  );
}

/** `/teams/:teamId/*`: the shell for one team; the URL is the source of truth, localStorage remembers it. */
export function TeamLayout() {
  const { teamId } = useParams();
  const teams = useTeams();
  // The teams' first arrival puts the whole shell and page on screen in one render (most of a cold load's
  // main-thread work: bench/frontend). Rendered from a deferred value, that render is interruptible (React yields to
  // the browser every few ms, so a tap or a scroll is not held up) instead of one long task; the spinner stays until
  // it commits. Only the first answer is deferred: later ones (a refetch, a team joined) are used as they come.
  const firstTeams = useDeferredValue(teams.data);
  const teamList = firstTeams && teams.data;
  const navigate = useNavigate();
  const location = useLocation();
  const team = teamList?.find((t) => t.id === teamId);

  useEffect(() => {
    if (team) storeTeamId(team.id);
  }, [team]);

  if (teams.isError) return <TeamsError error={teams.error} onRetry={() => teams.refetch()} />;
  if (!teamList) return <FullPageSpinner />;
  if (!team) return <UnknownTeam teams={teamList} />;

  const onSelectTeam = (id: string) => {
    if (id === team.id) return;
    storeTeamId(id);
    const prefix = `/teams/${encodeURIComponent(team.id)}`;
    const rest = location.pathname.startsWith(prefix) ? location.pathname.slice(prefix.length) : "/settings/integrations";
    navigate(`/teams/${encodeURIComponent(id)}${rest || "/settings/integrations"}`);
  };

  return (
    <AppShell teams={teamList} currentTeam={team} onSelectTeam={onSelectTeam}>
      <OptionalBoundary>
        <InvitationsBanner />
      </OptionalBoundary>
      <PageErrorBoundary resetKey={location.pathname}>
        <Outlet context={{ team } satisfies TeamOutletContext} />
      </PageErrorBoundary>
    </AppShell>
  );
}
