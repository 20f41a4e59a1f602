/** The id of the prerendered shell's element while it is on screen (index.html hides `#root` while it is there). */
export const SHELL_ID = "app-shell";

/** Nothing but a loading status (`[role=status]` alone): a spinner, not content. */
function onlyStatus(el: Element): boolean {
  return el.childElementCount === 1 && el.firstElementChild!.getAttribute("role") === "status";
}

/**
 * Whether the app in `root` shows something of its own, so the shell can go: anything but nothing, a full-page
 * spinner (`[role=status]` alone), or a frame whose `<main>` is still empty or shows only the page's loading status
 * (its chunk loading: App.tsx's PageFallback says "Loading…" after 300 ms, review 10z #2).
 */
export function appIsLive(root: Element): boolean {
  if (!root.firstElementChild || onlyStatus(root)) return false;
  const main = root.querySelector("main");
  return !main || (main.childElementCount > 0 && !onlyStatus(main));
}

/**
 * Hands over from the prerendered shell (when index.html's inline script put one up) to the app rendering into
 * `root`: the shell is removed in the same task as the app's commit that makes it live (a MutationObserver's callback
 * runs before the next paint), so the page replaces the shell without a blank or spinner frame between. After
 * `maxMs` the shell goes anyway (the app's own spinner or error is better than a frame that never comes alive).
 * Returns a function that stops watching.
 */
export function handOffShell(doc: Document, root: Element, maxMs = 10_000): () => void {
  const shell = doc.getElementById(SHELL_ID);
  if (!shell) return () => undefined;
  const release = () => {
    observer.disconnect();
    clearTimeout(timer);
    shell.remove();
  };
  const observer = new MutationObserver(() => {
    if (appIsLive(root)) release();
  });
  observer.observe(root, { childList: true, subtree: true });
  const timer = setTimeout(release, maxMs);
  return release;
}
