import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route } from "react-router-dom";
import { api } from "@/test/apiMock";
import { deferred, renderTeamRoutes } from "@/test/render";
import { ADMIN_TEAM, MEMBER_TEAM, TEAM_ID, lead, meetingDetail, meetingSummary } from "@/test/fixtures";
import { LIVE_REFRESH_MS } from "@/hooks/useLiveRefresh";
import { ContentStatusBadge } from "@/components/ContentStatusBadge";
import { MeetingList } from "@/components/MeetingList";
import type { MeetingDetail } from "@/lib/types";
import { MeetingPage } from "./MeetingPage";
import { formatDateTime, formatTime } from "@/lib/utils";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: {} }));

const ZOOM_URL = "https://zoom.us/rec/share/abc";

/** A Zoom meeting as the API sends it: a transcript at most, never a summary nor action items. */
function zoomMeeting(overrides: Partial<MeetingDetail> = {}): MeetingDetail {
  return meetingDetail({
    provider: "zoom",
    provider_meeting_id: "aBcD==",
    url: ZOOM_URL,
    share_url: null,
    summary_markdown: null,
    action_items: null,
    ...overrides,
  });
}

function setVisibility(state: "visible" | "hidden") {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
  document.dispatchEvent(new Event("visibilitychange"));
}

function renderMeeting() {
  return renderTeamRoutes(<Route path="meetings/:meetingId" element={<MeetingPage />} />, {
    path: `/teams/${TEAM_ID}/meetings/22222221-2222-4222-8222-222222222221`,
    team: MEMBER_TEAM,
  });
}

beforeEach(() => {
  vi.clearAllMocks();
  setVisibility("visible");
  api.listLeads.mockResolvedValue({ leads: [lead()], next_cursor: null });
});
afterEach(() => {
  vi.useRealTimers();
  setVisibility("visible");
});

describe("MeetingPage for a provider without summaries (Zoom)", () => {
  it("speaks of Zoom, not Fathom, and promises no summary nor action items", async () => {
    api.getMeeting.mockResolvedValue(zoomMeeting());
    renderMeeting();
    expect(await screen.findByRole("heading", { name: "Quarterly Business Review" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Open in Zoom" })).toHaveAttribute("href", ZOOM_URL);
    expect(screen.queryByRole("region", { name: "Summary" })).not.toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Action items" })).not.toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Transcript" })).toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(/Fathom|not available yet/);
  });

  it("while the transcript is pending: Zoom is still processing, the badge names the transcript only", async () => {
    api.getMeeting.mockResolvedValue(zoomMeeting({ content_status: "pending", transcript: null }));
    renderMeeting();
    expect(await screen.findByText("The transcript isn't ready yet")).toBeInTheDocument();
    expect(screen.getByText(/^Zoom is still processing the recording\./)).toBeInTheDocument();
    expect(screen.getByRole("banner")).toHaveTextContent("Transcript pending");
    expect(document.body).not.toHaveTextContent(/Fathom|summary/i);
  });

  it("while Zoom's transcript is awaited: says how long it usually takes, that none comes without audio transcription, and when the wait ends", async () => {
    const until = "2026-12-02T10:30:00Z";
    api.getMeeting.mockResolvedValue(zoomMeeting({ content_status: "pending", transcript: null, content_wait_until: until }));
    renderMeeting();
    expect(await screen.findByText("The transcript isn't ready yet")).toBeInTheDocument();
    const text = screen.getByText(/^Zoom usually sends the transcript/);
    expect(text).toHaveTextContent(
      `Zoom usually sends the transcript within about the meeting's length after it ends; none comes if audio transcription is off in Zoom. We'll stop waiting on ${formatDateTime(until)}. This page updates by itself when it arrives.`,
    );
    expect(document.body).not.toHaveTextContent(/still processing|Fathom/);
  });

  it("while Zoom's transcript download is failing: says Zoom has it, why the download failed and when it tries again", async () => {
    const retryAt = new Date(Date.now() + 60_000).toISOString();
    api.getMeeting.mockResolvedValue(
      zoomMeeting({
        content_status: "pending",
        transcript: null,
        content_wait_until: "2026-12-02T10:30:00Z",
        content_waiting: { kind: "download_failed", reason: "Zoom had a server error.", retry_at: retryAt },
      }),
    );
    renderMeeting();
    expect(await screen.findByText("The transcript isn't downloaded yet")).toBeInTheDocument();
    expect(screen.getByText(/^Zoom's transcript is ready/)).toHaveTextContent(
      `Zoom's transcript is ready, but downloading it failed: Zoom had a server error. We'll try again at ${formatTime(retryAt)}.`,
    );
    expect(document.body).not.toHaveTextContent(/still processing|usually sends/);
  });

  it("while Zoom's rate limit holds the download: says so and when it tries again", async () => {
    const retryAt = new Date(Date.now() + 60_000).toISOString();
    api.getMeeting.mockResolvedValue(
      zoomMeeting({
        content_status: "pending",
        transcript: null,
        content_waiting: { kind: "rate_limited", reason: "Zoom's rate limit was reached.", retry_at: retryAt },
      }),
    );
    renderMeeting();
    expect(await screen.findByText(/^Zoom's transcript is ready/)).toHaveTextContent(
      `Zoom's transcript is ready, but Zoom's rate limit was reached. We'll try again at ${formatTime(retryAt)}.`,
    );
  });

  it("a download held back: no \"Try again\" (a re-read cannot help); a retry time already passed reads \"Retrying now\"", async () => {
    const past = new Date(Date.now() - 30_000).toISOString();
    api.getMeeting.mockResolvedValue(
      zoomMeeting({
        content_status: "pending",
        transcript: null,
        content_waiting: { kind: "download_failed", reason: "Zoom had a server error.", retry_at: past },
      }),
    );
    renderMeeting();
    expect(await screen.findByText(/^Zoom's transcript is ready/)).toHaveTextContent(
      "Zoom's transcript is ready, but downloading it failed: Zoom had a server error. Retrying now.",
    );
    expect(screen.queryByRole("button", { name: "Try again" })).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(/still not ready|We'll try again at/);
  });

  it("a download given up on (final), read by a member: Zoom has it, the CRM couldn't download it, who can retry where", async () => {
    api.getMeeting.mockResolvedValue(
      zoomMeeting({
        content_status: "pending",
        transcript: null,
        content_wait_until: "2026-12-02T10:30:00Z",
        content_waiting: { kind: "download_failed", reason: "Zoom had a server error.", retry_at: null, final: true, delivery_id: "d-1" },
      }),
    );
    renderMeeting();
    expect(await screen.findByText("The transcript couldn't be downloaded")).toBeInTheDocument();
    expect(screen.getByText(/^Zoom's transcript is ready/)).toHaveTextContent(
      "Zoom's transcript is ready, but the CRM couldn't download it (Zoom had a server error). " +
        "A team owner or admin can retry it under Integrations > Zoom > Activity.",
    );
    expect(screen.queryByRole("button", { name: /Try again|Retry/ })).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(/usually sends|audio transcription|still processing|try again at/i);
    // given up is not "pending": the badge and the transcript section say it was not downloaded
    expect(within(screen.getByRole("banner")).getByText("Transcript not downloaded")).toHaveAttribute(
      "data-content-status",
      "not_downloaded",
    );
    expect(screen.getByText("Not downloaded: see the notice above.")).toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(/pending/i);
  });

  it("a download given up on, read by an admin: Retry download retries the delivery; a link to Integrations > Zoom", async () => {
    const failed = zoomMeeting({
      content_status: "pending",
      transcript: null,
      content_waiting: { kind: "download_failed", reason: "Zoom didn't answer in time.", retry_at: null, final: true, delivery_id: "d-1" },
    });
    api.getMeeting.mockResolvedValue(failed);
    api.retryIntegrationItem.mockResolvedValue({ result: "imported", reason: null });
    const user = userEvent.setup();
    renderTeamRoutes(<Route path="meetings/:meetingId" element={<MeetingPage />} />, {
      path: `/teams/${TEAM_ID}/meetings/22222221-2222-4222-8222-222222222221`,
      team: ADMIN_TEAM,
    });
    expect(await screen.findByText(/^Zoom's transcript is ready/)).toHaveTextContent(
      "Zoom's transcript is ready, but the CRM couldn't download it (Zoom didn't answer in time). " +
        "Retry it here, or later under Integrations > Zoom > Activity.",
    );
    expect(screen.getByRole("link", { name: "Open Integrations > Zoom" })).toHaveAttribute(
      "href",
      `/teams/${TEAM_ID}/settings/integrations?open=zoom`,
    );
    const calls = api.getMeeting.mock.calls.length;
    api.getMeeting.mockResolvedValue(zoomMeeting());
    await user.click(screen.getByRole("button", { name: "Retry download" }));
    expect(api.retryIntegrationItem).toHaveBeenCalledWith(TEAM_ID, "zoom", { kind: "delivery", id: "d-1" });
    expect(await screen.findByRole("list", { name: "Transcript" })).toBeInTheDocument();
    expect(api.getMeeting.mock.calls.length).toBeGreaterThan(calls);
  });

  it("once Zoom's wait is over: No transcript from Zoom (badge, notice, transcript section), no retry", async () => {
    api.getMeeting.mockResolvedValue(
      zoomMeeting({ content_status: "unavailable", content_reason: "no_transcript", transcript: null }),
    );
    renderMeeting();
    // the badge and the notice's title
    expect(await screen.findAllByText("No transcript from Zoom")).toHaveLength(2);
    expect(within(screen.getByRole("banner")).getByText("No transcript from Zoom")).toHaveAttribute(
      "data-content-status",
      "unavailable",
    );
    expect(screen.getByText(/Zoom sent no transcript for this recording within a day/)).toBeInTheDocument();
    expect(screen.getByText("No transcript from Zoom.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Try again" })).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(/Fathom|pending/);
  });

  it("a recording deleted in Zoom: Deleted in Zoom with when (badge, notice, transcript section), no retry", async () => {
    api.getMeeting.mockResolvedValue(
      zoomMeeting({
        content_status: "unavailable",
        content_reason: "deleted_at_provider",
        provider_deleted_at: "2026-11-29T10:00:00Z",
        transcript: null,
      }),
    );
    renderMeeting();
    expect(await screen.findByText(/^Deleted in Zoom on /)).toBeInTheDocument();
    expect(within(screen.getByRole("banner")).getByText("Deleted in Zoom")).toHaveAttribute("data-content-status", "unavailable");
    expect(screen.getByText(/removed its transcript and recording links\. The meeting and its leads stay here\./)).toBeInTheDocument();
    expect(screen.getByText("Removed: the recording was deleted in Zoom.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Try again" })).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(/No transcript from|pending/);
  });

  it("a Fathom meeting keeps its Fathom words, summary and action items", async () => {
    api.getMeeting.mockResolvedValue(meetingDetail({ summary_markdown: null, content_status: "pending" }));
    renderMeeting();
    expect(await screen.findByText("The summary is being fetched from Fathom.")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Open in Fathom" })).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Action items" })).toBeInTheDocument();
    expect(screen.getByText(/^Fathom may still be processing the recording/)).toBeInTheDocument();
  });
});

describe("MeetingPage while its content is pending", () => {
  it("re-reads by itself while the tab is visible, and shows the transcript when it arrives", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    api.getMeeting.mockResolvedValue(zoomMeeting({ content_status: "pending", transcript: null }));
    renderMeeting();
    expect(await screen.findByText("The transcript isn't ready yet")).toBeInTheDocument();
    const calls = api.getMeeting.mock.calls.length;

    api.getMeeting.mockResolvedValue(zoomMeeting());
    await act(() => vi.advanceTimersByTimeAsync(LIVE_REFRESH_MS + 100));
    expect(api.getMeeting.mock.calls.length).toBeGreaterThan(calls);
    expect(await screen.findByRole("list", { name: "Transcript" })).toBeInTheDocument();
    expect(screen.queryByText("The transcript isn't ready yet")).not.toBeInTheDocument();

    // complete: no more polling
    const done = api.getMeeting.mock.calls.length;
    await act(() => vi.advanceTimersByTimeAsync(LIVE_REFRESH_MS * 3));
    expect(api.getMeeting.mock.calls.length).toBe(done);
  });

  it("does not poll in a hidden tab", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    api.getMeeting.mockResolvedValue(zoomMeeting({ content_status: "pending", transcript: null }));
    renderMeeting();
    expect(await screen.findByText("The transcript isn't ready yet")).toBeInTheDocument();
    setVisibility("hidden");
    const calls = api.getMeeting.mock.calls.length;
    await act(() => vi.advanceTimersByTimeAsync(LIVE_REFRESH_MS * 3));
    expect(api.getMeeting.mock.calls.length).toBe(calls);
  });

  it("Try again shows it is checking (disabled, Checking…) and says when the content is still not there", async () => {
    api.getMeeting.mockResolvedValue(zoomMeeting({ content_status: "pending", transcript: null }));
    const user = userEvent.setup();
    renderMeeting();
    const button = await screen.findByRole("button", { name: "Try again" });
    const answer = deferred<MeetingDetail>();
    api.getMeeting.mockReturnValueOnce(answer.promise);
    await user.click(button);
    const checking = await screen.findByRole("button", { name: "Checking…" });
    expect(checking).toBeDisabled();
    await act(async () => answer.resolve(zoomMeeting({ content_status: "pending", transcript: null })));
    expect(await screen.findByRole("button", { name: "Try again" })).toBeEnabled();
    expect(screen.getByText("Checked just now: still not ready.")).toHaveAttribute("role", "status");
  });
});

describe("ContentStatusBadge and the meetings list", () => {
  it("a list row says No transcript from Zoom / Transcript pending for Zoom, Content pending for Fathom", () => {
    render(
      <MemoryRouter>
        <MeetingList
          teamId={TEAM_ID}
          meetings={[
            meetingSummary({ id: "a", title: "Zoom none", provider: "zoom", content_status: "unavailable", content_reason: "no_transcript" }),
            meetingSummary({ id: "b", title: "Zoom later", provider: "zoom", content_status: "pending" }),
            meetingSummary({ id: "c", title: "Fathom later", content_status: "pending" }),
          ]}
        />
      </MemoryRouter>,
    );
    expect(screen.getByText("No transcript from Zoom")).toHaveAttribute("data-content-status", "unavailable");
    expect(screen.getByText("Transcript pending")).toBeInTheDocument();
    expect(screen.getByText("Content pending")).toBeInTheDocument();
    render(<ContentStatusBadge status="unavailable" reason="no_transcript" provider="" />);
    expect(screen.getByText("No transcript")).toBeInTheDocument();
  });
});
