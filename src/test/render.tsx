import type { ReactElement, ReactNode } from "react";
import { render } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter, Outlet, Route, Routes, useLocation } from "react-router-dom";
import type { Team } from "@/lib/types";
import type { TeamOutletContext } from "@/pages/TeamLayout";

export function renderWithClient(ui: ReactElement) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } },
  });
  return { client, ...render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>) };
}

export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The current location, for asserting navigations. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

function TeamOutlet({ team }: { team: Team }) {
  return <Outlet context={{ team } satisfies TeamOutletContext} />;
}

/**
 * Renders team pages under `/teams/:teamId` with the team in the outlet context (as TeamLayout provides it), without
 * the shell. `routes` are <Route>s relative to the team.
 */
export function renderTeamRoutes(routes: ReactNode, { path, team }: { path: string; team: Team }) {
  return renderWithClient(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/teams/:teamId" element={<TeamOutlet team={team} />}>
          {routes}
        </Route>
      </Routes>
      <LocationProbe />
    </MemoryRouter>,
  );
}
