import { renderToStaticMarkup } from "react-dom/server";
import { chooseShell, startApp } from "./choose";
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

/**
 * The inline script after `#root`: puts the shell up when it fits (chooseShell), then starts the app (startApp) with
 * the entry and preloads Vite wrote into the head (taken out of it by injectShell). Both functions are inlined as
 * their own source; a failure of the first (storage blocked) still starts the app.
 */
export function shellScript(entry: string, preloads: string[]): string {
  return (
    `<script>(function(){var shown=false;try{shown=(${chooseShell.toString()})(document,localStorage,location.pathname)}catch(e){}` +
    `(${startApp.toString()})(document,${JSON.stringify(entry)},${JSON.stringify(preloads)},shown)})()</script>`
  );
}

const ENTRY = /\s*<script type="module" crossorigin src="([^"]+)"><\/script>/g;
const PRELOAD = /\s*<link rel="modulepreload" crossorigin href="([^"]+)">/g;

/**
 * The built index.html with the shell: its template before `<div id="root"></div>`, and after it the inline script
 * that shows it when it fits and starts the app. The entry `<script type=module>` and the `<link rel=modulepreload>`
 * tags Vite put in the head move into that script (startApp inserts them, at a priority that depends on the shell).
 * Throws when there is no such `#root` or not exactly one entry script (a Vite change to check by hand).
 */
export function injectShell(html: string): string {
  const root = '<div id="root"></div>';
  if (!html.includes(root)) throw new Error('index.html has no <div id="root"></div> for the prerendered shell');
  const entries = [...html.matchAll(ENTRY)].map((m) => m[1]);
  if (entries.length !== 1) throw new Error(`index.html has ${entries.length} entry scripts, expected one (Vite's output)`);
  const preloads = [...html.matchAll(PRELOAD)].map((m) => m[1]);
  return html
    .replace(ENTRY, "")
    .replace(PRELOAD, "")
    .replace(root, `${shellTemplate()}\n    ${root}\n    ${shellScript(entries[0], preloads)}`);
}
