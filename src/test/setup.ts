import "@testing-library/jest-dom/vitest";
import { afterEach } from "vitest";
import { cleanup, configure } from "@testing-library/react";

// findBy*/waitFor wait up to 5 s (Testing Library's default is 1 s): a page is a lazy route, and on a 2-core machine
// busy with other suites its first import was seen to take longer than 1 s (App.test "opens the remembered team's
// integrations" under load). A wait, not a speed assertion: a passing test returns as soon as the element is there.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => {
  cleanup();
});

// Radix primitives use these; jsdom lacks them.
if (typeof window !== "undefined") {
  const proto = window.HTMLElement.prototype as unknown as Record<string, unknown>;
  if (!proto.hasPointerCapture) proto.hasPointerCapture = () => false;
  if (!proto.releasePointerCapture) proto.releasePointerCapture = () => undefined;
  if (!proto.scrollIntoView) proto.scrollIntoView = () => undefined;
  if (!("ResizeObserver" in window)) {
    (window as unknown as { ResizeObserver: unknown }).ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    };
  }
}
