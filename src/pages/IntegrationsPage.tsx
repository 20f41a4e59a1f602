import { useSearchParams } from "react-router-dom";
import { IntegrationsPortal } from "@/components/IntegrationsPortal";
import { isProviderId } from "@/lib/providers";
import { useCurrentTeam } from "./TeamLayout";

export function IntegrationsPage() {
  const team = useCurrentTeam();
  // ?open=zoom: a meeting page links here to retry a download under the provider's Activity
  const [search] = useSearchParams();
  const asked = search.get("open");
  return (
    <div className="mx-auto w-full max-w-4xl px-4 py-8 md:px-8">
      <div className="mb-8 border-b border-border pb-6">
        <p className="text-xs font-medium uppercase tracking-wide text-muted-foreground">Settings</p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">Integrations</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          Connect the tools <span className="font-medium text-foreground">{team.name}</span> already uses. Connections
          are shared by everyone on the team.
        </p>
      </div>
      <IntegrationsPortal
        key={team.id}
        teamId={team.id}
        role={team.role}
        initialOpen={asked && isProviderId(asked) ? asked : null}
      />
    </div>
  );
}
