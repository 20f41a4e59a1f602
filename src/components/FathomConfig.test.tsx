import { describe, expect, it, vi, beforeEach, afterEach } from "vitest";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { api } from "@/test/apiMock";
import { deferred, renderWithClient } from "@/test/render";
import { ApiError } from "@/lib/apiError";
import { FATHOM_OAUTH_ERROR_MESSAGES, GENERIC_FATHOM_OAUTH_ERROR } from "@/lib/oauthErrors";
import { FathomConfig, MEMBER_NOTE } from "./FathomConfig";
import { LEAD_CREATION_LABEL } from "./LeadCreationSetting";
import type { FathomInbox, FathomSync, FathomSyncState } from "@/lib/types";
import { toast } from "@/lib/toast";
import { formatDateTime } from "@/lib/utils";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/toast", () => ({ toast: Object.assign(vi.fn(), { error: vi.fn(), success: vi.fn() }) }));

const TEAM = "team-1";
const AUTH_URL = "http://127.0.0.1:54329/oauth2/authorize?client_id=x&state=y";
const SECRET = "c".repeat(43);
const PENDING = "p".repeat(43);
const STARTED = { authUrl: AUTH_URL, confirmSecret: SECRET };
const CONNECTED = {
  provider: "fathom",
  status: "connected",
  account_name: "Ada Lovelace",
  account_email: "ada@fathom.example",
  connected_by_email: "demo-admin@example.com",
  connected_at: "2026-01-02T10:00:00Z",
  scopes: ["public_api"],
};

interface FakePopup {
  closed: boolean;
  close: ReturnType<typeof vi.fn>;
  location: { href: string };
}

function fakePopup(): FakePopup {
  const p: FakePopup = { closed: false, close: vi.fn(() => (p.closed = true)), location: { href: "about:blank" } };
  return p;
}

function postFromWindow(data: unknown, origin: string, source: unknown) {
  const event = new MessageEvent("message", { data, origin });
  Object.defineProperty(event, "source", { value: source });
  window.dispatchEvent(event);
}

const result = (status: "pending" | "error", code: string | null = null) => ({
  source: "fathom-oauth",
  provider: "fathom",
  status,
  code,
  ...(status === "pending" ? { pending: PENDING } : {}),
});

let openSpy: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  vi.clearAllMocks();
  sessionStorage.clear();
  localStorage.clear();
  openSpy = vi.spyOn(window, "open");
  api.confirmOAuth.mockResolvedValue({ status: "connected", provider: "fathom", teamId: TEAM });
  api.getMeetingSync.mockResolvedValue(syncState(null));
  api.getTeamSettings.mockResolvedValue({ create_leads_from_unknown_attendees: false });
});

afterEach(() => {
  openSpy.mockRestore();
});

/** Renders an admin's not-connected Fathom and clicks Connect until the popup points at the auth URL. */
async function connectUntilWaiting(pollIntervalMs = 60_000, closedGraceMs?: number) {
  const popup = fakePopup();
  openSpy.mockReturnValue(popup as unknown as Window);
  api.listIntegrations.mockResolvedValue([]);
  api.startOAuth.mockResolvedValue(STARTED);
  renderWithClient(
    <FathomConfig teamId={TEAM} role="admin" pollIntervalMs={pollIntervalMs} closedGraceMs={closedGraceMs} />,
  );
  fireEvent.click(await screen.findByRole("button", { name: "Connect Fathom" }));
  await waitFor(() => expect(popup.location.href).toBe(AUTH_URL));
  await screen.findByText("Waiting for Fathom");
  return popup;
}

describe("FathomConfig", () => {
  it("shows the connected account, who connected it, when, and the scopes", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" />);
    expect(await screen.findByText("Ada Lovelace")).toBeInTheDocument();
    expect(screen.getByText("ada@fathom.example")).toBeInTheDocument();
    expect(screen.getByText("Connected by").nextElementSibling).toHaveTextContent("demo-admin@example.com");
    expect(screen.getByText("Connected on").nextElementSibling?.textContent).toMatch(/2026/);
    expect(screen.getByText("public_api")).toBeInTheDocument();
    expect(screen.getByText("Connected")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Disconnect" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /connect fathom/i })).not.toBeInTheDocument();
  });

  it("shows members the status read-only, without connect or disconnect buttons", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    renderWithClient(<FathomConfig teamId={TEAM} role="member" />);
    expect(await screen.findByText("Ada Lovelace")).toBeInTheDocument();
    expect(screen.getByText(MEMBER_NOTE)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /connect|disconnect|reconnect/i })).not.toBeInTheDocument();
  });

  it("shows members no connect button when Fathom is not connected either", async () => {
    api.listIntegrations.mockResolvedValue([]);
    renderWithClient(<FathomConfig teamId={TEAM} role="member" />);
    expect(await screen.findByText("Not connected")).toBeInTheDocument();
    expect(screen.getByText(MEMBER_NOTE)).toBeInTheDocument();
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });

  it("offers Reconnect when the connection needs re-authorization", async () => {
    api.listIntegrations.mockResolvedValue([{ ...CONNECTED, status: "needs_reauth" }]);
    renderWithClient(<FathomConfig teamId={TEAM} role="owner" />);
    expect(await screen.findByRole("button", { name: "Reconnect" })).toBeInTheDocument();
    expect(screen.getByText("Reconnect needed")).toBeInTheDocument();
  });

  it("opens the popup synchronously in the click, before the start request resolves", async () => {
    const calls: string[] = [];
    const popup = fakePopup();
    openSpy.mockImplementation(() => {
      calls.push("open");
      return popup as unknown as Window;
    });
    const start = deferred<typeof STARTED>();
    api.startOAuth.mockImplementation(() => {
      calls.push("start");
      return start.promise;
    });
    api.listIntegrations.mockResolvedValue([]);
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" pollIntervalMs={60_000} />);
    const button = await screen.findByRole("button", { name: "Connect Fathom" });

    fireEvent.click(button);
    // Synchronously, in the same task as the click:
    expect(openSpy).toHaveBeenCalledWith("about:blank", "fathom-oauth", "width=600,height=720");
    expect(calls[0]).toBe("open");
    expect(popup.location.href).toBe("about:blank");

    await waitFor(() =>
      expect(api.startOAuth).toHaveBeenCalledWith("fathom", {
        teamId: TEAM,
        redirectUri: `${window.location.origin}/fathom-callback.html`,
      }),
    );
    expect(calls).toEqual(["open", "start"]);

    await act(async () => start.resolve(STARTED));
    await waitFor(() => expect(popup.location.href).toBe(AUTH_URL));
    expect(await screen.findByText("Waiting for Fathom")).toBeInTheDocument();
  });

  it("closes the popup and shows the error when the start call fails", async () => {
    const popup = fakePopup();
    openSpy.mockReturnValue(popup as unknown as Window);
    api.listIntegrations.mockResolvedValue([]);
    api.startOAuth.mockRejectedValue(new ApiError("provider_unavailable", "upstream 503", 502));
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" />);
    fireEvent.click(await screen.findByRole("button", { name: "Connect Fathom" }));
    expect(await screen.findByText(FATHOM_OAUTH_ERROR_MESSAGES.provider_unavailable)).toBeInTheDocument();
    expect(popup.close).toHaveBeenCalled();
    expect(popup.location.href).toBe("about:blank");
  });

  it("never loads a non-http authorization URL into the popup", async () => {
    const popup = fakePopup();
    openSpy.mockReturnValue(popup as unknown as Window);
    api.listIntegrations.mockResolvedValue([]);
    api.startOAuth.mockResolvedValue({ authUrl: "javascript:alert(1)", confirmSecret: SECRET });
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" />);
    fireEvent.click(await screen.findByRole("button", { name: "Connect Fathom" }));
    expect(await screen.findByText("Couldn't connect Fathom")).toBeInTheDocument();
    expect(popup.close).toHaveBeenCalled();
    expect(popup.location.href).toBe("about:blank");
  });

  it("shows a popup-blocked state with a retry, without calling the back end", async () => {
    openSpy.mockReturnValue(null);
    api.listIntegrations.mockResolvedValue([]);
    api.startOAuth.mockResolvedValue(STARTED);
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" pollIntervalMs={60_000} />);
    fireEvent.click(await screen.findByRole("button", { name: "Connect Fathom" }));
    expect(await screen.findByText("Popup blocked: allow popups for this site")).toBeInTheDocument();
    expect(api.startOAuth).not.toHaveBeenCalled();

    const popup = fakePopup();
    openSpy.mockReturnValue(popup as unknown as Window);
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(popup.location.href).toBe(AUTH_URL));
    expect(screen.queryByText("Popup blocked: allow popups for this site")).not.toBeInTheDocument();
  });

  it("ignores messages from another origin, another window or without the marker; accepts the popup's", async () => {
    const popup = await connectUntilWaiting();
    const readsBefore = api.listIntegrations.mock.calls.length;
    const origin = window.location.origin;

    postFromWindow(result("pending"), "https://evil.example", popup); // wrong origin
    postFromWindow(result("pending"), origin, {}); // wrong source
    postFromWindow(result("pending"), origin, window); // wrong source (not the popup)
    postFromWindow({ ...result("pending"), source: "other" }, origin, popup); // wrong marker
    postFromWindow({ ...result("pending"), provider: "slack" }, origin, popup); // another provider
    postFromWindow({ ...result("pending"), pending: "<script>" }, origin, popup); // not a pending id
    postFromWindow({ ...result("pending"), status: "success" }, origin, popup); // no self-declared success
    await act(async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(api.listIntegrations.mock.calls.length).toBe(readsBefore);
    expect(api.confirmOAuth).not.toHaveBeenCalled();
    expect(screen.queryByText("Fathom connected")).not.toBeInTheDocument();
    expect(screen.getByText("Waiting for Fathom")).toBeInTheDocument();

    api.listIntegrations.mockResolvedValue([CONNECTED]);
    postFromWindow(result("pending"), origin, popup);
    expect(await screen.findByText("Fathom connected")).toBeInTheDocument();
    // the pending authorization is confirmed with this tab's secret (the binding), then the status re-read
    expect(api.confirmOAuth).toHaveBeenCalledWith({ pendingId: PENDING, confirmSecret: SECRET });
    await waitFor(() => expect(api.listIntegrations.mock.calls.length).toBe(readsBefore + 1));
    expect(await screen.findByText("Ada Lovelace")).toBeInTheDocument();
  });

  it("maps an error result's code to a human message (and unknown codes to a generic one)", async () => {
    const popup = await connectUntilWaiting();
    postFromWindow(result("error", "access_denied"), window.location.origin, popup);
    expect(await screen.findByText("You cancelled the Fathom authorization.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  it("shows a generic message for an unknown code, never the code itself", async () => {
    const popup = await connectUntilWaiting();
    postFromWindow(result("error", "weird_thing"), window.location.origin, popup);
    expect(await screen.findByText(GENERIC_FATHOM_OAUTH_ERROR)).toBeInTheDocument();
    expect(screen.queryByText(/weird_thing/)).not.toBeInTheDocument();
  });

  it("accepts a result on the BroadcastChannel (when COOP cut window.opener)", async () => {
    await connectUntilWaiting();
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    const channel = new BroadcastChannel("fathom-oauth");
    channel.postMessage(result("pending"));
    expect(await screen.findByText("Fathom connected")).toBeInTheDocument();
    expect(api.confirmOAuth).toHaveBeenCalledWith({ pendingId: PENDING, confirmSecret: SECRET });
    channel.close();
  });

  it("shows the refusal when the server does not accept the confirmation, and connects nothing", async () => {
    const popup = await connectUntilWaiting();
    api.confirmOAuth.mockRejectedValue(new ApiError("invalid_state", "not yours", 400));
    postFromWindow(result("pending"), window.location.origin, popup);
    expect(await screen.findByText(FATHOM_OAUTH_ERROR_MESSAGES.invalid_state)).toBeInTheDocument();
    expect(screen.queryByText("Fathom connected")).not.toBeInTheDocument();
    expect(sessionStorage.length).toBe(0); // the attempt is forgotten
  });

  it("keeps listening when the popup reads as closed (COOP on the consent page) and still connects", async () => {
    const popup = await connectUntilWaiting(30); // default grace: minutes
    popup.closed = true; // what a COOP same-origin consent page makes the opener read
    expect(await screen.findByText(/keeps listening for a few minutes/)).toBeInTheDocument();
    await act(async () => {
      await new Promise((r) => setTimeout(r, 120));
    });
    expect(screen.queryByText("The Fathom window was closed")).not.toBeInTheDocument();

    api.listIntegrations.mockResolvedValue([CONNECTED]);
    const channel = new BroadcastChannel("fathom-oauth");
    channel.postMessage(result("pending"));
    expect(await screen.findByText("Fathom connected")).toBeInTheDocument();
    channel.close();
  });

  it("after a reload, finishes the tab's attempt from the callback page's hand-off", async () => {
    sessionStorage.setItem(`fathom-oauth:attempt:${TEAM}`, JSON.stringify({ confirmSecret: SECRET, startedAt: Date.now() }));
    localStorage.setItem("fathom-oauth:pending:fathom", JSON.stringify({ pending: PENDING, at: Date.now() }));
    api.listIntegrations.mockResolvedValue([]);
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" pollIntervalMs={30} />);
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    expect(await screen.findByText("Fathom connected")).toBeInTheDocument();
    expect(api.confirmOAuth).toHaveBeenCalledWith({ pendingId: PENDING, confirmSecret: SECRET });
    expect(localStorage.getItem("fathom-oauth:pending:fathom")).toBeNull();
  });

  it("polls the status while the popup is open and stops once connected", async () => {
    await connectUntilWaiting(30);
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    expect(await screen.findByText("Fathom connected")).toBeInTheDocument();
    const reads = api.listIntegrations.mock.calls.length;
    await act(async () => {
      await new Promise((r) => setTimeout(r, 120));
    });
    expect(api.listIntegrations.mock.calls.length).toBe(reads);
  });

  it("gives up once the popup has read as closed for the whole grace period", async () => {
    const popup = await connectUntilWaiting(30, 60);
    popup.closed = true;
    expect(await screen.findByText("The Fathom window was closed")).toBeInTheDocument();
  });

  it("asks for confirmation before disconnecting", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    api.disconnectIntegration.mockResolvedValue(undefined);
    const user = userEvent.setup();
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" />);
    await user.click(await screen.findByRole("button", { name: "Disconnect" }));

    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByText("Disconnect Fathom?")).toBeInTheDocument();
    expect(api.disconnectIntegration).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
    expect(api.disconnectIntegration).not.toHaveBeenCalled();

    await user.click(screen.getByRole("button", { name: "Disconnect" }));
    api.listIntegrations.mockResolvedValue([]);
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Disconnect" }));
    await waitFor(() => expect(api.disconnectIntegration).toHaveBeenCalledWith(TEAM, "fathom"));
    expect(await screen.findByRole("button", { name: "Connect Fathom" })).toBeInTheDocument();
    expect(toast.success).toHaveBeenCalledWith("Fathom disconnected");
  });

  it("the disconnect confirmation says the CRM cannot revoke Fathom's access and where the person can", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    const user = userEvent.setup();
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" />);
    await user.click(await screen.findByRole("button", { name: "Disconnect" }));
    const dialog = await screen.findByRole("alertdialog");
    expect(dialog).toHaveTextContent(/Meetings already imported stay in the CRM/);
    expect(dialog).toHaveTextContent(/Fathom offers apps no way to revoke their own access/);
    expect(dialog).toHaveTextContent(/revoke its access in the connected account's Fathom settings/);
  });

  it("shows an error with retry when the status cannot be loaded", async () => {
    api.listIntegrations.mockRejectedValueOnce(new ApiError("network_error", "Could not reach the server."));
    api.listIntegrations.mockResolvedValueOnce([CONNECTED]);
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" />);
    expect(await screen.findByText("Could not reach the server.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findByText("Ada Lovelace")).toBeInTheDocument();
  });
});

const SYNC = {
  status: "running",
  stage: "content",
  listed_count: 120,
  linked_count: 37,
  content_total: 40,
  content_done: 12,
  content_failed: 2,
  last_error: null,
  last_synced_at: "2026-03-05T09:30:00Z",
  started_at: "2026-03-05T09:00:00Z",
  finished_at: null,
};

/** GET .../fathom/sync's answer as api.getMeetingSync resolves it. */
const syncState = (sync: FathomSync | null, inbox: FathomInbox | null = null): FathomSyncState => ({ sync, inbox });

const wait = (ms: number) => act(async () => new Promise((r) => setTimeout(r, ms)));

describe("FathomConfig: meeting import and settings", () => {
  it("shows both passes' progress with their counts, the status and the last sync", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    api.getMeetingSync.mockResolvedValue(syncState({ ...SYNC, status: "completed", stage: "done", last_error: "2 transcripts failed" }));
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" />);

    const section = await screen.findByRole("region", { name: "Meeting import" });
    expect(await within(section).findByText("Listing meetings: 120 listed, 37 newly linked to leads")).toBeInTheDocument();
    expect(within(section).getByText("Transcripts & summaries: 12/40 (failed 2)")).toBeInTheDocument();
    const listing = within(section).getByRole("progressbar", { name: "Listing meetings" });
    const content = within(section).getByRole("progressbar", { name: "Transcripts & summaries" });
    expect(listing).toHaveAttribute("aria-valuenow", "1");
    expect(content).toHaveAttribute("aria-valuenow", "14");
    expect(content).toHaveAttribute("aria-valuemax", "40");
    expect(within(section).getByText("Completed")).toBeInTheDocument();
    expect(within(section).getByText("Last sync").nextElementSibling?.textContent).toMatch(/2026/);
    expect(within(section).getByText("2 transcripts failed")).toBeInTheDocument();
    expect(api.getMeetingSync).toHaveBeenCalledWith(TEAM, "fathom");
  });

  it("polls the import while it runs (or waits for the rate limit) and stops once it has completed", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    api.getMeetingSync
      // the first import: nothing completed before it (no last_synced_at)
      .mockResolvedValueOnce(syncState({ ...SYNC, last_synced_at: null, status: "running", stage: "list", content_total: 0, content_done: 0, content_failed: 0 }))
      .mockResolvedValueOnce(syncState({ ...SYNC, last_synced_at: null, status: "paused_rate_limited" }))
      .mockResolvedValue(syncState({ ...SYNC, status: "completed", stage: "done", content_done: 38 }));
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" syncPollIntervalMs={30} />);

    expect(await screen.findByText("Running")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Listing meetings" })).not.toHaveAttribute("aria-valuenow");
    expect(screen.getByRole("button", { name: "Import past meetings" })).toBeDisabled();
    expect(await screen.findByText("Waiting for rate limit")).toBeInTheDocument();
    expect(await screen.findByText("Completed")).toBeInTheDocument();
    expect(screen.getByText("Transcripts & summaries: 38/40 (failed 2)")).toBeInTheDocument();

    const reads = api.getMeetingSync.mock.calls.length;
    expect(reads).toBe(3);
    await wait(150);
    expect(api.getMeetingSync.mock.calls.length).toBe(reads);
    expect(screen.getByRole("button", { name: "Import new meetings" })).toBeEnabled();
  });

  it("after a completed import offers new meetings only (what the webhooks missed) or a full re-import", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    const since = "2026-11-20T09:00:00.000Z";
    api.getMeetingSync.mockResolvedValue(syncState({ ...SYNC, status: "completed", stage: "done", list_created_after: since }));
    api.startMeetingSync.mockResolvedValue({ ...SYNC, status: "running", stage: "list", listed_count: 0, linked_count: 0 });
    const user = userEvent.setup();
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" syncPollIntervalMs={30} />);

    expect(await screen.findByText(/^Listing meetings created since .*2026.*: 120 listed, 37 newly linked to leads$/))
      .toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Import past meetings" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Import new meetings" }));
    expect(api.startMeetingSync).toHaveBeenLastCalledWith(TEAM, "fathom");
    await waitFor(() => expect(screen.getByRole("button", { name: "Re-import all" })).toBeEnabled());
    await user.click(screen.getByRole("button", { name: "Re-import all" }));
    // a full re-import asks first
    const dialog = await screen.findByRole("alertdialog", { name: "Re-import all meetings?" });
    expect(within(dialog).getByText(/No leads are created/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Re-import all" }));
    expect(api.startMeetingSync).toHaveBeenLastCalledWith(TEAM, "fathom", { full: true });
    await waitFor(() => expect(toast.success).toHaveBeenCalledWith("Re-import of all meetings started"));
  });

  it("a later import held by the rate limit keeps the panel's words and buttons, and says the rate limit with when it resumes", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    const since = "2026-11-20T09:00:00.000Z";
    const resume = new Date(Date.now() + 10 * 60_000).toISOString();
    api.getMeetingSync.mockResolvedValue(syncState({
      ...SYNC, status: "paused_rate_limited", stage: "list", list_created_after: since, resume_after: resume,
    }));
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" syncPollIntervalMs={60_000} />);
    expect(await screen.findByText("Waiting for rate limit")).toBeInTheDocument();
    expect(screen.getByText(/Import new meetings to pick up any missed since the last import/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Import new meetings" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Re-import all" })).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Import past meetings" })).not.toBeInTheDocument();
    expect(screen.getByText(/^Waiting for Fathom's rate limit; resumes at /)).toHaveTextContent(
      `Waiting for Fathom's rate limit; resumes at ${formatDateTime(resume)}. Fathom allows 60 requests a minute; the import resumes by itself.`,
    );
  });

  it("a later import while it runs keeps \"Import new\" and \"Re-import all\" (disabled), not the first import's words", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    api.getMeetingSync.mockResolvedValue(syncState({ ...SYNC, status: "running", stage: "list", list_created_after: "2026-11-20T09:00:00.000Z" }));
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" syncPollIntervalMs={60_000} />);
    expect(await screen.findByText("Running")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Import new meetings" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Re-import all" })).toBeDisabled();
    expect(screen.queryByText(/Import the ones recorded before you connected/)).not.toBeInTheDocument();
  });

  it("asks before a full re-import, warning that leads will be created when the setting is on; Cancel starts nothing", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    api.getTeamSettings.mockResolvedValue({ create_leads_from_unknown_attendees: true });
    api.getMeetingSync.mockResolvedValue(syncState({ ...SYNC, status: "completed", stage: "done" }));
    const user = userEvent.setup();
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" syncPollIntervalMs={30} />);

    await user.click(await screen.findByRole("button", { name: "Re-import all" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Re-import all meetings?" });
    expect(within(dialog).getByText(/lists every meeting in your Fathom account again/)).toBeInTheDocument();
    expect(within(dialog).getByTestId("reimport-creates-leads")).toHaveTextContent(
      /is on: every external attendee .* becomes a new lead/,
    );
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(api.startMeetingSync).not.toHaveBeenCalled();
  });

  it("lets an admin start the import, then polls it", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    api.startMeetingSync.mockResolvedValue({ ...SYNC, status: "running", stage: "list", listed_count: 0, linked_count: 0 });
    api.getMeetingSync.mockResolvedValueOnce(syncState(null)).mockResolvedValue(syncState({ ...SYNC, status: "completed", stage: "done" }));
    const user = userEvent.setup();
    renderWithClient(<FathomConfig teamId={TEAM} role="owner" syncPollIntervalMs={30} />);

    expect(await screen.findByText("No import has run yet.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Import past meetings" }));
    expect(api.startMeetingSync).toHaveBeenCalledWith(TEAM, "fathom");
    expect(await screen.findByText("Listing meetings: 0 listed, 0 newly linked to leads")).toBeInTheDocument();
    expect(await screen.findByText("Completed")).toBeInTheDocument();
    expect(api.getMeetingSync).toHaveBeenCalledTimes(2);
  });

  it("shows members the import and the setting read-only: no Import button, a disabled toggle", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    api.getMeetingSync.mockResolvedValue(syncState({ ...SYNC, status: "completed", stage: "done" }));
    api.getTeamSettings.mockResolvedValue({ create_leads_from_unknown_attendees: true });
    renderWithClient(<FathomConfig teamId={TEAM} role="member" />);

    expect(await screen.findByText("Listing meetings: 120 listed, 37 newly linked to leads")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /import/i })).not.toBeInTheDocument();
    const toggle = await screen.findByRole("switch", { name: LEAD_CREATION_LABEL });
    await waitFor(() => expect(toggle).toHaveAttribute("aria-checked", "true"));
    expect(toggle).toBeDisabled();
  });

  it("lets an admin toggle lead creation for unknown external attendees (PATCH settings)", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    api.updateTeamSettings.mockResolvedValue({ create_leads_from_unknown_attendees: true });
    const user = userEvent.setup();
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" />);

    const toggle = await screen.findByRole("switch", { name: LEAD_CREATION_LABEL });
    await waitFor(() => expect(toggle).toBeEnabled());
    expect(toggle).toHaveAttribute("aria-checked", "false");
    await user.click(toggle);
    expect(api.updateTeamSettings).toHaveBeenCalledWith(TEAM, { create_leads_from_unknown_attendees: true });
    await waitFor(() => expect(toggle).toHaveAttribute("aria-checked", "true"));
    expect(toast.success).toHaveBeenCalledWith("Imported meetings now create leads for unknown external attendees");
  });

  it("when Fathom needs re-authorization: a clear alert, Reconnect, and no import until reconnected", async () => {
    api.listIntegrations.mockResolvedValue([{ ...CONNECTED, status: "needs_reauth" }]);
    api.getMeetingSync.mockResolvedValue(syncState({ ...SYNC, last_synced_at: null, status: "failed", last_error: "Fathom rejected the token" }));
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" />);

    expect(await screen.findByText("Fathom needs to be reconnected")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Reconnect" })).toBeEnabled();
    expect(await screen.findByText("Fathom rejected the token")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Import past meetings" })).toBeDisabled();
  });

  it("shows the server's error when the import cannot start", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    api.startMeetingSync.mockRejectedValue(new ApiError("not_team_admin", "Only team owners and admins can do this.", 403));
    const user = userEvent.setup();
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" />);
    await user.click(await screen.findByRole("button", { name: "Import past meetings" }));
    expect(await screen.findByText(/Only team owners and admins can do this\./)).toBeInTheDocument();
  });
});

describe("FathomConfig: which recordings arrive, warnings and the webhook inbox", () => {
  it("explains which recordings the connected account brings in, from its webhook triggers", async () => {
    api.listIntegrations.mockResolvedValue([
      { ...CONNECTED, webhook_triggers: ["my_recordings", "shared_external_recordings"], warning: null },
    ]);
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" />);
    const arrive = await screen.findByRole("region", { name: "Which meetings arrive" });
    const items = within(within(arrive).getByRole("list")).getAllByRole("listitem");
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringMatching(/^Recordings made by Ada Lovelace's Fathom account/),
      expect.stringMatching(/^Recordings others share with it/),
    ]);
    expect(arrive).toHaveTextContent(/connect the Fathom account whose calls this team wants/i);
    expect(arrive).not.toHaveTextContent(/Team plans/);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("explains the choice before connecting, with the Team-plan recordings too", async () => {
    api.listIntegrations.mockResolvedValue([]);
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" />);
    const arrive = await screen.findByRole("region", { name: "Which meetings arrive" });
    expect(arrive).toHaveTextContent(/Recordings made by the connected Fathom account/);
    expect(arrive).toHaveTextContent(/Recordings others share with it/);
    expect(arrive).toHaveTextContent(/shared with its Fathom team \(Team plans\)/);
    expect(arrive).toHaveTextContent(/a shared sales account/);
  });

  it("shows the integration's warning as an alert", async () => {
    api.listIntegrations.mockResolvedValue([
      {
        ...CONNECTED,
        warning: { code: "webhook_create_failed", message: "Fathom refused the webhook; only imports will run.", at: "2026-03-01T10:00:00Z" },
      },
    ]);
    renderWithClient(<FathomConfig teamId={TEAM} role="member" />);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Fathom refused the webhook; only imports will run.");
    expect(alert).toHaveTextContent(/2026/);
  });

  it("tells the person when the disconnect left Fathom's webhook behind", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    api.disconnectIntegration.mockResolvedValue({
      warning: {
        code: "webhook_cleanup_failed",
        message: "Fathom's webhook could not be removed; delete it in Fathom's settings.",
      },
      revocationMessage: null,
    });
    const user = userEvent.setup();
    renderWithClient(<FathomConfig teamId={TEAM} role="admin" />);
    await user.click(await screen.findByRole("button", { name: "Disconnect" }));
    api.listIntegrations.mockResolvedValue([]);
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Disconnect" }));
    expect(await screen.findByRole("button", { name: "Connect Fathom" })).toBeInTheDocument();
    expect(await screen.findByText(/Fathom's webhook could not be removed; delete it in Fathom's settings\./)).toBeInTheDocument();
  });

  it("counts webhook deliveries that could not be imported, with the reason", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    api.getMeetingSync.mockResolvedValue(
      syncState(
        { ...SYNC, status: "completed", stage: "done" },
        { pending: 1, failed: 3, last_error: "recording_id is missing", last_failed_at: "2026-03-05T09:31:00Z" },
      ),
    );
    renderWithClient(<FathomConfig teamId={TEAM} role="member" />);
    const failures = await screen.findByText("3 webhook deliveries could not be imported");
    expect(failures.closest("[role=alert]")).toHaveTextContent("recording_id is missing");
  });

  it("says nothing about the inbox when nothing failed or the server sends no inbox", async () => {
    api.listIntegrations.mockResolvedValue([CONNECTED]);
    api.getMeetingSync.mockResolvedValue(
      syncState({ ...SYNC, status: "completed", stage: "done" }, { pending: 0, failed: 0, last_error: null, last_failed_at: null }),
    );
    renderWithClient(<FathomConfig teamId={TEAM} role="member" />);
    expect(await screen.findByText("Completed")).toBeInTheDocument();
    expect(screen.queryByText(/could not be imported/)).not.toBeInTheDocument();
  });
});

