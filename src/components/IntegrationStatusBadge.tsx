import { AlertTriangle, CheckCircle2, CircleDashed, RefreshCw } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { IntegrationStatus } from "@/lib/types";

export const STATUS_LABELS: Record<IntegrationStatus | "none", string> = {
  connected: "Connected",
  needs_reauth: "Reconnect needed",
  error: "Error",
  disconnected: "Not connected",
  none: "Not connected",
};

export function IntegrationStatusBadge({ status }: { status: IntegrationStatus | null | undefined }) {
  switch (status) {
    case "connected":
      return (
        <Badge variant="success" data-status="connected">
          <CheckCircle2 aria-hidden="true" />
          {STATUS_LABELS.connected}
        </Badge>
      );
    case "needs_reauth":
      return (
        <Badge variant="warning" data-status="needs_reauth">
          <RefreshCw aria-hidden="true" />
          {STATUS_LABELS.needs_reauth}
        </Badge>
      );
    case "error":
      return (
        <Badge variant="destructive" data-status="error">
          <AlertTriangle aria-hidden="true" />
          {STATUS_LABELS.error}
        </Badge>
      );
    default:
      return (
        <Badge variant="secondary" data-status="not_connected">
          <CircleDashed aria-hidden="true" />
          {STATUS_LABELS.none}
        </Badge>
      );
  }
}
