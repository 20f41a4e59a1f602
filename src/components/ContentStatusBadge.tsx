import { AlertTriangle, Clock, FileX, Trash2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { meetingProviderFacts } from "@/lib/meetings";

/**
 * What is missing, by name: the transcript, and the summary only from a provider that writes one (providers.ts: Zoom
 * writes none, so a Zoom meeting never misses its summary). "Content" for a list row of a provider with summaries
 * (the row does not carry its content, so the page says which part).
 */
export function missingContent(meeting: object): string {
  const provider = "provider" in meeting && typeof meeting.provider === "string" ? meeting.provider : null;
  const summaries = meetingProviderFacts(provider).summaries;
  if (!("transcript" in meeting) || !("summary_markdown" in meeting)) return summaries ? "Content" : "Transcript";
  const { transcript: lines, summary_markdown: markdown } = meeting as { transcript: unknown; summary_markdown: unknown };
  const transcript = !Array.isArray(lines) || lines.length === 0;
  const summary = summaries && (typeof markdown !== "string" || !markdown.trim());
  if (transcript && summary) return "Transcript and summary";
  if (summary) return "Summary";
  if (transcript) return "Transcript";
  return "Content";
}

/**
 * Nothing when the content is in; a badge while pending, when fetching it failed, or when the provider's transcript
 * did not come (status "unavailable", reason "no_transcript": "No transcript from Zoom").
 */
export function ContentStatusBadge({
  status,
  missing = "Content",
  reason,
  provider,
  notDownloaded = false,
}: {
  status: string | null | undefined;
  missing?: string;
  /** the API's content_reason (with status "unavailable") */
  reason?: string | null;
  /** the meeting's provider slug, to say whose transcript did not come */
  provider?: string | null;
  /** the provider sent the content but the CRM gave up downloading it (content_waiting.final): not "pending" */
  notDownloaded?: boolean;
}) {
  if (status === "pending" && notDownloaded) {
    return (
      <Badge variant="destructive" data-content-status="not_downloaded">
        <AlertTriangle aria-hidden="true" />
        {missing} not downloaded
      </Badge>
    );
  }
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
  if (status === "unavailable") {
    const name = meetingProviderFacts(provider).name;
    if (reason === "deleted_at_provider") {
      return (
        <Badge variant="secondary" data-content-status="unavailable">
          <Trash2 aria-hidden="true" />
          {name ? `Deleted in ${name}` : "Deleted at the provider"}
        </Badge>
      );
    }
    const what = reason === "no_transcript" || !reason ? "No transcript" : "Content unavailable";
    return (
      <Badge variant="secondary" data-content-status="unavailable">
        <FileX aria-hidden="true" />
        {name ? `${what} from ${name}` : what}
      </Badge>
    );
  }
  return null;
}
