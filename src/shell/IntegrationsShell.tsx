import { Blocks, Building2, CalendarDays, ListTodo, Menu, Users, UsersRound, Workflow } from "lucide-react";
import { Card, CardContent, CardFooter, CardHeader } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { CATEGORIES, PROVIDERS } from "@/lib/providers";

/**
 * The Integrations page's frame as static markup, for the prerendered app shell (src/shell/prerender.ts): what the
 * first paint shows before any JavaScript ran. Same catalog (names, descriptions, icons, colours, categories) and the
 * same layout classes as AppShell, IntegrationsPage and IntegrationsPortal in their loading state; what depends on
 * the person (team name, switcher, account menu, each card's status and button) is a reserved, pulsing block of the
 * same size. No links, buttons or landmarks: it is inert and hidden from assistive technology (the app's own page,
 * which replaces it, has them), so nothing on it can be clicked or found before the app is live.
 */
export function IntegrationsShell() {
  const nav = [
    { label: "CRM", items: [["Leads", Users], ["Meetings", CalendarDays], ["Tasks", ListTodo]] as const },
    {
      label: "Settings",
      items: [["Integrations", Blocks], ["Automations", Workflow], ["Members", UsersRound]] as const,
    },
  ];
  return (
    <div className="flex h-full min-h-screen">
      <div className="hidden w-60 shrink-0 flex-col border-r border-border bg-sidebar md:flex">
        <div className="flex h-14 items-center border-b border-border px-4">
          <Brand />
        </div>
        <div className="flex-1 p-3">
          <div className="flex flex-col gap-6">
            {nav.map((group) => (
              <div key={group.label} className="flex flex-col gap-0.5">
                <div className="px-2 pb-1 text-xs font-medium text-muted-foreground">{group.label}</div>
                {group.items.map(([label, Icon]) => (
                  <div
                    key={label}
                    className={
                      "flex h-8 items-center gap-2 rounded-md px-2 text-sm text-muted-foreground" +
                      (label === "Integrations" ? " bg-muted font-medium text-foreground" : "")
                    }
                  >
                    <Icon className="size-4" />
                    <span className="flex-1">{label}</span>
                  </div>
                ))}
              </div>
            ))}
          </div>
        </div>
      </div>
      <div className="flex min-w-0 flex-1 flex-col">
        <div className="flex h-14 shrink-0 items-center justify-between gap-4 border-b border-border px-4 md:px-6">
          <div className="flex items-center gap-2 md:hidden">
            <div className="-ml-1 flex size-9 items-center justify-center rounded-md">
              <Menu className="size-5" />
            </div>
            <Brand />
          </div>
          <div className="hidden md:block">
            <Skeleton className="h-8 w-40" />
          </div>
          <div className="hidden md:block">
            <Skeleton className="size-8 rounded-full" />
          </div>
        </div>
        <div className="flex-1 overflow-y-auto">
          <div className="mx-auto w-full max-w-4xl px-4 py-8 md:px-8">
            <div className="mb-8 border-b border-border pb-6">
              <p className="text-xs font-medium uppercase tracking-wide text-muted-foreground">Settings</p>
              <div className="mt-1 text-2xl font-semibold tracking-tight">Integrations</div>
              <p className="mt-1 text-sm text-muted-foreground">
                Connect the tools{" "}
                <span className="inline-block h-3.5 w-24 animate-pulse rounded bg-muted align-middle" /> already
                uses. Connections are shared by everyone on the team.
              </p>
            </div>
            <div className="flex flex-col gap-10">
              {CATEGORIES.map((category) => (
                <div key={category.id} data-category={category.id}>
                  <div className="mb-3">
                    <div className="text-sm font-semibold">{category.label}</div>
                    <p className="text-sm text-muted-foreground">{category.description}</p>
                  </div>
                  <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
                    {PROVIDERS.filter((p) => p.category === category.id).map((item) => (
                      <ShellCard key={item.id} item={item} />
                    ))}
                  </div>
                </div>
              ))}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}

function Brand() {
  return (
    <div className="flex items-center gap-2">
      <div className="flex size-7 items-center justify-center rounded-md bg-primary text-primary-foreground">
        <Building2 className="size-4" />
      </div>
      <span className="text-sm font-semibold">Team CRM</span>
    </div>
  );
}

function ShellCard({ item }: { item: (typeof PROVIDERS)[number] }) {
  const Icon = item.icon;
  const comingSoon = item.availability === "coming_soon";
  return (
    <Card className="flex h-full flex-col" data-shell-card={item.id}>
      <CardHeader className="flex-row items-start gap-3 pb-3">
        <div
          className="flex size-10 shrink-0 items-center justify-center rounded-lg text-white shadow-xs"
          style={{ backgroundColor: item.brandColor }}
        >
          <Icon className="size-5" />
        </div>
        <div className="min-w-0 flex-1">
          <div className="flex items-center justify-between gap-2">
            <div className="text-sm font-semibold">{item.name}</div>
            {/* the status badge's own height (py-0.5 + a 16 px line + 2 px border: ui/badge.tsx), so nothing below moves */}
            {!comingSoon && <Skeleton className="h-[22px] w-24 rounded-full" />}
          </div>
          <p className="mt-1 text-sm text-muted-foreground">{item.description}</p>
        </div>
      </CardHeader>
      <CardContent className="flex flex-1 flex-col gap-1 pb-3">
        {comingSoon && item.comingSoon && <p className="pl-5 text-xs text-muted-foreground">{item.comingSoon}</p>}
      </CardContent>
      <CardFooter className="justify-end">
        <Skeleton className="h-8 w-20" />
      </CardFooter>
    </Card>
  );
}
