// Fathom's page chrome: the family's shell (dev/sandbox/html.ts) in Fathom purple. Every value that reaches HTML
// goes through escapeHtml: query strings are attacker-controlled.

import { escapeHtml, pageShell } from "../sandbox/html.ts";

export { escapeHtml };

export const FATHOM_PURPLE = "#5636D3";

/** Shared page chrome. `body` must already be escaped HTML. */
export function page(title: string, body: string): string {
  return pageShell({ title, brand: "Fathom sandbox", tagline: "A local stand-in for Fathom, not the real fathom.video", colour: FATHOM_PURPLE, body });
}
