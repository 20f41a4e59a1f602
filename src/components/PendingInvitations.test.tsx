import { describe, expect, it, vi, beforeAll, beforeEach } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { api } from "@/test/apiMock";
import { renderWithClient } from "@/test/render";
import { ApiError } from "@/lib/apiError";
import { toast } from "@/lib/toast";
import type { Invitation } from "@/lib/types";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: { auth: { signOut: vi.fn() } } }));
vi.mock("@/lib/toast", () => ({ toast: Object.assign(vi.fn(), { error: vi.fn(), success: vi.fn() }) }));
vi.mock("@/hooks/useSession", () => ({
  useSession: () => ({ session: { user: { email: "ivy@example.com" } }, loading: false }),
  signOut: vi.fn(),
}));

import { App, preloadPages } from "@/App";

beforeAll(preloadPages);

const INVITATION: Invitation = {
  id: "inv-1",
  team_id: "t9",
  team_name: "Initech",
  role: "admin",
  invited_by_name: "Dana Owner",
  invited_by_email: "dana@initech.example",
  created_at: "2026-11-30T10:00:00.000Z",
};
const INITECH = { id: "t9", name: "Initech", role: "admin" as const };
const ACME = { id: "t1", name: "Acme Sales", role: "member" as const };

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
  api.listIntegrations.mockResolvedValue([]);
  api.listMyInvitations.mockResolvedValue([INVITATION]);
});

describe("pending invitations", () => {
  it("someone in no team sees the invitation (team, role, inviter), joins it and lands in the team", async () => {
    const user = userEvent.setup();
    api.listTeams.mockResolvedValueOnce([]).mockResolvedValue([INITECH]);
    api.acceptInvitation.mockResolvedValue(INITECH);
    renderAt("/");
    const section = within(await screen.findByRole("region", { name: "You're invited to a team" }));
    expect(section.getByText("Initech")).toBeInTheDocument();
    expect(section.getByText(/Join as an admin/)).toBeInTheDocument();
    expect(section.getByText("Dana Owner")).toBeInTheDocument();
    api.listMyInvitations.mockResolvedValue([]);
    await user.click(section.getByRole("button", { name: "Join Initech" }));
    expect(api.acceptInvitation).toHaveBeenCalledWith("inv-1");
    await waitFor(() => expect(toast.success).toHaveBeenCalledWith("You joined Initech"));
    expect(await screen.findByRole("heading", { name: "Integrations" })).toBeInTheDocument();
    expect(api.listIntegrations).toHaveBeenCalledWith("t9");
    expect(localStorage.getItem("crm.selectedTeamId")).toBe("t9");
  });

  it("a member of a team sees a banner and declines; a refusal is a toast with the reason", async () => {
    const user = userEvent.setup();
    api.listTeams.mockResolvedValue([ACME]);
    api.declineInvitation.mockRejectedValueOnce(new ApiError("email_not_confirmed", "x", 403)).mockResolvedValue(undefined);
    renderAt("/teams/t1/settings/integrations");
    const banner = within(await screen.findByRole("region", { name: "You're invited to a team" }));
    await user.click(banner.getByRole("button", { name: "Decline the invitation to Initech" }));
    await waitFor(() =>
      expect(toast.error).toHaveBeenCalledWith("Confirm your e-mail address first: open the link in the message we sent you."),
    );
    api.listMyInvitations.mockResolvedValue([]);
    await user.click(banner.getByRole("button", { name: "Decline the invitation to Initech" }));
    await waitFor(() => expect(toast.success).toHaveBeenCalledWith("Invitation to Initech declined"));
    await waitFor(() => expect(screen.queryByRole("region", { name: "You're invited to a team" })).not.toBeInTheDocument());
    expect(api.declineInvitation).toHaveBeenCalledWith("inv-1");
    // the banner (and the focused Decline button) went away: the focus is on the page, not lost on <body>
    await waitFor(() => expect(screen.getByRole("main")).toHaveFocus());
  });

  it("shows nothing when there are no invitations", async () => {
    api.listTeams.mockResolvedValue([ACME]);
    api.listMyInvitations.mockResolvedValue([]);
    renderAt("/teams/t1/settings/integrations");
    expect(await screen.findByRole("heading", { name: "Integrations" })).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: /invited/ })).not.toBeInTheDocument();
  });
});
