import { Suspense, useId, useState } from "react";
import { Clock } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardFooter, CardHeader } from "@/components/ui/card";
import { lazyWithPreload } from "@/components/ui/load-on-intent";
import { Skeleton } from "@/components/ui/skeleton";
import { DestinationLine } from "@/components/DestinationLine";
import { IntegrationStatusBadge } from "@/components/IntegrationStatusBadge";
import { ErrorAlert } from "@/components/ErrorAlert";
import { useIntegrations } from "@/hooks/useIntegrations";
import { CATEGORIES, PROVIDERS, type ProviderEntry, type ProviderId } from "@/lib/providers";
import { isTeamAdmin, type IntegrationStatus, type TeamIntegration, type TeamRole } from "@/lib/types";

export interface IntegrationsPortalProps {
  teamId: string;
  role: TeamRole;
  /** the provider whose dialog is open at first (IntegrationsPage: ?open=<provider>, a meeting page's link) */
  initialOpen?: ProviderId | null;
}

// The dialog brings the configuration screens, the OAuth popup flow and Radix Dialog: loaded when a card's button is
// pointed at or focused (or clicked), not with the page (the 150 kB budget, issue 10).
const dialog = lazyWithPreload(() => import("@/components/IntegrationDialog"));

/** The team's integrations, one card per catalog entry grouped by category, with each one's status from the back end. */
export function IntegrationsPortal({ teamId, role, initialOpen = null }: IntegrationsPortalProps) {
  const integrations = useIntegrations(teamId);
  const [open, setOpenState] = useState<ProviderId | null>(initialOpen);
  const [everOpened, setEverOpened] = useState(initialOpen !== null);
  const setOpen = (id: ProviderId | null) => {
    if (id) setEverOpened(true);
    setOpenState(id);
  };

  const rowFor = (id: string): TeamIntegration | undefined => integrations.data?.find((r) => r.provider === id);

  if (integrations.isError) {
    return (
      <ErrorAlert
        title="Couldn't load integrations"
        message={integrations.error.message}
        onRetry={() => integrations.refetch()}
      />
    );
  }

  return (
    <div className="flex flex-col gap-10">
      {CATEGORIES.map((category) => {
        const items = PROVIDERS.filter((p) => p.category === category.id);
        return (
          <section key={category.id} aria-labelledby={`category-${category.id}`} data-category={category.id}>
            <div className="mb-3">
              <h2 id={`category-${category.id}`} className="text-sm font-semibold">
                {category.label}
              </h2>
              <p className="text-sm text-muted-foreground">{category.description}</p>
            </div>
            <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
              {items.map((item) => (
                <li key={item.id}>
                  <IntegrationCard
                    item={item}
                    loading={integrations.isPending}
                    row={rowFor(item.id)}
                    canManage={isTeamAdmin(role)}
                    onConfigure={() => setOpen(item.id)}
                    onIntent={dialog.preload}
                  />
                </li>
              ))}
            </ul>
          </section>
        );
      })}

      {/* mounted from the first open on, so Radix can animate closing and return the focus */}
      {everOpened && (
        <Suspense fallback={null}>
          <dialog.Component teamId={teamId} role={role} open={open} onClose={() => setOpen(null)} />
        </Suspense>
      )}
    </div>
  );
}

function effectiveStatus(row: TeamIntegration | undefined): IntegrationStatus | undefined {
  if (!row || row.status === "disconnected") return undefined;
  return row.status;
}

function IntegrationCard({
  item,
  row,
  loading,
  canManage,
  onConfigure,
  onIntent,
}: {
  item: ProviderEntry;
  row: TeamIntegration | undefined;
  loading: boolean;
  canManage: boolean;
  onConfigure: () => void;
  onIntent: () => void;
}) {
  const Icon = item.icon;
  const comingSoon = item.availability === "coming_soon";
  const status = comingSoon ? undefined : effectiveStatus(row);
  const label = !canManage ? "View" : status ? "Configure" : "Connect";
  const plansId = useId();
  return (
    <Card className="flex h-full flex-col" data-testid={`integration-${item.id}`} aria-label={item.name}>
      <CardHeader className="flex-row items-start gap-3 pb-3">
        <div
          className="flex size-10 shrink-0 items-center justify-center rounded-lg text-white shadow-xs"
          style={{ backgroundColor: item.brandColor }}
        >
          <Icon className="size-5" aria-hidden="true" />
        </div>
        <div className="min-w-0 flex-1">
          <div className="flex items-center justify-between gap-2">
            <h3 className="text-sm font-semibold">{item.name}</h3>
            {comingSoon ? null : loading ? (
              <Skeleton className="h-5 w-24 rounded-full" />
            ) : (
              <IntegrationStatusBadge status={status} />
            )}
          </div>
          <p className="mt-1 text-sm text-muted-foreground">{item.description}</p>
        </div>
      </CardHeader>
      <CardContent className="flex flex-1 flex-col gap-1 pb-3">
        {comingSoon && item.comingSoon && (
          <p className="flex items-start gap-1.5 text-xs text-muted-foreground">
            <Clock className="mt-0.5 size-3.5 shrink-0" aria-hidden="true" />
            <span id={plansId}>{item.comingSoon}</span>
          </p>
        )}
        {/* A chat card says where it posts (the workspace and channel); the account (for Discord a person) is in the
            dialog's details. Other cards name the account they are connected to. */}
        {status && row && item.dialog === "chat" ? (
          <DestinationLine
            entry={item}
            row={row}
            className="flex items-center gap-1.5 text-xs text-muted-foreground [&_svg]:size-3.5"
          />
        ) : (
          status &&
          row?.account_name && (
            <p className="truncate text-xs text-muted-foreground">
              Connected to <span className="font-medium text-foreground">{row.account_name}</span>
            </p>
          )
        )}
      </CardContent>
      <CardFooter className="justify-end">
        {comingSoon ? (
          // described by its plans: a keyboard or screen-reader user on the button hears what it will do
          <Button
            size="sm"
            variant="outline"
            onClick={onConfigure}
            onPointerEnter={onIntent}
            onFocus={onIntent}
            aria-label={`${item.name}: coming soon`}
            aria-describedby={item.comingSoon ? plansId : undefined}
          >
            Coming soon
          </Button>
        ) : (
          <Button size="sm" variant={status ? "outline" : "default"} onClick={onConfigure}
            onPointerEnter={onIntent}
            onFocus={onIntent}
            aria-label={`${label} ${item.name}`}
          >
            {label}
          </Button>
        )}
      </CardFooter>
    </Card>
  );
}
