import { AlertTriangle, Clock } from "lucide-react";
import { Badge } from "@/components/ui/badge";

/** Nothing when the transcript and summary are in; a badge while pending or when fetching them failed. */
export function ContentStatusBadge({ status }: { status: string | null | undefined }) {
  if (status === "pending") {
    return (
      <Badge variant="warning" data-content-status="pending">
        <Clock aria-hidden="true" />
        Transcript pending
      </Badge>
    );
  }
  if (status === "failed") {
    return (
      <Badge variant="destructive" data-content-status="failed">
        <AlertTriangle aria-hidden="true" />
        Transcript unavailable
      </Badge>
    );
  }
  return null;
}
