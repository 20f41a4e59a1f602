/**
 * Which prerendered shell fits the address the app is opened at, decided before the first paint by an inline script
 * in index.html (the function's own source is inlined by src/shell/prerender.tsx, so it must stay self-contained: no
 * imports, no closures, plain ES2020).
 *
 * `chooseShell(document, localStorage, location.pathname)` copies `<template id="app-shell-integrations">` in front of
 * `#root` and returns true when the address is a team's Integrations page (`/teams/<id>/settings/integrations`, an
 * optional trailing slash) and a stored Supabase session (auth-js's `sb-<project ref>-auth-token` key, JSON with a
 * `refresh_token`: the access token may be expired, auth-js refreshes it) says the person is signed in. Otherwise
 * (another page, signed out, storage unreadable, no template) it leaves the page alone and returns false: a signed-out
 * visit goes to sign-in without a signed-in frame flashing first.
 */
export function chooseShell(doc: Document, storage: Storage, pathname: string): boolean {
  if (!/^\/teams\/[^/]+\/settings\/integrations\/?$/.test(pathname)) return false;
  let signedIn = false;
  try {
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (!key || !/^sb-.+-auth-token$/.test(key)) continue;
      const session = JSON.parse(storage.getItem(key) || "null");
      if (session && typeof session.refresh_token === "string" && session.refresh_token) signedIn = true;
    }
  } catch {
    return false;
  }
  const template = doc.getElementById("app-shell-integrations");
  const root = doc.getElementById("root");
  if (!signedIn || !template || !("content" in template) || !root) return false;
  root.before((template as HTMLTemplateElement).content.cloneNode(true));
  return true;
}

/**
 * Starts the app: `<link rel=modulepreload>` for each of `preloads` and the entry `<script type=module>`, as Vite
 * writes them into index.html (crossorigin, in that order), inserted by index.html's inline script instead. When
 * `behindShell` (chooseShell put the shell up), they are fetched at low priority (`fetchpriority=low`): the first
 * paint is the shell's and needs only the HTML and the CSS, so these must not compete with the stylesheet (Chrome
 * holds low-priority requests back while a render-blocking one is in flight). Otherwise they keep the browser's
 * default (high) priority: the page's first paint needs them. Self-contained, as chooseShell.
 */
export function startApp(doc: Document, entry: string, preloads: string[], behindShell: boolean): void {
  for (const href of preloads) {
    const link = doc.createElement("link");
    link.rel = "modulepreload";
    link.crossOrigin = "";
    if (behindShell) link.setAttribute("fetchpriority", "low");
    link.href = href;
    doc.head.appendChild(link);
  }
  const script = doc.createElement("script");
  script.type = "module";
  script.crossOrigin = "";
  if (behindShell) script.setAttribute("fetchpriority", "low");
  script.src = entry;
  doc.body.appendChild(script);
}
