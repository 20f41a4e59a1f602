import { describe, expect, it, vi, beforeEach } from "vitest";
import { screen, within } from "@testing-library/react";
import { Route } from "react-router-dom";
import { renderTeamRoutes } from "@/test/render";
import { MEMBER_TEAM, TEAM_ID, meetingDetail } from "@/test/fixtures";
import { MeetingPage } from "./MeetingPage";

// The real src/lib/api.ts, fed by a fake transport: what the server (or an old row) sends goes through the app's
// own edge exactly as in the browser.
const invoke = vi.fn();
vi.mock("@/lib/supabase", () => ({ supabase: { functions: { invoke: (...a: unknown[]) => invoke(...a) } } }));

/** Answers GET routes by path; `meeting` is the raw JSON the meeting route returns. */
function serve(meeting: unknown) {
  invoke.mockImplementation(async (path: string) => {
    if (path.endsWith("/leads")) return { data: { leads: [] }, error: null };
    if (path.includes("/meetings/")) return { data: { meeting }, error: null };
    return { data: null, error: null };
  });
}

function renderMeeting() {
  return renderTeamRoutes(<Route path="meetings/:meetingId" element={<MeetingPage />} />, {
    path: `/teams/${TEAM_ID}/meetings/22222221-2222-4222-8222-222222222221`,
    team: MEMBER_TEAM,
  });
}

beforeEach(() => {
  invoke.mockReset();
});

describe("MeetingPage with schema-valid but odd shapes", () => {
  it("renders the page when an action item's description is an object, a timestamp a number and a line's text null", async () => {
    const base = meetingDetail();
    serve({
      ...base,
      action_items: [
        {
          description: { text: "Send the pricing sheet" },
          user_generated: "yes",
          completed: null,
          recording_timestamp: 754,
          recording_playback_url: 42,
          assignee: { name: { first: "Ada" }, email: "ada@acme.example", team: 7 },
        },
        { description: { nested: { deep: true } }, recording_timestamp: { at: 3 } },
        "not an item",
      ],
      transcript: [
        { speaker: null, text: null, timestamp: 42 },
        { speaker: null, text: "Hello from nobody.", timestamp: 42 },
        { speaker: { display_name: 12 }, text: ["two", "parts"], timestamp: "00:01:00" },
        null,
      ],
      summary_markdown: { markdown_formatted: "## Recap\nAll good." },
      invitees: [
        { name: null, email: 5, is_external: "no" },
        "grace@navy.example",
        { name: { display_name: "Grace Hopper" }, email: " grace@navy.example ", is_external: "true" },
      ],
      recorded_by: { name: "Alice Johnson", email: null, team: null },
      language: 17,
    });
    renderMeeting();

    expect(await screen.findByRole("heading", { name: "Quarterly Business Review" })).toBeInTheDocument();
    const items = within(screen.getByRole("list", { name: "Action items" })).getAllByTestId("action-item");
    expect(items).toHaveLength(1);
    expect(within(items[0]).getByText("Send the pricing sheet")).toBeInTheDocument();
    // 754 s into the recording, as Fathom's "HH:MM:SS"; the numeric playback URL is dropped for the recording's
    expect(within(items[0]).getByRole("link", { name: "Play from 00:12:34" })).toHaveAttribute(
      "href",
      "https://fathom.video/calls/123456789#t=754",
    );

    const transcript = screen.getByRole("list", { name: "Transcript" });
    expect(within(transcript).getByText("Hello from nobody.")).toBeInTheDocument();
    expect(within(transcript).getByText("Unknown speaker")).toBeInTheDocument();
    expect(within(transcript).getByRole("link", { name: "Play from 00:00:42" })).toBeInTheDocument();
    expect(within(transcript).getByText("two parts")).toBeInTheDocument();

    expect(within(screen.getByTestId("safe-markdown")).getByRole("heading", { name: "Recap" })).toBeInTheDocument();
    const attendees = within(screen.getByRole("list", { name: "Attendees" })).getAllByRole("listitem");
    expect(attendees).toHaveLength(1);
    expect(attendees[0]).toHaveTextContent("Grace Hopper");
  });

  it("renders a meeting whose title, recorder team, invitees and summary are missing", async () => {
    serve({
      ...meetingDetail(),
      title: "",
      meeting_title: null,
      recorded_by: { name: "Alice Johnson", email: "alice@acme.example", email_domain: null, team: null },
      invitees: null,
      leads: null,
      summary_markdown: null,
      content_status: "complete",
      transcript: [{ speaker: { display_name: "Jürgen" }, text: "Guten Tag zusammen.", timestamp: "00:00:01" }],
      language: "de",
    });
    renderMeeting();
    expect(await screen.findByRole("heading", { name: "Untitled meeting" })).toBeInTheDocument();
    expect(screen.queryByText(/Calendar event/)).not.toBeInTheDocument();
    expect(screen.getByRole("banner")).toHaveTextContent("Recorded by Alice Johnson");
    expect(screen.getByRole("banner")).not.toHaveTextContent("·");
    expect(screen.getByText("No attendees.")).toBeInTheDocument();
    expect(screen.getByText("Summary not available yet.")).toBeInTheDocument();
    expect(screen.getByRole("list", { name: "Transcript" }).closest("[lang]")).toHaveAttribute("lang", "de");
  });

  it("says the summary is being fetched while the content is pending, and sets no lang for a bad tag", async () => {
    serve({ ...meetingDetail(), summary_markdown: null, content_status: "pending", language: "not a tag!" });
    renderMeeting();
    expect(await screen.findByText("The summary is being fetched from Fathom.")).toBeInTheDocument();
    expect(screen.getByRole("list", { name: "Transcript" }).closest("[lang]")).toBeNull();
  });
});
