import { describe, expect, it, vi, beforeEach } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route } from "react-router-dom";
import { api } from "@/test/apiMock";
import { deferred, renderTeamRoutes } from "@/test/render";
import { MEMBER_TEAM, TEAM_ID, lead, meetingDetail, task } from "@/test/fixtures";
import { ApiError } from "@/lib/apiError";
import { toast } from "@/lib/toast";
import type { MeetingDetail, Task } from "@/lib/types";
import { MeetingPage } from "./MeetingPage";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: {} }));
vi.mock("@/lib/toast", () => ({ toast: Object.assign(vi.fn(), { error: vi.fn(), success: vi.fn() }) }));

const MEETING_ID = "22222221-2222-4222-8222-222222222221";
const GRACE = { id: "11111111-1111-4111-8111-111111111111", name: "Grace Hopper" };
const ADA = { id: "11111111-1111-4111-8111-111111111112", name: "Ada Lovelace" };

function renderMeeting() {
  return renderTeamRoutes(
    <>
      <Route path="meetings/:meetingId" element={<MeetingPage />} />
      <Route path="tasks" element={<p>tasks page</p>} />
    </>,
    { path: `/teams/${TEAM_ID}/meetings/${MEETING_ID}`, team: MEMBER_TEAM },
  );
}

function withTask(m: MeetingDetail, index: number, t: { id: string; done: boolean } | null): MeetingDetail {
  return { ...m, action_items: (m.action_items ?? []).map((a) => (a.index === index ? { ...a, task: t } : a)) };
}

beforeEach(() => {
  vi.clearAllMocks();
  api.getMeeting.mockResolvedValue(meetingDetail());
  api.listLeads.mockResolvedValue({ leads: [lead()], next_cursor: null });
});

describe("MeetingPage action items", () => {
  it("ticking an item creates its task through the idempotent POST (by the server's index), at once on screen", async () => {
    const answer = deferred<Task>();
    api.createTask.mockReturnValue(answer.promise);
    const user = userEvent.setup();
    renderMeeting();
    const box = await screen.findByRole("checkbox", { name: "Email revised proposal to client" });
    // after the tick the server's meeting has the task
    api.getMeeting.mockResolvedValue(withTask(meetingDetail(), 0, { id: task().id, done: true }));
    await user.click(box);
    expect(api.createTask).toHaveBeenCalledWith(TEAM_ID, { meeting_id: MEETING_ID, action_item_index: 0, done: true });
    expect(box).toBeChecked(); // before the server answers
    // on its way: the box keeps focus and ignores another click (no second request)
    expect(box).toHaveFocus();
    expect(box).toHaveAttribute("aria-disabled", "true");
    await user.click(box);
    expect(api.createTask).toHaveBeenCalledTimes(1);
    answer.resolve(task({ done: true, due_on: "2030-01-15" }));
    const linked = within(screen.getAllByTestId("action-item")[0]);
    expect(await linked.findByRole("link", { name: "Task done" })).toHaveAttribute(
      "href",
      `/teams/${TEAM_ID}/tasks?whose=all&status=done`,
    );
    // the full task POST answered gives the assignee and due date the meeting's items do not carry
    expect(await linked.findByTestId("action-item-task-assignee")).toHaveTextContent("Dana Admin");
    expect(linked.getByText(/Due/)).toBeInTheDocument();
    expect(toast.success).toHaveBeenCalledWith("Task done", { description: "Email revised proposal to client" });
  });

  it("uses the server's index when an unreadable item before it was skipped", async () => {
    const m = meetingDetail();
    // the server's list: [unreadable, "Email…" (1), "Send…" (2)]
    api.getMeeting.mockResolvedValue({
      ...m,
      action_items: (m.action_items ?? []).map((a, i) => ({ ...a, index: i + 1 })),
    });
    api.createTask.mockResolvedValue(task({ action_item_index: 2, title: "Send the contract", done: true }));
    const user = userEvent.setup();
    renderMeeting();
    await user.click(await screen.findByRole("checkbox", { name: "Send the contract" }));
    expect(api.createTask).toHaveBeenCalledWith(TEAM_ID, { meeting_id: MEETING_ID, action_item_index: 2, done: true });
  });

  it("unticking a done item reopens its task; a refusal puts the box back and says why", async () => {
    api.getMeeting.mockResolvedValue(withTask(meetingDetail(), 0, { id: task().id, done: true }));
    api.createTask.mockRejectedValue(new ApiError("invalid_task", "action_item_index out of range", 400));
    const user = userEvent.setup();
    renderMeeting();
    const box = await screen.findByRole("checkbox", { name: "Email revised proposal to client" });
    expect(box).toBeChecked();
    expect(within(screen.getAllByTestId("action-item")[0]).getByRole("link", { name: "Task done" })).toBeInTheDocument();
    await user.click(box);
    expect(api.createTask).toHaveBeenCalledWith(TEAM_ID, { meeting_id: MEETING_ID, action_item_index: 0, done: false });
    await waitFor(() => expect(toast.error).toHaveBeenCalledWith(expect.stringMatching(/^Couldn't update the task: /)));
    await waitFor(() => expect(box).toBeChecked());
  });
});

describe("MeetingPage leads", () => {
  it("links a lead found with the picker (search, pick), and the meeting shows it", async () => {
    api.getMeeting.mockResolvedValue(meetingDetail({ leads: [] }));
    api.listLeads.mockImplementation(async (_team: string, params: { q?: string }) => ({
      leads: params.q === "ada" ? [lead({ ...ADA, emails: ["ada@example.com"] })] : [lead()],
      next_cursor: null,
    }));
    api.linkMeetingLead.mockImplementation(async () => {
      api.getMeeting.mockResolvedValue(meetingDetail({ leads: [ADA] }));
      return [ADA];
    });
    const user = userEvent.setup();
    renderMeeting();
    expect(await screen.findByText("No lead is linked to this meeting.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Link to lead" }));
    const dialog = within(await screen.findByRole("dialog", { name: "Link to lead" }));
    const search = dialog.getByLabelText("Find a lead");
    expect(search).toHaveFocus();
    await user.type(search, "ada");
    await user.click(await dialog.findByRole("button", { name: /Ada Lovelace/ }));
    expect(api.linkMeetingLead).toHaveBeenCalledWith(TEAM_ID, MEETING_ID, ADA.id);
    const linked = await screen.findByRole("list", { name: "Linked leads" });
    expect(within(linked).getByRole("link", { name: "Ada Lovelace" })).toHaveAttribute("href", `/teams/${TEAM_ID}/leads/${ADA.id}`);
    expect(toast.success).toHaveBeenCalledWith("Linked to Ada Lovelace");
  });

  it("the picker leaves out leads already linked", async () => {
    api.listLeads.mockResolvedValue({ leads: [lead(), lead({ ...ADA })], next_cursor: null });
    const user = userEvent.setup();
    renderMeeting();
    await user.click(await screen.findByRole("button", { name: "Link to lead" }));
    const dialog = within(await screen.findByRole("dialog", { name: "Link to lead" }));
    const list = await dialog.findByRole("list", { name: "Matching leads" });
    expect(within(list).getAllByRole("button").map((b) => b.textContent)).toEqual([expect.stringContaining("Ada Lovelace")]);
  });

  it("unlinks a lead (DELETE), with Undo in the toast", async () => {
    api.unlinkMeetingLead.mockImplementation(async () => {
      api.getMeeting.mockResolvedValue(meetingDetail({ leads: [] }));
    });
    const user = userEvent.setup();
    renderMeeting();
    await user.click(await screen.findByRole("button", { name: `Unlink ${GRACE.name}` }));
    expect(api.unlinkMeetingLead).toHaveBeenCalledWith(TEAM_ID, MEETING_ID, GRACE.id);
    expect(await screen.findByText("No lead is linked to this meeting.")).toBeInTheDocument();
    expect(toast.success).toHaveBeenCalledWith(`Unlinked ${GRACE.name}`, expect.objectContaining({ action: expect.any(Object) }));
  });
});
