import { describe, expect, it, vi, beforeAll, beforeEach } from "vitest";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { api } from "@/test/apiMock";
import { renderWithClient } from "@/test/render";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: { auth: { signOut: vi.fn() } } }));
const session = vi.hoisted(() => ({ current: null as null | { user: { email: string } } }));
vi.mock("@/hooks/useSession", () => ({
  useSession: () => ({ session: session.current, loading: false }),
  signOut: vi.fn(),
}));

import { App, preloadPages } from "./App";

// Pages are lazy routes: load them once so that each test waits for its data, not for a first module transform.
beforeAll(preloadPages);

const TEAMS = [
  { id: "t1", name: "Acme Sales", role: "admin" },
  { id: "t2", name: "Globex", role: "member" },
];

function renderAt(path: string) {
  return renderWithClient(
    <MemoryRouter initialEntries={[path]}>
      <App />
    </MemoryRouter>,
  );
}

beforeEach(() => {
  vi.clearAllMocks();
  localStorage.clear();
  session.current = { user: { email: "demo-admin@example.com" } };
  api.listIntegrations.mockResolvedValue([]);
});

describe("App routes", () => {
  it("sends a signed-out visitor to the sign-in page", async () => {
    session.current = null;
    renderAt("/teams/t1/settings/integrations");
    expect(await screen.findByRole("button", { name: "Sign in" })).toBeInTheDocument();
  });

  it("shows a friendly empty state to a user in no team", async () => {
    api.listTeams.mockResolvedValue([]);
    renderAt("/");
    expect(await screen.findByText("You're not a member of any team yet")).toBeInTheDocument();
    expect(api.listIntegrations).not.toHaveBeenCalled();
  });

  it("opens the remembered team's integrations, with the team switcher and role badge", async () => {
    api.listTeams.mockResolvedValue(TEAMS);
    localStorage.setItem("crm.selectedTeamId", "t2");
    renderAt("/");
    expect(await screen.findByRole("heading", { name: "Integrations" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /^Globex ?, switch team$/ })).toBeInTheDocument();
    expect(screen.getByText("member")).toBeInTheDocument();
    expect(api.listIntegrations).toHaveBeenCalledWith("t2");
  });

  it("says so when the URL names a team the user is not in, with a way to one of theirs", async () => {
    api.listTeams.mockResolvedValue(TEAMS);
    const user = userEvent.setup();
    renderAt("/teams/not-mine/settings/integrations");
    expect(await screen.findByRole("heading", { level: 1, name: "Team not found" })).toBeInTheDocument();
    expect(screen.getByText(/doesn't exist, or you're not a member of it/)).toBeInTheDocument();
    expect(api.listIntegrations).not.toHaveBeenCalled();
    await user.click(screen.getByRole("link", { name: "Go to Acme Sales" }));
    expect(await screen.findByRole("button", { name: /^Acme Sales ?, switch team$/ })).toBeInTheDocument();
    expect(localStorage.getItem("crm.selectedTeamId")).toBe("t1");
  });

  it("says an address under a team is no page, instead of silently showing another", async () => {
    api.listTeams.mockResolvedValue(TEAMS);
    const user = userEvent.setup();
    renderAt("/teams/t1/no-such-page");
    expect(await screen.findByRole("heading", { level: 1, name: "Page not found" })).toBeInTheDocument();
    // still in the team's shell: the navigation and the switcher are there
    expect(screen.getByRole("button", { name: /^Acme Sales ?, switch team$/ })).toBeInTheDocument();
    await user.click(screen.getByRole("link", { name: "Go to Integrations" }));
    expect(await screen.findByRole("heading", { name: "Integrations" })).toBeInTheDocument();
  });

  it("says an unknown address outside the teams is no page, with a way into the CRM", async () => {
    api.listTeams.mockResolvedValue(TEAMS);
    renderAt("/no/such/place");
    expect(await screen.findByRole("heading", { level: 1, name: "Page not found" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Go to the CRM" })).toHaveAttribute("href", "/");
  });

  it("switches team from the dropdown", async () => {
    api.listTeams.mockResolvedValue(TEAMS);
    const user = userEvent.setup();
    renderAt("/teams/t1/settings/integrations");
    await user.click(await screen.findByRole("button", { name: /^Acme Sales ?, switch team$/ }));
    await user.click(within(await screen.findByRole("menu")).getByText("Globex"));
    expect(await screen.findByRole("button", { name: /^Globex ?, switch team$/ })).toBeInTheDocument();
    expect(localStorage.getItem("crm.selectedTeamId")).toBe("t2");
    expect(api.listIntegrations).toHaveBeenCalledWith("t2");
  });

  it("opens Leads and Meetings from the sidebar (real pages, no longer placeholders)", async () => {
    api.listTeams.mockResolvedValue(TEAMS);
    api.listLeads.mockResolvedValue({ leads: [], next_cursor: null });
    api.listMembers.mockResolvedValue([]);
    api.listMeetings.mockResolvedValue({ meetings: [], next_cursor: null });
    const user = userEvent.setup();
    renderAt("/teams/t1/settings/integrations");
    const nav = await screen.findByRole("navigation", { name: "Main" });
    expect(within(nav).queryByText("Soon")).not.toBeInTheDocument();

    await user.click(within(nav).getByRole("link", { name: "Leads" }));
    expect(await screen.findByRole("heading", { name: "Leads" })).toBeInTheDocument();
    expect(await screen.findByText("No leads yet")).toBeInTheDocument();
    expect(api.listLeads).toHaveBeenCalledWith("t1", expect.objectContaining({ cursor: null }));

    await user.click(within(nav).getByRole("link", { name: "Meetings" }));
    expect(await screen.findByRole("heading", { name: "Meetings" })).toBeInTheDocument();
    expect(await screen.findByText("No meetings yet")).toBeInTheDocument();
  });
});
