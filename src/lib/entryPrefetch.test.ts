import { describe, expect, it, vi, beforeEach } from "vitest";
import { createElement } from "react";
import { render, screen } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter } from "react-router-dom";
import { api } from "@/test/apiMock";
import { deferred } from "@/test/render";
import type { Team, TeamIntegration } from "@/lib/types";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
const stored = vi.hoisted(() => ({ session: null as null | { user: { email: string } } }));
vi.mock("@/lib/supabase", () => ({
  supabase: { auth: { getSession: async () => ({ data: { session: stored.session } }), signOut: vi.fn() } },
}));
vi.mock("@/hooks/useSession", () => ({
  useSession: () => ({ session: stored.session, loading: false }),
  signOut: vi.fn(),
}));

import { prefetchEntryData } from "./entryPrefetch";
import { App, preloadPageFor } from "@/App";

const TEAMS: Team[] = [{ id: "t1", name: "Acme Sales", role: "admin" } as Team];

// the app's staleTime (src/main.tsx): an answer that came before the page mounted is used, not asked for again
const client = () => new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity, staleTime: 30_000 } } });

beforeEach(() => {
  vi.clearAllMocks();
  stored.session = { user: { email: "demo-admin@example.com" } };
});

describe("prefetchEntryData: the first page's data, all at once", () => {
  it("asks for the teams, the invitations and Integrations' rows together, before any of them answers", async () => {
    api.listTeams.mockReturnValue(new Promise(() => {}));
    api.listIntegrations.mockReturnValue(new Promise(() => {}));
    await prefetchEntryData("/teams/t1/settings/integrations", client());
    expect(api.listTeams).toHaveBeenCalledTimes(1);
    expect(api.listMyInvitations).toHaveBeenCalledTimes(1);
    expect(api.listIntegrations).toHaveBeenCalledWith("t1");
  });

  it("another team page: the shell's data only; no team page, or signed out: nothing", async () => {
    api.listTeams.mockReturnValue(new Promise(() => {}));
    await prefetchEntryData("/teams/t1/leads", client());
    expect(api.listTeams).toHaveBeenCalledTimes(1);
    expect(api.listMyInvitations).toHaveBeenCalledTimes(1);
    expect(api.listIntegrations).not.toHaveBeenCalled();

    vi.clearAllMocks();
    await prefetchEntryData("/sign-in", client());
    stored.session = null;
    await prefetchEntryData("/teams/t1/settings/integrations", client());
    expect(api.listTeams).not.toHaveBeenCalled();
    expect(api.listMyInvitations).not.toHaveBeenCalled();
    expect(api.listIntegrations).not.toHaveBeenCalled();
  });

  it("the page's hooks take over the requests in flight: each is made once", async () => {
    const teams = deferred<Team[]>();
    const rows = deferred<TeamIntegration[]>();
    api.listTeams.mockReturnValue(teams.promise);
    api.listIntegrations.mockReturnValue(rows.promise);
    const queryClient = client();
    await Promise.all([
      preloadPageFor("/teams/t1/settings/integrations"),
      prefetchEntryData("/teams/t1/settings/integrations", queryClient),
    ]);
    render(
      createElement(
        QueryClientProvider,
        { client: queryClient },
        createElement(MemoryRouter, { initialEntries: ["/teams/t1/settings/integrations"] }, createElement(App)),
      ),
    );
    teams.resolve(TEAMS);
    rows.resolve([]);
    expect(await screen.findByRole("heading", { name: "Integrations" })).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: "Connect Fathom" })).toBeInTheDocument();
    expect(api.listTeams).toHaveBeenCalledTimes(1);
    expect(api.listMyInvitations).toHaveBeenCalledTimes(1);
    expect(api.listIntegrations).toHaveBeenCalledTimes(1);
  });
});

describe("preloadPageFor", () => {
  it("loads the chunk of the page at an address, and resolves at once for an address that is no page", async () => {
    const page = (await preloadPageFor("/teams/t1/settings/integrations")) as Record<string, unknown>;
    expect(page.IntegrationsPage).toBeTypeOf("function");
    const lead = (await preloadPageFor("/teams/t1/leads/l1")) as Record<string, unknown>;
    expect(lead.LeadDetailPage).toBeTypeOf("function");
    await expect(preloadPageFor("/nowhere")).resolves.toBeUndefined();
  });
});
