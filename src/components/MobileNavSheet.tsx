import { type ReactNode, useEffect, useRef } from "react";
import { useLocation } from "react-router-dom";
import { type IntentProps, useIntentOpen, useTakeFocus } from "@/components/ui/load-on-intent";
import { Sheet, SheetContent, SheetDescription, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { MobileNavButton } from "@/components/MobileNavButton";

/**
 * The phone menu itself (Radix Dialog as a sheet), loaded by AppShell's MobileNav when someone reaches for it. It
 * closes on a link (even to the page already open) and on navigation (a team switch that changes the URL).
 */
export default function MobileNavSheet({ children, initialOpen, focusTrigger }: { children: ReactNode } & IntentProps) {
  const [open, setOpen] = useIntentOpen({ initialOpen, focusTrigger });
  const { pathname } = useLocation();
  // closes when the pathname CHANGES: comparing with the last one seen, not skipping a first run, because StrictMode
  // runs a mount's effects twice in development (the second run closed a sheet just opened by the first tap)
  const shownAt = useRef(pathname);
  useEffect(() => {
    if (shownAt.current === pathname) return;
    shownAt.current = pathname;
    setOpen(false);
  }, [pathname]);
  const trigger = useRef<HTMLButtonElement>(null);
  useTakeFocus(trigger, { focusTrigger, initialOpen });
  return (
    <Sheet open={open} onOpenChange={setOpen}>
      <SheetTrigger asChild>
        <MobileNavButton ref={trigger} />
      </SheetTrigger>
      {/* a link closes the sheet even when it leads to the page already open (the pathname does not change) */}
      <SheetContent
        side="left"
        className="bg-sidebar"
        onClick={(e) => {
          if ((e.target as Element).closest("a[href]")) setOpen(false);
        }}
      >
        <SheetTitle className="sr-only">Menu</SheetTitle>
        <SheetDescription className="sr-only">Sections of the app, team and account.</SheetDescription>
        {children}
      </SheetContent>
    </Sheet>
  );
}
