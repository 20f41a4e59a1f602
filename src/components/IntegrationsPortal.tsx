import { useId, useState } from "react";
import { Clock } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardFooter, CardHeader } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { DestinationLine } from "@/components/IntegrationConfig";
import { ProviderDialog } from "@/components/ProviderDialog";
import { IntegrationStatusBadge } from "@/components/IntegrationStatusBadge";
import { ErrorAlert } from "@/components/ErrorAlert";
import { useIntegrations } from "@/hooks/useIntegrations";
import { CATEGORIES, PROVIDERS, providerEntry, type ProviderEntry, type ProviderId } from "@/lib/providers";
import { isTeamAdmin, type IntegrationStatus, type TeamIntegration, type TeamRole } from "@/lib/types";

export interface IntegrationsPortalProps {
  teamId: string;
  role: TeamRole;
}

/** The team's integrations, one card per catalog entry grouped by category, with each one's status from the back end. */
export function IntegrationsPortal({ teamId, role }: IntegrationsPortalProps) {
  const integrations = useIntegrations(teamId);
  const [open, setOpen] = useState<ProviderId | null>(null);

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

  const openEntry = open ? providerEntry(open) : null;

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
                  />
                </li>
              ))}
            </ul>
          </section>
        );
      })}

      <Dialog open={open !== null} onOpenChange={(o) => !o && setOpen(null)}>
        <DialogContent className="max-w-xl">
          {openEntry && (
            <>
              <DialogTitle className="sr-only">{openEntry.name} settings</DialogTitle>
              <DialogDescription className="sr-only">
                {dialogDescription(openEntry, isTeamAdmin(role))}
              </DialogDescription>
              <ProviderDialog key={`${teamId}:${openEntry.id}`} provider={openEntry.id} teamId={teamId} role={role} />
            </>
          )}
        </DialogContent>
      </Dialog>
    </div>
  );
}

/** The dialog's description for assistive technology: what the reader can do there (members only look). */
function dialogDescription(entry: ProviderEntry, canManage: boolean): string {
  if (entry.availability === "coming_soon") return `What the ${entry.name} integration will do.`;
  return canManage
    ? `Connect or disconnect ${entry.name} for this team.`
    : `See whether ${entry.name} is connected for this team and how it is set up.`;
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
}: {
  item: ProviderEntry;
  row: TeamIntegration | undefined;
  loading: boolean;
  canManage: boolean;
  onConfigure: () => void;
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
            aria-label={`${item.name}: coming soon`}
            aria-describedby={item.comingSoon ? plansId : undefined}
          >
            Coming soon
          </Button>
        ) : (
          <Button size="sm" variant={status ? "outline" : "default"} onClick={onConfigure} aria-label={`${label} ${item.name}`}>
            {label}
          </Button>
        )}
      </CardFooter>
    </Card>
  );
}
