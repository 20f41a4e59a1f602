import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route } from "react-router-dom";
import { toast } from "@/lib/toast";
import { ApiError } from "@/lib/apiError";
import { automationsApi, CATALOG, RULE_ID, RUN_ID, ruleSummary, rule, runSummary } from "@/test/automationsApiMock";
import { renderTeamRoutes } from "@/test/render";
import { ADMIN_TEAM, MEMBER_TEAM, TEAM_ID } from "@/test/fixtures";
import type { Team } from "@/lib/types";
import { AutomationsPage } from "./AutomationsPage";
import { AutomationRunsPage } from "./AutomationRunsPage";

vi.mock("@/lib/automationsApi", () => import("@/test/automationsApiMock"));
vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: {} }));
vi.mock("@/lib/toast", () => ({ toast: Object.assign(vi.fn(), { error: vi.fn(), success: vi.fn() }) }));

function renderList(team: Team = ADMIN_TEAM, path = `/teams/${TEAM_ID}/automations`) {
  return renderTeamRoutes(
    <>
      <Route path="automations" element={<AutomationsPage />} />
      <Route path="automations/runs" element={<AutomationRunsPage />} />
      <Route path="automations/new" element={<p>editor</p>} />
    </>,
    { path, team },
  );
}

beforeEach(() => {
  vi.clearAllMocks();
  automationsApi.getCatalog.mockResolvedValue(CATALOG);
  automationsApi.listEndpoints.mockResolvedValue([]);
});

describe("AutomationsPage", () => {
  it("first visit: two starter templates, each opening the editor prefilled", async () => {
    const user = userEvent.setup();
    automationsApi.listRules.mockResolvedValue([]);
    renderList();
    const starters = within(await screen.findByRole("list", { name: "Starter templates" }));
    expect(starters.getByText("Tasks from action items")).toBeInTheDocument();
    expect(starters.getByText("Post the summary to Slack")).toBeInTheDocument();
    expect(starters.getByRole("link", { name: "Use this template: Post the summary to Slack" })).toHaveAttribute(
      "href",
      `/teams/${TEAM_ID}/automations/new?template=slack`,
    );
    await user.click(starters.getByRole("link", { name: "Use this template: Tasks from action items" }));
    expect(screen.getByTestId("location")).toHaveTextContent(`/teams/${TEAM_ID}/automations/new?template=tasks`);
  });

  it("lists rules: trigger in words, last run, 7-day counts and a red N failed badge", async () => {
    automationsApi.listRules.mockResolvedValue([
      ruleSummary({ dead_count: 2, stats_7d: { succeeded: 5, failed: 2, skipped: 0 }, last_run: { id: RUN_ID, status: "dead", created_at: "2026-11-29T10:00:00Z" } }),
    ]);
    renderList();
    const row = within(await screen.findByTestId("rule-row"));
    expect(row.getByRole("link", { name: "Tasks from action items" })).toHaveAttribute("href", `/teams/${TEAM_ID}/automations/${RULE_ID}`);
    expect(row.getByText("When: A meeting is linked to a lead")).toBeInTheDocument();
    expect(row.getByText("2 failed")).toBeInTheDocument();
    expect(row.getByLabelText("5 succeeded in the last 7 days")).toBeInTheDocument();
    expect(row.getByLabelText("2 failed in the last 7 days")).toBeInTheDocument();
    expect(row.getByText("Failed")).toBeInTheDocument(); // the last run's chip
    expect(row.getByRole("switch", { name: "Tasks from action items: on" })).toBeEnabled();
  });

  it("a rule whose runs keep retrying is flagged with the count and the last error, not ✓0 ✗0 alone", async () => {
    automationsApi.listRules.mockResolvedValue([
      ruleSummary({
        stats_7d: { succeeded: 0, failed: 0, skipped: 0 },
        retrying: { count: 1, last_error: "The endpoint answered HTTP 500" },
        last_run: { id: RUN_ID, status: "retrying", created_at: "2026-11-29T10:00:00Z" },
      }),
    ]);
    renderList();
    const row = within(await screen.findByTestId("rule-row"));
    expect(row.getByRole("link", { name: "1 retrying" })).toHaveAttribute("href", `/teams/${TEAM_ID}/automations/${RULE_ID}?status=retrying`);
    expect(row.getByText("Last error: The endpoint answered HTTP 500")).toBeInTheDocument();
  });

  it("the enabled switch turns a rule off; a paused rule's reason shows with Turn on again", async () => {
    const user = userEvent.setup();
    automationsApi.listRules.mockResolvedValue([
      ruleSummary(),
      ruleSummary({ id: "r2", name: "Slack summary", enabled: false, paused_reason: "5 runs in a row failed: the Slack channel is gone" }),
    ]);
    automationsApi.updateRule.mockResolvedValue(rule({ enabled: false }));
    renderList();
    await user.click(await screen.findByRole("switch", { name: "Tasks from action items: on" }));
    expect(automationsApi.updateRule).toHaveBeenCalledWith(TEAM_ID, RULE_ID, { enabled: false });
    await waitFor(() => expect(toast.success).toHaveBeenCalledWith("Tasks from action items is off"));

    const banner = within(screen.getByText("Slack summary was paused").closest("[role=alert]") as HTMLElement);
    expect(banner.getByText(/the Slack channel is gone/)).toBeInTheDocument();
    automationsApi.listRules.mockResolvedValue([ruleSummary({ enabled: false }), ruleSummary({ id: "r2", name: "Slack summary", enabled: true })]);
    automationsApi.updateRule.mockResolvedValue(rule({ id: "r2", name: "Slack summary", enabled: true }));
    await user.click(banner.getByRole("button", { name: "Turn on again" }));
    expect(automationsApi.updateRule).toHaveBeenLastCalledWith(TEAM_ID, "r2", { enabled: true });
    // the banner goes; focus lands on the rule's switch, not <body>
    await waitFor(() => expect(screen.queryByText("Slack summary was paused")).not.toBeInTheDocument());
    await waitFor(() => expect(screen.getByRole("switch", { name: "Slack summary: on" })).toHaveFocus());
  });

  it("members read: switches disabled, no New automation, no Turn on again, no endpoint form", async () => {
    automationsApi.listRules.mockResolvedValue([ruleSummary({ enabled: false, paused_reason: "Paused after failures" })]);
    renderList(MEMBER_TEAM);
    expect(await screen.findByRole("switch", { name: "Tasks from action items: off" })).toBeDisabled();
    expect(screen.queryByRole("link", { name: "New automation" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Turn on again" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Add endpoint" })).not.toBeInTheDocument();
    expect(screen.getByText(/Only owners and admins can change them/)).toBeInTheDocument();
  });

  it("two endpoints added in one visit: both secrets stay on screen until each one's own Done", async () => {
    const user = userEvent.setup();
    automationsApi.listRules.mockResolvedValue([]);
    const first = { id: "e1", name: "Zapier", url_host: "hooks.example.com", created_at: null };
    const second = { id: "e2", name: "Make", url_host: "hooks.example.com", created_at: null };
    automationsApi.createEndpoint
      .mockResolvedValueOnce({ endpoint: first, secret: "whsec_Zmlyc3Q" })
      .mockResolvedValueOnce({ endpoint: second, secret: "whsec_c2Vjb25k" });
    renderList();
    for (const [name, url] of [["Zapier", "https://hooks.example.com/a"], ["Make", "https://hooks.example.com/b"]]) {
      const nameField = await screen.findByLabelText("Name");
      await user.clear(nameField);
      await user.type(nameField, name);
      await user.clear(screen.getByLabelText("URL"));
      await user.type(screen.getByLabelText("URL"), url);
      await user.click(screen.getByRole("button", { name: "Add endpoint" }));
      await waitFor(() => expect(screen.getAllByTestId("endpoint-secret").length).toBe(name === "Zapier" ? 1 : 2));
    }
    expect(screen.getAllByTestId("endpoint-secret").map((e) => e.textContent)).toEqual(["whsec_Zmlyc3Q", "whsec_c2Vjb25k"]);
    await user.click(screen.getAllByRole("button", { name: "Done" })[0]);
    expect(screen.getAllByTestId("endpoint-secret").map((e) => e.textContent)).toEqual(["whsec_c2Vjb25k"]);
  });

  it("adds a webhook endpoint: the secret is shown once with a copy button; deletes one", async () => {
    const user = userEvent.setup();
    automationsApi.listRules.mockResolvedValue([]);
    const endpoint = { id: "e1", name: "Zapier", url_host: "hooks.example.com", path_hint: "hooks.example.com/crm", used_by: [], created_at: null };
    automationsApi.createEndpoint.mockResolvedValue({ endpoint, secret: "whsec_c2VjcmV0" });
    renderList();
    await user.type(await screen.findByLabelText("Name"), "Zapier");
    await user.type(screen.getByLabelText("URL"), "https://hooks.example.com/crm");
    automationsApi.listEndpoints.mockResolvedValue([endpoint]);
    await user.click(screen.getByRole("button", { name: "Add endpoint" }));
    expect(automationsApi.createEndpoint).toHaveBeenCalledWith(TEAM_ID, { name: "Zapier", url: "https://hooks.example.com/crm" });
    expect(await screen.findByTestId("endpoint-secret")).toHaveTextContent("whsec_c2VjcmV0");
    expect(screen.getByRole("button", { name: "Copy secret" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByTestId("endpoint-secret")).not.toBeInTheDocument();

    // a rule switched on meanwhile (the list did not know yet): the server refuses, the toast says so
    automationsApi.deleteEndpoint.mockRejectedValueOnce(new ApiError("endpoint_in_use", "x", 409));
    await user.click(await screen.findByRole("button", { name: "Delete endpoint Zapier" }));
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Delete" }));
    await waitFor(() =>
      expect(toast.error).toHaveBeenCalledWith("An automation that is on sends to this endpoint. Turn it off or change it first."),
    );
    automationsApi.deleteEndpoint.mockResolvedValueOnce(undefined);
    await user.click(screen.getByRole("button", { name: "Delete endpoint Zapier" }));
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(screen.getByRole("heading", { name: "Webhook endpoints" })).toHaveFocus());
  });

  it("endpoints show a path hint; deleting one asks first, naming the automations that use it and what becomes of them", async () => {
    const user = userEvent.setup();
    automationsApi.listRules.mockResolvedValue([]);
    automationsApi.listEndpoints.mockResolvedValue([
      { id: "e1", name: "Deals", url_host: "hooks.example.com", path_hint: "hooks.example.com/crm/deals", created_at: null,
        used_by: [{ id: "r1", name: "Old feed", enabled: false }, { id: "r2", name: "Archive", enabled: false }] },
      { id: "e2", name: "Calls", url_host: "hooks.example.com", path_hint: "hooks.example.com/crm/calls/…", created_at: null,
        used_by: [{ id: "r3", name: "Live feed", enabled: true }] },
    ]);
    renderList();
    expect(await screen.findByText("hooks.example.com/crm/deals")).toBeInTheDocument();
    expect(screen.getByText("hooks.example.com/crm/calls/…")).toBeInTheDocument();
    expect(screen.getByText("Used by Old feed (off), Archive (off)")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Delete endpoint Deals" }));
    let dialog = within(await screen.findByRole("alertdialog"));
    expect(dialog.getByText(/2 automations that are off send here: "Old feed", "Archive"\. They keep a "Send a webhook" step with no endpoint and cannot be turned on until you pick another one\./)).toBeInTheDocument();
    await user.click(dialog.getByRole("button", { name: "Cancel" }));
    expect(automationsApi.deleteEndpoint).not.toHaveBeenCalled();

    // used by a rule that is on: the dialog says why it cannot go, and offers no Delete
    await user.click(screen.getByRole("button", { name: "Delete endpoint Calls" }));
    dialog = within(await screen.findByRole("alertdialog"));
    expect(dialog.getByText('1 automation that is on sends here: "Live feed". Turn it off or pick another endpoint in it first.')).toBeInTheDocument();
    expect(dialog.queryByRole("button", { name: "Delete" })).not.toBeInTheDocument();
  });

  it("a paused rule whose Slack needs reconnecting: a Reconnect Slack link and a warning instead of Turn on again", async () => {
    automationsApi.listRules.mockResolvedValue([
      ruleSummary({
        enabled: false,
        paused_reason: "Paused after 5 of its runs failed in a row. Last error: the Slack channel is gone",
        problems: [{
          action_index: 0,
          field: "reconnect",
          provider: "slack",
          message: "Step 1 (Post to Slack): Slack needs reconnecting: its channel is gone (deleted, archived, or the app was removed). Reconnect Slack under Integrations.",
        }],
      }),
    ]);
    renderList();
    const banner = within((await screen.findByText("Tasks from action items was paused")).closest("[role=alert]") as HTMLElement);
    expect(banner.getByRole("link", { name: "Reconnect Slack" })).toHaveAttribute("href", `/teams/${TEAM_ID}/settings/integrations`);
    expect(banner.queryByRole("button", { name: "Turn on again" })).not.toBeInTheDocument();
    expect(banner.getByTestId("turn-on-warning")).toHaveTextContent("Fix the chat first");
  });

  it("a paused rule whose endpoint was deleted: the banner names the step and links to the editor there, no Turn on again", async () => {
    automationsApi.listRules.mockResolvedValue([
      ruleSummary({
        enabled: false,
        paused_reason: "Paused after 5 failed runs in a row.",
        problems: [{ action_index: 1, field: "endpoint_id", message: "Step 2 (Send a webhook): its webhook endpoint was deleted. Pick another endpoint." }],
      }),
      ruleSummary({
        id: "r2",
        name: "Slack summary",
        enabled: false,
        problems: [{ action_index: 0, field: "destination", message: "Step 1 (Post to Slack): Slack is not connected to a channel. Connect it under Integrations." }],
      }),
    ]);
    renderList();
    const banner = within((await screen.findByText("Tasks from action items was paused")).closest("[role=alert]") as HTMLElement);
    expect(banner.getByText(/Step 2 \(Send a webhook\): its webhook endpoint was deleted/)).toBeInTheDocument();
    expect(banner.getByRole("link", { name: "Fix step 2" })).toHaveAttribute(
      "href",
      `/teams/${TEAM_ID}/automations/${RULE_ID}?fix=${encodeURIComponent("actions[1].endpoint_id")}`,
    );
    expect(banner.queryByRole("button", { name: "Turn on again" })).not.toBeInTheDocument();
    const slackRow = within(screen.getAllByTestId("rule-row")[1]);
    expect(slackRow.getByText(/Slack is not connected/)).toBeInTheDocument();
    expect(slackRow.getByRole("link", { name: "Open Integrations" })).toHaveAttribute("href", `/teams/${TEAM_ID}/settings/integrations`);
  });

  it("an invalid endpoint URL is refused with a sentence at the field", async () => {
    const user = userEvent.setup();
    automationsApi.listRules.mockResolvedValue([]);
    automationsApi.createEndpoint.mockRejectedValue(new ApiError("invalid_url", "url: https only", 400));
    renderList();
    await user.type(await screen.findByLabelText("Name"), "Plain");
    await user.type(screen.getByLabelText("URL"), "http://example.com");
    await user.click(screen.getByRole("button", { name: "Add endpoint" }));
    expect(await screen.findByText("Enter an https:// URL without a user name or password.")).toBeInTheDocument();
    expect(screen.getByLabelText("URL")).toHaveAttribute("aria-invalid", "true");
  });
});

describe("AutomationRunsPage", () => {
  it("the run log says in one line what a succeeded run did", async () => {
    const brief = { created: null, to: null, sent: null, channel: null, workspace: null, endpoint: null };
    automationsApi.listRuns.mockResolvedValue({
      runs: [runSummary({
        status: "succeeded",
        error_code: null,
        error_message: null,
        outcomes: [{ ...brief, action_type: "create_tasks", created: 3 }, { ...brief, action_type: "post_slack", sent: "slack", channel: "#sales" }],
      })],
      next_cursor: null,
    });
    renderList(ADMIN_TEAM, `/teams/${TEAM_ID}/automations/runs`);
    const row = within(await screen.findByTestId("run-row"));
    expect(row.getByText("3 tasks created · posted to #sales")).toBeInTheDocument();
  });

  it("the team's run log: dead runs in red with their reason; the status filter asks the server", async () => {
    const user = userEvent.setup();
    automationsApi.listRuns.mockResolvedValue({ runs: [runSummary()], next_cursor: null });
    renderList(ADMIN_TEAM, `/teams/${TEAM_ID}/automations/runs`);
    const row = within(await screen.findByTestId("run-row"));
    expect(row.getByText("Failed")).toHaveAttribute("data-status", "dead");
    expect(row.getByText("The Slack channel is gone (404)")).toHaveClass("text-red-700");
    expect(row.getByRole("link", { name: /Post the summary to Slack/ })).toHaveAttribute(
      "href",
      `/teams/${TEAM_ID}/automations/runs/${RUN_ID}`,
    );
    // keyboard focus on a row is as visible as elsewhere in the app: the ring of the row-wide link area
    expect(row.getByRole("link", { name: /Post the summary to Slack/ }).className).toMatch(/focus-visible:after:ring-2 focus-visible:after:ring-ring/);
    await user.selectOptions(screen.getByLabelText("Status"), "dead");
    await waitFor(() => expect(automationsApi.listRuns).toHaveBeenLastCalledWith(TEAM_ID, { status: "dead", cursor: null }));
    expect(screen.getByTestId("location")).toHaveTextContent("?status=dead");
  });
});
