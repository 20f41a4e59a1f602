import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route } from "react-router-dom";
import { toast } from "@/lib/toast";
import { ApiError } from "@/lib/apiError";
import { automationsApi, CATALOG, RULE_ID, RUN_ID, runDetail, runSummary } from "@/test/automationsApiMock";
import { renderTeamRoutes } from "@/test/render";
import { ADMIN_TEAM, MEMBER_TEAM, TEAM_ID } from "@/test/fixtures";
import type { Team } from "@/lib/types";
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
});

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

  it("admins: Retry failed steps (dead runs) and Re-run (a new run, opened)", async () => {
    const user = userEvent.setup();
    automationsApi.retryRun.mockResolvedValue(runSummary({ status: "queued" }));
    automationsApi.rerunRun.mockResolvedValue(runSummary({ id: "run-2", retry_of: RUN_ID, status: "queued" }));
    renderRun();
    await user.click(await screen.findByRole("button", { name: "Retry failed steps" }));
    expect(automationsApi.retryRun).toHaveBeenCalledWith(TEAM_ID, RUN_ID);
    await waitFor(() => expect(toast.success).toHaveBeenCalledWith("Retrying the failed steps"));
    await user.click(screen.getByRole("button", { name: "Re-run" }));
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
    await user.click(screen.getByRole("button", { name: "Re-run" }));
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

  it("a refused re-run shows the server's own reason, not the Retry sentence", async () => {
    const user = userEvent.setup();
    automationsApi.getRun.mockResolvedValue(runDetail({ status: "succeeded", error_code: null, error_message: null }));
    automationsApi.rerunRun.mockRejectedValue(
      new ApiError("not_retryable", "A re-run of this run is still running; wait for it to finish.", 409),
    );
    renderRun();
    await user.click(await screen.findByRole("button", { name: "Re-run" }));
    await waitFor(() => expect(toast.error).toHaveBeenCalledWith("A re-run of this run is still running; wait for it to finish."));
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
