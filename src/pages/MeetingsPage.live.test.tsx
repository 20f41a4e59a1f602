import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, screen } from "@testing-library/react";
import { Route } from "react-router-dom";
import { toast } from "@/lib/toast";
import { api } from "@/test/apiMock";
import { renderTeamRoutes } from "@/test/render";
import { MEMBER_TEAM, TEAM_ID, lead, meetingSummary } from "@/test/fixtures";
import { LIVE_REFRESH_MS } from "@/hooks/useLiveRefresh";
import { MeetingsPage } from "./MeetingsPage";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: {} }));
vi.mock("@/lib/toast", () => ({ toast: Object.assign(vi.fn(), { error: vi.fn(), success: vi.fn() }) }));

const OLD = meetingSummary();
const NEW = meetingSummary({ id: "22222229-2222-4222-8222-222222222229", title: "Webhook delivery call" });

function setVisibility(state: "visible" | "hidden") {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
  document.dispatchEvent(new Event("visibilitychange"));
}

beforeEach(() => {
  vi.clearAllMocks();
  vi.useFakeTimers({ shouldAdvanceTime: true });
  setVisibility("visible");
  api.listLeads.mockResolvedValue({ leads: [lead()], next_cursor: null });
  api.listMeetings.mockResolvedValue({ meetings: [OLD], next_cursor: null });
});
afterEach(() => {
  vi.useRealTimers();
  setVisibility("visible");
});

function renderMeetings() {
  return renderTeamRoutes(<Route path="meetings" element={<MeetingsPage />} />, {
    path: `/teams/${TEAM_ID}/meetings`,
    team: MEMBER_TEAM,
  });
}

describe("MeetingsPage live updates", () => {
  it("shows a meeting delivered meanwhile without a reload, with a 'New meeting from Fathom' toast", async () => {
    renderMeetings();
    await screen.findByText("Quarterly Business Review");
    // first load announces nothing
    expect(toast).not.toHaveBeenCalled();
    const calls = api.listMeetings.mock.calls.length;

    api.listMeetings.mockResolvedValue({ meetings: [NEW, OLD], next_cursor: null });
    await act(() => vi.advanceTimersByTimeAsync(LIVE_REFRESH_MS + 100));

    expect(api.listMeetings.mock.calls.length).toBeGreaterThan(calls);
    expect(await screen.findByText("Webhook delivery call")).toBeInTheDocument();
    expect(toast).toHaveBeenCalledTimes(1);
    expect(toast).toHaveBeenCalledWith("New meeting from Fathom: Webhook delivery call", expect.anything());

    // the next poll returns the same list: no second toast
    await act(() => vi.advanceTimersByTimeAsync(LIVE_REFRESH_MS + 100));
    expect(toast).toHaveBeenCalledTimes(1);
  });

  it("announces a batch of new meetings (an import) with one toast", async () => {
    renderMeetings();
    await screen.findByText("Quarterly Business Review");
    const batch = [1, 2, 3].map((i) => meetingSummary({ id: `2222222${i}-2222-4222-8222-22222222223${i}`, title: `Imported ${i}` }));
    api.listMeetings.mockResolvedValue({ meetings: [...batch, OLD], next_cursor: null });
    await act(() => vi.advanceTimersByTimeAsync(LIVE_REFRESH_MS + 100));
    expect(await screen.findByText("Imported 3")).toBeInTheDocument();
    expect(toast).toHaveBeenCalledTimes(1);
    expect(toast).toHaveBeenCalledWith("3 new meetings from Fathom");
  });

  it("names the provider that brought the meeting, and none when a batch came from several", async () => {
    renderMeetings();
    await screen.findByText("Quarterly Business Review");
    const zoom = meetingSummary({ id: "22222231-2222-4222-8222-222222222231", title: "Zoom call", provider: "zoom" });
    api.listMeetings.mockResolvedValue({ meetings: [zoom, OLD], next_cursor: null });
    await act(() => vi.advanceTimersByTimeAsync(LIVE_REFRESH_MS + 100));
    expect(await screen.findByText("Zoom call")).toBeInTheDocument();
    expect(toast).toHaveBeenCalledWith("New meeting from Zoom: Zoom call", expect.anything());
    const mixed = [
      meetingSummary({ id: "22222232-2222-4222-8222-222222222232", title: "From Zoom", provider: "zoom" }),
      meetingSummary({ id: "22222233-2222-4222-8222-222222222233", title: "From Fathom" }),
    ];
    api.listMeetings.mockResolvedValue({ meetings: [...mixed, zoom, OLD], next_cursor: null });
    await act(() => vi.advanceTimersByTimeAsync(LIVE_REFRESH_MS + 100));
    expect(await screen.findByText("From Fathom")).toBeInTheDocument();
    expect(toast).toHaveBeenLastCalledWith("2 new meetings");
  });

  it("does not poll while the tab is hidden", async () => {
    renderMeetings();
    await screen.findByText("Quarterly Business Review");
    setVisibility("hidden");
    const calls = api.listMeetings.mock.calls.length;
    await act(() => vi.advanceTimersByTimeAsync(LIVE_REFRESH_MS * 3));
    expect(api.listMeetings.mock.calls.length).toBe(calls);
  });
});
