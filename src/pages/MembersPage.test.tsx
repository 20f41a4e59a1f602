import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, screen, waitFor, within } from "@testing-library/react";
import { LIVE_REFRESH_MS } from "@/hooks/useLiveRefresh";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { toast } from "@/lib/toast";
import { api } from "@/test/apiMock";
import { renderTeamRoutes, renderWithClient } from "@/test/render";
import { ADMIN_TEAM, MEMBER_TEAM, TEAM_ID } from "@/test/fixtures";
import { ApiError } from "@/lib/apiError";
import type { Member, Team, TeamInvite } from "@/lib/types";
import { NoTeamState } from "./NoTeamState";
import { MembersPage, assignableRoles, canManage } from "./MembersPage";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: {} }));
vi.mock("@/lib/toast", () => ({ toast: Object.assign(vi.fn(), { error: vi.fn(), success: vi.fn() }) }));
const session = { current: "u-admin" };
vi.mock("@/hooks/useSession", () => ({
  useSession: () => ({ session: { user: { id: session.current } }, loading: false }),
}));

const OWNER: Member = { user_id: "u-owner", email: "olivia@example.com", full_name: "Olivia Owner (CEO)", role: "owner" };
const ADMIN: Member = { user_id: "u-admin", email: "demo-admin@example.com", full_name: "Dana Admin", role: "admin" };
const MEMBER: Member = { user_id: "u-member", email: "max.member@example.com", full_name: null, role: "member" };
const INVITE: TeamInvite = {
  id: "inv-1",
  email: "new.person@example.com",
  role: "member",
  invited_by_email: "demo-admin@example.com",
  created_at: "2026-11-30T10:00:00.000Z",
};

function renderMembers(team: Team, me: string) {
  session.current = me;
  return renderTeamRoutes(
    <>
      <Route path="members" element={<MembersPage />} />
    </>,
    { path: `/teams/${TEAM_ID}/members`, team },
  );
}

const row = async (name: string) => within((await screen.findByText(name)).closest("li")!);

beforeEach(() => {
  vi.clearAllMocks();
  api.listMembers.mockResolvedValue([OWNER, ADMIN, MEMBER]);
  api.listInvites.mockResolvedValue([INVITE]);
});

describe("MembersPage rules", () => {
  it("mirrors the database: admins manage members and admins, only owners manage or make owners", () => {
    expect(canManage("member", "member")).toBe(false);
    expect(canManage("admin", "member")).toBe(true);
    expect(canManage("admin", "admin")).toBe(true);
    expect(canManage("admin", "owner")).toBe(false);
    expect(canManage("owner", "owner")).toBe(true);
    expect(assignableRoles("admin")).toEqual(["admin", "member"]);
    expect(assignableRoles("owner")).toEqual(["owner", "admin", "member"]);
    expect(assignableRoles("member")).toEqual([]);
  });
});

describe("MembersPage", () => {
  afterEach(() => vi.useRealTimers());

  it("updates by itself while the tab is visible: someone who joined elsewhere shows up", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    api.listMembers.mockResolvedValue([OWNER, ADMIN]);
    renderMembers(ADMIN_TEAM, "u-admin");
    expect(await screen.findByRole("heading", { name: "2 members" })).toBeInTheDocument();
    api.listMembers.mockResolvedValue([OWNER, ADMIN, MEMBER]);
    await act(() => vi.advanceTimersByTimeAsync(LIVE_REFRESH_MS + 100));
    expect(await screen.findByRole("heading", { name: "3 members" })).toBeInTheDocument();
  });

  it("shows a member everyone with name, e-mail, role and initials, and only a Leave button", async () => {
    renderMembers(MEMBER_TEAM, "u-member");
    const owner = await row("Olivia Owner (CEO)");
    expect(owner.getByText("olivia@example.com")).toBeInTheDocument();
    expect(owner.getByText("Owner")).toBeInTheDocument();
    expect(owner.getByText("OO")).toBeInTheDocument(); // initials from the name's letters, not "O("
    const me = await row("max.member@example.com");
    expect(me.getByText("MM")).toBeInTheDocument(); // no name: from the e-mail
    expect(screen.getByRole("heading", { name: "3 members" })).toBeInTheDocument();
    expect(screen.queryByRole("combobox")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Remove/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Invite by e-mail" })).not.toBeInTheDocument();
    expect(screen.getAllByRole("button", { name: "Leave" })).toHaveLength(1);
    expect(api.listInvites).not.toHaveBeenCalled();
  });

  it("an admin cannot touch the owner, changes a member's role (no Owner option) and sees a toast", async () => {
    const user = userEvent.setup();
    api.changeMemberRole.mockResolvedValue({ ...MEMBER, role: "admin" });
    renderMembers(ADMIN_TEAM, "u-admin");
    const owner = await row("Olivia Owner (CEO)");
    expect(owner.queryByRole("combobox")).not.toBeInTheDocument();
    expect(owner.queryByRole("button")).not.toBeInTheDocument();
    const select = screen.getByRole("combobox", { name: "Role of max.member@example.com" });
    expect(within(select).getAllByRole("option").map((o) => o.textContent)).toEqual(["Admin", "Member"]);
    await user.selectOptions(select, "admin");
    expect(api.changeMemberRole).toHaveBeenCalledWith(TEAM_ID, "u-member", "admin");
    await waitFor(() => expect(toast.success).toHaveBeenCalledWith("max.member@example.com is now admin"));
    expect(select).toHaveFocus();
  });

  it("an owner can make owners", async () => {
    renderMembers({ ...ADMIN_TEAM, role: "owner" }, "u-owner");
    const select = await screen.findByRole("combobox", { name: "Role of Dana Admin" });
    expect(within(select).getAllByRole("option").map((o) => o.textContent)).toEqual(["Owner", "Admin", "Member"]);
    expect(screen.getByRole("combobox", { name: "Role of Olivia Owner (CEO)" })).toBeInTheDocument(); // own role
  });

  it("removes a member after a confirmation, with a toast; focus lands on the list, not <body>", async () => {
    const user = userEvent.setup();
    api.removeMember.mockResolvedValue(undefined);
    renderMembers(ADMIN_TEAM, "u-admin");
    await user.click(await screen.findByRole("button", { name: "Remove max.member@example.com" }));
    const dialog = within(await screen.findByRole("alertdialog"));
    expect(dialog.getByText("Remove max.member@example.com?")).toBeInTheDocument();
    await user.click(dialog.getByRole("button", { name: "Remove" }));
    expect(api.removeMember).toHaveBeenCalledWith(TEAM_ID, "u-member");
    await waitFor(() => expect(toast.success).toHaveBeenCalledWith("max.member@example.com was removed from Acme Sales"));
    await waitFor(() => expect(screen.getByRole("heading", { name: /members/ })).toHaveFocus());
  });

  it("Cancel removes nobody and returns focus to the Remove button", async () => {
    const user = userEvent.setup();
    renderMembers(ADMIN_TEAM, "u-admin");
    const remove = await screen.findByRole("button", { name: "Remove max.member@example.com" });
    await user.click(remove);
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(remove).toHaveFocus());
    expect(api.removeMember).not.toHaveBeenCalled();
  });

  it("the last owner leaving is refused with a sentence people understand", async () => {
    const user = userEvent.setup();
    api.removeMember.mockRejectedValue(new ApiError("last_owner", "last_owner", 409));
    renderMembers({ ...ADMIN_TEAM, role: "owner" }, "u-owner");
    await user.click(await screen.findByRole("button", { name: "Leave" }));
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Leave team" }));
    expect(api.removeMember).toHaveBeenCalledWith(TEAM_ID, "u-owner");
    await waitFor(() =>
      expect(toast.error).toHaveBeenCalledWith("A team needs at least one owner. Make someone else an owner first."),
    );
  });

  it("invites by e-mail with a role: toast, field cleared and focused; a duplicate shows why", async () => {
    const user = userEvent.setup();
    api.inviteMember.mockResolvedValueOnce({ outcome: "invited", invite: { ...INVITE, email: "ivy@example.com" } });
    renderMembers(ADMIN_TEAM, "u-admin");
    const email = await screen.findByLabelText("E-mail");
    await user.type(email, "ivy@example.com");
    await user.selectOptions(screen.getByLabelText("Role"), "admin");
    await user.click(screen.getByRole("button", { name: "Invite" }));
    expect(api.inviteMember).toHaveBeenCalledWith(TEAM_ID, { email: "ivy@example.com", role: "admin" });
    await waitFor(() =>
      expect(toast.success).toHaveBeenCalledWith("Invitation sent to ivy@example.com: they join when they accept it"),
    );
    expect(email).toHaveValue("");
    expect(email).toHaveFocus();

    api.inviteMember.mockRejectedValueOnce(new ApiError("invite_exists", "x", 409));
    await user.type(email, "ivy@example.com{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("This e-mail address has already been invited.");
    expect(email).toHaveAttribute("aria-invalid", "true");
  });

  it("an invite never says someone joined; the copy says they see it when signed in with that confirmed address", async () => {
    const user = userEvent.setup();
    api.inviteMember.mockResolvedValue({ outcome: "invited", invite: { ...INVITE, email: "max.member@example.com" } });
    renderMembers(ADMIN_TEAM, "u-admin");
    expect(
      await screen.findByText(/sees the invitation when they sign in with this address \(once it is confirmed\)/),
    ).toBeInTheDocument();
    await user.click(await screen.findByRole("button", { name: "Invite" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Enter an e-mail address.");
    expect(api.inviteMember).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText("E-mail"), "max.member@example.com{Enter}");
    await waitFor(() =>
      expect(toast.success).toHaveBeenCalledWith("Invitation sent to max.member@example.com: they join when they accept it"),
    );
    expect(toast.success).not.toHaveBeenCalledWith(expect.stringMatching(/joined/));
  });

  it("lists pending invites and revokes one after a confirmation", async () => {
    const user = userEvent.setup();
    api.revokeInvite.mockResolvedValue(undefined);
    renderMembers(ADMIN_TEAM, "u-admin");
    const invite = await row("new.person@example.com");
    expect(invite.getByText(/invited by demo-admin@example.com/)).toBeInTheDocument();
    await user.click(invite.getByRole("button", { name: "Revoke the invite for new.person@example.com" }));
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Revoke invite" }));
    expect(api.revokeInvite).toHaveBeenCalledWith(TEAM_ID, "inv-1");
    await waitFor(() => expect(toast.success).toHaveBeenCalledWith("Invite for new.person@example.com revoked"));
    await waitFor(() => expect(screen.getByRole("heading", { name: "Pending invites" })).toHaveFocus());
  });
});

describe("Create a team (the no-team screen)", () => {
  function renderNoTeam() {
    return renderWithClient(
      <MemoryRouter initialEntries={["/"]}>
        <Routes>
          <Route path="/" element={<NoTeamState />} />
          <Route path="/teams/:teamId/settings/integrations" element={<p>integrations of the new team</p>} />
        </Routes>
      </MemoryRouter>,
    );
  }

  it("creates the team and lands in it; a blank name is refused without a request", async () => {
    const user = userEvent.setup();
    api.createTeam.mockResolvedValue({ id: "new-team", name: "Acme", role: "owner" });
    api.listTeams.mockResolvedValue([]);
    renderNoTeam();
    await user.click(screen.getByRole("button", { name: "Create team" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Give the team a name.");
    expect(api.createTeam).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText("Team name"), "  Acme {Enter}");
    expect(api.createTeam).toHaveBeenCalledWith("Acme");
    expect(await screen.findByText("integrations of the new team")).toBeInTheDocument();
    expect(toast.success).toHaveBeenCalledWith("Acme created. You're its owner.");
  });
});
