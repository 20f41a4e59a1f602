import { useCallback, useSyncExternalStore } from "react";

/**
 * Whether the CSS media query matches now, following changes (rotation, resizing). Without `matchMedia` (jsdom,
 * old browsers) it is false, so callers make the desktop layout their `false` case.
 */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (typeof window === "undefined" || !window.matchMedia) return () => {};
      const list = window.matchMedia(query);
      list.addEventListener("change", onChange);
      return () => list.removeEventListener("change", onChange);
    },
    [query],
  );
  return useSyncExternalStore(
    subscribe,
    () => (typeof window !== "undefined" && window.matchMedia ? window.matchMedia(query).matches : false),
    () => false,
  );
}
