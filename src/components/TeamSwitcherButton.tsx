import type { ComponentProps } from "react";
import { ChevronsUpDown } from "lucide-react";
import type { Team } from "@/lib/types";

/** The current team's button: TeamSwitcher's stand-in until its menu loads, then the menu's trigger. */
export function TeamSwitcherButton({ team, ...props }: { team: Team } & ComponentProps<"button">) {
  return (
    <button
      type="button"
      aria-haspopup="menu"
      className="flex h-8 items-center gap-2 rounded-md px-2 text-sm font-medium outline-none hover:bg-muted focus-visible:ring-2 focus-visible:ring-ring"
      {...props}
    >
      {/* The name comes from the content and starts with the visible team name (WCAG 2.5.3, label in name);
          the initial is decoration. */}
      <span
        aria-hidden="true"
        className="flex size-5 items-center justify-center rounded bg-primary text-[10px] font-semibold uppercase text-primary-foreground"
      >
        {team.name.slice(0, 1)}
      </span>
      <span className="max-w-[14rem] truncate">{team.name}</span>
      <span className="sr-only">, switch team</span>
      <ChevronsUpDown className="size-3.5 text-muted-foreground" aria-hidden="true" />
    </button>
  );
}
