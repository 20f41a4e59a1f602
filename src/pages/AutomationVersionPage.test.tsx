import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, within } from "@testing-library/react";
import { Route } from "react-router-dom";
import { ApiError } from "@/lib/apiError";
import type { RuleVersionDetail } from "@/lib/automationTypes";
import { automationsApi, CATALOG, RULE_ID, RUN_ID, runDetail } from "@/test/automationsApiMock";
import { renderTeamRoutes } from "@/test/render";
import { MEMBER_TEAM, TEAM_ID } from "@/test/fixtures";
import { AutomationVersionPage } from "./AutomationVersionPage";

vi.mock("@/lib/automationsApi", () => import("@/test/automationsApiMock"));
vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: {} }));

const V1: RuleVersionDetail = {
  id: "v1",
  rule_id: RULE_ID,
  version: 1,
  name: "Tasks from action items",
  trigger: "meeting.linked_to_lead",
  conditions: { match: "all", rules: [{ field: "meeting.duration_minutes", op: "gte", value: 5 }] },
  actions: [{ type: "create_tasks", due_in_days: 3 }, { type: "post_slack", template: "Hi {{lead.name}}" }],
  created_at: "2026-11-20T10:00:00Z",
  created_by: { id: "u1", name: "Dana Admin", email: "dana@example.com" },
  current_version: 2,
};

function renderVersion(path: string) {
  return renderTeamRoutes(<Route path="automations/:ruleId/versions/:version" element={<AutomationVersionPage />} />, {
    path,
    team: MEMBER_TEAM,
  });
}

beforeEach(() => {
  vi.clearAllMocks();
  automationsApi.getCatalog.mockResolvedValue(CATALOG);
  automationsApi.getVersion.mockResolvedValue(V1);
});

describe("AutomationVersionPage", () => {
  it("shows the version read-only: trigger, conditions, actions with templates, who published it, not current", async () => {
    renderVersion(`/teams/${TEAM_ID}/automations/${RULE_ID}/versions/1`);
    expect(await screen.findByRole("heading", { level: 1, name: "Tasks from action items version 1" })).toBeInTheDocument();
    expect(automationsApi.getVersion).toHaveBeenCalledWith(TEAM_ID, RULE_ID, 1);
    const body = within(screen.getByRole("region", { name: "Version 1" }));
    expect(body.getByText(/a meeting is linked to a lead/)).toBeInTheDocument();
    expect(body.getByText(/Meeting duration/)).toBeInTheDocument();
    expect(body.getByText("Create tasks from action items, due in 3 days")).toBeInTheDocument();
    expect(body.getByText("Hi {{lead.name}}")).toBeInTheDocument();
    expect(screen.getByText(/by Dana Admin/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "version 2 is" })).toHaveAttribute("href", `/teams/${TEAM_ID}/automations/${RULE_ID}`);
    expect(screen.queryByRole("textbox")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /save/i })).not.toBeInTheDocument();
    expect(screen.queryByTestId("used-by-run")).not.toBeInTheDocument();
  });

  it("reached from a run that used it: says so, linked to the run", async () => {
    automationsApi.getRun.mockResolvedValue(runDetail({ version: 1, version_rule: { ...V1 } }));
    renderVersion(`/teams/${TEAM_ID}/automations/${RULE_ID}/versions/1?run=${RUN_ID}`);
    const note = await screen.findByTestId("used-by-run");
    expect(note).toHaveTextContent(/^This is the version the run of .* used\.$/);
    expect(within(note).getByRole("link")).toHaveAttribute("href", `/teams/${TEAM_ID}/automations/runs/${RUN_ID}`);
  });

  it("a run that used another version claims nothing", async () => {
    automationsApi.getRun.mockResolvedValue(runDetail());
    renderVersion(`/teams/${TEAM_ID}/automations/${RULE_ID}/versions/1?run=${RUN_ID}`);
    await screen.findByRole("heading", { level: 1 });
    await vi.waitFor(() => expect(automationsApi.getRun).toHaveBeenCalled());
    expect(screen.queryByTestId("used-by-run")).not.toBeInTheDocument();
  });

  it("an unknown version or a bad number says not found", async () => {
    automationsApi.getVersion.mockRejectedValue(new ApiError("version_not_found", "x", 404));
    renderVersion(`/teams/${TEAM_ID}/automations/${RULE_ID}/versions/7`);
    expect(await screen.findByRole("heading", { name: "Version not found" })).toBeInTheDocument();
    renderVersion(`/teams/${TEAM_ID}/automations/${RULE_ID}/versions/abc`);
    expect((await screen.findAllByRole("heading", { name: "Version not found" })).length).toBe(2);
  });
});
