import { describe, expect, it, vi } from "vitest";
import { screen } from "@testing-library/react";
import { api } from "@/test/apiMock";
import { renderWithClient } from "@/test/render";
import { IntegrationsPortal } from "@/components/IntegrationsPortal";
import { CATEGORIES, PROVIDERS } from "@/lib/providers";
import { injectShell, shellScript, shellTemplate, TEMPLATE_ID } from "./prerender";

vi.mock("@/lib/api", () => import("@/test/apiMock"));

/** The shell as the inline script puts it up: the template's content, parsed. */
function shellFragment(): DocumentFragment {
  const holder = document.createElement("div");
  holder.innerHTML = shellTemplate();
  return (holder.firstElementChild as HTMLTemplateElement).content;
}

const texts = (nodes: Iterable<Element>) => [...nodes].map((n) => n.textContent?.trim());

describe("the prerendered Integrations shell", () => {
  it("shows the catalog's categories and cards, in the order and with the copy the page itself renders", async () => {
    api.listIntegrations.mockReturnValue(new Promise(() => undefined)); // the page as it is while its data loads
    renderWithClient(<IntegrationsPortal teamId="t1" role="admin" />);
    const pageCards = PROVIDERS.map((p) => screen.getByTestId(`integration-${p.id}`));
    const shell = shellFragment();
    const shellCards = [...shell.querySelectorAll("[data-shell-card]")];

    expect(shellCards.map((c) => c.getAttribute("data-shell-card"))).toEqual(PROVIDERS.map((p) => p.id));
    expect(texts(shellCards.map((c) => c.querySelector(".font-semibold")!))).toEqual(PROVIDERS.map((p) => p.name));
    expect(texts(shellCards.map((c) => c.querySelector("p")!))).toEqual(texts(pageCards.map((c) => c.querySelector("p")!)));
    expect(texts(shell.querySelectorAll("[data-category] > .mb-3 > div"))).toEqual(CATEGORIES.map((c) => c.label));
    // same classes on the card, its header and its description: the same box, so the page replaces it in place
    for (const [i, card] of shellCards.entries()) {
      expect(card.className).toBe(pageCards[i].className);
      expect(card.querySelector("p")!.className).toBe(pageCards[i].querySelector("p")!.className);
    }
  });

  it("is inert and hidden from assistive technology: no links, buttons, headings, landmarks or ids to duplicate", () => {
    const shell = shellFragment();
    const root = shell.getElementById("app-shell")!;
    expect(root.getAttribute("aria-busy")).toBe("true");
    expect(root.querySelector('[role="status"]')?.textContent).toBe("Loading…");
    const frame = root.querySelector('[aria-hidden="true"][inert]')!;
    expect(frame).not.toBeNull();
    expect(frame.querySelectorAll("a, button, input, h1, h2, h3, main, nav, aside, header, [id], [tabindex]")).toHaveLength(0);
  });

  it("goes into index.html around #root: the template before it, the script choosing it after it", () => {
    const html = injectShell('<body>\n    <div id="root"></div>\n    <script type="module" src="/src/main.tsx"></script>\n</body>');
    const template = html.indexOf(`<template id="${TEMPLATE_ID}">`);
    const root = html.indexOf('<div id="root"></div>');
    const script = html.indexOf(shellScript());
    expect(template).toBeGreaterThan(-1);
    expect(template).toBeLessThan(root);
    expect(script).toBeGreaterThan(root);
    expect(() => injectShell("<body></body>")).toThrow(/no <div id="root">/);
  });
});
