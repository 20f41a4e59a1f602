import type { ComponentProps } from "react";
import { initials } from "@/lib/initials";

export interface UserMenuProps {
  fullName: string | null;
  email: string;
}

/** The avatar button that opens the account menu: UserMenu's stand-in until the menu loads, then its trigger. */
export function UserMenuButton({ fullName, email, ...props }: UserMenuProps & ComponentProps<"button">) {
  return (
    <button
      type="button"
      aria-label="User menu"
      aria-haspopup="menu"
      className="flex size-8 items-center justify-center rounded-full bg-muted text-xs font-semibold outline-none ring-offset-2 hover:bg-muted/70 focus-visible:ring-2 focus-visible:ring-ring"
      {...props}
    >
      <span aria-hidden="true">{initials(fullName, email)}</span>
    </button>
  );
}
