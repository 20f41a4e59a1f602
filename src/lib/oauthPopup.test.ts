import { describe, expect, it, vi, afterEach } from "vitest";
import { isOAuthResultMessage, isSafeAuthUrl, watchOAuthPopup } from "./oauthPopup";

afterEach(() => vi.useRealTimers());

const msg = { source: "fathom-oauth", provider: "fathom", status: "success", code: null };

describe("oauthPopup", () => {
  it("recognises only well-formed result messages for the provider", () => {
    expect(isOAuthResultMessage(msg, "fathom")).toBe(true);
    expect(isOAuthResultMessage({ ...msg, source: "x" }, "fathom")).toBe(false);
    expect(isOAuthResultMessage({ ...msg, status: "ok" }, "fathom")).toBe(false);
    expect(isOAuthResultMessage({ ...msg, provider: "zoom" }, "fathom")).toBe(false);
    expect(isOAuthResultMessage({ ...msg, code: 1 }, "fathom")).toBe(false);
    expect(isOAuthResultMessage("fathom-oauth", "fathom")).toBe(false);
    expect(isOAuthResultMessage(null)).toBe(false);
  });

  it("allows only http(s) authorization URLs", () => {
    expect(isSafeAuthUrl("https://fathom.video/external/v1/oauth2/authorize?x=1")).toBe(true);
    expect(isSafeAuthUrl("http://127.0.0.1:54329/authorize")).toBe(true);
    expect(isSafeAuthUrl("javascript:alert(1)")).toBe(false);
    expect(isSafeAuthUrl("data:text/html,hi")).toBe(false);
    expect(isSafeAuthUrl("/relative")).toBe(false);
  });

  it("polls every interval while open, reports closing once, then stops", async () => {
    vi.useFakeTimers();
    const popup = { closed: false, close: vi.fn(), location: { href: "" } };
    const onPoll = vi.fn(async () => false);
    const onClosed = vi.fn();
    const onResult = vi.fn();
    watchOAuthPopup({ popup, provider: "fathom", onPoll, onClosed, onResult, pollIntervalMs: 1500 });

    await vi.advanceTimersByTimeAsync(1499);
    expect(onPoll).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(onPoll).toHaveBeenCalledTimes(1);
    popup.closed = true;
    await vi.advanceTimersByTimeAsync(1500);
    expect(onPoll).toHaveBeenCalledTimes(2); // one last status read after closing
    expect(onClosed).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(6000);
    expect(onPoll).toHaveBeenCalledTimes(2);
    expect(onResult).not.toHaveBeenCalled();
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
