// Issue 10 "No navigation on a phone": the menu sheet carries the same sections, the team switcher and the account
// menu; it traps focus, closes on Esc (focus back on the menu button) and on navigation.
import { StrictMode } from "react";
import { describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import type { Team } from "@/lib/types";

vi.mock("@/lib/supabase", () => ({ supabase: { auth: { signOut: vi.fn() } } }));
vi.mock("@/hooks/useSession", () => ({
  useSession: () => ({ session: { user: { email: "ada@example.com", user_metadata: { full_name: "Ada Admin" } } }, loading: false }),
  signOut: vi.fn(),
}));

import { AppShell } from "@/components/AppShell";

const TEAM = { id: "t1", name: "Demo Team", role: "admin" } as Team;
const base = "/teams/t1";

// StrictMode as in main.tsx (npm start runs the development build, where it runs effects twice)
function renderShell() {
  return render(
    <StrictMode>
    <MemoryRouter initialEntries={[`${base}/settings/integrations`]}>
      <AppShell teams={[TEAM]} currentTeam={TEAM} onSelectTeam={() => {}}>
        <Routes>
          <Route path="/teams/:teamId/settings/integrations" element={<h1>Integrations page</h1>} />
          <Route path="/teams/:teamId/leads" element={<h1>Leads page</h1>} />
        </Routes>
      </AppShell>
    </MemoryRouter>
    </StrictMode>,
  );
}

describe("AppShell menu sheet (phone navigation)", () => {
  it("offers the sections, the team switcher and the account menu, and closes on navigation", async () => {
    const user = userEvent.setup();
    renderShell();
    await user.click(screen.getByRole("button", { name: "Menu" }));
    const sheet = await screen.findByRole("dialog", { name: "Menu" });
    const nav = within(sheet).getByRole("navigation", { name: "Main" });
    expect(within(nav).getByRole("link", { name: "Leads" })).toHaveAttribute("href", `${base}/leads`);
    expect(within(nav).getByRole("link", { name: "Meetings" })).toHaveAttribute("href", `${base}/meetings`);
    expect(within(nav).getByRole("link", { name: "Tasks" })).toHaveAttribute("href", `${base}/tasks`);
    expect(within(nav).getByRole("link", { name: "Integrations" })).toBeInTheDocument();
    expect(within(nav).getByRole("link", { name: "Automations" })).toHaveAttribute("href", `${base}/automations`);
    expect(within(sheet).getByRole("button", { name: /^Demo Team ?, switch team$/ })).toBeInTheDocument();
    expect(within(sheet).getByRole("button", { name: "User menu" })).toBeInTheDocument();

    await user.click(within(nav).getByRole("link", { name: "Leads" }));
    expect(await screen.findByRole("heading", { name: "Leads page" })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });

  it("closes when the link of the page already open is chosen (no navigation happens)", async () => {
    const user = userEvent.setup();
    renderShell();
    await user.click(screen.getByRole("button", { name: "Menu" }));
    const sheet = await screen.findByRole("dialog", { name: "Menu" });
    await user.click(within(sheet).getByRole("link", { name: "Integrations" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(screen.getByRole("heading", { name: "Integrations page" })).toBeVisible();
  });

  it("keeps focus inside while open, closes on Esc and gives focus back to the menu button", async () => {
    const user = userEvent.setup();
    renderShell();
    const button = screen.getByRole("button", { name: "Menu" });
    await user.click(button);
    const sheet = await screen.findByRole("dialog", { name: "Menu" });
    for (let i = 0; i < 8; i++) {
      await user.tab();
      expect(sheet.contains(document.activeElement), `focus left the sheet after ${i + 1} tabs`).toBe(true);
    }
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(button).toHaveFocus();
  });
});
