import { describe, expect, it, vi, beforeEach, afterEach } from "vitest";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { api } from "@/test/apiMock";
import { renderWithClient } from "@/test/render";
import { ApiError } from "@/lib/apiError";
import { SlackConfig } from "./SlackConfig";
import { DiscordConfig } from "./DiscordConfig";
import { MEMBER_NOTE } from "./IntegrationConfig";

vi.mock("@/lib/api", () => import("@/test/apiMock"));

const TEAM = "team-1";
const SECRET = "c".repeat(43);
const PENDING = "p".repeat(43);
const SALES = { channel: "#sales", channelId: "C1", workspace: "Acme Sales", workspaceId: "T1" };
const ACME = { channel: null, channelId: null, workspace: "Acme", workspaceId: "G1" };

const row = (provider: "slack" | "discord", overrides: Record<string, unknown> = {}) => ({
  provider,
  status: "connected",
  account_name: provider === "slack" ? "Acme Sales" : "sandy",
  connected_by_email: "demo-admin@example.com",
  connected_at: "2026-12-01T10:00:00Z",
  scopes: provider === "slack" ? ["incoming-webhook", "chat:write"] : ["identify", "webhook.incoming"],
  destination: provider === "slack" ? SALES : ACME,
  ...overrides,
});

const CONFIGS = { slack: SlackConfig, discord: DiscordConfig } as const;
const NAMES = { slack: "Slack", discord: "Discord" } as const;

function renderChat(provider: "slack" | "discord", role: "admin" | "member" = "admin", props: { pollIntervalMs?: number } = {}) {
  const Config = CONFIGS[provider];
  return renderWithClient(<Config teamId={TEAM} role={role} {...props} />);
}

let openSpy: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  vi.clearAllMocks();
  sessionStorage.clear();
  localStorage.clear();
  openSpy = vi.spyOn(window, "open");
  api.confirmOAuth.mockResolvedValue({ status: "connected", provider: "slack", teamId: TEAM });
});

afterEach(() => {
  openSpy.mockRestore();
});

describe("chat provider dialog (Slack, Discord)", () => {
  it("says where Slack posts, with the account, and offers test message, reconnect and disconnect", async () => {
    api.listIntegrations.mockResolvedValue([row("slack")]);
    renderChat("slack");
    expect(await screen.findByText("Posting to #sales in Acme Sales")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Slack" })).toBeInTheDocument();
    expect(screen.getByText("Slack account").nextElementSibling).toHaveTextContent("Acme Sales");
    expect(screen.getByText("incoming-webhook")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Send test message" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "Reconnect to change the channel" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "Disconnect" })).toBeEnabled();
    expect(screen.queryByRole("button", { name: "Connect Slack" })).not.toBeInTheDocument();
  });

  it("for Discord, whose token response does not name the channel, names the server", async () => {
    api.listIntegrations.mockResolvedValue([row("discord")]);
    renderChat("discord");
    expect(await screen.findByText("Posting to the channel picked in Acme")).toBeInTheDocument();
  });

  it("sends a test message and says where it went", async () => {
    api.listIntegrations.mockResolvedValue([row("slack")]);
    api.sendTestMessage.mockResolvedValue({ status: "sent", destination: SALES });
    const user = userEvent.setup();
    renderChat("slack");
    await user.click(await screen.findByRole("button", { name: "Send test message" }));
    expect(api.sendTestMessage).toHaveBeenCalledWith(TEAM, "slack");
    expect(await screen.findByRole("status")).toHaveTextContent("Test message sent. Posted to #sales in Acme Sales.");
  });

  it.each([
    [
      "destination_gone",
      new ApiError("destination_gone", "gone", 409),
      "The Slack channel is gone (deleted or archived, or the app was removed from it). Reconnect to pick another channel.",
    ],
    [
      "provider_rate_limited",
      new ApiError("provider_rate_limited", "slow down", 429, 12),
      "Slack is limiting messages right now. Try again in 12 seconds.",
    ],
    [
      "provider_rate_limited without Retry-After",
      new ApiError("provider_rate_limited", "slow down", 429),
      "Slack is limiting messages right now. Try again in a minute.",
    ],
    [
      "provider_unavailable",
      new ApiError("provider_unavailable", "upstream 503", 503),
      "Slack is not responding right now. Try again in a few minutes.",
    ],
    [
      "not_team_admin",
      new ApiError("not_team_admin", "Admins only.", 403),
      "Only team owners and admins can send a test message.",
    ],
    ["not_found", new ApiError("not_found", "Not found.", 404), "Slack is not connected to this team any more."],
    ["another code", new ApiError("internal_error", "Something broke.", 500), "Couldn't send the test message: Something broke."],
  ])("explains a failed test message: %s", async (_label, error, message) => {
    api.listIntegrations.mockResolvedValue([row("slack")]);
    api.sendTestMessage.mockRejectedValue(error);
    const user = userEvent.setup();
    renderChat("slack");
    await user.click(await screen.findByRole("button", { name: "Send test message" }));
    const alert = await screen.findByText(message);
    expect(alert).toHaveAttribute("role", "alert");
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
  });

  it("a gone destination re-reads the integration: the dialog then shows the needs-reconnect state with the reason", async () => {
    // the server marks the integration needs_reauth when it answers destination_gone
    api.listIntegrations
      .mockResolvedValueOnce([row("discord")])
      .mockResolvedValue([row("discord", { status: "needs_reauth", last_error: "destination_gone" })]);
    api.sendTestMessage.mockRejectedValue(new ApiError("destination_gone", "gone", 409));
    const user = userEvent.setup();
    renderChat("discord");
    await user.click(await screen.findByRole("button", { name: "Send test message" }));
    expect(await screen.findByText("Discord needs to be reconnected")).toBeInTheDocument();
    expect(
      screen.getByText(/The Discord channel the CRM posted to is gone .* Reconnect to pick another channel\. Reconnect to resume\./),
    ).toBeInTheDocument();
    expect(screen.getByText("Reconnect needed")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Reconnect" })).toBeEnabled();
    expect(screen.queryByRole("button", { name: "Send test message" })).not.toBeInTheDocument();
  });

  it("needs reconnect for refused credentials: says so, and what stopped", async () => {
    api.listIntegrations.mockResolvedValue([row("slack", { status: "needs_reauth", last_error: null })]);
    renderChat("slack", "member");
    expect(await screen.findByText("Slack needs to be reconnected")).toBeInTheDocument();
    expect(
      screen.getByText(
        "Slack no longer accepts this connection's credentials, so the CRM cannot post to it. Ask a team owner or admin to reconnect it.",
      ),
    ).toBeInTheDocument();
  });

  it("shows members where it posts, without test message, reconnect or disconnect", async () => {
    api.listIntegrations.mockResolvedValue([row("slack")]);
    renderChat("slack", "member");
    expect(await screen.findByText("Posting to #sales in Acme Sales")).toBeInTheDocument();
    expect(screen.getByText(MEMBER_NOTE)).toBeInTheDocument();
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });

  it("asks before disconnecting and says what it revokes", async () => {
    api.listIntegrations.mockResolvedValue([row("discord")]);
    api.disconnectIntegration.mockResolvedValue(null);
    const user = userEvent.setup();
    renderChat("discord");
    await user.click(await screen.findByRole("button", { name: "Disconnect" }));
    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByText("Disconnect Discord?")).toBeInTheDocument();
    expect(dialog).toHaveTextContent(/asks Discord to revoke its authorization/);
    api.listIntegrations.mockResolvedValue([]);
    await user.click(within(dialog).getByRole("button", { name: "Disconnect" }));
    await waitFor(() => expect(api.disconnectIntegration).toHaveBeenCalledWith(TEAM, "discord"));
    expect(await screen.findByRole("button", { name: "Connect Discord" })).toBeInTheDocument();
  });
});

function postFromWindow(data: unknown, source: unknown) {
  const event = new MessageEvent("message", { data, origin: window.location.origin });
  Object.defineProperty(event, "source", { value: source });
  window.dispatchEvent(event);
}

describe.each(["slack", "discord"] as const)("useOAuthConnect for %s", (provider) => {
  const name = NAMES[provider];
  const result = (p: string, status: "pending" | "error" = "pending", code: string | null = null) => ({
    source: `${p}-oauth`,
    provider: p,
    status,
    code,
    ...(status === "pending" ? { pending: PENDING } : {}),
  });

  async function connectUntilWaiting() {
    const popup = { closed: false, close: vi.fn(), location: { href: "about:blank" } };
    openSpy.mockReturnValue(popup as unknown as Window);
    api.listIntegrations.mockResolvedValue([]);
    api.startOAuth.mockResolvedValue({ authUrl: `http://127.0.0.1:54329/${provider}/authorize?x=1`, confirmSecret: SECRET });
    renderChat(provider, "admin", { pollIntervalMs: 60_000 });
    fireEvent.click(await screen.findByRole("button", { name: `Connect ${name}` }));
    expect(openSpy).toHaveBeenCalledWith("about:blank", `${provider}-oauth`, "width=600,height=720");
    await waitFor(() => expect(popup.location.href).toContain(`/${provider}/authorize`));
    await screen.findByText(`Waiting for ${name}`);
    return popup;
  }

  it("starts at the provider's function with its own callback page, keeps the attempt under its own name", async () => {
    await connectUntilWaiting();
    expect(api.startOAuth).toHaveBeenCalledWith(provider, {
      teamId: TEAM,
      redirectUri: `${window.location.origin}/${provider}-callback.html`,
    });
    expect(JSON.parse(sessionStorage.getItem(`${provider}-oauth:attempt:${TEAM}`) ?? "{}")).toMatchObject({
      confirmSecret: SECRET,
    });
  });

  it("ignores another provider's result (message, channel or hand-off) and confirms its own", async () => {
    const popup = await connectUntilWaiting();
    const other = provider === "slack" ? "fathom" : "slack";
    postFromWindow(result(other), popup);
    postFromWindow({ ...result(other), source: `${provider}-oauth` }, popup); // marker and provider disagree
    const otherChannel = new BroadcastChannel(`${other}-oauth`);
    otherChannel.postMessage(result(other));
    localStorage.setItem(`${other}-oauth:pending:${other}`, JSON.stringify({ pending: PENDING, at: Date.now() }));
    await act(async () => new Promise((r) => setTimeout(r, 30)));
    otherChannel.close();
    expect(api.confirmOAuth).not.toHaveBeenCalled();
    expect(screen.getByText(`Waiting for ${name}`)).toBeInTheDocument();

    api.listIntegrations.mockResolvedValue([row(provider)]);
    const channel = new BroadcastChannel(`${provider}-oauth`);
    channel.postMessage(result(provider));
    expect(await screen.findByText(`${name} connected`)).toBeInTheDocument();
    channel.close();
    expect(api.confirmOAuth).toHaveBeenCalledWith({ pendingId: PENDING, confirmSecret: SECRET });
    expect(await screen.findByText(provider === "slack" ? "Posting to #sales in Acme Sales" : "Posting to the channel picked in Acme"))
      .toBeInTheDocument();
  });

  it("names the provider in a refused consent", async () => {
    const popup = await connectUntilWaiting();
    postFromWindow(result(provider, "error", "access_denied"), popup);
    expect(await screen.findByText(`You cancelled the ${name} authorization.`)).toBeInTheDocument();
    expect(screen.getByText(`Couldn't connect ${name}`)).toBeInTheDocument();
  });
});
