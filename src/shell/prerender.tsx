import { renderToStaticMarkup } from "react-dom/server";
import { chooseShell } from "./choose";
import { SHELL_ID } from "./handoff";
import { IntegrationsShell } from "./IntegrationsShell";

export const TEMPLATE_ID = "app-shell-integrations";

/**
 * The shell as index.html carries it: a `<template>` (inert until copied, so it costs no layout on other pages) with
 * `#app-shell`: a style that hides `#root` while the shell is there (the app renders into it unseen, then
 * handOffShell removes the shell, style included), a screen-reader status "Loading…" (what the app's own spinner
 * says), and the Integrations frame, inert and aria-hidden.
 */
export function shellTemplate(): string {
  const frame = renderToStaticMarkup(<IntegrationsShell />);
  return (
    `<template id="${TEMPLATE_ID}"><div id="${SHELL_ID}" aria-busy="true">` +
    `<style>#root{display:none}</style>` +
    `<p class="sr-only" role="status">Loading…</p>` +
    `<div aria-hidden="true" inert>${frame}</div>` +
    `</div></template>`
  );
}

/** The inline script that puts the shell up before the first paint when it fits (chooseShell, its own source). */
export function shellScript(): string {
  return `<script>try{(${chooseShell.toString()})(document,localStorage,location.pathname)}catch(e){}</script>`;
}

/**
 * index.html with the shell's template before `<div id="root"></div>` and its script right after it (the script needs
 * both, and runs while the body is parsed, before the first paint). Throws when index.html has no such `#root`.
 */
export function injectShell(html: string): string {
  const root = '<div id="root"></div>';
  if (!html.includes(root)) throw new Error('index.html has no <div id="root"></div> for the prerendered shell');
  return html.replace(root, `${shellTemplate()}\n    ${root}\n    ${shellScript()}`);
}
