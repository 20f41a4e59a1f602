import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route } from "react-router-dom";
import { ApiError } from "@/lib/apiError";
import { SLACK_SUMMARY_TEMPLATE } from "@/lib/automationText";
import { api } from "@/test/apiMock";
import { automationsApi, CATALOG, RULE_ID, rule } from "@/test/automationsApiMock";
import { formatTime } from "@/lib/utils";
import { renderTeamRoutes } from "@/test/render";
import { ADMIN_TEAM, MEMBERS, MEMBER_TEAM, TEAM_ID, meetingSummary } from "@/test/fixtures";
import type { Team } from "@/lib/types";
import { AutomationEditorPage } from "./AutomationEditorPage";
import { AutomationsPage } from "./AutomationsPage";

vi.mock("@/lib/automationsApi", () => import("@/test/automationsApiMock"));
vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: {} }));
vi.mock("@/lib/toast", () => ({ toast: Object.assign(vi.fn(), { error: vi.fn(), success: vi.fn() }) }));

const VERSIONS = [
  { id: "v2", version: 2, name: "Tasks from action items", created_at: "2026-11-21T10:00:00Z", created_by: { id: "u-admin", name: "Dana Admin", email: "demo-admin@example.com" } },
  { id: "v1", version: 1, name: "Tasks from action items", created_at: "2026-11-20T10:00:00Z", created_by: null },
];

// the "Version N, published ..." line (role status; the test router's location probe is an <output>, a status too)
const versionLine = () => screen.getByText(/^Version \d+, published/);

function renderEditor(path: string, team: Team = ADMIN_TEAM) {
  return renderTeamRoutes(
    <>
      <Route path="automations" element={<AutomationsPage />} />
      <Route path="automations/new" element={<AutomationEditorPage />} />
      <Route path="automations/:ruleId" element={<AutomationEditorPage />} />
    </>,
    { path, team },
  );
}

beforeEach(() => {
  vi.clearAllMocks();
  automationsApi.getCatalog.mockResolvedValue(CATALOG);
  automationsApi.listEndpoints.mockResolvedValue([]);
  automationsApi.listRules.mockResolvedValue([]);
  automationsApi.getRule.mockResolvedValue({ rule: rule(), versions: VERSIONS });
  api.listMembers.mockResolvedValue(MEMBERS);
  api.listMeetings.mockResolvedValue({
    meetings: [meetingSummary(), meetingSummary({ id: "m2", title: "Intro call", leads: [] })],
    next_cursor: null,
  });
});

describe("AutomationEditorPage: a new automation", () => {
  it("the Slack starter opens prefilled; Save creates it turned off and the page says Version 1, published just now", async () => {
    const user = userEvent.setup();
    const created = rule({
      name: "Post the summary to Slack",
      enabled: false,
      version: 1,
      actions: [{ type: "post_slack", template: SLACK_SUMMARY_TEMPLATE }],
    });
    automationsApi.createRule.mockResolvedValue(created);
    automationsApi.getRule.mockResolvedValue({ rule: created, versions: [VERSIONS[1]] });
    renderEditor(`/teams/${TEAM_ID}/automations/new?template=slack`);
    expect(await screen.findByRole("heading", { name: "New automation" })).toBeInTheDocument();
    expect(screen.getByLabelText("Name")).toHaveValue("Post the summary to Slack");
    expect(screen.getByLabelText("Trigger")).toHaveValue("meeting.linked_to_lead");
    expect(screen.getByLabelText("Message of action 1")).toHaveValue(SLACK_SUMMARY_TEMPLATE);
    // the unsaved draft can be dry-run (no rule id: POST .../automations/test)
    const panel = within((await screen.findByRole("heading", { name: "Test" })).closest("section")!);
    expect(panel.getByText(/It is not saved yet: the test runs the draft\./)).toBeInTheDocument();
    automationsApi.testRule.mockResolvedValue({ conditions: { passed: true, results: [] }, actions: [], missing: [] });
    const meeting = await panel.findByLabelText("Meeting");
    await waitFor(() => expect(within(meeting).getAllByRole("option")).toHaveLength(2));
    await user.click(panel.getByRole("button", { name: "Test" }));
    expect(automationsApi.testRule).toHaveBeenCalledWith(TEAM_ID, null, {
      meetingId: expect.any(String),
      rule: expect.objectContaining({ actions: [{ type: "post_slack", template: SLACK_SUMMARY_TEMPLATE }] }),
    });
    expect(automationsApi.createRule).not.toHaveBeenCalled();

    await user.click(screen.getByRole("button", { name: "Save, turned off" }));
    expect(automationsApi.createRule).toHaveBeenCalledWith(TEAM_ID, {
      name: "Post the summary to Slack",
      enabled: false,
      trigger: "meeting.linked_to_lead",
      conditions: { match: "all", rules: [] },
      actions: [{ type: "post_slack", template: SLACK_SUMMARY_TEMPLATE }],
    });
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent(`/teams/${TEAM_ID}/automations/${RULE_ID}`));
    const status = await screen.findByText(/^Version \d+, published/);
    expect(status).toHaveTextContent("Version 1, published just now");
    await waitFor(() => expect(status).toHaveFocus());
    expect(screen.getByRole("switch", { name: "Post the summary to Slack: off" })).toBeInTheDocument();
  });

  it("a blank new automation offers the starters; choosing one prefills the editor", async () => {
    const user = userEvent.setup();
    renderEditor(`/teams/${TEAM_ID}/automations/new`);
    expect(await screen.findByLabelText("Name")).toHaveValue("");
    await user.click(screen.getByRole("link", { name: "Post the summary to Slack" }));
    expect(await screen.findByLabelText("Message of action 1")).toHaveValue(SLACK_SUMMARY_TEMPLATE);
    expect(screen.getByLabelText("Name")).toHaveValue("Post the summary to Slack");
    expect(screen.queryByRole("link", { name: "Post the summary to Slack" })).not.toBeInTheDocument();
  });

  it("back on the list after a save the new rule is there, not the starters (while the list's refetch is in flight)", async () => {
    const user = userEvent.setup();
    automationsApi.listRules.mockResolvedValueOnce([]).mockReturnValue(new Promise(() => {}));
    automationsApi.createRule.mockResolvedValue(rule({ enabled: false, version: 1 }));
    renderEditor(`/teams/${TEAM_ID}/automations`);
    await user.click(await screen.findByRole("link", { name: "Use this template: Tasks from action items" }));
    await user.click(await screen.findByRole("button", { name: "Save, turned off" }));
    await screen.findByText(/^Version 1, published just now/);
    await user.click(screen.getByRole("link", { name: "Automations" }));
    expect(await screen.findByTestId("rule-row")).toHaveTextContent("Tasks from action items");
    expect(screen.queryByRole("list", { name: "Starter templates" })).not.toBeInTheDocument();
  });

  it("the Tasks starter: create_tasks due in 3 days", async () => {
    renderEditor(`/teams/${TEAM_ID}/automations/new?template=tasks`);
    expect(await screen.findByLabelText("Due in (days)")).toHaveValue(3);
    expect(screen.getByRole("heading", { name: "1. Create tasks from action items" })).toBeInTheDocument();
  });

  it("the variable picker inserts {{path}} at the cursor and returns focus to the text after it", async () => {
    const user = userEvent.setup();
    renderEditor(`/teams/${TEAM_ID}/automations/new?template=slack`);
    const text = (await screen.findByLabelText("Message of action 1")) as HTMLTextAreaElement;
    await user.clear(text);
    await user.type(text, "Hi  there");
    text.setSelectionRange(3, 3);
    await user.click(screen.getByRole("button", { name: "Insert a variable into Message of action 1" }));
    await user.click(await screen.findByRole("menuitem", { name: /Lead name/ }));
    expect(text).toHaveValue("Hi {{lead.name}} there");
    await waitFor(() => expect(text).toHaveFocus());
    expect(text.selectionStart).toBe("Hi {{lead.name}}".length);
  });

  it("an invalid_rule error is shown at the field it names, which gets focus", async () => {
    const user = userEvent.setup();
    automationsApi.createRule.mockRejectedValue(
      new ApiError("invalid_rule", "x", 400, undefined, "actions[0].template: unknown variable {{lead.nmae}}"),
    );
    renderEditor(`/teams/${TEAM_ID}/automations/new?template=slack`);
    await user.click(await screen.findByRole("button", { name: "Save, turned off" }));
    const text = screen.getByLabelText("Message of action 1");
    await waitFor(() => expect(text).toHaveAttribute("aria-invalid", "true"));
    expect(text).toHaveAccessibleDescription(/unknown variable \{\{lead\.nmae\}\}/);
    expect(screen.getByText("Then, action 1, template: unknown variable {{lead.nmae}}")).toBeInTheDocument();
    await waitFor(() => expect(text).toHaveFocus());
  });

  it("conditions: add, choose a field and value, remove; the body carries them", async () => {
    const user = userEvent.setup();
    automationsApi.createRule.mockResolvedValue(rule());
    renderEditor(`/teams/${TEAM_ID}/automations/new?template=tasks`);
    await user.click(await screen.findByRole("button", { name: "Add condition" }));
    const field = screen.getByLabelText("Condition 1: field");
    await waitFor(() => expect(field).toHaveFocus());
    await user.selectOptions(field, "meeting.title");
    await user.selectOptions(screen.getByLabelText("Condition 1: operator"), "not_contains");
    await user.type(screen.getByLabelText("Condition 1: value"), "internal");
    await user.click(screen.getByRole("button", { name: "Add condition" }));
    await user.click(screen.getByRole("button", { name: "Remove condition 2" }));
    await user.selectOptions(screen.getByLabelText("Which conditions must hold"), "any");
    await user.click(screen.getByRole("button", { name: "Save, turned off" }));
    expect(automationsApi.createRule).toHaveBeenCalledWith(
      TEAM_ID,
      expect.objectContaining({
        conditions: { match: "any", rules: [{ field: "meeting.title", op: "not_contains", value: "internal" }] },
      }),
    );
  });

  it("actions: add, move up and down (focus follows), remove", async () => {
    const user = userEvent.setup();
    renderEditor(`/teams/${TEAM_ID}/automations/new?template=tasks`);
    await user.selectOptions(await screen.findByLabelText("Action to add"), "post_slack");
    await user.click(screen.getByRole("button", { name: "Add action" }));
    const titles = () => screen.getAllByTestId("action-card").map((c) => within(c).getByRole("heading").textContent);
    expect(titles()).toEqual(["1. Create tasks from action items", "2. Post to Slack"]);
    await waitFor(() => expect(screen.getByRole("heading", { name: "2. Post to Slack" })).toHaveFocus());
    await user.click(screen.getByRole("button", { name: "Move action 2 up" }));
    expect(titles()).toEqual(["1. Post to Slack", "2. Create tasks from action items"]);
    await waitFor(() => expect(screen.getByRole("button", { name: "Move action 1 down" })).toHaveFocus());
    await user.click(screen.getByRole("button", { name: "Remove action 1" }));
    expect(titles()).toEqual(["1. Create tasks from action items"]);
    expect(screen.getByLabelText("Action to add")).toHaveFocus();
  });
});

describe("AutomationEditorPage: an existing automation", () => {
  it("a webhook action without an endpoint: Save says Choose an endpoint at the field, nothing is sent", async () => {
    const user = userEvent.setup();
    automationsApi.getRule.mockResolvedValue({
      rule: rule({ actions: [{ type: "send_webhook", endpoint_id: "" }] }),
      versions: VERSIONS,
    });
    renderEditor(`/teams/${TEAM_ID}/automations/${RULE_ID}`);
    const field = await screen.findByLabelText("Endpoint");
    await user.type(screen.getByLabelText("Name"), " (edited)"); // a change: Save is disabled without one
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(automationsApi.updateRule).not.toHaveBeenCalled();
    await waitFor(() => expect(field).toHaveAccessibleDescription(/Choose an endpoint for this webhook\./));
    expect(field).toHaveAttribute("aria-invalid", "true");
    await waitFor(() => expect(field).toHaveFocus());
  });

  it("Save publishes the next version (enabled untouched) and says so", async () => {
    const user = userEvent.setup();
    const v3 = rule({ version: 3, actions: [{ type: "create_tasks", due_in_days: 5 }] });
    automationsApi.updateRule.mockImplementation(async () => {
      automationsApi.getRule.mockResolvedValue({ rule: v3, versions: VERSIONS });
      return v3;
    });
    renderEditor(`/teams/${TEAM_ID}/automations/${RULE_ID}`);
    const due = await screen.findByLabelText("Due in (days)");
    expect(versionLine()).toHaveTextContent("Version 2, published");
    await user.clear(due);
    await user.type(due, "5");
    expect(screen.getByText("Unsaved changes: not live")).toBeInTheDocument();
    expect(screen.getByText("Saving publishes version 3.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(automationsApi.updateRule).toHaveBeenCalledWith(TEAM_ID, RULE_ID, {
      name: "Tasks from action items",
      trigger: "meeting.linked_to_lead",
      conditions: { match: "all", rules: [] },
      actions: [{ type: "create_tasks", due_in_days: 5 }],
    });
    await waitFor(() => expect(versionLine()).toHaveTextContent("Version 3, published just now"));
    expect(versionLine()).toHaveFocus();
    expect(screen.queryByText("Unsaved changes: not live")).not.toBeInTheDocument();
  });

  it("with nothing changed, Save is disabled and says No changes to save; the version line shows its real time", async () => {
    const user = userEvent.setup();
    renderEditor(`/teams/${TEAM_ID}/automations/${RULE_ID}`);
    const due = await screen.findByLabelText("Due in (days)");
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    expect(screen.getByText("No changes to save.")).toBeInTheDocument();
    expect(screen.queryByText(/Saving publishes/)).not.toBeInTheDocument();
    expect(versionLine()).not.toHaveTextContent("just now");
    expect(versionLine().querySelector("time")).toHaveAttribute("datetime", "2026-11-21T10:00:00Z");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(automationsApi.updateRule).not.toHaveBeenCalled();
    await user.clear(due);
    await user.type(due, "4");
    expect(screen.getByRole("button", { name: "Save" })).toBeEnabled();
    expect(screen.getByText("Saving publishes version 3.")).toBeInTheDocument();
  });

  it("a new automation starts with no action and an Add an action call; Save refuses it empty, at the field", async () => {
    const user = userEvent.setup();
    renderEditor(`/teams/${TEAM_ID}/automations/new`);
    await user.type(await screen.findByLabelText("Name"), "Mine");
    expect(screen.queryByRole("heading", { name: /^1\. / })).not.toBeInTheDocument();
    expect(screen.getByTestId("no-actions")).toHaveTextContent("No action yet.");
    expect(screen.getByRole("button", { name: "Add an action" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Save, turned off" }));
    expect(automationsApi.createRule).not.toHaveBeenCalled();
    const picker = screen.getByLabelText("Action to add");
    await waitFor(() => expect(picker).toHaveFocus());
    expect(picker).toHaveAccessibleDescription("Add an action: an automation needs something to do when it runs.");
    expect(picker).toHaveAttribute("aria-invalid", "true");
  });

  it("the switch enables without publishing", async () => {
    const user = userEvent.setup();
    automationsApi.getRule.mockResolvedValue({ rule: rule({ enabled: false }), versions: VERSIONS });
    automationsApi.updateRule.mockResolvedValue(rule({ enabled: true }));
    renderEditor(`/teams/${TEAM_ID}/automations/${RULE_ID}`);
    await user.click(await screen.findByRole("switch", { name: "Tasks from action items: off" }));
    expect(automationsApi.updateRule).toHaveBeenCalledWith(TEAM_ID, RULE_ID, { enabled: true });
  });

  it("a paused rule shows why; Turn on again enables it and focus goes to the switch", async () => {
    const user = userEvent.setup();
    const paused = rule({ enabled: false, paused_reason: "5 runs in a row failed" });
    automationsApi.getRule.mockResolvedValue({ rule: paused, versions: VERSIONS });
    automationsApi.updateRule.mockImplementation(async () => {
      automationsApi.getRule.mockResolvedValue({ rule: rule({ enabled: true }), versions: VERSIONS });
      return rule({ enabled: true });
    });
    renderEditor(`/teams/${TEAM_ID}/automations/${RULE_ID}`);
    expect(await screen.findByText("5 runs in a row failed")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Turn on again" }));
    expect(automationsApi.updateRule).toHaveBeenCalledWith(TEAM_ID, RULE_ID, { enabled: true });
    await waitFor(() => expect(screen.queryByText("5 runs in a row failed")).not.toBeInTheDocument());
    await waitFor(() => expect(screen.getByRole("switch", { name: "Tasks from action items: on" })).toHaveFocus());
  });

  it("skip links: the first Tab stop, each moving focus to its section (actions, test, runs)", async () => {
    const user = userEvent.setup();
    renderEditor(`/teams/${TEAM_ID}/automations/${RULE_ID}`);
    await screen.findByRole("heading", { name: "Test" });
    const nav = within(screen.getByRole("navigation", { name: "Skip links" }));
    await user.tab();
    expect(nav.getByRole("link", { name: "Skip to the actions (Then)" })).toHaveFocus();
    await user.click(nav.getByRole("link", { name: "Skip to Test" }));
    expect(screen.getByRole("heading", { name: "Test" })).toHaveFocus();
    await user.click(nav.getByRole("link", { name: "Skip to Runs" }));
    expect(screen.getByRole("heading", { name: "Runs" })).toHaveFocus();
  });

  it("opened from the list to fix a step (?fix=): the problem is said at its field, which has focus; no Turn on again", async () => {
    const broken = rule({
      enabled: false,
      paused_reason: "Paused after 5 failed runs in a row.",
      actions: [{ type: "create_tasks", due_in_days: 3 }, { type: "send_webhook", endpoint_id: "e-gone" }],
      problems: [{ action_index: 1, field: "endpoint_id", message: "Step 2 (Send a webhook): its webhook endpoint was deleted. Pick another endpoint." }],
    });
    automationsApi.getRule.mockResolvedValue({ rule: broken, versions: VERSIONS });
    automationsApi.listEndpoints.mockResolvedValue([
      { id: "e1", name: "Deals", url_host: "hooks.example.com", path_hint: "hooks.example.com/crm/deals", used_by: [], created_at: null },
    ]);
    renderEditor(`/teams/${TEAM_ID}/automations/${RULE_ID}?fix=${encodeURIComponent("actions[1].endpoint_id")}`);
    const select = await screen.findByLabelText("Endpoint");
    await waitFor(() => expect(select).toHaveFocus());
    expect(select).toHaveAccessibleDescription(/its webhook endpoint was deleted/);
    // the picker tells endpoints on one host apart by their path
    expect(within(select).getByRole("option", { name: "Deals (hooks.example.com/crm/deals)" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Turn on again" })).not.toBeInTheDocument();
  });

  it("the test panel dry-runs the draft on a chosen meeting: conditions with actual values, resolved inputs, warnings", async () => {
    const user = userEvent.setup();
    automationsApi.getRule.mockResolvedValue({
      rule: rule({
        conditions: { match: "all", rules: [{ field: "meeting.duration_minutes", op: "gte", value: 15 }] },
        actions: [{ type: "create_tasks", due_in_days: 3 }, { type: "post_slack", template: SLACK_SUMMARY_TEMPLATE }],
      }),
      versions: VERSIONS,
    });
    automationsApi.testRule.mockResolvedValue({
      conditions: { passed: true, results: [{ field: "meeting.duration_minutes", op: "gte", value: 15, actual: 59, passed: true }] },
      actions: [
        { index: 0, type: "create_tasks", input: { tasks: [{ title: "Email revised proposal" }] }, would: "would create 3 tasks" },
        { index: 1, type: "post_slack", input: { text: "*Quarterly Business Review* with Grace Hopper\n" }, would: "would post to #sales" },
      ],
      missing: ["meeting.summary"],
    });
    renderEditor(`/teams/${TEAM_ID}/automations/${RULE_ID}`);
    const panel = within((await screen.findByRole("heading", { name: "Test" })).closest("section")!);
    const meeting = await panel.findByLabelText("Meeting");
    await waitFor(() => expect(within(meeting).getAllByRole("option")).toHaveLength(2));
    expect(within(meeting).getAllByRole("option")[0]).toHaveTextContent(/Quarterly Business Review · .* · Grace Hopper/);
    // a meeting linked to no lead is marked: "linked to a lead" would not fire on it
    expect(within(meeting).getAllByRole("option")[1]).toHaveTextContent(/Intro call · .* · no lead: would not fire/);
    await user.selectOptions(meeting, "m2");
    await user.click(panel.getByRole("button", { name: "Test" }));
    expect(automationsApi.testRule).toHaveBeenCalledWith(TEAM_ID, RULE_ID, {
      meetingId: "m2",
      rule: expect.objectContaining({ actions: [{ type: "create_tasks", due_in_days: 3 }, { type: "post_slack", template: SLACK_SUMMARY_TEMPLATE }] }),
    });
    const result = within(await panel.findByTestId("test-result"));
    expect(result.getByText("Conditions met: it would run")).toBeInTheDocument();
    expect(result.getByText(/Meeting duration \(minutes\) is at least 15/)).toBeInTheDocument();
    expect(result.getByText("(actual: 59)")).toBeInTheDocument();
    expect(result.getByText("would create 3 tasks")).toBeInTheDocument();
    expect(result.getByText(/\*Quarterly Business Review\* with Grace Hopper/)).toBeInTheDocument();
    expect(result.getByText("{{meeting.summary}} would be empty.")).toBeInTheDocument();

    automationsApi.testRule.mockResolvedValue({
      conditions: { passed: true, results: [] },
      actions: [
        {
          index: 1,
          type: "post_slack",
          input: { text: "x" },
          would: "would post",
          sent: { ok: true },
          posted: { sent: "slack", channel: "#sales", workspace: "Acme", posted_at: "2026-11-29T20:53:47Z" },
        },
      ],
      missing: [],
    });
    await user.click(panel.getByRole("button", { name: "Send test messages" }));
    expect(automationsApi.testRule).toHaveBeenLastCalledWith(TEAM_ID, RULE_ID, expect.objectContaining({ meetingId: "m2", send: true }));
    expect(await panel.findByText(`Test message sent: posted to #sales in Acme at ${formatTime("2026-11-29T20:53:47Z")}`)).toBeInTheDocument();
  });

  it("the test panel's create_tasks lists each task it would create with its assignee and why", async () => {
    const user = userEvent.setup();
    automationsApi.getRule.mockResolvedValue({ rule: rule({ actions: [{ type: "create_tasks", due_in_days: 3 }] }), versions: VERSIONS });
    automationsApi.testRule.mockResolvedValue({
      conditions: { passed: true, results: [] },
      actions: [
        {
          index: 0,
          type: "create_tasks",
          input: { type: "create_tasks", items: [] },
          would: "Would create 2 tasks for the team on Grace Hopper's lead page, due in 3 days.",
          tasks: [
            { item_index: 0, title: "Email revised proposal", lead_id: "l1", assignee: { id: "u1", name: "Ada Admin" }, assignee_reason: "action_item_assignee", due_on: "2026-12-03" },
            { item_index: 1, title: "Book the pilot", lead_id: "l1", assignee: null, assignee_reason: "nobody", due_on: "2026-12-03" },
          ],
        },
      ],
      missing: [],
    });
    renderEditor(`/teams/${TEAM_ID}/automations/${RULE_ID}`);
    const panel = within((await screen.findByRole("heading", { name: "Test" })).closest("section")!);
    await waitFor(() => expect(within(panel.getByLabelText("Meeting")).getAllByRole("option").length).toBeGreaterThan(0));
    await user.click(panel.getByRole("button", { name: "Test" }));
    const result = within(await panel.findByTestId("test-result"));
    const tasks = (await result.findAllByTestId("task-outcome")).map((t) => within(t));
    expect(tasks).toHaveLength(2);
    expect(tasks[0].getByText("Email revised proposal")).toBeInTheDocument();
    expect(tasks[0].getByText("would be created")).toBeInTheDocument();
    expect(tasks[0].getByText(/Assignee: Ada Admin \(named in the action item\) · due 2026-12-03/)).toBeInTheDocument();
    expect(tasks[1].getByText(/Assignee: nobody/)).toBeInTheDocument();
  });

  it("members see it read-only: no Save, no Delete, no Send test messages, disabled fields", async () => {
    automationsApi.getRule.mockResolvedValue({
      rule: rule({ actions: [{ type: "post_slack", template: "x" }] }),
      versions: VERSIONS,
    });
    renderEditor(`/teams/${TEAM_ID}/automations/${RULE_ID}`, MEMBER_TEAM);
    expect(await screen.findByLabelText("Name")).toBeDisabled();
    expect(screen.getByLabelText("Message of action 1")).toBeDisabled();
    expect(screen.getByRole("switch")).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Save" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Delete" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Insert a variable/ })).not.toBeInTheDocument();
    expect(await screen.findByRole("button", { name: "Test" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Send test messages" })).not.toBeInTheDocument();
    expect(screen.getByText(/only owners and admins can change it/)).toBeInTheDocument();
  });

  it("delete after a confirmation: back to the list, focus on its heading", async () => {
    const user = userEvent.setup();
    automationsApi.deleteRule.mockResolvedValue(undefined);
    renderEditor(`/teams/${TEAM_ID}/automations/${RULE_ID}`);
    await user.click(await screen.findByRole("button", { name: "Delete" }));
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Delete" }));
    expect(automationsApi.deleteRule).toHaveBeenCalledWith(TEAM_ID, RULE_ID);
    await waitFor(() => expect(screen.getByRole("heading", { name: "Automations", level: 1 })).toHaveFocus());
  });

  it("each published version opens (read-only) from the Versions list", async () => {
    renderEditor(`/teams/${TEAM_ID}/automations/${RULE_ID}`);
    const versions = within(await screen.findByRole("region", { name: "Versions" }));
    expect(versions.getByRole("link", { name: "Version 2" })).toHaveAttribute("href", `/teams/${TEAM_ID}/automations/${RULE_ID}/versions/2`);
    expect(versions.getByRole("link", { name: "Version 1" })).toHaveAttribute("href", `/teams/${TEAM_ID}/automations/${RULE_ID}/versions/1`);
  });

  it("an unknown rule says not found", async () => {
    automationsApi.getRule.mockRejectedValue(new ApiError("rule_not_found", "x", 404));
    renderEditor(`/teams/${TEAM_ID}/automations/${RULE_ID}`);
    expect(await screen.findByRole("heading", { name: "Automation not found" })).toBeInTheDocument();
  });
});
