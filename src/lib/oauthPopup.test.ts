import { describe, expect, it, vi, afterEach } from "vitest";
import { isOAuthResultMessage, isSafeAuthUrl, pendingHandoffKey, watchOAuthPopup } from "./oauthPopup";

afterEach(() => vi.useRealTimers());

const PENDING = "p".repeat(43);
const msg = { source: "fathom-oauth", provider: "fathom", status: "pending", code: null, pending: PENDING };

describe("oauthPopup", () => {
  it("recognises only well-formed result messages for the provider", () => {
    expect(isOAuthResultMessage(msg, "fathom")).toBe(true);
    expect(isOAuthResultMessage({ ...msg, source: "x" }, "fathom")).toBe(false);
    expect(isOAuthResultMessage({ ...msg, status: "ok" }, "fathom")).toBe(false);
    expect(isOAuthResultMessage({ ...msg, provider: "zoom" }, "fathom")).toBe(false);
    expect(isOAuthResultMessage({ ...msg, code: 1 }, "fathom")).toBe(false);
    expect(isOAuthResultMessage({ ...msg, status: "success" }, "fathom")).toBe(false); // only the server connects
    expect(isOAuthResultMessage({ ...msg, pending: undefined }, "fathom")).toBe(false);
    expect(isOAuthResultMessage({ ...msg, pending: "short" }, "fathom")).toBe(false);
    expect(isOAuthResultMessage({ source: "fathom-oauth", provider: "fathom", status: "error", code: "x" })).toBe(true);
    expect(isOAuthResultMessage("fathom-oauth", "fathom")).toBe(false);
    expect(isOAuthResultMessage(null)).toBe(false);
  });

  it("keeps each provider's results apart: the marker is `<provider>-oauth` and must match the provider", () => {
    const slack = { ...msg, source: "slack-oauth", provider: "slack" };
    expect(isOAuthResultMessage(slack, "slack")).toBe(true);
    expect(isOAuthResultMessage(slack)).toBe(true);
    expect(isOAuthResultMessage(slack, "fathom")).toBe(false);
    expect(isOAuthResultMessage({ ...slack, source: "fathom-oauth" }, "slack")).toBe(false);
    expect(isOAuthResultMessage({ ...msg, source: "slack-oauth" })).toBe(false);
    expect(pendingHandoffKey("slack")).toBe("slack-oauth:pending:slack");
    expect(pendingHandoffKey("fathom")).toBe("fathom-oauth:pending:fathom"); // Fathom's names are unchanged
  });

  it("allows only http(s) authorization URLs", () => {
    expect(isSafeAuthUrl("https://fathom.video/external/v1/oauth2/authorize?x=1")).toBe(true);
    expect(isSafeAuthUrl("http://127.0.0.1:54329/authorize")).toBe(true);
    expect(isSafeAuthUrl("javascript:alert(1)")).toBe(false);
    expect(isSafeAuthUrl("data:text/html,hi")).toBe(false);
    expect(isSafeAuthUrl("/relative")).toBe(false);
  });

  it("polls every interval; a closed reading is a hint: it keeps listening for the grace period, then stops", async () => {
    vi.useFakeTimers();
    const popup = { closed: false, close: vi.fn(), location: { href: "" } };
    const onPoll = vi.fn(async () => false);
    const onClosedHint = vi.fn();
    const onClosed = vi.fn();
    const onResult = vi.fn();
    watchOAuthPopup({
      popup,
      provider: "fathom",
      onPoll,
      onClosedHint,
      onClosed,
      onResult,
      pollIntervalMs: 1500,
      closedGraceMs: 6000,
    });

    await vi.advanceTimersByTimeAsync(1499);
    expect(onPoll).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(onPoll).toHaveBeenCalledTimes(1);
    popup.closed = true; // COOP on the consent page: the person may still be deciding
    await vi.advanceTimersByTimeAsync(1500);
    expect(onClosedHint).toHaveBeenCalledTimes(1);
    expect(onClosed).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(4500);
    expect(onPoll).toHaveBeenCalledTimes(5); // still reading the status during the grace period
    expect(onClosed).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1500);
    expect(onClosed).toHaveBeenCalledTimes(1);
    expect(onClosedHint).toHaveBeenCalledTimes(1);
    const polls = onPoll.mock.calls.length;
    await vi.advanceTimersByTimeAsync(6000);
    expect(onPoll).toHaveBeenCalledTimes(polls);
    expect(onResult).not.toHaveBeenCalled();
  });

  it("still takes a result that arrives on the BroadcastChannel after a closed reading", async () => {
    vi.useFakeTimers();
    const popup = { closed: true, close: vi.fn(), location: { href: "" } };
    const onResult = vi.fn();
    const onClosed = vi.fn();
    watchOAuthPopup({ popup, provider: "fathom", onResult, onClosed, pollIntervalMs: 1000 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(onClosed).not.toHaveBeenCalled();
    vi.useRealTimers();
    const channel = new BroadcastChannel("fathom-oauth");
    channel.postMessage(msg);
    await vi.waitFor(() => expect(onResult).toHaveBeenCalledWith(msg));
    channel.close();
    expect(onClosed).not.toHaveBeenCalled();
  });

  it("takes the callback page's localStorage hand-off of this attempt, not an older one", async () => {
    vi.useFakeTimers();
    const popup = { closed: false, close: vi.fn(), location: { href: "" } };
    const onResult = vi.fn();
    const since = Date.now();
    localStorage.setItem("fathom-oauth:pending:fathom", JSON.stringify({ pending: PENDING, at: since - 1 }));
    const stop = watchOAuthPopup({ popup, provider: "fathom", onResult, pollIntervalMs: 1000, since });
    await vi.advanceTimersByTimeAsync(1000);
    expect(onResult).not.toHaveBeenCalled(); // an earlier attempt's
    localStorage.setItem("fathom-oauth:pending:fathom", JSON.stringify({ pending: PENDING, at: since + 5 }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(onResult).toHaveBeenCalledWith(msg);
    stop();
    localStorage.clear();
  });

  it("stops listening after the first result and when stopped", async () => {
    const popup = { closed: false, close: vi.fn(), location: { href: "" } };
    const onResult = vi.fn();
    const stop = watchOAuthPopup({ popup, provider: "fathom", onResult, pollIntervalMs: 60_000 });
    const send = () => {
      const e = new MessageEvent("message", { data: msg, origin: window.location.origin });
      Object.defineProperty(e, "source", { value: popup });
      window.dispatchEvent(e);
    };
    send();
    send();
    expect(onResult).toHaveBeenCalledTimes(1);
    stop();
    stop();
  });
});
