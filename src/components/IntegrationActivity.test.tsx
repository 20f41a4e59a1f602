import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { api } from "@/test/apiMock";
import { deferred, renderWithClient } from "@/test/render";
import { ApiError } from "@/lib/apiError";
import { parseActivity } from "@/lib/activitySchema";
import { LIVE_REFRESH_MS } from "@/hooks/useLiveRefresh";
import { toast } from "@/lib/toast";
import { formatTime } from "@/lib/utils";
import { IntegrationActivity } from "./IntegrationActivity";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/toast", () => ({ toast: Object.assign(vi.fn(), { error: vi.fn(), success: vi.fn() }) }));

const TEAM = "team-1";
const MEETING = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";
const DELIVERY = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
const RUN = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";

/** What GET .../activity answers for a Fathom connection with one of everything. */
const FATHOM_ACTIVITY = {
  provider: "fathom",
  runs: [
    {
      id: RUN,
      started_at: "2026-11-30T10:00:00Z",
      finished_at: "2026-11-30T10:05:00Z",
      status: "completed",
      stage: "done",
      incremental: false,
      listed_count: 12,
      linked_count: 3,
      content_total: 12,
      content_done: 11,
      content_failed: 1,
      error: "Fathom was unavailable.",
      error_at: "2026-11-30T10:01:00Z",
    },
  ],
  deliveries: [
    { id: DELIVERY, received_at: "2026-11-30T11:00:00Z", result: "imported", reason: null, recording_id: 77,
      meeting: { id: MEETING, title: "Acme discovery call" } },
    { id: DELIVERY, received_at: "2026-11-30T11:01:00Z", result: "duplicate", reason: "Received again; already had it.",
      recording_id: 77, meeting: { id: MEETING, title: "Acme discovery call" }, count: 1 },
  ],
  failed: [
    { kind: "meeting", id: MEETING, title: "Acme discovery call", recording_id: 77, at: "2026-11-30T11:02:00Z",
      reason: "Fathom no longer has this recording, or this account cannot see it." },
  ],
  messages: null,
};

beforeEach(() => {
  vi.clearAllMocks();
  api.getIntegrationActivity.mockResolvedValue(parseActivity({ activity: FATHOM_ACTIVITY }));
});
afterEach(() => vi.useRealTimers());

const NAMES = { fathom: "Fathom", slack: "Slack", zoom: "Zoom", typeform: "Typeform" } as const;

function renderActivity(role: "admin" | "member" = "admin", provider: keyof typeof NAMES = "fathom") {
  return renderWithClient(<IntegrationActivity provider={provider} teamId={TEAM} role={role} name={NAMES[provider]} />);
}

const LEAD = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f";
const WAITING = "3d4e5f6a-7b8c-4d9e-8f0a-2b3c4d5e6f7a";

describe("IntegrationActivity", () => {
  it("shows what needs attention, the import history and the deliveries received, linking meetings", async () => {
    renderActivity();
    const section = await screen.findByRole("region", { name: "Activity" });
    await within(section).findByText("Needs attention");
    expect(api.getIntegrationActivity).toHaveBeenCalledWith(TEAM, "fathom");

    const attention = within(section).getByText("Needs attention").closest("details")!;
    expect(attention.open).toBe(true);
    expect(within(attention).getByText("Transcript and summary not imported", { exact: false })).toBeInTheDocument();
    expect(within(attention).getByText("Fathom no longer has this recording, or this account cannot see it.")).toBeInTheDocument();
    expect(within(attention).getByRole("link", { name: "Acme discovery call" })).toHaveAttribute(
      "href",
      `/teams/${TEAM}/meetings/${MEETING}`,
    );

    const history = within(section).getByText("Import history").closest("details")!;
    expect(within(history).getByText("Full import")).toBeInTheDocument();
    expect(within(history).getByText("12 listed · 3 linked to leads · content 11 of 12 · 1 failed")).toBeInTheDocument();
    expect(within(history).getByText("Problem on the way: Fathom was unavailable.")).toBeInTheDocument();

    const deliveries = within(section).getByText("Deliveries received").closest("details")!;
    const rows = within(deliveries).getAllByRole("listitem");
    expect(rows.map((r) => r.getAttribute("data-delivery-result"))).toEqual(["imported", "duplicate"]);
    expect(within(rows[0]).getByRole("link", { name: "Acme discovery call" })).toBeInTheDocument();
    expect(within(rows[1]).getByText("Received again; already had it.")).toBeInTheDocument();
  });

  it("a run of a connection since removed is kept in the history, marked \"Earlier connection\"", async () => {
    const earlier = { ...FATHOM_ACTIVITY.runs[0], id: "4e5f6a7b-8c9d-4e0f-9a1b-3c4d5e6f7a8b", earlier_connection: true,
      started_at: "2026-11-29T10:00:00Z" };
    api.getIntegrationActivity.mockResolvedValue(parseActivity({ activity: { ...FATHOM_ACTIVITY, runs: [FATHOM_ACTIVITY.runs[0], earlier] } }));
    renderActivity();
    const section = await screen.findByRole("region", { name: "Activity" });
    const history = (await within(section).findByText("Import history")).closest("details")!;
    const rows = within(history).getAllByRole("listitem");
    expect(rows).toHaveLength(2);
    expect(rows[0]).not.toHaveTextContent("Earlier connection");
    expect(rows[1]).toHaveTextContent("Earlier connection");
  });

  it("members see the failed list without Retry", async () => {
    renderActivity("member");
    await screen.findByText("Transcript and summary not imported", { exact: false });
    expect(screen.queryByRole("button", { name: /retry/i })).toBeNull();
    expect(screen.getByText("Only team owners and admins can retry.")).toBeInTheDocument();
  });

  it("Retry sends one request however often it is clicked while it runs, then says what happened", async () => {
    const pending = deferred<{ result: string; reason: string | null }>();
    api.retryIntegrationItem.mockReturnValue(pending.promise);
    renderActivity();
    const button = await screen.findByRole("button", { name: "Retry Acme discovery call" });
    const user = userEvent.setup();
    await user.click(button);
    await user.click(button);
    expect(button).toHaveAttribute("aria-disabled", "true");
    expect(button).toHaveFocus(); // still where the keyboard user left it
    expect(api.retryIntegrationItem).toHaveBeenCalledTimes(1);
    expect(api.retryIntegrationItem).toHaveBeenCalledWith(TEAM, "fathom", { kind: "meeting", id: MEETING });

    api.getIntegrationActivity.mockResolvedValue(parseActivity({ activity: { ...FATHOM_ACTIVITY, failed: [] } }));
    await act(async () => pending.resolve({ result: "imported", reason: null }));
    // the list is re-read: the meeting no longer needs attention
    await waitFor(() => expect(screen.getByText("Nothing failed to import.")).toBeInTheDocument());
    expect(api.getIntegrationActivity.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  // The server marks the item pending before it fetches, so the re-read list drops the row (and its status line):
  // what happened must still be said, by a toast that does not belong to the row.
  it("says what a Retry did after its row left the list", async () => {
    api.retryIntegrationItem.mockResolvedValueOnce({ result: "imported", reason: null });
    api.getIntegrationActivity.mockResolvedValueOnce(parseActivity({ activity: FATHOM_ACTIVITY }));
    renderActivity();
    const user = userEvent.setup();
    api.getIntegrationActivity.mockResolvedValue(parseActivity({ activity: { ...FATHOM_ACTIVITY, failed: [] } }));
    await user.click(await screen.findByRole("button", { name: "Retry Acme discovery call" }));
    await waitFor(() => expect(screen.getByText("Nothing failed to import.")).toBeInTheDocument());
    expect(toast.success).toHaveBeenCalledWith("Retry: Imported.");
  });

  it("says what happened after a retry and how long to wait when Fathom is rate limited", async () => {
    api.retryIntegrationItem
      .mockResolvedValueOnce({ result: "failed", reason: "Fathom refused the request." })
      .mockRejectedValueOnce(new ApiError("rate_limited", "Too many requests in a short time. Wait a moment and try again.", 429, 30));
    renderActivity();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Retry Acme discovery call" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Failed again. Fathom refused the request.");
    await user.click(screen.getByRole("button", { name: "Retry Acme discovery call" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Too many requests in a short time. Wait a moment and try again. Try again in 30 s.");
    expect(alert).toHaveAttribute("data-error-code", "rate_limited");
    expect(toast.error).toHaveBeenCalledWith("Retry: Failed again. Fathom refused the request.");
    expect(toast.error).toHaveBeenCalledWith(expect.stringMatching(/^Retry: Too many requests/));
  });

  it("a chat provider lists its recorded posts and says what is not recorded", async () => {
    api.getIntegrationActivity.mockResolvedValue(parseActivity({
      activity: {
        provider: "slack",
        runs: [],
        deliveries: [],
        failed: [],
        messages: [
          { at: "2026-11-30T12:00:00Z", kind: "destination_gone", result: "failed", reason: "The channel or webhook is gone: reconnect to pick another." },
          { at: "2026-11-30T11:00:00Z", kind: "test_message", result: "sent", reason: null },
        ],
      },
    }));
    renderActivity("admin", "slack");
    const rows = await screen.findAllByRole("listitem");
    expect(rows.map((r) => r.getAttribute("data-message-result"))).toEqual(["failed", "sent"]);
    expect(screen.getByText("Test message")).toBeInTheDocument();
    expect(screen.getByText(/other posts are not recorded yet/)).toBeInTheDocument();
    expect(screen.queryByText("Import history")).toBeNull();
  });

  it("updates by itself while the tab is visible", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    api.getIntegrationActivity.mockResolvedValue(parseActivity({ activity: { ...FATHOM_ACTIVITY, deliveries: [] } }));
    renderActivity();
    await screen.findByText("No meetings delivered by Fathom yet.");
    api.getIntegrationActivity.mockResolvedValue(parseActivity({ activity: FATHOM_ACTIVITY }));
    await act(() => vi.advanceTimersByTimeAsync(LIVE_REFRESH_MS + 100));
    await waitFor(() => expect(screen.queryByText("No meetings delivered by Fathom yet.")).toBeNull());
  });

  it("reads an answer it does not fully understand without crashing: unknown entries are dropped", () => {
    const parsed = parseActivity({
      activity: {
        runs: [{ id: "not-a-uuid", started_at: "2026-01-01T00:00:00Z" }, { id: RUN, started_at: "nope" }, 5],
        deliveries: [{ id: DELIVERY, received_at: "2026-01-01T00:00:00Z", result: "exploded", meeting: "x" }],
        failed: [{ kind: "lead", id: MEETING }],
        messages: "no",
      },
    });
    expect(parsed.runs).toEqual([]);
    expect(parsed.deliveries.map((d) => [d.result, d.meeting])).toEqual([["unknown", null]]);
    expect(parsed.failed).toEqual([]);
    expect(parsed.messages).toBeNull();
    expect(parseActivity(null)).toEqual({ runs: [], deliveries: [], failed: [], waiting: [], form_imports: null, messages: null });
  });

  it("Zoom: a delivery waiting for Zoom counts under Needs attention and says so without opening a list, named by its topic", async () => {
    const retryAt = new Date(Date.now() + 60_000).toISOString();
    api.getIntegrationActivity.mockResolvedValue(parseActivity({
      activity: {
        provider: "zoom",
        runs: [],
        deliveries: [{ id: WAITING, received_at: "2026-11-30T11:00:00Z", result: "waiting", recording_id: null, meeting: null,
          title: "Globex call during 429", reason: "Zoom's rate limit was reached; the import tries again once it allows.", retry_at: retryAt }],
        failed: [],
        waiting: [{ id: WAITING, title: "Globex call during 429", meeting_id: null, received_at: "2026-11-30T11:00:00Z",
          reason: "Zoom's rate limit was reached; the import tries again once it allows.", retry_at: retryAt }],
        messages: null,
      },
    }));
    renderActivity("admin", "zoom");
    const summary = await screen.findByText(/^1 recording waiting for Zoom/);
    expect(summary).toHaveTextContent(`1 recording waiting for Zoom: Zoom's rate limit was reached. Tries again at ${formatTime(retryAt)}.`);
    const attention = screen.getByText("Needs attention").closest("details")!;
    expect(attention.open).toBe(true);
    expect(within(attention.querySelector("summary")!).getByText("1")).toBeInTheDocument();
    expect(within(attention).getByText("Globex call during 429")).toBeInTheDocument();
    expect(within(attention).queryByText("Nothing failed to import.")).toBeNull();
    const deliveries = screen.getByText("Deliveries received").closest("details")!;
    expect(within(deliveries).getByText("Globex call during 429")).toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(/Unknown recording/);
  });

  it("Fathom: several waiting deliveries each say their own reason and time; one without a name shows its recording number", async () => {
    const retryAt = new Date(Date.now() + 60_000).toISOString();
    api.getIntegrationActivity.mockResolvedValue(parseActivity({
      activity: {
        ...FATHOM_ACTIVITY,
        failed: [],
        waiting: [
          { id: WAITING, title: null, recording_id: 91, meeting_id: null, received_at: "2026-11-30T11:00:00Z",
            reason: "Fathom had a server error.", retry_at: retryAt },
          { id: DELIVERY, title: "Acme discovery call", recording_id: 77, meeting_id: MEETING, received_at: "2026-11-30T11:05:00Z",
            reason: "Fathom didn't answer in time.", retry_at: null },
        ],
      },
    }));
    renderActivity();
    expect(await screen.findByText(/^2 meetings waiting for Fathom/)).toHaveTextContent(
      `2 meetings waiting for Fathom: Fathom had a server error. Tries again at ${formatTime(retryAt)}.`,
    );
    const attention = screen.getByText("Needs attention").closest("details")!;
    expect(within(attention).getByText("Recording 91")).toBeInTheDocument();
    expect(within(attention).getByRole("link", { name: "Acme discovery call" })).toHaveAttribute("href", `/teams/${TEAM}/meetings/${MEETING}`);
    expect(within(attention).getByText("Fathom didn't answer in time.")).toBeInTheDocument();
  });

  it("Zoom: a failed delivery has Retry for admins, through Zoom's own retry", async () => {
    api.getIntegrationActivity.mockResolvedValue(parseActivity({
      activity: {
        provider: "zoom", runs: [], deliveries: [], waiting: [], messages: null,
        failed: [{ kind: "delivery", id: DELIVERY, title: "Initech review", recording_id: null, meeting_id: null,
          at: "2026-11-30T11:02:00Z", reason: "Zoom answered with an error." }],
      },
    }));
    api.retryIntegrationItem.mockResolvedValueOnce({ result: "waiting", reason: null });
    renderActivity("admin", "zoom");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Retry Initech review" }));
    expect(api.retryIntegrationItem).toHaveBeenCalledWith(TEAM, "zoom", { kind: "delivery", id: DELIVERY });
    // what it did, in words that do not name another provider
    expect(await screen.findByRole("status")).toHaveTextContent("Not finished yet; it will be tried again shortly.");
    expect(toast).toHaveBeenCalledWith("Retry: Not finished yet; it will be tried again shortly.");
  });

  it("a run open when its connection was removed reads as stopped by the disconnect", async () => {
    const stopped = { ...FATHOM_ACTIVITY.runs[0], id: "4e5f6a7b-8c9d-4e0f-9a1b-3c4d5e6f7a8b", earlier_connection: true,
      status: "failed", finished_at: "2026-11-29T11:00:00Z", error: "Fathom was disconnected.", started_at: "2026-11-29T10:00:00Z" };
    api.getIntegrationActivity.mockResolvedValue(parseActivity({ activity: { ...FATHOM_ACTIVITY, runs: [stopped] } }));
    renderActivity();
    const section = await screen.findByRole("region", { name: "Activity" });
    const history = (await within(section).findByText("Import history")).closest("details")!;
    const [row] = within(history).getAllByRole("listitem");
    expect(row).toHaveTextContent("Stopped: Fathom was disconnected.");
    expect(row).toHaveTextContent("Earlier connection");
    expect(row).not.toHaveTextContent(/Running|Waiting for rate limit/);
  });

  it("a failed delivery that no longer keeps its body says why and has no Retry; the others keep theirs", async () => {
    const OTHER = "5f6a7b8c-9d0e-4f1a-8b2c-4d5e6f7a8b9c";
    api.getIntegrationActivity.mockResolvedValue(parseActivity({
      activity: {
        provider: "zoom", runs: [], deliveries: [], waiting: [], messages: null,
        failed: [
          { kind: "delivery", id: DELIVERY, title: "Initech review", recording_id: null, meeting_id: null,
            at: "2026-11-30T11:02:00Z", reason: "The delivery's content is no longer kept; it can no longer be imported.",
            retryable: false },
          { kind: "delivery", id: OTHER, title: "Hooli renewal", recording_id: null, meeting_id: null,
            at: "2026-11-30T11:01:00Z", reason: "Zoom answered with an error.", retryable: true },
        ],
      },
    }));
    renderActivity("admin", "zoom");
    expect(await screen.findByRole("button", { name: "Retry Hooli renewal" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Retry Initech review" })).toBeNull();
    expect(screen.getByText("The delivery's content is no longer kept; it can no longer be imported.", { exact: false }))
      .toBeInTheDocument();
  });

  it("Typeform: lists its responses (form, who answered, lead or refusal), its past-responses imports and failures with Retry; no empty section", async () => {
    api.getIntegrationActivity.mockResolvedValue(parseActivity({
      activity: {
        provider: "typeform",
        runs: [],
        deliveries: [
          { id: DELIVERY, received_at: "2026-11-30T11:00:00Z", result: "imported", reason: null, recording_id: null, meeting: null,
            title: "Contact us", lead: { id: LEAD, name: "Jane Doe" }, respondent: "Jane Doe" },
          { id: WAITING, received_at: "2026-11-30T10:00:00Z", result: "refused", recording_id: null, meeting: null,
            title: "Contact us", lead: null, respondent: "Anon Person, NoMail Inc",
            reason: "The response has no e-mail address, so no lead could be made from it." },
        ],
        failed: [{ kind: "delivery", id: MEETING, title: "Contact us", recording_id: null, meeting_id: null,
          at: "2026-11-30T11:02:00Z", reason: "The import stopped on an unexpected error." }],
        waiting: [],
        form_imports: [{ form_title: "Contact us", status: "done", imported: 3, refused: 1, error: null }],
        messages: null,
      },
    }));
    renderActivity("admin", "typeform");
    await screen.findByText("Needs attention");
    expect(screen.queryByText(/No activity recorded/)).toBeNull();
    const responses = screen.getByText("Responses received").closest("details")!;
    expect(within(responses).getByRole("link", { name: "Jane Doe" })).toHaveAttribute("href", `/teams/${TEAM}/leads/${LEAD}`);
    expect(within(responses).getByText("From Anon Person, NoMail Inc")).toBeInTheDocument();
    expect(within(responses).getByText("No lead made")).toBeInTheDocument();
    expect(within(responses).getByText(/no e-mail address/)).toBeInTheDocument();
    const imports = screen.getByText("Past responses imports").closest("details")!;
    expect(within(imports).getByText("3 imported · 1 without an e-mail address (no lead made)")).toBeInTheDocument();
    expect(screen.queryByText("Import history")).toBeNull();
    const user = userEvent.setup();
    api.retryIntegrationItem.mockResolvedValueOnce({ result: "imported", reason: null });
    await user.click(screen.getByRole("button", { name: "Retry Contact us" }));
    expect(api.retryIntegrationItem).toHaveBeenCalledWith(TEAM, "typeform", { kind: "delivery", id: MEETING });
  });
});
