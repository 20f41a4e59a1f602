import { describe, expect, it, vi, beforeEach } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route } from "react-router-dom";
import { api } from "@/test/apiMock";
import { renderTeamRoutes } from "@/test/render";
import { ADMIN_TEAM, MEMBERS, MEMBER_TEAM, TEAM_ID, lead, meetingSummary, noteItem, task } from "@/test/fixtures";
import { ApiError } from "@/lib/apiError";
import type { Team } from "@/lib/types";
import { LeadDetailPage } from "./LeadDetailPage";
import { toast } from "@/lib/toast";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: {} }));
vi.mock("@/lib/toast", () => ({ toast: Object.assign(vi.fn(), { error: vi.fn(), success: vi.fn() }) }));

const MEETINGS = [
  meetingSummary(),
  meetingSummary({
    id: "22222222-2222-4222-8222-222222222222",
    title: "Intro call",
    content_status: "pending",
    recording_start_time: "2026-02-10T09:00:00Z",
    recording_end_time: "2026-02-10T09:30:00Z",
  }),
];

function renderLead(team: Team = ADMIN_TEAM) {
  return renderTeamRoutes(
    <>
      <Route path="leads" element={<p>leads list</p>} />
      <Route path="leads/:leadId" element={<LeadDetailPage />} />
    </>,
    { path: `/teams/${TEAM_ID}/leads/11111111-1111-4111-8111-111111111111`, team },
  );
}

beforeEach(() => {
  vi.clearAllMocks();
  api.getLead.mockResolvedValue({ lead: lead(), meetings: MEETINGS });
  api.listMembers.mockResolvedValue(MEMBERS);
});

describe("LeadDetailPage", () => {
  it("shows the lead (name, company, stage, e-mails, owner, notes) and its meetings, each linking to its page", async () => {
    api.getLeadTimeline.mockResolvedValue({ items: [noteItem({ body: "Met at the conference." })], next_cursor: null });
    renderLead();
    expect(await screen.findByRole("heading", { name: "Grace Hopper" })).toBeInTheDocument();
    expect(api.getLead).toHaveBeenCalledWith(TEAM_ID, "11111111-1111-4111-8111-111111111111");
    expect(screen.getByText("Navy Labs")).toBeInTheDocument();
    expect(screen.getByLabelText("Stage")).toHaveValue("qualified");
    expect(within(screen.getByRole("list", { name: "E-mails" })).getByRole("link", { name: "grace@navy.example" })).toHaveAttribute(
      "href",
      "mailto:grace@navy.example",
    );
    expect(await screen.findByText("Dana Admin")).toBeInTheDocument();
    expect(within(await screen.findByRole("list", { name: "Timeline" })).getByText("Met at the conference.")).toBeInTheDocument();

    const list = screen.getByRole("list", { name: "Meetings with Grace Hopper" });
    const rows = within(list).getAllByTestId("meeting-row");
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByRole("link", { name: "Quarterly Business Review" })).toHaveAttribute(
      "href",
      `/teams/${TEAM_ID}/meetings/22222221-2222-4222-8222-222222222221`,
    );
    expect(within(rows[0]).getByText(/Recorded by Alice Johnson/)).toBeInTheDocument();
    expect(within(rows[0]).getByRole("img", { name: "Attendees: Alice Johnson, Grace Hopper" })).toBeInTheDocument();
    expect(within(rows[1]).getByText("Content pending")).toBeInTheDocument();
    expect(within(rows[0]).queryByText("Content pending")).not.toBeInTheDocument();
  });

  it("counts all the lead's meetings and, when only the newest are listed, says so with a See all link", async () => {
    const newest = Array.from({ length: 100 }, (_, i) => meetingSummary({ id: `m-${i + 1}`, title: `Call ${i + 1}` }));
    api.getLead.mockResolvedValue({ lead: lead({ meeting_count: 250 }), meetings: newest });
    renderLead();
    expect(await screen.findByRole("heading", { name: "Meetings 250" })).toBeInTheDocument();
    const list = screen.getByRole("list", { name: "Meetings with Grace Hopper" });
    expect(within(list).getAllByTestId("meeting-row")).toHaveLength(100);
    const note = screen.getByText(/^Showing the 100 most recent of 250 meetings\./);
    const seeAll = within(note).getByRole("link", { name: "See all" });
    expect(seeAll).toHaveAttribute("href", `/teams/${TEAM_ID}/meetings?leadId=11111111-1111-4111-8111-111111111111`);
    expect(screen.getByRole("link", { name: "View in Meetings" })).toHaveAttribute("href", seeAll.getAttribute("href"));
  });

  it("shows no 'Showing … of …' line when every meeting is listed", async () => {
    api.getLead.mockResolvedValue({ lead: lead({ meeting_count: 2 }), meetings: MEETINGS });
    renderLead();
    expect(await screen.findByRole("heading", { name: "Meetings 2" })).toBeInTheDocument();
    expect(screen.getAllByTestId("meeting-row")).toHaveLength(2);
    expect(screen.queryByText(/most recent of/)).not.toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "See all" })).not.toBeInTheDocument();
  });

  it.each([
    ["manual", null, "Added manually"],
    ["fathom", null, "Created from a Fathom meeting"],
    ["zoom", null, "Created from a Zoom meeting"],
    ["typeform", "Contact us", "Created from Typeform (Contact us)"],
    ["typeform", null, "Created from Typeform"],
    ["slack", null, "Created from Slack"],
    ["hubspot", null, "Created from hubspot"],
  ])("says where a lead came from: source %s (form %s) reads %s", async (source, form, text) => {
    api.getLead.mockResolvedValue({ lead: lead({ source, source_form_title: form }), meetings: [] });
    renderLead();
    expect(await screen.findByRole("heading", { name: "Grace Hopper" })).toBeInTheDocument();
    const details = screen.getByText("Source").closest("div")!;
    expect(within(details).getByText(text)).toBeInTheDocument();
  });

  it("without meetings, names every meetings provider, not Fathom alone", async () => {
    api.getLead.mockResolvedValue({ lead: lead({ meeting_count: 0 }), meetings: [] });
    renderLead();
    expect(
      await screen.findByText(
        /No meetings with Grace Hopper yet\. Meetings recorded with Fathom or Zoom where one of the lead's e-mails is invited appear here\./,
      ),
    ).toBeInTheDocument();
  });

  it("changes the stage inline (PATCH)", async () => {
    api.updateLead.mockResolvedValue(lead({ stage: "won" }));
    const user = userEvent.setup();
    renderLead(MEMBER_TEAM);
    await user.selectOptions(await screen.findByLabelText("Stage"), "won");
    expect(api.updateLead).toHaveBeenCalledWith(TEAM_ID, "11111111-1111-4111-8111-111111111111", { stage: "won" });
    await waitFor(() => expect(screen.getByLabelText("Stage")).toHaveValue("won"));
    expect(screen.getByRole("banner")).toHaveTextContent("Won");
    expect(toast.success).toHaveBeenCalledWith("Stage changed to Won");
  });

  it("edits the lead in a dialog (PATCH); an email_taken that names no address shows under the e-mails", async () => {
    api.updateLead
      .mockRejectedValueOnce(new ApiError("email_taken", "That e-mail already belongs to another lead.", 409))
      .mockResolvedValueOnce(lead({ name: "Grace B. Hopper", emails: ["grace@navy.example"] }));
    const user = userEvent.setup();
    renderLead(MEMBER_TEAM);
    await user.click(await screen.findByRole("button", { name: "Edit" }));
    const dialog = within(await screen.findByRole("dialog", { name: "Edit lead" }));
    expect(dialog.getByLabelText(/Name/)).toHaveValue("Grace Hopper");
    expect(dialog.getByRole("textbox", { name: "E-mail 1" })).toHaveValue("grace@navy.example");

    await user.click(dialog.getByRole("button", { name: "Add e-mail" }));
    await user.type(dialog.getByRole("textbox", { name: "E-mail 2" }), "other@example.com");
    await user.click(dialog.getByRole("button", { name: "Save changes" }));
    // The message names no address and two are filled: shown under the e-mails.
    expect(await dialog.findByText("That e-mail already belongs to another lead.")).toBeInTheDocument();

    await user.click(dialog.getByRole("button", { name: "Remove e-mail 2" }));
    await user.clear(dialog.getByLabelText(/Name/));
    await user.type(dialog.getByLabelText(/Name/), "Grace B. Hopper");
    await user.click(dialog.getByRole("button", { name: "Save changes" }));
    await waitFor(() =>
      expect(api.updateLead).toHaveBeenLastCalledWith(TEAM_ID, "11111111-1111-4111-8111-111111111111", {
        name: "Grace B. Hopper",
        company: "Navy Labs",
        stage: "qualified",
        owner_id: "u-admin",
        emails: ["grace@navy.example"],
      }),
    );
    expect(await screen.findByRole("heading", { name: "Grace B. Hopper" })).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("shows members no Delete button", async () => {
    renderLead(MEMBER_TEAM);
    expect(await screen.findByRole("heading", { name: "Grace Hopper" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Edit" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /delete/i })).not.toBeInTheDocument();
  });

  it("lets an admin delete the lead after confirming, then returns to the list", async () => {
    api.deleteLead.mockResolvedValue(undefined);
    const user = userEvent.setup();
    renderLead(ADMIN_TEAM);
    await user.click(await screen.findByRole("button", { name: "Delete" }));
    const confirm = within(await screen.findByRole("alertdialog"));
    expect(confirm.getByText("Delete Grace Hopper?")).toBeInTheDocument();
    expect(api.deleteLead).not.toHaveBeenCalled();
    await user.click(confirm.getByRole("button", { name: "Delete lead" }));
    await waitFor(() => expect(api.deleteLead).toHaveBeenCalledWith(TEAM_ID, "11111111-1111-4111-8111-111111111111"));
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent(`/teams/${TEAM_ID}/leads`));
    expect(screen.getByText("leads list")).toBeInTheDocument();
  });

  it("returns focus to Edit when the edit dialog closes", async () => {
    const user = userEvent.setup();
    renderLead();
    const edit = await screen.findByRole("button", { name: "Edit" });
    await user.click(edit);
    expect(await screen.findByRole("dialog", { name: "Edit lead" })).toBeInTheDocument();
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(edit).toHaveFocus();
  });

  it("shows a not-found state for a missing lead", async () => {
    api.getLead.mockRejectedValue(new ApiError("lead_not_found", "Lead not found.", 404));
    renderLead();
    expect(await screen.findByText("Lead not found")).toBeInTheDocument();
  });

  it("calls a malformed lead id not found, without the server's words and without asking it", async () => {
    // what the server answers for /leads/not-a-uuid
    api.getLead.mockRejectedValue(new ApiError("invalid_request", "leadId must be a UUID.", 400));
    renderTeamRoutes(<Route path="leads/:leadId" element={<LeadDetailPage />} />, {
      path: `/teams/${TEAM_ID}/leads/not-a-uuid`,
      team: ADMIN_TEAM,
    });
    expect(await screen.findByText("Lead not found")).toBeInTheDocument();
    expect(screen.queryByText(/UUID/)).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Retry" })).not.toBeInTheDocument();
    expect(api.getLead).not.toHaveBeenCalled();
  });

  it("lists the lead's open tasks (everyone's) and adds one for this lead", async () => {
    api.listTasks.mockResolvedValue({ tasks: [task()], next_cursor: null });
    api.createTask.mockResolvedValue(task({ id: "t-new", title: "Send the NDA", source: "person" }));
    const user = userEvent.setup();
    renderLead(MEMBER_TEAM);
    const list = await screen.findByRole("list", { name: "Open tasks for Grace Hopper" });
    expect(api.listTasks).toHaveBeenCalledWith(TEAM_ID, {
      assignee: "all",
      status: "open",
      lead_id: "11111111-1111-4111-8111-111111111111",
      cursor: null,
    });
    expect(within(list).getByRole("checkbox", { name: "Done: Email revised proposal to client" })).not.toBeChecked();
    // the lead's own page does not link to itself from each task
    expect(within(list).queryByRole("link", { name: "Grace Hopper" })).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Add task" }));
    const dialog = within(await screen.findByRole("dialog", { name: "New task" }));
    expect(dialog.getByText(/For Grace Hopper\./)).toBeInTheDocument();
    await user.type(dialog.getByLabelText("Title"), "Send the NDA");
    await user.selectOptions(dialog.getByLabelText("Assignee"), "");
    await user.click(dialog.getByRole("button", { name: "Add task" }));
    await waitFor(() =>
      expect(api.createTask).toHaveBeenCalledWith(TEAM_ID, {
        title: "Send the NDA",
        lead_id: "11111111-1111-4111-8111-111111111111",
      }),
    );
  });

  it("edits no notes in the lead form: they are the timeline's (PATCH carries none)", async () => {
    const user = userEvent.setup();
    renderLead(MEMBER_TEAM);
    await user.click(await screen.findByRole("button", { name: "Edit" }));
    const dialog = within(await screen.findByRole("dialog", { name: "Edit lead" }));
    expect(dialog.queryByLabelText(/note/i)).not.toBeInTheDocument();
    expect(screen.getByLabelText("New note")).toBeInTheDocument();
  });

  it("re-reads the timeline when the stage changes, so the change shows at once", async () => {
    api.updateLead.mockResolvedValue(lead({ stage: "won" }));
    const user = userEvent.setup();
    renderLead(MEMBER_TEAM);
    await waitFor(() => expect(api.getLeadTimeline).toHaveBeenCalledTimes(1));
    await user.selectOptions(await screen.findByLabelText("Stage"), "won");
    // sooner than the 5 s live refresh would
    await waitFor(() => expect(api.getLeadTimeline).toHaveBeenCalledTimes(2), { timeout: 2_000 });
  });
});
