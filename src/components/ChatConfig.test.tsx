import { describe, expect, it, vi, beforeEach, afterEach } from "vitest";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { api, request } from "@/test/apiMock";
import { renderWithClient } from "@/test/render";
import { ApiError } from "@/lib/apiError";
import { ChatConfig } from "./ChatConfig";
import { MEMBER_NOTE } from "./IntegrationConfig";

vi.mock("@/lib/api", () => import("@/test/apiMock"));

const TEAM = "team-1";
const SECRET = "c".repeat(43);
const PENDING = "p".repeat(43);
const SALES = { channel: "#sales", channelId: "C1", workspace: "Acme Sales", workspaceId: "T1" };
const LEADS = { channel: "#leads", channelId: "C3", workspace: "Acme Sales", workspaceId: "T1" };
const ACME = { channel: null, channelId: null, workspace: "Acme", workspaceId: "G1" };
// Discord's ids are snowflakes (digits): enough for a link to the channel
const ACME_SALES = { channel: null, channelId: "1200000000000000002", workspace: "Acme", workspaceId: "1100000000000000001" };

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

const NAMES = { slack: "Slack", discord: "Discord" } as const;

function renderChat(provider: "slack" | "discord", role: "admin" | "member" = "admin", props: { pollIntervalMs?: number } = {}) {
  return renderWithClient(<ChatConfig provider={provider} teamId={TEAM} role={role} {...props} />);
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
    expect(await screen.findByText("Posting to a channel in Acme")).toBeInTheDocument();
  });

  it("links a Discord destination to its channel, so a person can see which one it is", async () => {
    api.listIntegrations.mockResolvedValue([row("discord", { destination: ACME_SALES })]);
    renderChat("discord");
    expect(await screen.findByText("Posting to a channel in Acme")).toBeInTheDocument();
    const link = screen.getByRole("link", { name: "Open in Discord" });
    expect(link).toHaveAttribute("href", "https://discord.com/channels/1100000000000000001/1200000000000000002");
    expect(link).toHaveAttribute("target", "_blank");
    expect(link).toHaveAttribute("rel", "noreferrer noopener");
  });

  it.each([
    ["no channel id", { ...ACME_SALES, channelId: null }],
    ["no server id", { ...ACME_SALES, workspaceId: null }],
    ["ids that are not snowflakes", { ...ACME_SALES, channelId: "../../evil" }],
    ["a server id that is not a snowflake", { ...ACME_SALES, workspaceId: "javascript:alert(1)//" }],
  ])("makes no Discord link from %s", async (_label, destination) => {
    api.listIntegrations.mockResolvedValue([row("discord", { destination })]);
    renderChat("discord");
    expect(await screen.findByText("Posting to a channel in Acme")).toBeInTheDocument();
    expect(screen.queryByRole("link")).not.toBeInTheDocument();
  });

  it("has no channel link for Slack (its destination names the channel)", async () => {
    api.listIntegrations.mockResolvedValue([row("slack")]);
    renderChat("slack");
    expect(await screen.findByText("Posting to #sales in Acme Sales")).toBeInTheDocument();
    expect(screen.queryByRole("link")).not.toBeInTheDocument();
  });

  it("forgets the last test message once a reconnect picked another channel", async () => {
    api.listIntegrations.mockResolvedValue([row("slack")]);
    api.sendTestMessage.mockResolvedValue({ status: "sent", destination: SALES });
    const user = userEvent.setup();
    const { client } = renderChat("slack");
    await user.click(await screen.findByRole("button", { name: "Send test message" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Posted to #sales in Acme Sales.");

    // the reconnect (its popup and confirmation are covered below) re-reads the integration: now #leads
    api.listIntegrations.mockResolvedValue([row("slack", { destination: LEADS })]);
    await act(() => client.invalidateQueries());
    expect(await screen.findByText("Posting to #leads in Acme Sales")).toBeInTheDocument();
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
    expect(screen.queryByText(/Test message sent/)).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Send test message" })).toBeEnabled();
  });

  it("keeps the last test message while the destination is the same", async () => {
    api.listIntegrations.mockResolvedValue([row("slack")]);
    api.sendTestMessage.mockResolvedValue({ status: "sent", destination: SALES });
    const user = userEvent.setup();
    const { client } = renderChat("slack");
    await user.click(await screen.findByRole("button", { name: "Send test message" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Posted to #sales in Acme Sales.");
    api.listIntegrations.mockResolvedValue([row("slack", { connected_at: "2026-12-02T10:00:00Z" })]);
    await act(() => client.invalidateQueries());
    await waitFor(() => expect(api.listIntegrations).toHaveBeenCalledTimes(2));
    expect(screen.getByRole("status")).toHaveTextContent("Posted to #sales in Acme Sales.");
  });

  it("forgets the last test message after a disconnect and a new connection", async () => {
    api.listIntegrations.mockResolvedValue([row("discord", { destination: ACME_SALES })]);
    api.sendTestMessage.mockResolvedValue({ status: "sent", destination: ACME_SALES });
    api.disconnectIntegration.mockResolvedValue(null);
    const user = userEvent.setup();
    const { client } = renderChat("discord");
    await user.click(await screen.findByRole("button", { name: "Send test message" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Test message sent. Posted to a channel in Acme.");

    api.listIntegrations.mockResolvedValue([]);
    await user.click(screen.getByRole("button", { name: "Disconnect" }));
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Disconnect" }));
    expect(await screen.findByRole("button", { name: "Connect Discord" })).toBeInTheDocument();
    expect(screen.queryByText(/Test message sent/)).not.toBeInTheDocument();

    api.listIntegrations.mockResolvedValue([row("discord", { destination: ACME_SALES })]);
    await act(() => client.invalidateQueries());
    expect(await screen.findByRole("button", { name: "Send test message" })).toBeEnabled();
    expect(screen.queryByText(/Test message sent/)).not.toBeInTheDocument();
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

  it("says where a Discord test message went", async () => {
    api.listIntegrations.mockResolvedValue([row("discord")]);
    api.sendTestMessage.mockResolvedValue({ status: "sent", destination: ACME });
    const user = userEvent.setup();
    renderChat("discord");
    await user.click(await screen.findByRole("button", { name: "Send test message" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Test message sent. Posted to a channel in Acme.");
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
    // one cause and one thing to do, not the same advice twice
    expect(
      screen.getByText(
        "The Discord channel the CRM posted to is gone (deleted or archived, or the app was removed from it). Reconnect to pick another channel.",
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Reconnect to resume/)).not.toBeInTheDocument();
    // it does not post any more: the line says where it did
    expect(screen.getByText("Was posting to a channel in Acme")).toBeInTheDocument();
    expect(screen.queryByText(/^Posting to/)).not.toBeInTheDocument();
    expect(screen.getByText("Reconnect needed")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Reconnect" })).toBeEnabled();
    expect(screen.queryByRole("button", { name: "Send test message" })).not.toBeInTheDocument();
  });

  it("tells a member what to ask for when the channel is gone, and where it was posting", async () => {
    api.listIntegrations.mockResolvedValue([row("slack", { status: "needs_reauth", last_error: "destination_gone" })]);
    renderChat("slack", "member");
    expect(
      await screen.findByText(
        "The Slack channel the CRM posted to is gone (deleted or archived, or the app was removed from it). Ask a team owner or admin to reconnect it and pick another channel.",
      ),
    ).toBeInTheDocument();
    expect(screen.getByText("Was posting to #sales in Acme Sales")).toBeInTheDocument();
    expect(screen.queryByText("Posting to #sales in Acme Sales")).not.toBeInTheDocument();
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

  it("says when Discord didn't confirm the revocation, and where to remove the app", async () => {
    api.listIntegrations.mockResolvedValue([row("discord")]);
    const sentence =
      "Disconnected here, but Discord didn't confirm the revocation: remove the app in Discord (User Settings > Authorized Apps).";
    api.disconnectIntegration.mockResolvedValue({ warning: null, revocationMessage: sentence });
    const user = userEvent.setup();
    renderChat("discord");
    await user.click(await screen.findByRole("button", { name: "Disconnect" }));
    api.listIntegrations.mockResolvedValue([]);
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Disconnect" }));
    expect(await screen.findByRole("button", { name: "Connect Discord" })).toBeInTheDocument();
    const alert = await screen.findByText(sentence);
    expect(alert).toHaveAttribute("data-warning-code", "revocation_unconfirmed");
    expect(screen.queryByText("Discord disconnected")).not.toBeInTheDocument();
  });

  it("the disconnect dialog names the automations that are on and post there, and says they will fail", async () => {
    api.listIntegrations.mockResolvedValue([row("slack")]);
    request.mockResolvedValue({
      rules: [
        { id: "r1", name: "Post the summary to Slack", enabled: true },
        { id: "r2", name: "Won deals", enabled: true },
        { id: "r3", name: "Old digest", enabled: false },
      ],
    });
    const user = userEvent.setup();
    renderChat("slack");
    await user.click(await screen.findByRole("button", { name: "Disconnect" }));
    const dialog = await screen.findByRole("alertdialog");
    expect(await within(dialog).findByTestId("posting-rules")).toHaveTextContent(
      '2 automations post here: "Post the summary to Slack", "Won deals". They will fail until you reconnect (and pause after repeated failures).',
    );
    expect(request).toHaveBeenCalledWith(`api/teams/${TEAM}/automations?posts_to=slack`);
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
    expect(await screen.findByText(provider === "slack" ? "Posting to #sales in Acme Sales" : "Posting to a channel in Acme"))
      .toBeInTheDocument();
  });

  it("names the provider in a refused consent", async () => {
    const popup = await connectUntilWaiting();
    postFromWindow(result(provider, "error", "access_denied"), popup);
    expect(await screen.findByText(`You cancelled the ${name} authorization.`)).toBeInTheDocument();
    expect(screen.getByText(`Couldn't connect ${name}`)).toBeInTheDocument();
  });
});
