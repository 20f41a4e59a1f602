import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route } from "react-router-dom";
import { toast } from "@/lib/toast";
import { ApiError } from "@/lib/apiError";
import { automationsApi, CATALOG, rule, RULE_ID, RUN_ID, runDetail, runSummary } from "@/test/automationsApiMock";
import { renderTeamRoutes } from "@/test/render";
import { ADMIN_TEAM, MEMBER_TEAM, TEAM_ID } from "@/test/fixtures";
import type { Team } from "@/lib/types";
import { formatDateTime, formatTime } from "@/lib/utils";
import { AutomationRunPage } from "./AutomationRunPage";

vi.mock("@/lib/automationsApi", () => import("@/test/automationsApiMock"));
vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: {} }));
vi.mock("@/lib/toast", () => ({ toast: Object.assign(vi.fn(), { error: vi.fn(), success: vi.fn() }) }));

function renderRun(team: Team = ADMIN_TEAM) {
  return renderTeamRoutes(<Route path="automations/runs/:runId" element={<AutomationRunPage />} />, {
    path: `/teams/${TEAM_ID}/automations/runs/${RUN_ID}`,
    team,
  });
}

beforeEach(() => {
  vi.clearAllMocks();
  automationsApi.getCatalog.mockResolvedValue(CATALOG);
  automationsApi.getRun.mockResolvedValue(runDetail());
  // the rule now: version 3, which a re-run would use
  automationsApi.getRule.mockResolvedValue({
    rule: rule({
      version: 3,
      actions: [
        { type: "create_tasks", due_in_days: 3 },
        { type: "post_slack", template: "hi" },
        { type: "send_webhook", endpoint_id: "e1" },
      ],
    }),
    versions: [],
  });
});

/** Clicks Re-run and confirms in its dialog. */
async function rerunConfirmed(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole("button", { name: "Re-run" }));
  const dialog = await screen.findByRole("alertdialog");
  await user.click(await within(dialog).findByRole("button", { name: "Re-run on version 3" }));
}

describe("AutomationRunPage", () => {
  it("a dead run: red chip with its reason, step cards, the context and the rule as it was", async () => {
    renderRun();
    expect(await screen.findByRole("link", { name: "Post the summary to Slack" })).toHaveAttribute(
      "href",
      `/teams/${TEAM_ID}/automations/${RULE_ID}`,
    );
    expect(screen.getAllByText("Failed")[0]).toHaveAttribute("data-status", "dead");
    const steps = screen.getAllByTestId("step-card").map((c) => within(c));
    expect(steps).toHaveLength(2);
    expect(steps[0].getByText("Succeeded")).toBeInTheDocument();
    expect(steps[0].getByText(/"task_ids"/)).toBeInTheDocument();
    expect(steps[1].getByText("6 attempts")).toBeInTheDocument();
    expect(steps[1].getByText("The Slack channel is gone (404)")).toHaveClass("text-red-700");
    expect(steps[1].getByText(/\*Quarterly Business Review\*/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Grace Hopper" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "The automation as it was (version 2)" })).toBeInTheDocument();
    expect(screen.getByText("Create tasks from action items, due in 3 days")).toBeInTheDocument();
  });

  it("a run of a renamed rule is titled with the name of the version it ran, and says the rule's name now", async () => {
    automationsApi.getRun.mockResolvedValue(runDetail({ rule_name: "Webhook to 500", version_name: "Webhook to 404", version: 1 }));
    renderRun();
    expect(await screen.findByRole("link", { name: "Webhook to 404" })).toBeInTheDocument();
    expect(screen.getByText("Ran version 1; the automation has since been renamed “Webhook to 500”.")).toBeInTheDocument();
  });

  it("admins: Retry failed steps (dead runs) and Re-run (a new run, opened)", async () => {
    const user = userEvent.setup();
    automationsApi.retryRun.mockResolvedValue(runSummary({ status: "queued" }));
    automationsApi.rerunRun.mockResolvedValue(runSummary({ id: "run-2", retry_of: RUN_ID, status: "queued" }));
    renderRun();
    await user.click(await screen.findByRole("button", { name: "Retry failed steps" }));
    expect(automationsApi.retryRun).toHaveBeenCalledWith(TEAM_ID, RUN_ID);
    await waitFor(() => expect(toast.success).toHaveBeenCalledWith("Retrying the failed steps"));
    await rerunConfirmed(user);
    expect(automationsApi.rerunRun).toHaveBeenCalledWith(TEAM_ID, RUN_ID);
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent(`/teams/${TEAM_ID}/automations/runs/run-2`));
  });

  it("a run that is not dead offers no Retry; a refused retry says why", async () => {
    const user = userEvent.setup();
    automationsApi.getRun.mockResolvedValue(runDetail({ status: "succeeded", error_code: null, error_message: null }));
    automationsApi.rerunRun.mockRejectedValue(new ApiError("not_team_admin", "x", 403));
    renderRun();
    await screen.findByRole("button", { name: "Re-run" });
    expect(screen.queryByRole("button", { name: "Retry failed steps" })).not.toBeInTheDocument();
    await rerunConfirmed(user);
    await waitFor(() => expect(toast.error).toHaveBeenCalledWith("Only team owners and admins can do this."));
  });

  it("a run still retrying: Re-run is aria-disabled with the reason beside it, and a click sends nothing", async () => {
    const user = userEvent.setup();
    automationsApi.getRun.mockResolvedValue(runDetail({ status: "retrying", error_code: null, error_message: null }));
    renderRun();
    const button = await screen.findByRole("button", { name: "Re-run" });
    expect(button).toHaveAttribute("aria-disabled", "true");
    expect(button).toHaveAccessibleDescription("Re-run is possible once this run has finished: it will try the failed step again.");
    await user.click(button);
    expect(automationsApi.rerunRun).not.toHaveBeenCalled();
  });

  it("a failed attempt of a retrying run says when it failed and when it is tried next, not Finished nor Failed alone", async () => {
    const detail = runDetail({ status: "retrying", attempt: 3, next_attempt_at: "2026-11-29T11:00:00Z" });
    detail.steps[1] = { ...detail.steps[1], status: "failed", attempts: 3, finished_at: "2026-11-29T10:30:00Z" };
    automationsApi.getRun.mockResolvedValue(detail);
    renderRun();
    const card = within((await screen.findAllByTestId("step-card"))[1]);
    expect(card.getByText("Will retry")).toBeInTheDocument();
    expect(card.queryByText("Failed")).not.toBeInTheDocument();
    expect(card.queryByText(/^Finished/)).not.toBeInTheDocument();
    expect(card.getByTestId("step-retry")).toHaveTextContent(
      `Attempt 3 failed at ${formatDateTime("2026-11-29T10:30:00Z")}, next try at ${formatDateTime("2026-11-29T11:00:00Z")}.`,
    );
  });

  it("a chat step says where it posted (channel and workspace, never a URL) and when, not {\"sent\":\"slack\"}", async () => {
    const detail = runDetail({ status: "succeeded", error_code: null, error_message: null });
    detail.steps[1] = {
      ...detail.steps[1],
      status: "succeeded",
      error_code: null,
      error_message: null,
      output: { sent: "slack", channel: "#sales", workspace: "Acme", posted_at: "2026-11-29T20:53:47Z" },
    };
    automationsApi.getRun.mockResolvedValue(detail);
    renderRun();
    const card = within((await screen.findAllByTestId("step-card"))[1]);
    expect(card.getByTestId("chat-outcome")).toHaveTextContent(`Posted to #sales in Acme at ${formatTime("2026-11-29T20:53:47Z")}.`);
    expect(card.queryByText(/"sent"/)).not.toBeInTheDocument();
  });

  it("a refused re-run shows the server's own reason, not the Retry sentence", async () => {
    const user = userEvent.setup();
    automationsApi.getRun.mockResolvedValue(runDetail({ status: "succeeded", error_code: null, error_message: null }));
    automationsApi.rerunRun.mockRejectedValue(
      new ApiError("not_retryable", "A re-run of this run is still running; wait for it to finish.", 409),
    );
    renderRun();
    await screen.findByRole("button", { name: "Re-run" });
    await rerunConfirmed(user);
    await waitFor(() => expect(toast.error).toHaveBeenCalledWith("A re-run of this run is still running; wait for it to finish."));
  });

  it("Re-run asks first: the CURRENT version (not the run's), which steps act again, messages sent again; Cancel sends nothing", async () => {
    const user = userEvent.setup();
    renderRun();
    await user.click(await screen.findByRole("button", { name: "Re-run" }));
    const dialog = within(await screen.findByRole("alertdialog"));
    await dialog.findByRole("button", { name: "Re-run on version 3" });
    expect(dialog.getByText(/current version \(version 3\), not on version 2 that this run used/)).toBeInTheDocument();
    expect(dialog.getByText(/Messages and webhooks are sent again\./)).toBeInTheDocument();
    const steps = within(dialog.getByRole("list", { name: "What each step does again" })).getAllByRole("listitem");
    expect(steps.map((li) => li.textContent)).toEqual([
      "Create tasks from action items: makes a task only for an action item that has none for this lead yet; existing tasks are kept, not made again",
      "Post to Slack: posts the message to Slack again",
      "Send a webhook: sends the webhook again, with a new webhook-id: the receiver sees a new delivery",
    ]);
    await user.click(dialog.getByRole("button", { name: "Cancel" }));
    expect(automationsApi.rerunRun).not.toHaveBeenCalled();
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
  });

  it("a webhook step shows the endpoint's name, the body sent, the webhook-id and the answer, not its settings", async () => {
    const body = { type: "meeting.linked_to_lead", id: RUN_ID, data: { message: "Met Grace" } };
    automationsApi.getRun.mockResolvedValue(
      runDetail({
        steps: [
          {
            step_index: 0,
            action_type: "send_webhook",
            status: "failed",
            resolved_input: { type: "send_webhook", endpoint_id: "ee000000-0000-4000-8000-000000000001", message: "Met Grace" },
            output: {
              endpoint: { id: "ee000000-0000-4000-8000-000000000001", name: "Zapier: new calls" },
              webhook_id: `${RUN_ID}:0`,
              body,
              sent: true,
              status: 502,
              response_excerpt: "Bad gateway [redacted]",
            },
            error_code: "http_502",
            error_message: "The endpoint answered HTTP 502.",
            attempts: 2,
            started_at: null,
            finished_at: null,
          },
        ],
      }),
    );
    renderRun();
    const card = within((await screen.findAllByTestId("step-card"))[0]);
    expect(card.getByText("Zapier: new calls")).toBeInTheDocument();
    expect(card.getByText(`${RUN_ID}:0`)).toBeInTheDocument();
    expect(card.getByText("HTTP 502")).toHaveClass("text-red-700");
    expect(card.getByRole("region", { name: "Answer to Body sent by step 1" })).toHaveTextContent("Bad gateway [redacted]");
    expect(card.getByRole("region", { name: "Body sent by step 1" })).toHaveTextContent('"message": "Met Grace"');
    expect(card.queryByText(/endpoint_id/)).not.toBeInTheDocument();
  });

  it("a create_tasks step lists each task: title linked to its lead, assignee and why, due date, already existed", async () => {
    const lead = "11111111-1111-4111-8111-111111111111";
    automationsApi.getRun.mockResolvedValue(
      runDetail({
        steps: [
          {
            step_index: 0,
            action_type: "create_tasks",
            status: "succeeded",
            resolved_input: { type: "create_tasks", items: [] },
            output: {
              created: 1,
              tasks: [
                {
                  id: "t1", item_index: 0, title: "Send the proposal", lead_id: lead,
                  assignee: { id: "u1", name: "Ada Admin" }, assignee_reason: "action_item_assignee",
                  due_on: "2026-12-03", outcome: "created",
                },
                {
                  id: "t2", item_index: 1, title: "Book the demo", lead_id: lead,
                  assignee: { id: "u2", name: "Mo Member" }, assignee_reason: null, due_on: null,
                  outcome: "already_existed", made_by: { source: "person", automation_run_id: null },
                },
                {
                  id: "t3", item_index: 2, title: "Call back", lead_id: lead, assignee: { id: "u2", name: "Mo Member" },
                  assignee_reason: "lead_owner", due_on: "2026-12-03", outcome: "created",
                },
              ],
            },
            error_code: null,
            error_message: null,
            attempts: 1,
            started_at: null,
            finished_at: null,
          },
        ],
      }),
    );
    renderRun();
    const tasks = (await screen.findAllByTestId("task-outcome")).map((t) => within(t));
    expect(tasks[0].getByRole("link", { name: "Send the proposal" })).toHaveAttribute("href", `/teams/${TEAM_ID}/leads/${lead}`);
    expect(tasks[0].getByText("created")).toBeInTheDocument();
    expect(tasks[0].getByText(/Assignee: Ada Admin \(named in the action item\) · due 2026-12-03/)).toBeInTheDocument();
    expect(tasks[1].getByText("already existed: made by a person")).toBeInTheDocument();
    expect(tasks[1].getByText(/Assignee: Mo Member \(as the existing task has it\) · no due date/)).toBeInTheDocument();
    expect(tasks[2].getByText(/Mo Member \(the lead's owner\)/)).toBeInTheDocument();
  });

  it("add_note and set_stage steps say what they did to the lead, in words", async () => {
    const step = (step_index: number, action_type: string, resolved_input: unknown, output: unknown) => ({
      step_index, action_type, status: "succeeded" as const, resolved_input, output, error_code: null, error_message: null,
      attempts: 1, started_at: null, finished_at: null,
    });
    automationsApi.getRun.mockResolvedValue(
      runDetail({
        steps: [
          step(0, "add_note", { type: "add_note", body: "Met Grace" }, { note_id: "n1", created: true }),
          step(1, "set_stage", { type: "set_stage", stage: "qualified" }, { from: "new", to: "qualified" }),
          step(2, "set_stage", { type: "set_stage", stage: "contacted" }, { unchanged: "qualified", reason: "qualified to contacted would move backwards" }),
          step(3, "add_note", { type: "add_note", body: "Again" }, { note_id: "n1", created: false }),
        ],
      }),
    );
    renderRun();
    const cards = (await screen.findAllByTestId("step-card")).map((c) => within(c));
    expect(cards[0].getByTestId("note-outcome")).toHaveTextContent("Added this note to Grace Hopper:");
    expect(cards[0].getByRole("region", { name: "Note of step 1" })).toHaveTextContent("Met Grace");
    expect(cards[1].getByTestId("stage-outcome")).toHaveTextContent("Moved Grace Hopper from new to qualified.");
    expect(cards[2].getByTestId("stage-outcome")).toHaveTextContent("Left Grace Hopper at qualified: qualified to contacted would move backwards.");
    expect(cards[3].getByTestId("note-outcome")).toHaveTextContent(/already on Grace Hopper \(found by its key, not added again\)/);
    expect(screen.queryByText(/"note_id"/)).not.toBeInTheDocument();
  });

  it("the header counts what the step cards count: steps, attempts per step, the automatic tries named as such", async () => {
    renderRun();
    await screen.findAllByTestId("step-card");
    expect(screen.getByText("· 2 steps ran, 6 attempts on step 2 · automatic try 6 of 6")).toBeInTheDocument();
    expect(screen.queryByText(/· attempt 6/)).not.toBeInTheDocument();
  });

  it("a re-run says which run it re-ran; the original links to its re-runs; the version it used opens", async () => {
    const original = { id: "r0", status: "dead" as const, created_at: "2026-11-28T09:00:00Z", version: 1 };
    automationsApi.getRun.mockResolvedValue(
      runDetail({
        retry_of: "r0",
        retry_of_run: original,
        retries: [{ id: "r2", status: "succeeded", created_at: "2026-11-29T11:00:00Z", version: 3 }],
      }),
    );
    renderRun();
    const back = await screen.findByRole("link", { name: /^the run of .* \(version 1, failed\)$/ });
    expect(back).toHaveAttribute("href", `/teams/${TEAM_ID}/automations/runs/r0`);
    expect(back.parentElement).toHaveTextContent(/^Re-run of the run of/);
    expect(screen.getByRole("link", { name: /^the run of .* \(version 3, succeeded\)$/ })).toHaveAttribute(
      "href",
      `/teams/${TEAM_ID}/automations/runs/r2`,
    );
    expect(screen.getByRole("link", { name: "Open version 2" })).toHaveAttribute(
      "href",
      `/teams/${TEAM_ID}/automations/${RULE_ID}/versions/2?run=${RUN_ID}`,
    );
  });

  it("members read the run without Retry or Re-run", async () => {
    renderRun(MEMBER_TEAM);
    await screen.findAllByTestId("step-card");
    expect(screen.queryByRole("button", { name: "Retry failed steps" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Re-run" })).not.toBeInTheDocument();
  });

  it("a run of a deleted automation is not found", async () => {
    automationsApi.getRun.mockRejectedValue(new ApiError("run_not_found", "x", 404));
    renderRun();
    expect(await screen.findByRole("heading", { name: "Run not found" })).toBeInTheDocument();
  });
});
