import { useSyncExternalStore } from "react";
import type { ExternalToast } from "sonner";

/**
 * The app's toasts: sonner's `toast` (https://sonner.emilkowal.ski/toast), loaded with its Toaster on the first
 * toast instead of with every page. Most visits show none, and sonner is ~9 kB of JavaScript gzip that the
 * Integrations page's budget (150 kB, issue 10) cannot carry. sonner replays the toasts that are active when a
 * Toaster subscribes, so a toast raised before the Toaster's chunk arrived still shows.
 * src/test/bundle-rules.test.ts keeps every other module off "sonner".
 */
type Message = string;

let sonner: Promise<typeof import("sonner")> | undefined;
let wanted = false;
const listeners = new Set<() => void>();

function load() {
  if (!sonner) {
    sonner = import("sonner");
    wanted = true;
    for (const listener of listeners) listener();
  }
  return sonner;
}

function show(kind: "message" | "success" | "error" | "info" | "warning", message: Message, options?: ExternalToast) {
  void load().then(({ toast: sonnerToast }) => sonnerToast[kind](message, options));
}

/** `toast(message, options)` and `toast.success/error/info/warning(...)`: fire and forget, as sonner's are. */
export const toast = Object.assign((message: Message, options?: ExternalToast) => show("message", message, options), {
  success: (message: Message, options?: ExternalToast) => show("success", message, options),
  error: (message: Message, options?: ExternalToast) => show("error", message, options),
  info: (message: Message, options?: ExternalToast) => show("info", message, options),
  warning: (message: Message, options?: ExternalToast) => show("warning", message, options),
});

/** True once a toast was raised: the lazy Toaster (components/ui/sonner.tsx) mounts from then on. */
export function useToasterWanted(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => wanted,
  );
}
