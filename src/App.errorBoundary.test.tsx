import { describe, expect, it, vi, beforeAll, beforeEach } from "vitest";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { api } from "@/test/apiMock";
import { renderWithClient } from "@/test/render";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: { auth: { signOut: vi.fn() } } }));
vi.mock("@/hooks/useSession", () => ({
  useSession: () => ({ session: { user: { email: "demo-admin@example.com" } }, loading: false }),
  signOut: vi.fn(),
}));

// A page with a bug: it throws while rendering as long as `crash.on` is set.
const crash = vi.hoisted(() => ({ on: true }));
vi.mock("@/pages/MeetingsPage", () => ({
  MeetingsPage: () => {
    if (crash.on) throw new TypeError("ts.trim is not a function");
    return <h1>Meetings</h1>;
  },
}));

import { App, preloadPages } from "./App";

// Pages are lazy routes: load them once so that each test waits for its data, not for a first module transform.
beforeAll(preloadPages);

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
  crash.on = true;
  api.listTeams.mockResolvedValue([{ id: "t1", name: "Acme Sales", role: "admin" }]);
  api.listLeads.mockResolvedValue({ leads: [], next_cursor: null });
  api.listMembers.mockResolvedValue([]);
  api.listIntegrations.mockResolvedValue([]);
  // React logs caught render errors; keep the output readable
  vi.spyOn(console, "error").mockImplementation(() => undefined);
});

describe("a page that throws while rendering", () => {
  it("shows the error boundary inside the shell: the sidebar stays and Try again re-renders the page", async () => {
    const user = userEvent.setup();
    renderAt("/teams/t1/meetings");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("This page couldn't be displayed");
    // the error's own message is for developers, not shown to the person
    expect(alert).not.toHaveTextContent("trim");
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).getByRole("link", { name: "Leads" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /^Acme Sales ?, switch team$/ })).toBeInTheDocument();

    crash.on = false;
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("heading", { name: "Meetings" })).toBeInTheDocument();
    expect(screen.queryByText("This page couldn't be displayed")).not.toBeInTheDocument();
  });

  it("resets when the route changes", async () => {
    const user = userEvent.setup();
    renderAt("/teams/t1/meetings");
    await screen.findByText("This page couldn't be displayed");
    await user.click(within(screen.getByRole("navigation", { name: "Main" })).getByRole("link", { name: "Leads" }));
    expect(await screen.findByRole("heading", { name: "Leads" })).toBeInTheDocument();
    expect(screen.queryByText("This page couldn't be displayed")).not.toBeInTheDocument();
  });
});
