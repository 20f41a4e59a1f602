import { describe, expect, it, vi, beforeEach } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route } from "react-router-dom";
import { api } from "@/test/apiMock";
import { renderTeamRoutes } from "@/test/render";
import { MEMBER_TEAM, TEAM_ID, note, noteItem, task } from "@/test/fixtures";
import { ApiError } from "@/lib/apiError";
import { toast } from "@/lib/toast";
import type { TimelineItem } from "@/lib/types";
import { LeadTimeline } from "./LeadTimeline";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: {} }));
vi.mock("@/lib/toast", () => ({ toast: Object.assign(vi.fn(), { error: vi.fn(), success: vi.fn() }) }));

const LEAD_ID = "11111111-1111-4111-8111-111111111111";
const RUN_ID = "55555555-5555-4555-8555-555555555555";

const ITEMS: TimelineItem[] = [
  noteItem({ body: "Called, **interested** in the pilot. <img src=x onerror=alert(1)> [x](javascript:alert(1))" }),
  {
    id: "meeting:m1",
    kind: "meeting",
    at: "2026-03-01T16:01:12Z",
    meeting: { id: "22222221-2222-4222-8222-222222222221", title: "Quarterly Business Review", recording_start_time: "2026-03-01T16:01:12Z" },
  },
  {
    id: "stage_change:1",
    kind: "stage_change",
    at: "2026-02-20T10:00:00Z",
    from: "new",
    to: "qualified",
    by: { id: "u-member", name: "Max Member", email: null },
    automation_run_id: null,
  },
  {
    id: "stage_change:2",
    kind: "stage_change",
    at: "2026-02-19T10:00:00Z",
    from: "contacted",
    to: "new",
    by: null,
    automation_run_id: RUN_ID,
  },
  { id: "task:t1", kind: "task", at: "2026-02-18T10:00:00Z", task: task({ done: true }) },
  {
    id: "automation_run:r1",
    kind: "automation_run",
    at: "2026-02-17T10:00:00Z",
    run: { id: RUN_ID, rule_id: "r", rule_name: "Post to Slack", status: "dead", error_message: "Slack answered 404" },
  },
];

function renderTimeline() {
  return renderTeamRoutes(<Route path="leads/:leadId" element={<LeadTimeline teamId={TEAM_ID} leadId={LEAD_ID} />} />, {
    path: `/teams/${TEAM_ID}/leads/${LEAD_ID}`,
    team: MEMBER_TEAM,
  });
}

beforeEach(() => {
  vi.clearAllMocks();
  api.getLeadTimeline.mockResolvedValue({ items: ITEMS, next_cursor: null });
});

describe("LeadTimeline", () => {
  it("shows each kind newest first: notes as safe markdown, meetings, stage changes, tasks, automation runs", async () => {
    renderTimeline();
    const list = await screen.findByRole("list", { name: "Timeline" });
    expect(api.getLeadTimeline).toHaveBeenCalledWith(TEAM_ID, LEAD_ID, { cursor: null });
    const entries = within(list).getAllByRole("listitem");
    expect(entries).toHaveLength(6);

    const n = within(entries[0]);
    expect(n.getByText("Dana Admin")).toBeInTheDocument();
    expect(n.getByText("interested").tagName).toBe("STRONG");
    expect(entries[0].querySelector("img")).toBeNull();
    expect(n.queryByRole("link", { name: "x" })).not.toBeInTheDocument();

    expect(within(entries[1]).getByRole("link", { name: "Quarterly Business Review" })).toHaveAttribute(
      "href",
      `/teams/${TEAM_ID}/meetings/22222221-2222-4222-8222-222222222221`,
    );
    expect(entries[2]).toHaveTextContent("Stage changed from New to Qualified by Max Member");
    expect(entries[3]).toHaveTextContent("Stage changed from Contacted to New by an automation");
    expect(within(entries[3]).getByRole("link", { name: "an automation" })).toHaveAttribute(
      "href",
      `/teams/${TEAM_ID}/automations/runs/${RUN_ID}`,
    );
    expect(entries[4]).toHaveTextContent("Task Email revised proposal to client (done)");
    expect(within(entries[5]).getByRole("link", { name: "Post to Slack" })).toHaveAttribute(
      "href",
      `/teams/${TEAM_ID}/automations/runs/${RUN_ID}`,
    );
    expect(entries[5]).toHaveTextContent("Slack answered 404");
  });

  it("names a run's status with the run log's word: a dead run is failed, never dead", async () => {
    renderTimeline();
    const entry = (await screen.findByRole("link", { name: "Post to Slack" })).closest("p") as HTMLElement;
    expect(within(entry).getByText("failed")).toHaveClass("text-red-700");
    expect(within(entry).queryByText("dead")).not.toBeInTheDocument();
  });

  it("shows a form response with the form's title and its answers", async () => {
    api.getLeadTimeline.mockResolvedValue({
      items: [
        {
          id: "form_response:f1",
          kind: "form_response",
          at: "2026-03-05T10:00:00Z",
          response: { id: "f1", form_title: "Contact us", answers: [{ title: "How can we help?", value: "<b>Pricing</b> please" }] },
        },
      ],
      next_cursor: null,
    });
    renderTimeline();
    const list = await screen.findByRole("list", { name: "Timeline" });
    const [entry] = within(list).getAllByRole("listitem");
    expect(entry).toHaveTextContent("Answered Contact us");
    expect(within(entry).getByRole("term")).toHaveTextContent("How can we help?");
    expect(within(entry).getByRole("definition")).toHaveTextContent("<b>Pricing</b> please");
    expect(entry.querySelector("b")).toBeNull();
  });

  it("adds a note (trimmed), refusing an empty one without asking the server", async () => {
    api.addLeadNote.mockResolvedValue(note({ id: "n-new", body: "Sent the deck" }));
    const user = userEvent.setup();
    renderTimeline();
    await screen.findByRole("list", { name: "Timeline" });
    await user.click(screen.getByRole("button", { name: "Add note" }));
    expect(screen.getByText("Write something first.")).toBeInTheDocument();
    expect(api.addLeadNote).not.toHaveBeenCalled();

    const box = screen.getByLabelText("New note");
    await user.type(box, "  Sent the deck  ");
    api.getLeadTimeline.mockResolvedValue({ items: [noteItem({ id: "n-new", body: "Sent the deck" }), ...ITEMS], next_cursor: null });
    await user.click(screen.getByRole("button", { name: "Add note" }));
    expect(api.addLeadNote).toHaveBeenCalledWith(TEAM_ID, LEAD_ID, "Sent the deck");
    expect(await screen.findByText("Sent the deck")).toBeInTheDocument();
    expect(box).toHaveValue("");
    expect(toast.success).toHaveBeenCalledWith("Note added");
  });

  it("edits and deletes a note the caller may change; offers neither on someone else's", async () => {
    api.getLeadTimeline.mockResolvedValue({
      items: [noteItem({ body: "Mine" }), noteItem({ id: "n-other", body: "Theirs", can_edit: false })],
      next_cursor: null,
    });
    api.updateLeadNote.mockResolvedValue(note({ body: "Mine, edited" }));
    api.deleteLeadNote.mockResolvedValue(undefined);
    const user = userEvent.setup();
    renderTimeline();
    const notes = await screen.findAllByTestId("timeline-note");
    expect(within(notes[1]).queryByRole("button", { name: "Edit note" })).not.toBeInTheDocument();
    expect(within(notes[1]).queryByRole("button", { name: "Delete note" })).not.toBeInTheDocument();

    await user.click(within(notes[0]).getByRole("button", { name: "Edit note" }));
    const editor = within(notes[0]).getByRole("textbox", { name: "Note" });
    expect(editor).toHaveFocus();
    await user.clear(editor);
    await user.type(editor, "Mine, edited");
    await user.click(within(notes[0]).getByRole("button", { name: "Save note" }));
    expect(api.updateLeadNote).toHaveBeenCalledWith(TEAM_ID, LEAD_ID, "44444444-4444-4444-8444-444444444441", "Mine, edited");

    await user.click(await within(notes[0]).findByRole("button", { name: "Delete note" }));
    const confirm = within(await screen.findByRole("alertdialog"));
    await user.click(confirm.getByRole("button", { name: "Delete note" }));
    await waitFor(() => expect(api.deleteLeadNote).toHaveBeenCalledWith(TEAM_ID, LEAD_ID, "44444444-4444-4444-8444-444444444441"));
  });

  it("keeps the draft and shows the server's refusal in words for people", async () => {
    api.addLeadNote.mockRejectedValue(new ApiError("payload_too_large", "too big", 413));
    const user = userEvent.setup();
    renderTimeline();
    await screen.findByRole("list", { name: "Timeline" });
    await user.type(screen.getByLabelText("New note"), "Hello");
    await user.click(screen.getByRole("button", { name: "Add note" }));
    expect(await screen.findByText(/more text than can be saved/)).toBeInTheDocument();
    expect(screen.getByLabelText("New note")).toHaveValue("Hello");
  });

  it("loads older entries with Load more", async () => {
    api.getLeadTimeline.mockImplementation(async (_t: string, _l: string, params?: { cursor?: string | null }) =>
      params?.cursor === "c2"
        ? { items: [noteItem({ id: "n-old", body: "The oldest note" })], next_cursor: null }
        : { items: ITEMS, next_cursor: "c2" },
    );
    const user = userEvent.setup();
    renderTimeline();
    await screen.findByRole("list", { name: "Timeline" });
    await user.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByText("The oldest note")).toBeInTheDocument();
    expect(api.getLeadTimeline).toHaveBeenLastCalledWith(TEAM_ID, LEAD_ID, { cursor: "c2" });
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
  });

  it("folds consecutive automation runs into one entry that says how many and how many failed; opening lists each", async () => {
    const run = (n: number, status: string): TimelineItem => ({
      id: `automation_run:r${n}`,
      kind: "automation_run",
      at: `2026-02-1${n}T10:00:00Z`,
      run: { id: `r${n}`, rule_id: "r", rule_name: `Rule ${n}`, status, error_message: status === "dead" ? "Slack answered 404" : null },
    });
    api.getLeadTimeline.mockResolvedValue({
      items: [run(9, "succeeded"), run(8, "dead"), run(7, "succeeded"), ITEMS[1], run(5, "succeeded")],
      next_cursor: null,
    });
    const user = userEvent.setup();
    renderTimeline();
    const list = await screen.findByRole("list", { name: "Timeline" });
    // the group, the meeting, the lone run: three entries, not five
    expect(list.children).toHaveLength(3);
    const group = within(screen.getByTestId("timeline-run-group"));
    const summary = group.getByText("3 automation runs");
    expect(summary.closest("summary")).toHaveTextContent("3 automation runs · 1 failed");
    expect(screen.getByTestId("timeline-run-group")).not.toHaveAttribute("open");
    await user.click(summary);
    expect(screen.getByTestId("timeline-run-group")).toHaveAttribute("open");
    expect(group.getByRole("link", { name: "Rule 8" })).toBeVisible();
    expect(group.getByText("Slack answered 404")).toBeInTheDocument();
    expect(within(list).getByRole("link", { name: "Rule 5" })).toBeInTheDocument();
  });
});
