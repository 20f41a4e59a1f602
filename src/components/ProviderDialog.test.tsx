import { describe, expect, it, vi, beforeEach } from "vitest";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Hash, Video } from "lucide-react";
import { api } from "@/test/apiMock";
import { renderWithClient } from "@/test/render";
import type * as Catalog from "@/lib/providers";
import { IntegrationsPortal } from "./IntegrationsPortal";

vi.mock("@/lib/api", () => import("@/test/apiMock"));

/**
 * A provider added to the front end is its catalog row (and its callback page): the Integrations page opens the
 * dialog the row asks for, with no switch to extend. Two made-up rows prove it: a chat provider and a plain one. (A
 * real row's dialog words are in providerCopy.ts, keyed by its id; the made-up chat row brings its own.)
 */
vi.mock("@/lib/providers", async (importOriginal) => {
  const real = await importOriginal<typeof Catalog>();
  const extra = [
    {
      id: "mockchat",
      name: "Teams",
      icon: Hash,
      category: "chat",
      description: "Post lead and meeting updates to a Teams channel",
      brandColor: "#6264A7",
      availability: "available",
      dialog: "chat",
      chat: { pickerLabel: "Select a channel", revokeText: "The CRM also asks Teams to revoke its access." },
    },
    {
      id: "mockplain",
      name: "Gong",
      icon: Video,
      category: "meetings",
      description: "Import Gong calls",
      brandColor: "#8039DF",
      availability: "available",
      dialog: "basic",
    },
  ] as unknown as Catalog.ProviderEntry[];
  const PROVIDERS = [...real.PROVIDERS, ...extra];
  const providerEntry = (id: string) => {
    const entry = PROVIDERS.find((p) => p.id === id);
    if (!entry) throw new Error(`unknown provider ${id}`);
    return entry;
  };
  return { ...real, PROVIDERS, providerEntry, isProviderId: (id: string) => PROVIDERS.some((p) => p.id === id) };
});

const TEAM = "team-1";

beforeEach(() => {
  vi.clearAllMocks();
  api.getMeetingSync.mockResolvedValue({ sync: null, inbox: null });
  api.getTeamSettings.mockResolvedValue({ create_leads_from_unknown_attendees: false });
});

describe("the dialog comes from the catalog row", () => {
  it("a new chat row gets the chat dialog: where it posts, test message, reconnect to change the channel", async () => {
    api.listIntegrations.mockResolvedValue([
      {
        provider: "mockchat",
        status: "connected",
        account_name: "Contoso",
        destination: { channel: "#deals", channelId: "19:abc", workspace: "Contoso", workspaceId: "T9" },
      },
    ]);
    const user = userEvent.setup();
    renderWithClient(<IntegrationsPortal teamId={TEAM} role="admin" />);
    const card = within(await screen.findByTestId("integration-mockchat"));
    expect(await card.findByText("Posting to #deals in Contoso")).toBeInTheDocument();
    await user.click(card.getByRole("button", { name: "Configure Teams" }));
    const dialog = within(await screen.findByRole("dialog"));
    expect(dialog.getByRole("heading", { name: "Teams" })).toBeInTheDocument();
    expect(dialog.getByText("Posting to #deals in Contoso")).toBeInTheDocument();
    expect(dialog.getByRole("button", { name: "Send test message" })).toBeEnabled();
    expect(dialog.getByRole("button", { name: "Reconnect to change the channel" })).toBeEnabled();
  });

  it("a new chat row's intro quotes its consent screen's picker", async () => {
    api.listIntegrations.mockResolvedValue([]);
    const user = userEvent.setup();
    renderWithClient(<IntegrationsPortal teamId={TEAM} role="admin" />);
    await user.click(await within(await screen.findByTestId("integration-mockchat")).findByRole("button", { name: "Connect Teams" }));
    const dialog = within(await screen.findByRole("dialog"));
    expect(dialog.getByText(/pick the channel it posts to \("Select a channel"\)/)).toBeInTheDocument();
  });

  it("a new plain row gets the plain shell: connect, status, disconnect, and nothing of chat or Fathom", async () => {
    api.listIntegrations.mockResolvedValue([{ provider: "mockplain", status: "connected", account_name: "Ada" }]);
    const user = userEvent.setup();
    renderWithClient(<IntegrationsPortal teamId={TEAM} role="admin" />);
    await user.click(await within(await screen.findByTestId("integration-mockplain")).findByRole("button", { name: "Configure Gong" }));
    const dialog = within(await screen.findByRole("dialog"));
    expect(dialog.getByRole("heading", { name: "Gong" })).toBeInTheDocument();
    expect(dialog.getByText("Gong account").nextElementSibling).toHaveTextContent("Ada");
    expect(dialog.getByRole("button", { name: "Disconnect" })).toBeEnabled();
    expect(dialog.queryByRole("button", { name: "Send test message" })).not.toBeInTheDocument();
    expect(dialog.queryByTestId("destination")).not.toBeInTheDocument();
    expect(dialog.queryByText(/Import past meetings/i)).not.toBeInTheDocument();
  });
});
