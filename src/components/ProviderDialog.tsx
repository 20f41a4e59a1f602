import { type ComponentType, lazy, Suspense } from "react";
import { ChatConfig } from "@/components/ChatConfig";
import { FathomConfig } from "@/components/FathomConfig";
import { IntegrationConfig } from "@/components/IntegrationConfig";
import { ZoomConfig } from "@/components/ZoomConfig";
import { providerEntry, type ProviderDialogKind, type ProviderId } from "@/lib/providers";
import type { TeamRole } from "@/lib/types";

export interface ProviderDialogProps {
  provider: ProviderId;
  teamId: string;
  role: TeamRole;
}

/** A provider without special needs: the plain shell (connect, status, account, disconnect; or coming soon). */
function BasicConfig({ provider, teamId, role }: ProviderDialogProps) {
  const { name } = providerEntry(provider);
  return (
    <IntegrationConfig
      provider={provider}
      teamId={teamId}
      role={role}
      connectedText={`${name} is connected.`}
      stoppedText="it has stopped working"
      disconnectText={`${name} will stop working for this team.`}
    />
  );
}

// Typeform's forms panel is its own chunk: the Integrations page's budget has no room for it.
const TypeformConfig = lazy(() => import("@/components/TypeformConfig"));

/** One body per dialog kind; a new provider picks one in its catalog row. */
const BODIES: Record<ProviderDialogKind, ComponentType<ProviderDialogProps>> = {
  fathom: ({ teamId, role }) => <FathomConfig teamId={teamId} role={role} />,
  zoom: ({ teamId, role }) => <ZoomConfig teamId={teamId} role={role} />,
  chat: ChatConfig,
  basic: BasicConfig,
  typeform: ({ teamId, role }) => (
    <Suspense fallback={<p className="text-sm text-muted-foreground">Loading…</p>}>
      <TypeformConfig teamId={teamId} role={role} />
    </Suspense>
  ),
};

/** The Integrations page's dialog body for a provider, as its catalog row's `dialog` says. */
export function ProviderDialog(props: ProviderDialogProps) {
  const Body = BODIES[providerEntry(props.provider).dialog];
  return <Body {...props} />;
}
