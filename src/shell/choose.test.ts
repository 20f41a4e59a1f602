import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { chooseShell } from "./choose";

const KEY = "sb-127-auth-token"; // auth-js's key for http://127.0.0.1:54321 (src/lib/supabase.ts)
const SESSION = JSON.stringify({ access_token: "a", refresh_token: "r", expires_at: 1, user: { id: "u" } });
const PAGE = "/teams/aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa/settings/integrations";

beforeEach(() => {
  document.body.innerHTML = '<template id="app-shell-integrations"><div id="app-shell">frame</div></template><div id="root"></div>';
  localStorage.clear();
});
afterEach(() => localStorage.clear());

const shown = () => document.getElementById("app-shell") !== null;

describe("chooseShell", () => {
  it("says the app didn't load (with a reload link) when its scripts never took over, review 10z #3", () => {
    vi.useFakeTimers();
    try {
      localStorage.setItem(KEY, SESSION);
      expect(chooseShell(document, localStorage, PAGE)).toBe(true);
      vi.advanceTimersByTime(19_000);
      expect(document.querySelector("[role=alert]")).toBeNull();
      vi.advanceTimersByTime(1_000);
      const alert = document.querySelector("#app-shell [role=alert]");
      expect(alert?.textContent).toBe("The app didn\u2019t load. Check your connection, then reload the page.");
      expect(alert?.querySelector("a")?.getAttribute("href")).toBe("");
      expect(document.getElementById("app-shell")?.getAttribute("aria-busy")).toBe("false");
    } finally {
      vi.useRealTimers();
    }
  });

  it("leaves the page alone when the app has handed over before then", () => {
    vi.useFakeTimers();
    try {
      localStorage.setItem(KEY, SESSION);
      chooseShell(document, localStorage, PAGE);
      document.getElementById("app-shell")?.remove(); // the hand-over
      vi.advanceTimersByTime(30_000);
      expect(document.querySelector("[role=alert]")).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("puts the Integrations shell in front of #root for a signed-in visit of a team's Integrations page", () => {
    localStorage.setItem(KEY, SESSION);
    expect(chooseShell(document, localStorage, PAGE)).toBe(true);
    expect(document.getElementById("root")?.previousElementSibling?.id).toBe("app-shell");
    expect(chooseShell(document, localStorage, `${PAGE}/`)).toBe(true);
  });

  it.each([
    ["sign-in", "/sign-in"],
    ["the home redirect", "/"],
    ["another team page", "/teams/t1/leads"],
    ["a page under Integrations", `${PAGE}/fathom`],
    ["a prefix of it", "/teams/t1/settings"],
    ["no team id", "/teams//settings/integrations"],
  ])("is not shown on %s (%s)", (_, path) => {
    localStorage.setItem(KEY, SESSION);
    expect(chooseShell(document, localStorage, path)).toBe(false);
    expect(shown()).toBe(false);
  });

  it.each([
    ["no stored session", null, null],
    ["a session without a refresh token", KEY, JSON.stringify({ access_token: "a" })],
    ["corrupt JSON", KEY, "{not json"],
    ["a null session", KEY, "null"],
    ["another key (the PKCE verifier)", `${KEY}-code-verifier`, SESSION],
    ["another app's key", "session", SESSION],
  ])("is not shown when signed out: %s", (_, key, value) => {
    if (key && value !== null) localStorage.setItem(key, value);
    expect(chooseShell(document, localStorage, PAGE)).toBe(false);
    expect(shown()).toBe(false);
  });

  it("leaves the page alone when storage throws (blocked storage) or there is no template", () => {
    const throwing = { get length(): number { throw new Error("SecurityError"); } } as unknown as Storage;
    expect(chooseShell(document, throwing, PAGE)).toBe(false);
    localStorage.setItem(KEY, SESSION);
    document.getElementById("app-shell-integrations")?.remove();
    expect(chooseShell(document, localStorage, PAGE)).toBe(false);
    expect(shown()).toBe(false);
  });

  it("is self-contained, so that its source can be inlined into index.html", () => {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- what the inline script does
    const inlined = new Function(`return (${chooseShell.toString()})`)() as typeof chooseShell;
    localStorage.setItem(KEY, SESSION);
    expect(inlined(document, localStorage, PAGE)).toBe(true);
  });
});
