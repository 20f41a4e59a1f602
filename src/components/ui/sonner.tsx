import { lazy, Suspense } from "react";
import { useToasterWanted } from "@/lib/toast";

const SonnerToaster = lazy(() => import("./sonner-toaster").then((m) => ({ default: m.Toaster })));

/** Mounted once in main.tsx; renders nothing, and loads nothing, until the first `toast()` (lib/toast.ts). */
export function Toaster() {
  if (!useToasterWanted()) return null;
  return (
    <Suspense fallback={null}>
      <SonnerToaster />
    </Suspense>
  );
}
