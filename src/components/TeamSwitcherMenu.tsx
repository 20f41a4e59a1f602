import { useRef } from "react";
import { Users } from "lucide-react";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { type IntentProps, useIntentOpen, useTakeFocus } from "@/components/ui/load-on-intent";
import { TeamSwitcherButton } from "@/components/TeamSwitcherButton";
import type { Team } from "@/lib/types";

export interface TeamSwitcherMenuProps {
  teams: Team[];
  currentTeam: Team;
  onSelect: (teamId: string) => void;
}

/** The team menu itself (Radix DropdownMenu), loaded by TeamSwitcher when someone reaches for it. */
export default function TeamSwitcherMenu({
  teams,
  currentTeam,
  onSelect,
  initialOpen,
  focusTrigger,
}: TeamSwitcherMenuProps & IntentProps) {
  const trigger = useRef<HTMLButtonElement>(null);
  useTakeFocus(trigger, { focusTrigger, initialOpen });
  const [open, setOpen] = useIntentOpen({ initialOpen, focusTrigger });
  return (
    <DropdownMenu open={open} onOpenChange={setOpen}>
      <DropdownMenuTrigger asChild>
        <TeamSwitcherButton ref={trigger} team={currentTeam} />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-64">
        <DropdownMenuLabel className="flex items-center gap-1.5">
          <Users className="size-3.5" aria-hidden="true" />
          Teams
        </DropdownMenuLabel>
        <DropdownMenuRadioGroup value={currentTeam.id} onValueChange={onSelect}>
          {teams.map((t) => (
            <DropdownMenuRadioItem key={t.id} value={t.id} className="justify-between">
              <span className="truncate">{t.name}</span>
              <span className="ml-2 text-xs capitalize text-muted-foreground">{t.role}</span>
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
