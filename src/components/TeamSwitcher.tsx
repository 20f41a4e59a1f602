import { ChevronsUpDown, Users } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import type { Team } from "@/lib/types";

export function RoleBadge({ role }: { role: Team["role"] }) {
  return (
    <Badge variant={role === "member" ? "secondary" : "outline"} className="capitalize">
      {role}
    </Badge>
  );
}

export function TeamSwitcher({
  teams,
  currentTeam,
  onSelect,
}: {
  teams: Team[];
  currentTeam: Team | undefined;
  onSelect: (teamId: string) => void;
}) {
  if (!currentTeam) {
    return <span className="text-sm text-muted-foreground">No team</span>;
  }
  return (
    <div className="flex items-center gap-2">
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <button
            type="button"
            className="flex h-8 items-center gap-2 rounded-md px-2 text-sm font-medium outline-none hover:bg-muted focus-visible:ring-2 focus-visible:ring-ring"
          >
            {/* The name comes from the content and starts with the visible team name (WCAG 2.5.3, label in name);
                the initial is decoration. */}
            <span
              aria-hidden="true"
              className="flex size-5 items-center justify-center rounded bg-primary text-[10px] font-semibold uppercase text-primary-foreground"
            >
              {currentTeam.name.slice(0, 1)}
            </span>
            <span className="max-w-[14rem] truncate">{currentTeam.name}</span>
            <span className="sr-only">, switch team</span>
            <ChevronsUpDown className="size-3.5 text-muted-foreground" aria-hidden="true" />
          </button>
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
      <RoleBadge role={currentTeam.role} />
    </div>
  );
}
