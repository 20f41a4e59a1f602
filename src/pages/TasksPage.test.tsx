import { describe, expect, it, vi, beforeEach } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route } from "react-router-dom";
import { api } from "@/test/apiMock";
import { deferred, renderTeamRoutes } from "@/test/render";
import { MEMBERS, MEMBER_TEAM, TEAM_ID, task } from "@/test/fixtures";
import { ApiError } from "@/lib/apiError";
import { toast } from "@/lib/toast";
import { addDays, localToday } from "@/lib/tasks";
import type { Task, TasksPage as Page } from "@/lib/types";
import { TasksPage } from "./TasksPage";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: {} }));
vi.mock("@/lib/toast", () => ({ toast: Object.assign(vi.fn(), { error: vi.fn(), success: vi.fn() }) }));
vi.mock("@/hooks/useSession", () => ({ useSession: () => ({ session: { user: { id: "u-admin" } }, loading: false }) }));

const today = localToday();
const OVERDUE = task({ id: "t-overdue", title: "Send the contract", due_on: addDays(today, -3) });
const SOON = task({ id: "t-soon", title: "Call back", due_on: addDays(today, 1), meeting: null, lead: null, source: "person" });

function renderTasks(search = "") {
  return renderTeamRoutes(
    <>
      <Route path="tasks" element={<TasksPage />} />
      <Route path="leads/:leadId" element={<p>lead page</p>} />
    </>,
    { path: `/teams/${TEAM_ID}/tasks${search}`, team: MEMBER_TEAM },
  );
}

const page = (tasks: Task[], next_cursor: string | null = null): Page => ({ tasks, next_cursor });

beforeEach(() => {
  vi.clearAllMocks();
  api.listTasks.mockResolvedValue(page([OVERDUE, SOON]));
  api.listMembers.mockResolvedValue(MEMBERS);
});

describe("TasksPage", () => {
  it("lists my open tasks in the server's order (due soon first), overdue marked, with lead and meeting links", async () => {
    renderTasks();
    const list = await screen.findByRole("list", { name: "Open tasks" });
    expect(api.listTasks).toHaveBeenCalledWith(TEAM_ID, { assignee: "me", status: "open", lead_id: undefined, cursor: null });
    const rows = within(list).getAllByTestId("task-row");
    expect(rows.map((r) => within(r).getByRole("checkbox").getAttribute("aria-label"))).toEqual([
      "Done: Send the contract",
      "Done: Call back",
    ]);
    expect(within(rows[0]).getByTestId("task-due")).toHaveTextContent(/^Overdue: /);
    expect(within(rows[1]).getByTestId("task-due")).toHaveTextContent("Due Tomorrow");
    expect(within(rows[0]).getByRole("link", { name: "Grace Hopper" })).toHaveAttribute(
      "href",
      `/teams/${TEAM_ID}/leads/11111111-1111-4111-8111-111111111111`,
    );
    expect(within(rows[0]).getByRole("link", { name: "Quarterly Business Review" })).toHaveAttribute(
      "href",
      `/teams/${TEAM_ID}/meetings/22222221-2222-4222-8222-222222222221`,
    );
    expect(within(rows[0]).getByTestId("task-assignee")).toHaveTextContent("Dana Admin");
    expect(screen.getByRole("button", { name: "Mine" })).toHaveAttribute("aria-pressed", "true");
  });

  it("switches to everyone's done tasks, kept in the URL", async () => {
    const user = userEvent.setup();
    renderTasks();
    await screen.findByRole("list", { name: "Open tasks" });
    await user.click(screen.getByRole("button", { name: "All" }));
    await user.click(screen.getByRole("button", { name: "Done" }));
    await waitFor(() =>
      expect(api.listTasks).toHaveBeenLastCalledWith(TEAM_ID, { assignee: "all", status: "done", lead_id: undefined, cursor: null }),
    );
    expect(screen.getByTestId("location")).toHaveTextContent(`/teams/${TEAM_ID}/tasks?whose=all&status=done`);
  });

  it("reads the filters from the URL", async () => {
    renderTasks("?whose=all&status=done");
    await screen.findByRole("list", { name: "Done tasks" });
    expect(api.listTasks).toHaveBeenCalledWith(TEAM_ID, { assignee: "all", status: "done", lead_id: undefined, cursor: null });
  });

  it("ticks a task done at once (before the server answers), then offers Undo, which reopens it", async () => {
    const answer = deferred<Task>();
    api.updateTask.mockReturnValueOnce(answer.promise).mockResolvedValueOnce({ ...OVERDUE, done: false });
    const user = userEvent.setup();
    renderTasks();
    const box = await screen.findByRole("checkbox", { name: "Done: Send the contract" });
    await user.click(box);
    expect(api.updateTask).toHaveBeenCalledWith(TEAM_ID, "t-overdue", { done: true });
    expect(box).toBeChecked();
    answer.resolve({ ...OVERDUE, done: true, done_at: new Date().toISOString() });
    await waitFor(() =>
      expect(toast.success).toHaveBeenCalledWith("Task completed", {
        description: "Send the contract",
        action: { label: "Undo", onClick: expect.any(Function) },
      }),
    );
    const undo = vi.mocked(toast.success).mock.calls[0][1] as unknown as { action: { onClick: () => void } };
    undo.action.onClick();
    await waitFor(() => expect(api.updateTask).toHaveBeenLastCalledWith(TEAM_ID, "t-overdue", { done: false }));
  });

  it("gives focus to the next task's checkbox when the ticked one leaves the Open list", async () => {
    api.updateTask.mockImplementation(async () => {
      api.listTasks.mockResolvedValue(page([SOON]));
      return { ...OVERDUE, done: true };
    });
    const user = userEvent.setup();
    renderTasks();
    await user.click(await screen.findByRole("checkbox", { name: "Done: Send the contract" }));
    await waitFor(() => expect(screen.queryByRole("checkbox", { name: "Done: Send the contract" })).not.toBeInTheDocument());
    await waitFor(() => expect(screen.getByRole("checkbox", { name: "Done: Call back" })).toHaveFocus());
  });

  it("puts a tick back and says why when the server refuses it", async () => {
    api.updateTask.mockRejectedValue(new ApiError("task_not_found", "no", 404));
    const user = userEvent.setup();
    renderTasks();
    const box = await screen.findByRole("checkbox", { name: "Done: Send the contract" });
    await user.click(box);
    await waitFor(() =>
      expect(toast.error).toHaveBeenCalledWith("Couldn't update the task: This task doesn't exist any more, or it belongs to another team."),
    );
    expect(box).not.toBeChecked();
  });

  it("edits title, assignee and due date in a dialog (PATCH with what changed; cleared values as null)", async () => {
    api.updateTask.mockResolvedValue({ ...OVERDUE, title: "Send the signed contract", assignee: null, due_on: null });
    const user = userEvent.setup();
    renderTasks();
    // the title is the button; "(edit)" is for screen readers
    await user.click(await screen.findByRole("button", { name: /^Send the contract\s*\(edit\)$/ }));
    const dialog = within(await screen.findByRole("dialog", { name: "Edit task" }));
    const title = dialog.getByLabelText("Title");
    await user.clear(title);
    await user.type(title, "Send the signed contract");
    await user.selectOptions(dialog.getByLabelText("Assignee"), "");
    await user.clear(dialog.getByLabelText("Due date"));
    await user.click(dialog.getByRole("button", { name: "Save task" }));
    await waitFor(() =>
      expect(api.updateTask).toHaveBeenCalledWith(TEAM_ID, "t-overdue", {
        title: "Send the signed contract",
        assignee_id: null,
        due_on: null,
      }),
    );
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });

  it("creates a task assigned to the creator by default; an empty title is refused before asking the server", async () => {
    api.createTask.mockResolvedValue(task({ id: "t-new", title: "Book the venue" }));
    const user = userEvent.setup();
    renderTasks();
    await user.click(await screen.findByRole("button", { name: "New task" }));
    const dialog = within(await screen.findByRole("dialog", { name: "New task" }));
    await user.click(dialog.getByRole("button", { name: "Add task" }));
    expect(dialog.getByText("Give the task a title.")).toBeInTheDocument();
    expect(dialog.getByLabelText("Title")).toHaveFocus();
    expect(api.createTask).not.toHaveBeenCalled();
    await user.type(dialog.getByLabelText("Title"), "  Book the venue ");
    await waitFor(() => expect(dialog.getByLabelText("Assignee")).toHaveValue("u-admin"));
    await user.type(dialog.getByLabelText("Due date"), "2030-05-01");
    await user.click(dialog.getByRole("button", { name: "Add task" }));
    await waitFor(() =>
      expect(api.createTask).toHaveBeenCalledWith(TEAM_ID, { title: "Book the venue", assignee_id: "u-admin", due_on: "2030-05-01" }),
    );
  });

  it("loads more by the cursor and appends", async () => {
    api.listTasks.mockImplementation(async (_t: string, params?: { cursor?: string | null }) =>
      params?.cursor === "c2" ? page([task({ id: "t-3", title: "Third" })]) : page([OVERDUE, SOON], "c2"),
    );
    const user = userEvent.setup();
    renderTasks();
    expect(await screen.findByTestId("tasks-count")).toHaveTextContent("2 tasks shown, more to load");
    await user.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByRole("checkbox", { name: "Done: Third" })).toBeInTheDocument();
    expect(screen.getByTestId("tasks-count")).toHaveTextContent("3 tasks");
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
  });

  it("says when there is nothing to do, and shows a load failure with Retry", async () => {
    api.listTasks.mockResolvedValueOnce(page([]));
    renderTasks();
    expect(await screen.findByRole("heading", { name: "Nothing to do" })).toBeInTheDocument();
  });

  it("shows a load failure with Retry", async () => {
    api.listTasks.mockRejectedValueOnce(new ApiError("internal_error", "boom", 500));
    const user = userEvent.setup();
    renderTasks();
    expect(await screen.findByText("Couldn't load tasks")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findByRole("list", { name: "Open tasks" })).toBeInTheDocument();
  });
});
