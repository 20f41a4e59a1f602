/** The id of the prerendered shell's element while it is on screen (index.html hides `#root` while it is there). */
export const SHELL_ID = "app-shell";

/**
 * Whether the app in `root` shows something of its own, so the shell can go: anything but nothing, a full-page
 * spinner (`[role=status]` alone) or a frame whose `<main>` is still empty (the page's chunk loading).
 */
export function appIsLive(root: Element): boolean {
  const first = root.firstElementChild;
  if (!first) return false;
  if (root.childElementCount === 1 && first.getAttribute("role") === "status") return false;
  const main = root.querySelector("main");
  return !main || main.childElementCount > 0;
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
