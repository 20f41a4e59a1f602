import { Badge } from "@/components/ui/badge";
import { LoadOnIntent, lazyWithPreload } from "@/components/ui/load-on-intent";
import { TeamSwitcherButton } from "@/components/TeamSwitcherButton";
import type { Team } from "@/lib/types";

export function RoleBadge({ role }: { role: Team["role"] }) {
  return (
    <Badge variant={role === "member" ? "secondary" : "outline"} className="capitalize">
      {role}
    </Badge>
  );
}

const menu = lazyWithPreload(() => import("@/components/TeamSwitcherMenu"));

/** The current team and a menu to switch to another; the menu's Radix machinery loads when someone reaches for it. */
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
      <LoadOnIntent
        loader={menu}
        trigger={<TeamSwitcherButton team={currentTeam} />}
        props={{ teams, currentTeam, onSelect }}
      />
      <RoleBadge role={currentTeam.role} />
    </div>
  );
}
