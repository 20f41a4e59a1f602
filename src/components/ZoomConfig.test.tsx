import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { api } from "@/test/apiMock";
import { renderWithClient } from "@/test/render";
import { parseActivity } from "@/lib/activitySchema";
import { toast } from "@/lib/toast";
import { ZoomConfig } from "./ZoomConfig";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/toast", () => ({
  toast: Object.assign(vi.fn(), { error: vi.fn(), success: vi.fn(), warning: vi.fn() }),
}));

const TEAM = "team-1";
const CONNECTED = {
  provider: "zoom",
  status: "connected",
  account_name: "Avery",
  account_email: "avery@zoom.example",
  connected_by_email: "demo-admin@example.com",
  connected_at: "2026-01-02T10:00:00Z",
  scopes: [],
};
const DELIVERY = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";

const SYNC = {
  status: "completed",
  stage: "done",
  listed_count: 4,
  linked_count: 2,
  content_total: 4,
  content_done: 3,
  content_failed: 1,
  last_error: "zoom_http_503",
  last_error_text: "Zoom had a server error.",
  last_synced_at: "2026-03-05T09:30:00Z",
  started_at: "2026-03-05T09:00:00Z",
  finished_at: "2026-03-05T09:31:00Z",
};

const EMPTY_ACTIVITY = { provider: "zoom", runs: [], deliveries: [], failed: [], messages: null };

beforeEach(() => {
  vi.clearAllMocks();
  api.getTeamSettings.mockResolvedValue({ create_leads_from_unknown_attendees: false });
  api.getMeetingSync.mockResolvedValue({ sync: null, inbox: null });
  api.getIntegrationActivity.mockResolvedValue(parseActivity({ activity: EMPTY_ACTIVITY }));
});

describe("ZoomConfig", () => {
  it("explains, before connecting, which recordings arrive and what they bring", async () => {
    api.listIntegrations.mockResolvedValue([]);
    renderWithClient(<ZoomConfig teamId={TEAM} role="admin" />);
    expect(await screen.findByRole("button", { name: "Connect Zoom" })).toBeInTheDocument();
    const explainer = screen.getByRole("region", { name: "Which recordings arrive" });
    expect(explainer).toHaveTextContent(/cloud recordings/);
    expect(explainer).toHaveTextContent(/Create audio transcript/);
    expect(explainer).toHaveTextContent(/e-mails.*depend on the Zoom plan/);
    expect(explainer).toHaveTextContent(/Past cloud recordings are imported when you connect/);
    expect(screen.getByText(/sign in to Zoom in a popup window/)).toBeInTheDocument();
  });

  it("shows the import of past recordings: its result, its last error, and Import again", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    api.getMeetingSync.mockResolvedValue({
      sync: SYNC,
      inbox: { pending: 0, failed: 1, last_error: "ZoomApiError", last_error_text: "Zoom answered with an error.", last_failed_at: null },
    });
    renderWithClient(<ZoomConfig teamId={TEAM} role="admin" />);
    const panel = await screen.findByTestId("zoom-sync");
    expect(api.getMeetingSync).toHaveBeenCalledWith(TEAM, "zoom");
    expect(await within(panel).findByText("Listing recordings: 4 listed, 2 newly linked to leads")).toBeInTheDocument();
    expect(within(panel).getByText("Transcripts: 3/4 (failed 1)")).toBeInTheDocument();
    expect(within(panel).getByText("Zoom had a server error.")).toBeInTheDocument();
    expect(within(panel).getByText("1 webhook delivery could not be imported")).toBeInTheDocument();
    expect(within(panel).getByText(/Reason: Zoom answered with an error\./)).toBeInTheDocument();
    expect(panel).not.toHaveTextContent(/Fathom/);
    api.startMeetingSync.mockResolvedValue({ ...SYNC, status: "running" });
    await userEvent.click(within(panel).getByRole("button", { name: "Import new recordings" }));
    expect(api.startMeetingSync).toHaveBeenCalledWith(TEAM, "zoom");
  });

  it("says once that Zoom is connected, and lists Zoom's failed deliveries with their reason and Retry (review 12b B)", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    api.getIntegrationActivity.mockResolvedValue(parseActivity({
      activity: {
        ...EMPTY_ACTIVITY,
        deliveries: [
          { id: DELIVERY, received_at: "2026-11-30T11:00:00Z", result: "waiting", recording_id: null, meeting: null,
            reason: "Zoom's rate limit was reached; the import tries again once it allows.", retry_at: "2026-11-30T11:30:00Z" },
        ],
        failed: [
          { kind: "delivery", id: DELIVERY, title: null, recording_id: null, meeting_id: null, at: "2026-11-30T12:00:00Z",
            reason: "Zoom answered with an error." },
        ],
      },
    }));
    renderWithClient(<ZoomConfig teamId={TEAM} role="admin" />);
    expect(await screen.findByText("Avery")).toBeInTheDocument();
    expect(screen.queryByText("Zoom is connected.")).not.toBeInTheDocument();
    expect(await screen.findByText("Zoom answered with an error.")).toBeInTheDocument();
    expect(screen.getByText(/Zoom's rate limit was reached/)).toBeInTheDocument();
    expect(screen.getByTestId("delivery-retry-at")).toHaveTextContent(/^Tries again at /);
    expect(screen.getByRole("button", { name: "Retry Unknown recording" })).toBeInTheDocument();
  });

  it("a connection whose app was removed in Zoom says so and offers Reconnect", async () => {
    api.listIntegrations.mockResolvedValue([{ ...CONNECTED, status: "needs_reauth", last_error: "deauthorized" }]);
    renderWithClient(<ZoomConfig teamId={TEAM} role="admin" />);
    expect(await screen.findByText("Zoom needs to be reconnected")).toBeInTheDocument();
    expect(screen.getByText(/The app was removed in Zoom, so the CRM deleted its credentials\. Meetings already imported stay\./)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Reconnect" })).toBeInTheDocument();
  });

  it("the disconnect confirmation says what stops and what stays; an unconfirmed revocation says where to remove the app", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    const sentence =
      "Disconnected here, but Zoom didn't confirm the revocation: remove the app in Zoom's App Marketplace (Manage > Added apps).";
    api.disconnectIntegration.mockResolvedValue({ warning: null, revocationMessage: sentence });
    const user = userEvent.setup();
    renderWithClient(<ZoomConfig teamId={TEAM} role="admin" />);
    await user.click(await screen.findByRole("button", { name: "Disconnect" }));
    const dialog = await screen.findByRole("alertdialog");
    expect(dialog).toHaveTextContent(/New Zoom recordings will stop being imported/);
    expect(dialog).toHaveTextContent(/Meetings already imported stay in the CRM/);
    api.listIntegrations.mockResolvedValue([]);
    await user.click(within(dialog).getByRole("button", { name: "Disconnect" }));
    expect(await screen.findByText(sentence)).toBeInTheDocument();
    expect(toast.warning).toHaveBeenCalledWith(sentence);
    expect(toast.success).not.toHaveBeenCalled();
  });
});
