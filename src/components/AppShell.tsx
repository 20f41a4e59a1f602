import type { ReactNode } from "react";
import { NavLink } from "react-router-dom";
import { Blocks, Building2, CalendarDays, Users } from "lucide-react";
import { TeamSwitcher } from "@/components/TeamSwitcher";
import { UserMenu } from "@/components/UserMenu";
import { cn } from "@/lib/utils";
import type { Team } from "@/lib/types";

interface NavItem {
  label: string;
  to: string;
  icon: typeof Users;
  soon?: boolean;
}

function SidebarLink({ item }: { item: NavItem }) {
  const Icon = item.icon;
  return (
    <NavLink
      to={item.to}
      className={({ isActive }) =>
        cn(
          "flex h-8 items-center gap-2 rounded-md px-2 text-sm text-muted-foreground transition-colors hover:bg-muted hover:text-foreground",
          isActive && "bg-muted font-medium text-foreground",
        )
      }
    >
      <Icon className="size-4" aria-hidden="true" />
      <span className="flex-1">{item.label}</span>
      {item.soon && <span className="text-[10px] uppercase tracking-wide text-muted-foreground/70">Soon</span>}
    </NavLink>
  );
}

export function AppShell({
  teams,
  currentTeam,
  onSelectTeam,
  children,
}: {
  teams: Team[];
  currentTeam: Team | undefined;
  onSelectTeam: (teamId: string) => void;
  children: ReactNode;
}) {
  const base = currentTeam ? `/teams/${encodeURIComponent(currentTeam.id)}` : null;
  const crm: NavItem[] = base
    ? [
        { label: "Leads", to: `${base}/leads`, icon: Users },
        { label: "Meetings", to: `${base}/meetings`, icon: CalendarDays },
      ]
    : [];
  const settings: NavItem[] = base ? [{ label: "Integrations", to: `${base}/settings/integrations`, icon: Blocks }] : [];

  return (
    <div className="flex h-full min-h-screen">
      <aside className="hidden w-60 shrink-0 flex-col border-r border-border bg-sidebar md:flex">
        <div className="flex h-14 items-center gap-2 border-b border-border px-4">
          <div className="flex size-7 items-center justify-center rounded-md bg-primary text-primary-foreground">
            <Building2 className="size-4" aria-hidden="true" />
          </div>
          <span className="text-sm font-semibold">Team CRM</span>
        </div>
        <nav aria-label="Main" className="flex flex-1 flex-col gap-6 p-3">
          {crm.length > 0 && (
            <div className="flex flex-col gap-0.5">
              <div className="px-2 pb-1 text-xs font-medium text-muted-foreground">CRM</div>
              {crm.map((i) => (
                <SidebarLink key={i.to} item={i} />
              ))}
            </div>
          )}
          {settings.length > 0 && (
            <div className="flex flex-col gap-0.5">
              <div className="px-2 pb-1 text-xs font-medium text-muted-foreground">Settings</div>
              {settings.map((i) => (
                <SidebarLink key={i.to} item={i} />
              ))}
            </div>
          )}
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 shrink-0 items-center justify-between gap-4 border-b border-border px-4 md:px-6">
          <TeamSwitcher teams={teams} currentTeam={currentTeam} onSelect={onSelectTeam} />
          <UserMenu />
        </header>
        <main className="flex-1 overflow-y-auto">{children}</main>
      </div>
    </div>
  );
}
