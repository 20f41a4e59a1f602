import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { appIsLive, handOffShell } from "./handoff";

let root: HTMLElement;
beforeEach(() => {
  document.body.innerHTML = '<div id="app-shell">frame</div><div id="root"></div>';
  root = document.getElementById("root")!;
});
afterEach(() => vi.useRealTimers());

const shellThere = () => document.getElementById("app-shell") !== null;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("appIsLive", () => {
  it.each([
    ["nothing yet", "", false],
    ["the full-page spinner", '<div role="status">Loading…</div>', false],
    ["the frame with an empty main (the page's chunk loading)", "<div><aside></aside><main></main></div>", false],
    ["the frame whose main shows only the page's Loading… (review 10z #2)", '<div><main><div role="status">Loading…</div></main></div>', false],
    ["the frame with its page", "<div><main><div>Integrations</div></main></div>", true],
    ["a page without the frame (sign-in, an error)", "<div><form></form></div>", true],
  ])("%s: %s", (_, html, live) => {
    root.innerHTML = html;
    expect(appIsLive(root)).toBe(live);
  });
});

describe("handOffShell", () => {
  it("keeps the shell through the spinner and an empty frame, and removes it when the page is there", async () => {
    handOffShell(document, root);
    root.innerHTML = '<div role="status">Loading…</div>';
    await flush();
    expect(shellThere()).toBe(true);
    root.innerHTML = "<div><main></main></div>";
    await flush();
    expect(shellThere()).toBe(true);
    root.querySelector("main")!.append(document.createElement("div"));
    await flush();
    expect(shellThere()).toBe(false);
  });

  it("removes the shell after maxMs when the app never shows a page", () => {
    vi.useFakeTimers();
    handOffShell(document, root, 5_000);
    vi.advanceTimersByTime(4_999);
    expect(shellThere()).toBe(true);
    vi.advanceTimersByTime(1);
    expect(shellThere()).toBe(false);
  });

  it("does nothing when no shell was put up", () => {
    document.getElementById("app-shell")!.remove();
    expect(() => handOffShell(document, root)()).not.toThrow();
  });
});
