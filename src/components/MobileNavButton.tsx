import type { ComponentProps } from "react";
import { Menu } from "lucide-react";

/** The phone menu's button: MobileNav's stand-in until the sheet loads, then the sheet's trigger. */
export function MobileNavButton(props: ComponentProps<"button">) {
  return (
    <button
      type="button"
      aria-haspopup="dialog"
      className="-ml-1 flex size-9 items-center justify-center rounded-md outline-none hover:bg-muted focus-visible:ring-2 focus-visible:ring-ring md:hidden"
      {...props}
    >
      <Menu className="size-5" aria-hidden="true" />
      <span className="sr-only">Menu</span>
    </button>
  );
}
