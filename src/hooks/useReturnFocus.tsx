import { useLayoutEffect, useRef, useState, type RefObject } from "react";

type AutoFocusHandler = (event: Event) => void;

/**
 * Returns focus to the control that opened a dialog, when the dialog closes. Radix returns it only to a
 * `DialogTrigger`; a dialog opened from state (`open={editOpen}`) would leave focus on <body> (WCAG 2.4.3).
 *
 * Render `<RememberOpener openerRef={openerRef} />` inside the dialog's content: it reads `document.activeElement`
 * while the content first renders, before anything inside it (an `autoFocus` field) can take focus. On close the
 * opener gets focus back when it is still on the page; otherwise Radix's default applies. A caller's own
 * `onCloseAutoFocus` runs first and may keep focus where it wants by calling `event.preventDefault()`.
 */
export function useReturnFocus(own: { onCloseAutoFocus?: AutoFocusHandler } = {}) {
  const openerRef = useRef<HTMLElement | null>(null);
  return {
    openerRef,
    onCloseAutoFocus: (event: Event) => {
      own.onCloseAutoFocus?.(event);
      if (event.defaultPrevented) return;
      const el = openerRef.current;
      openerRef.current = null;
      if (el?.isConnected) {
        event.preventDefault();
        el.focus({ preventScroll: true });
      }
    },
  };
}

/** Records, once per opening, what had focus before the dialog's content rendered. */
export function RememberOpener({ openerRef }: { openerRef: RefObject<HTMLElement | null> }) {
  const [opener] = useState(() => {
    const active = typeof document === "undefined" ? null : document.activeElement;
    return active instanceof HTMLElement && active !== document.body ? active : null;
  });
  useLayoutEffect(() => {
    openerRef.current = opener;
  }, [opener, openerRef]);
  return null;
}
