import { useState } from "react";
import { ClipboardList, Hash, MessagesSquare, MonitorPlay, Video, type LucideIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardFooter, CardHeader } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { FathomConfig } from "@/components/FathomConfig";
import { IntegrationStatusBadge } from "@/components/IntegrationStatusBadge";
import { useIntegrations } from "@/hooks/useIntegrations";
import { cn } from "@/lib/utils";
import { isTeamAdmin, type IntegrationStatus, type TeamIntegration, type TeamRole } from "@/lib/types";
import { ErrorAlert } from "@/components/ErrorAlert";

export type IntegrationCategory = "communication" | "video" | "forms";

export interface IntegrationDefinition {
  id: string;
  name: string;
  description: string;
  icon: LucideIcon;
  category: IntegrationCategory;
  status: "available" | "coming_soon";
  configurable: boolean;
}

export const CATEGORIES: { id: IntegrationCategory; label: string; description: string }[] = [
  { id: "communication", label: "Communication", description: "Send CRM updates to your team's chat." },
  { id: "video", label: "Video & meetings", description: "Bring calls, recordings and transcripts into the CRM." },
  { id: "forms", label: "Forms", description: "Turn form responses into leads." },
];

export const INTEGRATIONS: IntegrationDefinition[] = [
  {
    id: "discord",
    name: "Discord",
    description: "Post lead and meeting updates to a Discord channel",
    icon: MessagesSquare,
    category: "communication",
    status: "coming_soon",
    configurable: false,
  },
  {
    id: "slack",
    name: "Slack",
    description: "Notify your team in Slack when deals move",
    icon: Hash,
    category: "communication",
    status: "coming_soon",
    configurable: false,
  },
  {
    id: "zoom",
    name: "Zoom",
    description: "Import Zoom cloud recordings",
    icon: MonitorPlay,
    category: "video",
    status: "coming_soon",
    configurable: false,
  },
  {
    id: "fathom",
    name: "Fathom",
    description: "Meeting recordings and transcriptions",
    icon: Video,
    category: "video",
    status: "available",
    configurable: true,
  },
  {
    id: "typeform",
    name: "Typeform",
    description: "Create leads from Typeform responses",
    icon: ClipboardList,
    category: "forms",
    status: "coming_soon",
    configurable: false,
  },
];

const ICON_STYLES: Record<string, string> = {
  discord: "bg-[#5865F2] text-white",
  slack: "bg-[#4A154B] text-white",
  zoom: "bg-[#0B5CFF] text-white",
  fathom: "bg-gradient-to-br from-[#5636D3] to-[#7c5cf0] text-white",
  typeform: "bg-[#262627] text-white",
};

export interface IntegrationsPortalProps {
  teamId: string;
  role: TeamRole;
}

/** The team's integrations, grouped by category, with each one's status from the back end. */
export function IntegrationsPortal({ teamId, role }: IntegrationsPortalProps) {
  const integrations = useIntegrations(teamId);
  const [fathomOpen, setFathomOpen] = useState(false);

  const rowFor = (id: string): TeamIntegration | undefined => integrations.data?.find((r) => r.provider === id);

  const openConfig = (id: string) => {
    if (id === "fathom") setFathomOpen(true);
  };

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
        const items = INTEGRATIONS.filter((i) => i.category === category.id);
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
                    onConfigure={() => openConfig(item.id)}
                  />
                </li>
              ))}
            </ul>
          </section>
        );
      })}

      <Dialog open={fathomOpen} onOpenChange={setFathomOpen}>
        <DialogContent className="max-w-xl">
          <DialogTitle className="sr-only">Fathom settings</DialogTitle>
          <DialogDescription className="sr-only">Connect Fathom, import past meetings and choose how meetings create leads.</DialogDescription>
          <FathomConfig key={teamId} teamId={teamId} role={role} />
        </DialogContent>
      </Dialog>
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
}: {
  item: IntegrationDefinition;
  row: TeamIntegration | undefined;
  loading: boolean;
  canManage: boolean;
  onConfigure: () => void;
}) {
  const Icon = item.icon;
  const status = effectiveStatus(row);
  const label = !canManage ? "View" : status ? "Configure" : "Connect";
  return (
    <Card className="flex h-full flex-col" data-testid={`integration-${item.id}`} aria-label={item.name}>
      <CardHeader className="flex-row items-start gap-3 pb-3">
        <div className={cn("flex size-10 shrink-0 items-center justify-center rounded-lg shadow-xs", ICON_STYLES[item.id])}>
          <Icon className="size-5" aria-hidden="true" />
        </div>
        <div className="min-w-0 flex-1">
          <div className="flex items-center justify-between gap-2">
            <h3 className="text-sm font-semibold">{item.name}</h3>
            {loading ? <Skeleton className="h-5 w-24 rounded-full" /> : <IntegrationStatusBadge status={status} />}
          </div>
          <p className="mt-1 text-sm text-muted-foreground">{item.description}</p>
        </div>
      </CardHeader>
      <CardContent className="flex-1 pb-3">
        {status && row?.account_name && (
          <p className="truncate text-xs text-muted-foreground">
            Connected to <span className="font-medium text-foreground">{row.account_name}</span>
          </p>
        )}
      </CardContent>
      <CardFooter className="justify-end">
        {item.configurable ? (
          <Button size="sm" variant={status ? "outline" : "default"} onClick={onConfigure} aria-label={`${label} ${item.name}`}>
            {label}
          </Button>
        ) : (
          <Button size="sm" variant="outline" disabled aria-label={`${item.name}: coming soon`}>
            Coming soon
          </Button>
        )}
      </CardFooter>
    </Card>
  );
}
