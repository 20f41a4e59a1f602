import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { JSDOM } from "jsdom";

// index.html and public/ as the browser and crawlers ask for them: an icon (else every page asks for
// /favicon.ico and gets a 404), a robots.txt of its own (else the SPA fallback answers with the app's HTML) and a
// description.
const ROOT = join(__dirname, "../..");
const PUBLIC = join(ROOT, "public");
const head = new JSDOM(readFileSync(join(ROOT, "index.html"), "utf8")).window.document.head;

describe("index.html and public/", () => {
  it("names an SVG icon and a favicon.ico that both exist", () => {
    const icons = Array.from(head.querySelectorAll<HTMLLinkElement>('link[rel="icon"]'));
    const svg = icons.find((l) => l.getAttribute("type") === "image/svg+xml");
    const ico = icons.find((l) => l.getAttribute("href") === "/favicon.ico");
    expect(svg).toBeDefined();
    expect(ico).toBeDefined();
    for (const link of [svg!, ico!]) expect(existsSync(join(PUBLIC, link.getAttribute("href")!))).toBe(true);
    expect(readFileSync(join(PUBLIC, svg!.getAttribute("href")!), "utf8")).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    // ICONDIR: reserved 0, type 1 (icon), at least one image
    const ico0 = readFileSync(join(PUBLIC, "favicon.ico"));
    expect([ico0.readUInt16LE(0), ico0.readUInt16LE(2)]).toEqual([0, 1]);
    expect(ico0.readUInt16LE(4)).toBeGreaterThan(0);
  });

  it("has a robots.txt that keeps crawlers out of an app behind sign-in", () => {
    const robots = readFileSync(join(PUBLIC, "robots.txt"), "utf8");
    expect(robots).toMatch(/^User-agent: \*$/m);
    expect(robots).toMatch(/^Disallow: \/$/m);
  });

  it("describes the app in a meta description", () => {
    const description = head.querySelector('meta[name="description"]')?.getAttribute("content") ?? "";
    expect(description.length).toBeGreaterThan(30);
  });
});
