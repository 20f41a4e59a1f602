import { describe, expect, it, vi, beforeEach } from "vitest";
import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route } from "react-router-dom";
import { api } from "@/test/apiMock";
import { deferred, renderTeamRoutes } from "@/test/render";
import { MEMBER_TEAM, TEAM_ID, lead, meetingDetail } from "@/test/fixtures";
import { ApiError } from "@/lib/apiError";
import type { MeetingDetail } from "@/lib/types";
import { FETCHING_CONTENT_MESSAGE, MeetingPage } from "./MeetingPage";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: {} }));

const URL_ = "https://fathom.video/calls/123456789";

function renderMeeting() {
  return renderTeamRoutes(<Route path="meetings/:meetingId" element={<MeetingPage />} />, {
    path: `/teams/${TEAM_ID}/meetings/22222221-2222-4222-8222-222222222221`,
    team: MEMBER_TEAM,
  });
}

beforeEach(() => {
  vi.clearAllMocks();
  api.getMeeting.mockResolvedValue(meetingDetail());
  api.listLeads.mockResolvedValue({ leads: [lead()], next_cursor: null });
});

describe("MeetingPage", () => {
  it("shows the title, times, recorder, attendees (linked to their lead) and the Fathom links", async () => {
    renderMeeting();
    expect(await screen.findByRole("heading", { name: "Quarterly Business Review" })).toBeInTheDocument();
    expect(api.getMeeting).toHaveBeenCalledWith(TEAM_ID, "22222221-2222-4222-8222-222222222221");
    expect(screen.getByText("Calendar event: QBR 2026 Q1")).toBeInTheDocument();
    expect(screen.getByRole("banner")).toHaveTextContent(/Recorded by Alice Johnson · Sales/);
    expect(screen.getByRole("banner")).toHaveTextContent(/2026/);

    const open = screen.getByRole("link", { name: "Open in Fathom" });
    expect(open).toHaveAttribute("href", URL_);
    expect(open).toHaveAttribute("target", "_blank");
    expect(open).toHaveAttribute("rel", "noopener noreferrer");
    expect(screen.getByRole("button", { name: "Copy share link" })).toBeInTheDocument();

    const attendees = screen.getByRole("list", { name: "Attendees" });
    await waitFor(() =>
      expect(within(attendees).getByRole("link", { name: "Grace Hopper" })).toHaveAttribute(
        "href",
        `/teams/${TEAM_ID}/leads/11111111-1111-4111-8111-111111111111`,
      ),
    );
    expect(within(attendees).queryByRole("link", { name: "Alice Johnson" })).not.toBeInTheDocument();
    expect(within(attendees).getByText("Alice Johnson")).toBeInTheDocument();
  });

  it("asks the server only for the leads of the attendees' e-mails (one bounded request, canonical, junk left out)", async () => {
    const base = meetingDetail();
    api.getMeeting.mockResolvedValue({
      ...base,
      invitees: [
        ...base.invitees,
        { name: "Junk", email: "not an e-mail", email_domain: null, is_external: true },
        { name: "None", email: null, email_domain: null, is_external: true },
        { name: "Caps", email: " GRACE@Navy.Example ", email_domain: "navy.example", is_external: true },
      ],
    });
    renderMeeting();
    await screen.findByRole("heading", { name: "Quarterly Business Review" });
    await waitFor(() => expect(api.listLeads).toHaveBeenCalled());
    expect(api.listLeads).toHaveBeenCalledTimes(1);
    const [, params] = api.listLeads.mock.calls[0];
    const expected = [...new Set(base.invitees.map((i) => i.email!.trim().toLowerCase()).concat("grace@navy.example"))];
    expect(params.emails).toEqual(expected.sort());
    expect(params.cursor).toBeUndefined();
  });

  it("copies the share link", async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, "writeText").mockResolvedValue(undefined);
    renderMeeting();
    await user.click(await screen.findByRole("button", { name: "Copy share link" }));
    expect(writeText).toHaveBeenCalledWith("https://fathom.video/share/abc");
    expect(await screen.findByRole("button", { name: "Link copied" })).toBeInTheDocument();
  });

  it("renders the summary markdown safely: no script, no img/onerror, no javascript: link", async () => {
    (window as unknown as { __pwned?: number }).__pwned = undefined;
    api.getMeeting.mockResolvedValue(
      meetingDetail({
        summary_markdown: [
          "## Key points",
          "We reviewed **Q1 OKRs**.",
          "",
          "<script>window.__pwned = 1</script>",
          "",
          '<img src="x" onerror="window.__pwned = 2">',
          "",
          "![tracker](https://evil.example/pixel.png)",
          "",
          "[click me](javascript:alert(1)) and [the deck](https://example.com/deck)",
          "",
          '<a href="javascript:alert(2)">raw link</a>',
        ].join("\n"),
      }),
    );
    renderMeeting();
    const summary = await screen.findByTestId("safe-markdown");
    expect(within(summary).getByRole("heading", { name: "Key points" })).toBeInTheDocument();
    expect(within(summary).getByText("Q1 OKRs").tagName).toBe("STRONG");

    expect(summary.querySelector("script")).toBeNull();
    expect(summary.querySelector("img")).toBeNull();
    expect(summary.querySelector("[onerror]")).toBeNull();
    expect(summary.innerHTML).not.toMatch(/onerror|<script/i);
    expect(document.querySelectorAll("script")).toHaveLength(0);
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();

    const links = within(summary).getAllByRole("link");
    expect(links).toHaveLength(1);
    expect(links[0]).toHaveTextContent("the deck");
    expect(links[0]).toHaveAttribute("href", "https://example.com/deck");
    expect(links[0]).toHaveAttribute("target", "_blank");
    expect(links[0]).toHaveAttribute("rel", "noopener noreferrer");
    expect(within(summary).getByText("click me").closest("a")).toBeNull();
    for (const a of Array.from(summary.querySelectorAll("a"))) {
      expect(a.getAttribute("href") ?? "").not.toMatch(/^\s*javascript:/i);
    }
  });

  it("links each transcript timestamp to the recording at that second, groups lines by speaker, and filters", async () => {
    const user = userEvent.setup();
    renderMeeting();
    const transcript = await screen.findByRole("list", { name: "Transcript" });
    expect(within(transcript).getByRole("link", { name: "Play from 00:00:05" })).toHaveAttribute(
      "href",
      `${URL_}#t=5`,
    );
    expect(within(transcript).getByRole("link", { name: "Play from 00:05:32" })).toHaveAttribute(
      "href",
      `${URL_}#t=332`,
    );
    const last = within(transcript).getByRole("link", { name: "Play from 01:02:03" });
    expect(last).toHaveAttribute("href", `${URL_}#t=3723`);
    expect(last).toHaveAttribute("target", "_blank");
    expect(last).toHaveAttribute("rel", "noopener noreferrer");

    const groups = within(transcript).getAllByTestId("transcript-group");
    expect(groups).toHaveLength(2);
    expect(within(groups[0]).getByText("Alice Johnson")).toBeInTheDocument();
    expect(within(groups[0]).getAllByRole("link")).toHaveLength(2);
    expect(within(groups[1]).getByText("Grace Hopper")).toBeInTheDocument();
    expect(within(groups[1]).getAllByRole("link")).toHaveLength(1);

    await user.type(screen.getByRole("searchbox", { name: "Search the transcript" }), "budget");
    expect(screen.getByText("1 line matches")).toBeInTheDocument();
    expect(within(transcript).getAllByTestId("transcript-group")).toHaveLength(1);
    expect(within(transcript).getByText("budget").tagName).toBe("MARK");
    expect(within(transcript).queryByText("The proposal looks good to us.")).not.toBeInTheDocument();
  });

  it("shows action items as checkboxes (Fathom's done state as a hint), assignee and a timestamp link in the transcript's form", async () => {
    renderMeeting();
    const items = within(await screen.findByRole("list", { name: "Action items" })).getAllByTestId("action-item");
    expect(items).toHaveLength(2);

    const first = within(items[0]);
    expect(first.getByText("Email revised proposal to client")).toBeInTheDocument();
    expect(first.getByRole("checkbox", { name: "Email revised proposal to client" })).not.toBeChecked();
    expect(first.getByTestId("action-item-assignee")).toHaveTextContent("Alice Johnson (alice@acme.example)");
    expect(first.getByRole("link", { name: "Play from 00:10:45" })).toHaveAttribute(
      "href",
      "https://fathom.video/calls/123456789#t=645",
    );

    const second = within(items[1]);
    // done in Fathom, but no task in the CRM yet: unticked, with Fathom's word beside it
    expect(second.getByRole("checkbox", { name: "Send the contract" })).not.toBeChecked();
    expect(second.getByText("Done in Fathom")).toBeInTheDocument();
    expect(second.getByTestId("action-item-assignee")).toHaveTextContent("bob@acme.example");
    expect(second.getByRole("link", { name: "Play from 00:20:00" })).toHaveAttribute("href", `${URL_}#t=1200`);
  });

  it("says it is loading the meeting and its content while the first read runs", async () => {
    const pending = deferred<MeetingDetail>();
    api.getMeeting.mockReturnValue(pending.promise);
    renderMeeting();
    expect(await screen.findByText(FETCHING_CONTENT_MESSAGE)).toBeInTheDocument();
    // opened from a link the provider is not known yet: no provider named
    expect(FETCHING_CONTENT_MESSAGE).toBe("Loading the meeting and its content…");
    await act(async () => pending.resolve(meetingDetail()));
    expect(await screen.findByRole("heading", { name: "Quarterly Business Review" })).toBeInTheDocument();
    expect(screen.queryByText(FETCHING_CONTENT_MESSAGE)).not.toBeInTheDocument();
  });

  it("explains content that is still pending or failed, with a retry", async () => {
    api.getMeeting.mockResolvedValueOnce(
      meetingDetail({ content_status: "failed", transcript: null, summary_markdown: null, action_items: null }),
    );
    api.getMeeting.mockResolvedValueOnce(meetingDetail());
    const user = userEvent.setup();
    renderMeeting();
    expect(await screen.findByText("Fathom didn't return the transcript and summary")).toBeInTheDocument();
    expect(screen.getByText("No summary.")).toBeInTheDocument();
    expect(screen.getByText("No transcript.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("list", { name: "Transcript" })).toBeInTheDocument();
    expect(screen.queryByText("Fathom didn't return the transcript and summary")).not.toBeInTheDocument();
  });

  it("shows an error state with a retry", async () => {
    api.getMeeting.mockRejectedValueOnce(new ApiError("provider_unavailable", "Fathom is unavailable.", 502));
    const user = userEvent.setup();
    renderMeeting();
    expect(await screen.findByText("Couldn't load the meeting")).toBeInTheDocument();
    expect(screen.getByText(/isn't responding right now/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findByRole("heading", { name: "Quarterly Business Review" })).toBeInTheDocument();
  });

  it("calls a malformed meeting id not found without asking the server", async () => {
    api.getMeeting.mockRejectedValue(new ApiError("invalid_request", "meetingId must be a UUID.", 400));
    renderTeamRoutes(<Route path="meetings/:meetingId" element={<MeetingPage />} />, {
      path: `/teams/${TEAM_ID}/meetings/not-a-uuid`,
      team: MEMBER_TEAM,
    });
    expect(await screen.findByText("Meeting not found")).toBeInTheDocument();
    expect(screen.queryByText(/UUID/)).not.toBeInTheDocument();
    expect(api.getMeeting).not.toHaveBeenCalled();
  });
});
