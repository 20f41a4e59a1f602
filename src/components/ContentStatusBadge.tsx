import { AlertTriangle, Clock } from "lucide-react";
import { Badge } from "@/components/ui/badge";

/** What is missing, by name, when the caller knows (a meeting page); "Content" when it does not (a list row). */
export function missingContent(meeting: object): string {
  if (!("transcript" in meeting) || !("summary_markdown" in meeting)) return "Content";
  const { transcript: lines, summary_markdown: markdown } = meeting as { transcript: unknown; summary_markdown: unknown };
  const transcript = !Array.isArray(lines) || lines.length === 0;
  const summary = typeof markdown !== "string" || !markdown.trim();
  if (transcript && summary) return "Transcript and summary";
  if (summary) return "Summary";
  if (transcript) return "Transcript";
  return "Content";
}

/** Nothing when the transcript and summary are in; a badge while pending or when fetching them failed. */
export function ContentStatusBadge({ status, missing = "Content" }: { status: string | null | undefined; missing?: string }) {
  if (status === "pending") {
    return (
      <Badge variant="warning" data-content-status="pending">
        <Clock aria-hidden="true" />
        {missing} pending
      </Badge>
    );
  }
  if (status === "failed") {
    return (
      <Badge variant="destructive" data-content-status="failed">
        <AlertTriangle aria-hidden="true" />
        {missing} unavailable
      </Badge>
    );
  }
  return null;
}
