import { describe, expect, it, vi } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import {
  FATHOM_OAUTH_ERROR_MESSAGES,
  GENERIC_FATHOM_OAUTH_ERROR,
  genericOAuthError,
  oauthErrorMessages,
} from "@/lib/oauthErrors";
import { PROVIDERS } from "@/lib/providers";

const PUBLIC = join(__dirname, "../../public");
const page = (provider: string) => readFileSync(join(PUBLIC, `${provider}-callback.html`), "utf8");
const SCRIPT = readFileSync(join(PUBLIC, "oauth-callback.js"), "utf8");
const STYLES = readFileSync(join(PUBLIC, "oauth-callback.css"), "utf8");
const ORIGIN = "http://localhost:5173";

interface Loaded {
  window: Window & typeof globalThis;
  doc: Document;
  postMessage: ReturnType<typeof vi.fn>;
  close: ReturnType<typeof vi.fn>;
  broadcasts: unknown[];
}

const PENDING = "p".repeat(43);

/**
 * public/<provider>-callback.html as a browser would run it: the page parsed with inline scripts off (its CSP
 * allows none), then its one external script, public/oauth-callback.js, run in the page.
 */
function load(
  query: Record<string, string>,
  {
    opener = true,
    hash = "",
    provider = "fathom",
    html = page(provider),
  }: { opener?: boolean; hash?: string; provider?: string; html?: string } = {},
): Loaded {
  const postMessage = vi.fn();
  const close = vi.fn();
  const broadcasts: unknown[] = [];
  const qs = new URLSearchParams(query).toString();
  const dom = new JSDOM(html, {
    url: `${ORIGIN}/${provider}-callback.html?${qs}${hash}`,
    runScripts: "outside-only",
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
  dom.window.eval(SCRIPT);
  return { window: dom.window as unknown as Window & typeof globalThis, doc: dom.window.document, postMessage, close, broadcasts };
}

const text = (l: Loaded, id: string) => l.doc.getElementById(id)?.textContent ?? "";

describe("public/fathom-callback.html with public/oauth-callback.js", () => {
  it("renders a hostile code as text only and falls back to the generic message", () => {
    const evil = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;
    const l = load({ status: "error", provider: "fathom", code: evil });

    expect(text(l, "title")).toBe("Couldn't connect Fathom");
    expect(text(l, "message")).toBe(GENERIC_FATHOM_OAUTH_ERROR);
    expect(l.doc.body.textContent).not.toContain("__pwned");
    expect(l.doc.querySelectorAll("script")).toHaveLength(1); // only the page's own
    expect(l.doc.querySelector("script")?.getAttribute("src")).toBe("/oauth-callback.js");
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

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'";

describe("public/<provider>-callback.html: one shell, one script, one stylesheet", () => {
  it.each(PROVIDERS.map((p) => [p.id, p.name] as const))(
    "%s: no inline script or style, a strict CSP, its own provider and brand colour",
    (id, name) => {
      const html = page(id);
      const doc = new JSDOM(html).window.document;
      expect(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute("content")).toBe(CSP);
      expect(doc.querySelector('meta[name="referrer"]')?.getAttribute("content")).toBe("no-referrer");
      const scripts = [...doc.querySelectorAll("script")];
      expect(scripts.map((s) => s.getAttribute("src"))).toEqual(["/oauth-callback.js"]);
      expect(scripts[0].textContent).toBe("");
      expect(doc.querySelectorAll("style")).toHaveLength(0);
      expect([...doc.querySelectorAll('link[rel="stylesheet"]')].map((l) => l.getAttribute("href"))).toEqual([
        "/oauth-callback.css",
      ]);
      for (const el of doc.querySelectorAll("*")) {
        expect(el.hasAttribute("style"), `${id}: style attribute on <${el.tagName}>`).toBe(false);
        for (const attr of el.getAttributeNames()) expect(attr.startsWith("on"), `${id}: ${attr}`).toBe(false);
      }
      // the page describes itself: the catalog row's id, name and brand colour
      expect(doc.body.getAttribute("data-provider")).toBe(id);
      expect(doc.body.getAttribute("data-name")).toBe(name);
      expect(doc.querySelector('meta[name="theme-color"]')?.getAttribute("content")?.toLowerCase()).toBe(
        PROVIDERS.find((p) => p.id === id)?.brandColor.toLowerCase(),
      );
      expect(doc.title).toBe(name);
    },
  );

  it("the stylesheet and the script know no provider: names and colours come from the page", () => {
    expect(STYLES).not.toMatch(/\[data-provider/);
    for (const { id, name } of PROVIDERS) {
      expect(SCRIPT, id).not.toContain(`"${name}"`);
      expect(SCRIPT, id).not.toMatch(new RegExp(`\\b${id}\\s*:`));
    }
  });

  it.each(PROVIDERS.map((p) => [p.id, p.brandColor] as const))("%s: the page's theme colour becomes --brand", (id, color) => {
    const l = load({ status: "pending", provider: id }, { provider: id, hash: `#pending=${PENDING}` });
    expect(l.doc.body.style.getPropertyValue("--brand").toLowerCase()).toBe(color.toLowerCase());
  });

  /** A new provider's page: another page with its id, name and colour swapped in. */
  const newPage = ({ id = "teams", name = "Microsoft Teams", color = "#6264a7" } = {}) =>
    page("discord")
      .replace('data-provider="discord"', id === "" ? "" : `data-provider="${id}"`)
      .replace('data-name="Discord"', name === "" ? "" : `data-name="${name}"`)
      .replace('content="#5865f2"', `content="${color}"`);

  it("a new provider's page works with nothing but its own page", () => {
    const l = load({ status: "pending", provider: "teams" }, { html: newPage(), hash: `#pending=${PENDING}` });
    const msg = { source: "teams-oauth", provider: "teams", status: "pending", code: null, pending: PENDING };
    expect(l.postMessage).toHaveBeenCalledWith(msg, ORIGIN);
    expect(l.broadcasts).toEqual([{ name: "teams-oauth", data: msg }]);
    expect(JSON.parse(l.window.localStorage.getItem("teams-oauth:pending:teams") ?? "{}")).toMatchObject({ pending: PENDING });
    expect(text(l, "title")).toBe("Microsoft Teams authorized");
    expect(l.doc.body.style.getPropertyValue("--brand")).toBe("#6264a7");

    const e = load({ status: "error", provider: "teams", code: "provider_not_configured" }, { html: newPage() });
    expect(text(e, "title")).toBe("Couldn't connect Microsoft Teams");
    expect(text(e, "message")).toBe(oauthErrorMessages("Microsoft Teams").provider_not_configured);

    // nothing of the page it was copied from speaks for the old provider: title, brand line, first message
    for (const loaded of [l, e, load({ status: "pending", provider: "teams" }, { html: newPage() })]) {
      expect(loaded.doc.title).toBe("Microsoft Teams");
      expect(loaded.doc.body.textContent).not.toMatch(/Discord/);
      expect(text(loaded, "brand-name")).toBe("Microsoft Teams");
    }
  });

  it.each([
    ["no provider", { id: "" }],
    ["no name", { name: "" }],
    ["a blank name", { name: "   " }],
    ["a provider id that is not a plain identifier", { id: "teams:pending" }],
    ["an upper-case provider id", { id: "Teams" }],
    ["a name longer than 64 characters", { name: "N".repeat(65) }],
  ])("a page with %s does nothing", (_label, spec) => {
    const l = load({ status: "pending", provider: "teams" }, { html: newPage(spec), hash: `#pending=${PENDING}` });
    expect(l.postMessage).not.toHaveBeenCalled();
    expect(l.broadcasts).toEqual([]);
    expect(l.window.localStorage.length).toBe(0);
    expect(l.close).not.toHaveBeenCalled();
    expect(text(l, "title")).toBe("Finishing up…");
    expect(l.doc.body.style.getPropertyValue("--brand")).toBe("");
  });

  it.each(["red", "#12345", "#1234567", "#abcdef; background: url(x)", "var(--x)", ""])(
    "a theme colour that is not #rrggbb (%j) is not applied; the page still works",
    (color) => {
      const l = load({ status: "pending", provider: "teams" }, { html: newPage({ color }), hash: `#pending=${PENDING}` });
      expect(l.doc.body.style.getPropertyValue("--brand")).toBe("");
      expect(l.doc.body.getAttribute("style")).toBeNull();
      expect(text(l, "title")).toBe("Microsoft Teams authorized");
    },
  );

  it.each(PROVIDERS.map((p) => [p.id, p.name] as const))(
    "%s: hands its pending id on under its own names, and speaks for its own provider only",
    (id, name) => {
      const l = load({ status: "pending", provider: id }, { provider: id, hash: `#pending=${PENDING}` });
      const msg = { source: `${id}-oauth`, provider: id, status: "pending", code: null, pending: PENDING };
      expect(l.postMessage).toHaveBeenCalledWith(msg, ORIGIN);
      expect(l.broadcasts).toEqual([{ name: `${id}-oauth`, data: msg }]);
      expect(JSON.parse(l.window.localStorage.getItem(`${id}-oauth:pending:${id}`) ?? "{}")).toMatchObject({
        pending: PENDING,
      });
      expect(text(l, "title")).toBe(`${name} authorized`);
      expect(l.window.location.hash).toBe("");

      // a landing that claims another provider is still this page's provider's
      const other = id === "slack" ? "discord" : "slack";
      const e = load({ status: "error", provider: other, code: "access_denied" }, { provider: id });
      expect(e.postMessage).toHaveBeenCalledWith(
        { source: `${id}-oauth`, provider: id, status: "error", code: "access_denied" },
        ORIGIN,
      );
      expect(text(e, "title")).toBe(`Couldn't connect ${name}`);
      expect(text(e, "message")).toBe(`You cancelled the ${name} authorization.`);
    },
  );

  it("shows the same message as the app for every known code, for every provider", () => {
    for (const { id, name } of PROVIDERS) {
      for (const [code, message] of Object.entries(oauthErrorMessages(name))) {
        const l = load({ status: "error", provider: id, code }, { provider: id });
        expect(text(l, "message"), `${id} ${code}`).toBe(message);
      }
      const unknown = load({ status: "error", provider: id, code: "weird" }, { provider: id });
      expect(text(unknown, "message")).toBe(genericOAuthError(name));
    }
  }, 30_000); // some fifty pages: a generous limit for a shared machine, not a speed claim

  it("never sends the pending id over the network: the script has no fetch, XHR, beacon, image or navigation", () => {
    expect(SCRIPT).not.toMatch(/\bfetch\s*\(|XMLHttpRequest|sendBeacon|new\s+Image|\.src\s*=|location\s*\.\s*(href|assign|replace)\s*=?|innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });

  it("without an opener, says plainly after 8 s that nothing was connected when no app confirmed", async () => {
    vi.useFakeTimers();
    try {
      const nobody = load({ status: "pending", provider: "slack" }, { provider: "slack", opener: false, hash: `#pending=${PENDING}` });
      await vi.advanceTimersByTimeAsync(8000);
      expect(text(nobody, "title")).toBe("Nothing was connected from this window");
    } finally {
      vi.useRealTimers();
    }
  });
});
