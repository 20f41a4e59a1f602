import { describe, expect, it, vi, beforeEach } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route } from "react-router-dom";
import { api } from "@/test/apiMock";
import { renderTeamRoutes } from "@/test/render";
import { MEMBER_TEAM, TEAM_ID, lead, meetingSummary } from "@/test/fixtures";
import { MeetingsPage } from "./MeetingsPage";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: {} }));

const LEADS = [lead(), lead({ id: "11111112-1111-4111-8111-111111111112", name: "Alan Turing", company: null, emails: ["alan@example.com"] })];
const PAGE_1 = {
  meetings: [
    meetingSummary(),
    meetingSummary({
      id: "22222222-2222-4222-8222-222222222222",
      title: "Intro call",
      content_status: "pending",
      recorded_by: { name: null, email: "bob@acme.example", email_domain: "acme.example", team: null },
      invitees: Array.from({ length: 6 }, (_, i) => ({
        name: `Person ${i + 1}`,
        email: `p${i + 1}@x.example`,
        email_domain: "x.example",
        is_external: true,
      })),
      leads: [],
    }),
  ],
  next_cursor: "cursor-2",
};
const PAGE_2 = { meetings: [meetingSummary({ id: "22222223-2222-4222-8222-222222222223", title: "Follow-up" })], next_cursor: null };

function renderMeetings(search = "") {
  return renderTeamRoutes(<Route path="meetings" element={<MeetingsPage />} />, {
    path: `/teams/${TEAM_ID}/meetings${search}`,
    team: MEMBER_TEAM,
  });
}

beforeEach(() => {
  vi.clearAllMocks();
  api.listLeads.mockResolvedValue({ leads: LEADS, next_cursor: null });
  api.listMeetings.mockImplementation(async (_t: string, p: { cursor?: string | null }) =>
    p.cursor === "cursor-2" ? PAGE_2 : PAGE_1,
  );
});

describe("MeetingsPage", () => {
  it("lists meetings: date, title, recorder, attendees, linked leads and a pending badge", async () => {
    renderMeetings();
    const rows = await screen.findAllByTestId("meeting-row");
    expect(api.listMeetings).toHaveBeenCalledWith(TEAM_ID, { q: undefined, leadId: undefined, cursor: null });
    const qbr = within(rows[0]);
    expect(qbr.getByRole("link", { name: "Quarterly Business Review" })).toHaveAttribute("href", `/teams/${TEAM_ID}/meetings/22222221-2222-4222-8222-222222222221`);
    expect(qbr.getByText(/Recorded by Alice Johnson/)).toBeInTheDocument();
    expect(qbr.getByText(/Recorded by Alice Johnson · 1 h$/)).toBeInTheDocument();
    expect(qbr.getByRole("link", { name: "Grace Hopper" })).toHaveAttribute("href", `/teams/${TEAM_ID}/leads/11111111-1111-4111-8111-111111111111`);
    expect(qbr.getByRole("img", { name: /Attendees: Alice Johnson, Grace Hopper/ })).toBeInTheDocument();
    expect(rows[0].querySelector("time")).toHaveAttribute("dateTime", "2026-03-01T16:01:12Z");
    expect(qbr.queryByText("Content pending")).not.toBeInTheDocument();

    const intro = within(rows[1]);
    expect(intro.getByText("Content pending")).toBeInTheDocument();
    expect(intro.getByText(/Recorded by bob@acme.example/)).toBeInTheDocument();
    expect(intro.getByText("+2")).toBeInTheDocument();
  });

  it("loads more with next_cursor until there is none", async () => {
    const user = userEvent.setup();
    renderMeetings();
    await screen.findAllByTestId("meeting-row");
    await user.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(screen.getAllByTestId("meeting-row")).toHaveLength(3));
    expect(api.listMeetings).toHaveBeenLastCalledWith(TEAM_ID, { q: undefined, leadId: undefined, cursor: "cursor-2" });
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
    expect(screen.getByText("3 meetings")).toBeInTheDocument();
  });

  it("searches by title or attendee with a debounced q", async () => {
    const user = userEvent.setup();
    renderMeetings();
    await screen.findAllByTestId("meeting-row");
    await user.type(screen.getByRole("searchbox", { name: "Search meetings" }), "grace");
    await waitFor(() =>
      expect(api.listMeetings).toHaveBeenLastCalledWith(TEAM_ID, { q: "grace", leadId: undefined, cursor: null }),
    );
    expect(api.listMeetings.mock.calls.filter(([, p]) => p.q && p.q !== "grace")).toHaveLength(0);
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("?q=grace"));
  });

  it("keeps a search from the address bar within the API's limit", async () => {
    renderMeetings(`?q=${"x".repeat(3000)}`);
    await screen.findAllByTestId("meeting-row");
    expect(screen.getByRole("searchbox", { name: "Search meetings" })).toHaveValue("x".repeat(200));
    expect(api.listMeetings).not.toHaveBeenCalledWith(TEAM_ID, expect.objectContaining({ q: "x".repeat(3000) }));
  });

  it("filters by lead from the select, and from ?leadId=", async () => {
    const user = userEvent.setup();
    renderMeetings("?leadId=11111112-1111-4111-8111-111111111112");
    await screen.findAllByTestId("meeting-row");
    expect(api.listMeetings).toHaveBeenCalledWith(TEAM_ID, { q: undefined, leadId: "11111112-1111-4111-8111-111111111112", cursor: null });
    const select = screen.getByLabelText("Lead");
    await waitFor(() => expect(select).toHaveValue("11111112-1111-4111-8111-111111111112"));

    await user.selectOptions(select, "Grace Hopper · Navy Labs");
    await waitFor(() =>
      expect(api.listMeetings).toHaveBeenLastCalledWith(TEAM_ID, { q: undefined, leadId: "11111111-1111-4111-8111-111111111111", cursor: null }),
    );
    expect(screen.getByTestId("location")).toHaveTextContent("?leadId=11111111-1111-4111-8111-111111111111");

    await user.selectOptions(select, "All leads");
    await waitFor(() =>
      expect(api.listMeetings).toHaveBeenLastCalledWith(TEAM_ID, { q: undefined, leadId: undefined, cursor: null }),
    );
  });

  it("names every meetings provider in its subtitle, and its empty state offers to connect each", async () => {
    api.listMeetings.mockResolvedValue({ meetings: [], next_cursor: null });
    renderMeetings();
    expect(await screen.findByText("No meetings yet")).toBeInTheDocument();
    expect(screen.getByText("Calls recorded with Fathom or Zoom, linked to the leads who attended.")).toBeInTheDocument();
    expect(screen.getByText(/^Connect Fathom or Zoom in Integrations/)).toBeInTheDocument();
    for (const name of ["Fathom", "Zoom"]) {
      expect(screen.getByRole("link", { name: `Connect ${name}` })).toHaveAttribute(
        "href",
        `/teams/${TEAM_ID}/settings/integrations`,
      );
    }
  });

  it("says when filters match nothing", async () => {
    api.listMeetings.mockResolvedValue({ meetings: [], next_cursor: null });
    renderMeetings("?leadId=11111111-1111-4111-8111-111111111111");
    expect(await screen.findByText("No meetings match")).toBeInTheDocument();
  });
});
