import { describe, expect, it, vi, beforeEach } from "vitest";
import { screen, within, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { api } from "@/test/apiMock";
import { renderWithClient } from "@/test/render";
import { ApiError } from "@/lib/apiError";
import { PROVIDERS, destinationText } from "@/lib/providers";
import { chatCopy, providerEntry as dialogEntry } from "@/lib/providerCopy";
import { IntegrationsPortal } from "./IntegrationsPortal";

vi.mock("@/lib/api", () => import("@/test/apiMock"));

const TEAM = "team-1";

beforeEach(() => {
  vi.clearAllMocks();
  api.getMeetingSync.mockResolvedValue({ sync: null, inbox: null });
  api.getTeamSettings.mockResolvedValue({ create_leads_from_unknown_attendees: false });
});

const card = (id: string) => within(screen.getByTestId(`integration-${id}`));

describe("IntegrationsPortal", () => {
  it("renders the catalog's five cards by category, each with its state from the back end", async () => {
    api.listIntegrations.mockResolvedValue([
      { provider: "fathom", status: "connected", account_name: "Ada Lovelace", account_email: "ada@example.com" },
      {
        provider: "slack",
        status: "connected",
        account_name: "Acme Sales",
        destination: { channel: "#sales", channelId: "C1", workspace: "Acme Sales", workspaceId: "T1" },
      },
      {
        provider: "discord",
        status: "needs_reauth",
        last_error: "destination_gone",
        account_name: "Sandy Sandbox", // Discord's account is the person who authorized
        destination: { channel: null, channelId: "1200000000000000002", workspace: "Acme", workspaceId: "1100000000000000001" },
      },
      { provider: "typeform", status: "connected", account_name: "Sandy Sandbox" },
    ]);
    renderWithClient(<IntegrationsPortal teamId={TEAM} role="admin" />);

    await waitFor(() => expect(card("fathom").getByText("Connected")).toBeInTheDocument());
    expect(api.listIntegrations).toHaveBeenCalledWith(TEAM);

    const meetings = screen.getByRole("region", { name: "Meetings" });
    const chat = screen.getByRole("region", { name: "Chat" });
    const forms = screen.getByRole("region", { name: "Forms" });
    expect(within(meetings).getAllByRole("heading", { level: 3 }).map((h) => h.textContent)).toEqual(["Fathom", "Zoom"]);
    expect(within(chat).getAllByRole("heading", { level: 3 }).map((h) => h.textContent)).toEqual(["Slack", "Discord"]);
    expect(within(forms).getAllByRole("heading", { level: 3 }).map((h) => h.textContent)).toEqual(["Typeform"]);

    expect(card("fathom").getByText("Meeting recordings and transcriptions")).toBeInTheDocument();
    expect(card("fathom").getByRole("button", { name: "Configure Fathom" })).toBeEnabled();

    // the chat cards say where they post, both by workspace (the account, for Discord a person, is in the dialog)
    expect(card("fathom").getByText(/Connected to/)).toHaveTextContent("Connected to Ada Lovelace");
    expect(card("slack").getByText("Connected")).toBeInTheDocument();
    expect(card("slack").getByText("Posting to #sales in Acme Sales")).toBeInTheDocument();
    expect(card("slack").queryByText(/Connected to/)).not.toBeInTheDocument();
    expect(card("slack").getByRole("button", { name: "Configure Slack" })).toBeEnabled();
    expect(card("discord").getByText("Reconnect needed")).toBeInTheDocument();
    expect(card("discord").getByText("Was posting to a channel in Acme")).toBeInTheDocument(); // its channel is gone
    expect(card("discord").queryByText(/Sandy Sandbox/)).not.toBeInTheDocument();
    expect(card("discord").queryByText(/Connected to/)).not.toBeInTheDocument();
    expect(card("discord").getByRole("link", { name: "Open in Discord" })).toHaveAttribute(
      "href",
      "https://discord.com/channels/1100000000000000001/1200000000000000002",
    );

    expect(card("typeform").getByText("Connected")).toBeInTheDocument();
    expect(card("typeform").getByRole("button", { name: "Configure Typeform" })).toBeEnabled();

    // every provider is available: nothing is "coming soon" any more
    expect(PROVIDERS.filter((p) => p.availability === "coming_soon")).toEqual([]);
  });

  it("offers Connect on an available provider without a row, and View to members", async () => {
    api.listIntegrations.mockResolvedValue([]);
    const { unmount } = renderWithClient(<IntegrationsPortal teamId={TEAM} role="owner" />);
    for (const [id, name] of [["fathom", "Fathom"], ["slack", "Slack"], ["discord", "Discord"], ["zoom", "Zoom"], ["typeform", "Typeform"]]) {
      expect(await card(id).findByRole("button", { name: `Connect ${name}` })).toBeEnabled();
      expect(await card(id).findByText("Not connected")).toBeInTheDocument();
    }
    unmount();
    renderWithClient(<IntegrationsPortal teamId={TEAM} role="member" />);
    expect(await card("slack").findByRole("button", { name: "View Slack" })).toBeEnabled();
  });

  it("the catalog: five providers, all available, each with a brand colour and a description", () => {
    expect(PROVIDERS.map((p) => p.id).sort()).toEqual(["discord", "fathom", "slack", "typeform", "zoom"]);
    expect(PROVIDERS.filter((p) => p.availability === "available").map((p) => p.id).sort()).toEqual([
      "discord",
      "fathom",
      "slack",
      "typeform",
      "zoom",
    ]);
    for (const p of PROVIDERS) {
      expect(p.brandColor, p.id).toMatch(/^#[0-9a-f]{6}$/i);
      expect(p.description, p.id).not.toBe("");
      if (p.availability === "coming_soon") expect(p.comingSoon, p.id).toBeTruthy();
    }
    expect(Object.fromEntries(PROVIDERS.map((p) => [p.id, p.dialog]))).toEqual({
      fathom: "fathom",
      zoom: "zoom",
      slack: "chat",
      discord: "chat",
      typeform: "typeform",
    });
    // every chat and meetings provider has its dialog's words (providerCopy.ts; the type checker asks for them too)
    for (const p of PROVIDERS.filter((p) => p.dialog === "chat")) {
      expect(chatCopy(p.id).pickerLabel, p.id).toBeTruthy();
      expect(chatCopy(p.id).revokeText, p.id).toBeTruthy();
    }
    for (const p of PROVIDERS.filter((p) => p.category === "meetings")) {
      expect(dialogEntry(p.id).meetings?.reimportText, p.id).toBeTruthy();
      expect(dialogEntry(p.id).meetings?.rateNote, p.id).toBeTruthy();
    }
    expect(dialogEntry("typeform").noRevocation).toMatch(/remove the app/);
  });

  it("says where a chat provider posts", () => {
    const d = { channelId: null, workspaceId: null };
    expect(destinationText({ ...d, channel: "#sales", workspace: "Acme Sales" })).toBe("Posting to #sales in Acme Sales");
    expect(destinationText({ ...d, channel: null, workspace: "Acme" })).toBe("Posting to a channel in Acme");
    expect(destinationText({ ...d, channel: "#sales", workspace: null })).toBe("Posting to #sales");
    expect(destinationText({ ...d, channel: "#sales", workspace: "Acme Sales" }, "was_posting")).toBe(
      "Was posting to #sales in Acme Sales",
    );
    expect(destinationText({ ...d, channel: null, workspace: "Acme" }, "posted")).toBe("Posted to a channel in Acme");
    expect(destinationText({ ...d, channel: null, workspace: null })).toBeNull();
    expect(destinationText(null)).toBeNull();
  });

  it("opens each provider's configuration in a dialog", async () => {
    api.listIntegrations.mockResolvedValue([]);
    const user = userEvent.setup();
    renderWithClient(<IntegrationsPortal teamId={TEAM} role="owner" />);

    await user.click(await screen.findByRole("button", { name: "Connect Fathom" }));
    let dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByRole("heading", { name: "Fathom" })).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Connect Fathom" })).toBeInTheDocument();
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());

    await user.click(screen.getByRole("button", { name: "Connect Slack" }));
    dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByRole("heading", { name: "Slack" })).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Connect Slack" })).toBeInTheDocument();
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());

    for (const name of ["Discord", "Zoom", "Typeform"]) {
      await user.click(screen.getByRole("button", { name: `Connect ${name}` }));
      dialog = await screen.findByRole("dialog");
      expect(await within(dialog).findByRole("heading", { name })).toBeInTheDocument();
      expect(within(dialog).getByRole("button", { name: `Connect ${name}` })).toBeInTheDocument();
      await user.keyboard("{Escape}");
      await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    }
  });

  it("opens the dialog it is asked to at first (a meeting page's link to Zoom's Activity)", async () => {
    api.listIntegrations.mockResolvedValue([]);
    renderWithClient(<IntegrationsPortal teamId={TEAM} role="admin" initialOpen="zoom" />);
    expect(await screen.findByRole("dialog", { name: /Zoom/ })).toBeInTheDocument();
  });

  it("opening a connected integration focuses the dialog, not its first button (Disconnect)", async () => {
    api.listIntegrations.mockResolvedValue([
      { provider: "fathom", status: "connected", account_name: "Ada Lovelace", account_email: "ada@example.com" },
    ]);
    const user = userEvent.setup();
    renderWithClient(<IntegrationsPortal teamId={TEAM} role="owner" />);
    await user.click(await screen.findByRole("button", { name: "Configure Fathom" }));
    const dialog = await screen.findByRole("dialog");
    await within(dialog).findByRole("button", { name: "Disconnect" });
    expect(dialog).toHaveFocus();
  });

  it("describes the dialog by what the reader can do: admins connect or disconnect, members look", async () => {
    api.listIntegrations.mockResolvedValue([{ provider: "fathom", status: "connected", account_name: "Ada Lovelace" }]);
    const user = userEvent.setup();
    const { unmount } = renderWithClient(<IntegrationsPortal teamId={TEAM} role="member" />);
    await user.click(await screen.findByRole("button", { name: "View Fathom" }));
    let dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveAccessibleDescription("See whether Fathom is connected for this team and how it is set up.");
    expect(dialog).not.toHaveAccessibleDescription(/Connect or disconnect/);
    unmount();

    renderWithClient(<IntegrationsPortal teamId={TEAM} role="admin" />);
    await user.click(await screen.findByRole("button", { name: "Configure Fathom" }));
    dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveAccessibleDescription("Connect or disconnect Fathom for this team.");
  });

  it("shows skeletons while loading", () => {
    api.listIntegrations.mockReturnValue(new Promise(() => undefined));
    renderWithClient(<IntegrationsPortal teamId={TEAM} role="admin" />);
    expect(screen.getByText("Fathom")).toBeInTheDocument();
    expect(screen.queryByText("Not connected")).not.toBeInTheDocument();
  });

  it("shows an error state with a working retry", async () => {
    api.listIntegrations.mockRejectedValueOnce(new ApiError("team_not_found", "Team not found.", 404));
    api.listIntegrations.mockResolvedValueOnce([]);
    renderWithClient(<IntegrationsPortal teamId={TEAM} role="admin" />);
    expect(await screen.findByText("Couldn't load integrations")).toBeInTheDocument();
    expect(screen.getByText("Team not found.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(screen.getAllByText("Not connected")).toHaveLength(5));
    expect(api.listIntegrations).toHaveBeenCalledTimes(2);
  });
});
