import type { ReactNode } from "react";
import { NavLink } from "react-router-dom";
import { Blocks, Building2, CalendarDays, ListTodo, Users, UsersRound, Workflow } from "lucide-react";
import { TeamSwitcher } from "@/components/TeamSwitcher";
import { UserMenu } from "@/components/UserMenu";
import { LoadOnIntent, lazyWithPreload } from "@/components/ui/load-on-intent";
import { MobileNavButton } from "@/components/MobileNavButton";
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

function Brand() {
  return (
    <div className="flex items-center gap-2">
      <div className="flex size-7 items-center justify-center rounded-md bg-primary text-primary-foreground">
        <Building2 className="size-4" aria-hidden="true" />
      </div>
      <span className="text-sm font-semibold">Team CRM</span>
    </div>
  );
}

/** The app's sections, grouped; the same list in the sidebar (desktop) and in the menu sheet (phone). */
function NavSections({ groups }: { groups: { label: string; items: NavItem[] }[] }) {
  return (
    <nav aria-label="Main" className="flex flex-col gap-6">
      {groups
        .filter((g) => g.items.length > 0)
        .map((g) => (
          <div key={g.label} className="flex flex-col gap-0.5">
            <div className="px-2 pb-1 text-xs font-medium text-muted-foreground">{g.label}</div>
            {g.items.map((i) => (
              <SidebarLink key={i.to} item={i} />
            ))}
          </div>
        ))}
    </nav>
  );
}

const sheet = lazyWithPreload(() => import("@/components/MobileNavSheet"));

/**
 * Below the desktop breakpoint (md) the sidebar is hidden: a menu button opens a sheet with the same sections, the
 * team switcher and the account menu (MobileNavSheet, loaded when someone reaches for the button).
 */
function MobileNav({ children }: { children: ReactNode }) {
  return <LoadOnIntent loader={sheet} trigger={<MobileNavButton />} props={{ children }} />;
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
  const groups = [
    {
      label: "CRM",
      items: base
        ? [
            { label: "Leads", to: `${base}/leads`, icon: Users },
            { label: "Meetings", to: `${base}/meetings`, icon: CalendarDays },
            { label: "Tasks", to: `${base}/tasks`, icon: ListTodo },
          ]
        : [],
    },
    {
      label: "Settings",
      items: base
        ? [
            { label: "Integrations", to: `${base}/settings/integrations`, icon: Blocks },
            { label: "Automations", to: `${base}/automations`, icon: Workflow },
            { label: "Members", to: `${base}/members`, icon: UsersRound },
          ]
        : [],
    },
  ];
  const switcher = <TeamSwitcher teams={teams} currentTeam={currentTeam} onSelect={onSelectTeam} />;

  return (
    <div className="flex h-full min-h-screen">
      <aside className="hidden w-60 shrink-0 flex-col border-r border-border bg-sidebar md:flex">
        <div className="flex h-14 items-center border-b border-border px-4">
          <Brand />
        </div>
        <div className="flex-1 p-3">
          <NavSections groups={groups} />
        </div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 shrink-0 items-center justify-between gap-4 border-b border-border px-4 md:px-6">
          <div className="flex items-center gap-2 md:hidden">
            <MobileNav>
              <div className="flex items-center justify-between gap-2 pr-8">
                <Brand />
                <UserMenu />
              </div>
              {switcher}
              <NavSections groups={groups} />
            </MobileNav>
            <Brand />
          </div>
          <div className="hidden md:block">{switcher}</div>
          <div className="hidden md:block">
            <UserMenu />
          </div>
        </header>
        <main tabIndex={-1} className="flex-1 overflow-y-auto outline-none">{children}</main>
      </div>
    </div>
  );
}
