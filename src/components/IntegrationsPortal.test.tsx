import { describe, expect, it, vi, beforeEach } from "vitest";
import { screen, within, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { api } from "@/test/apiMock";
import { renderWithClient } from "@/test/render";
import { ApiError } from "@/lib/apiError";
import { IntegrationsPortal, INTEGRATIONS } from "./IntegrationsPortal";
import { Video } from "lucide-react";

vi.mock("@/lib/api", () => import("@/test/apiMock"));

const TEAM = "team-1";

beforeEach(() => {
  vi.clearAllMocks();
});

describe("IntegrationsPortal", () => {
  it("lists the five providers grouped by category with their status from the back end", async () => {
    api.listIntegrations.mockResolvedValue([
      { provider: "fathom", status: "connected", account_name: "Ada Lovelace", account_email: "ada@example.com" },
      { provider: "slack", status: "needs_reauth" },
      { provider: "zoom", status: "error", last_error: "boom" },
      { provider: "typeform", status: "disconnected" },
    ]);
    renderWithClient(<IntegrationsPortal teamId={TEAM} role="admin" />);

    await screen.findByText("Connected");
    expect(api.listIntegrations).toHaveBeenCalledWith(TEAM);

    const communication = screen.getByRole("region", { name: "Communication" });
    const video = screen.getByRole("region", { name: "Video & meetings" });
    const forms = screen.getByRole("region", { name: "Forms" });
    expect(within(communication).getByText("Discord")).toBeInTheDocument();
    expect(within(communication).getByText("Slack")).toBeInTheDocument();
    expect(within(video).getByText("Zoom")).toBeInTheDocument();
    expect(within(video).getByText("Fathom")).toBeInTheDocument();
    expect(within(forms).getByText("Typeform")).toBeInTheDocument();

    const status = (id: string) => within(screen.getByTestId(`integration-${id}`));
    expect(status("fathom").getByText("Connected")).toBeInTheDocument();
    expect(status("fathom").getByText("Meeting recordings and transcriptions")).toBeInTheDocument();
    expect(status("slack").getByText("Reconnect needed")).toBeInTheDocument();
    expect(status("zoom").getByText("Error")).toBeInTheDocument();
    expect(status("discord").getByText("Not connected")).toBeInTheDocument(); // no row
    expect(status("typeform").getByText("Not connected")).toBeInTheDocument(); // a disconnected row

    for (const id of ["discord", "slack", "zoom", "typeform"]) {
      expect(status(id).getByRole("button", { name: /coming soon/i })).toBeDisabled();
    }
    expect(status("fathom").getByRole("button", { name: "Configure Fathom" })).toBeEnabled();
  });

  it("keeps the seed's Fathom entry", () => {
    expect(INTEGRATIONS.find((i) => i.id === "fathom")).toEqual({
      id: "fathom",
      name: "Fathom",
      description: "Meeting recordings and transcriptions",
      icon: Video,
      category: "video",
      status: "available",
      configurable: true,
    });
    expect(INTEGRATIONS.filter((i) => i.configurable).map((i) => i.id)).toEqual(["fathom"]);
  });

  it("opens the Fathom configuration in a dialog", async () => {
    api.listIntegrations.mockResolvedValue([]);
    renderWithClient(<IntegrationsPortal teamId={TEAM} role="owner" />);
    await userEvent.click(await screen.findByRole("button", { name: "Connect Fathom" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByRole("heading", { name: "Fathom" })).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Connect Fathom" })).toBeInTheDocument();
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
