import { describe, expect, it, vi } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import { FATHOM_OAUTH_ERROR_MESSAGES, GENERIC_FATHOM_OAUTH_ERROR } from "@/lib/oauthErrors";

const HTML = readFileSync(join(__dirname, "../../public/fathom-callback.html"), "utf8");
const ORIGIN = "http://localhost:5173";

interface Loaded {
  window: Window & typeof globalThis;
  doc: Document;
  postMessage: ReturnType<typeof vi.fn>;
  close: ReturnType<typeof vi.fn>;
  broadcasts: unknown[];
}

const PENDING = "p".repeat(43);

function load(query: Record<string, string>, { opener = true, hash = "" } = {}): Loaded {
  const postMessage = vi.fn();
  const close = vi.fn();
  const broadcasts: unknown[] = [];
  const qs = new URLSearchParams(query).toString();
  const dom = new JSDOM(HTML, {
    url: `${ORIGIN}/fathom-callback.html?${qs}${hash}`,
    runScripts: "dangerously",
    beforeParse(win) {
      Object.defineProperty(win, "opener", {
        configurable: true,
        value: opener ? { closed: false, postMessage } : null,
      });
      win.close = close;
      (win as unknown as { BroadcastChannel: unknown }).BroadcastChannel = class {
        constructor(public name: string) {}
        postMessage(data: unknown) {
          broadcasts.push({ name: this.name, data });
        }
        close() {}
      };
    },
  });
  return { window: dom.window, doc: dom.window.document, postMessage, close, broadcasts };
}

const text = (l: Loaded, id: string) => l.doc.getElementById(id)?.textContent ?? "";

describe("public/fathom-callback.html", () => {
  it("renders a hostile code as text only and falls back to the generic message", () => {
    const evil = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;
    const l = load({ status: "error", provider: "fathom", code: evil });

    expect(text(l, "title")).toBe("Couldn't connect Fathom");
    expect(text(l, "message")).toBe(GENERIC_FATHOM_OAUTH_ERROR);
    expect(l.doc.body.textContent).not.toContain("__pwned");
    expect(l.doc.querySelectorAll("script")).toHaveLength(1); // only the page's own
    expect(l.doc.querySelectorAll("img")).toHaveLength(0);
    expect((l.window as unknown as { __pwned?: number }).__pwned).toBeUndefined();

    // The opener gets a well-formed code, never the raw text.
    expect(l.postMessage).toHaveBeenCalledWith(
      { source: "fathom-oauth", provider: "fathom", status: "error", code: "unknown_error" },
      ORIGIN,
    );
  });

  it("hands the pending id to the opener with the page's exact origin (never '*'), the channel and the hand-off", () => {
    const l = load({ status: "pending", provider: "fathom" }, { hash: `#pending=${PENDING}` });
    const msg = { source: "fathom-oauth", provider: "fathom", status: "pending", code: null, pending: PENDING };
    expect(l.postMessage).toHaveBeenCalledTimes(1);
    expect(l.postMessage).toHaveBeenCalledWith(msg, ORIGIN);
    expect(l.postMessage.mock.calls[0][1]).not.toBe("*");
    expect(l.broadcasts).toEqual([{ name: "fathom-oauth", data: msg }]);
    expect(JSON.parse(l.window.localStorage.getItem("fathom-oauth:pending:fathom") ?? "{}")).toMatchObject({
      pending: PENDING,
    });
    // the page claims nothing: the app connects only after its own confirmation
    expect(text(l, "title")).toBe("Fathom authorized");
    expect(text(l, "hint")).toMatch(/You can close this window/);
    expect(l.doc.getElementById("back")?.hidden).toBe(true);
  });

  it("a pending landing without a well-formed id, or a self-declared success, is an error", () => {
    for (const [query, hash] of [
      [{ status: "pending", provider: "fathom" }, ""],
      [{ status: "pending", provider: "fathom" }, "#pending=%3Cscript%3E"],
      [{ status: "success", provider: "fathom" }, `#pending=${PENDING}`],
    ] as const) {
      const l = load(query, { hash });
      expect(l.postMessage.mock.calls[0][0]).toMatchObject({ status: "error", code: "unknown_error" });
      expect(l.postMessage.mock.calls[0][0]).not.toHaveProperty("pending");
      expect(l.window.localStorage.getItem("fathom-oauth:pending:fathom")).toBeNull();
    }
  });

  it("does not echo a hostile provider value", () => {
    const l = load({ status: "error", provider: `"><svg onload=alert(1)>`, code: "access_denied" });
    expect(l.postMessage.mock.calls[0][0]).toMatchObject({ provider: "fathom", code: "access_denied" });
    expect(text(l, "message")).toBe("You cancelled the Fathom authorization.");
  });

  it("shows the same message as the app for every known error code", () => {
    for (const [code, message] of Object.entries(FATHOM_OAUTH_ERROR_MESSAGES)) {
      const l = load({ status: "error", provider: "fathom", code });
      expect(text(l, "message"), code).toBe(message);
    }
  });

  it("removes the query and the pending id from the address bar", () => {
    const l = load({ status: "pending", provider: "fathom" }, { hash: `#pending=${PENDING}` });
    expect(l.window.location.search).toBe("");
    expect(l.window.location.hash).toBe("");
  });

  it("closes itself after 1.5 s, also without an opener (COOP cut it), and keeps a link back for that case", async () => {
    const popup = load({ status: "pending", provider: "fathom" }, { hash: `#pending=${PENDING}` });
    const direct = load({ status: "pending", provider: "fathom" }, { opener: false, hash: `#pending=${PENDING}` });

    expect(direct.postMessage).not.toHaveBeenCalled();
    expect(direct.broadcasts).toHaveLength(1); // the channel still reaches the app that started it
    const back = direct.doc.getElementById("back") as HTMLAnchorElement;
    expect(back.hidden).toBe(false);
    expect(back.textContent).toBe("Back to Integrations");
    expect(back.getAttribute("href")).toBe("/");
    expect(text(direct, "hint")).toMatch(/Nothing is connected unless the person who started it confirms/);

    await new Promise((r) => setTimeout(r, 1000));
    expect(popup.close).not.toHaveBeenCalled();
    expect(direct.close).not.toHaveBeenCalled();
    await new Promise((r) => setTimeout(r, 700));
    expect(popup.close).toHaveBeenCalledTimes(1);
    expect(direct.close).toHaveBeenCalledTimes(1);
  });
});
