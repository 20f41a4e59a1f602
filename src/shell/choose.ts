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
  const SHELL_GIVE_UP_MS = 20000; // well after handoff.ts's 10 s: only when the app's scripts never ran
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
  // The app's scripts may never run (blocked, an old index.html after a deploy, offline): their own fallback cannot
  // help then, so this one, which runs from the page itself, says so instead of a frame that pulses for good. If the
  // app does come later, its hand-over removes the shell, message included (handoff.ts).
  setTimeout(function () {
    const shell = doc.getElementById("app-shell");
    if (!shell) return;
    shell.setAttribute("aria-busy", "false");
    shell.innerHTML = '<style>#root{display:none}</style><div role="alert" style="max-width:32rem;margin:4rem auto;' +
      'padding:0 1.5rem;font:16px/1.5 system-ui,sans-serif">The app didn\u2019t load. Check your connection, then ' +
      '<a href="" style="text-decoration:underline">reload the page</a>.</div>';
  }, SHELL_GIVE_UP_MS);
  return true;
}
