import { Link } from "react-router-dom";
import { AlertTriangle, Clock, Loader2, RefreshCw } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { RETRY_TEXT, useRetryIntegrationItem } from "@/hooks/useIntegrationActivity";
import { isProviderId } from "@/lib/providers";
import { teamPath } from "@/lib/teamSelection";
import { formatDateTime, formatTime } from "@/lib/utils";
import type { ContentWaiting } from "@/lib/types";

/** A time of today as "1:01 AM", of another day as "Dec 2, 2026, 1:01 AM". */
function atTime(iso: string): string {
  return new Date(iso).toDateString() === new Date().toDateString() ? formatTime(iso) : formatDateTime(iso);
}

/**
 * When the inbox tries a held download again, as the end of a sentence: " We'll try again at 3:57 AM." ahead, a time
 * already reached reads " Retrying now." (the sweep runs every minute: the page shows the new time once it has).
 * `now` epoch ms.
 */
export function nextTryText(retryAt: string | null, now = Date.now()): string {
  if (!retryAt) return " We'll try again shortly.";
  return Date.parse(retryAt) <= now ? " Retrying now." : ` We'll try again at ${atTime(retryAt)}.`;
}

/** `reason` ("Zoom had a server error.") without its full stop, to sit inside parentheses; null stays null. */
function clause(reason: string | null): string | null {
  const r = reason?.trim().replace(/\.+$/, "");
  return r ? r : null;
}

/**
 * Why a transcript the provider has sent is not here (content_waiting), in a sentence: held after a failed attempt
 * (the reason, when the CRM tries again, or "retrying now"), or given up on (final: the reason, and who can retry
 * where). `who` the provider's display name; `canManage` whether the reader is a team owner or admin.
 */
export function contentWaitingText(waiting: ContentWaiting, who: string, canManage: boolean): string {
  const ready = `${who}'s transcript is ready, but`;
  if (waiting.final) {
    const why = clause(waiting.reason);
    const where = `Integrations > ${who} > Activity`;
    return `${ready} the CRM couldn't download it${why ? ` (${why})` : ""}. ` +
      (canManage ? `Retry it here, or later under ${where}.` : `A team owner or admin can retry it under ${where}.`);
  }
  const again = nextTryText(waiting.retry_at);
  if (waiting.kind === "rate_limited") return `${ready} ${who}'s rate limit was reached.${again}`;
  return `${ready} downloading it failed${waiting.reason ? `: ${waiting.reason}` : "."}${again}`;
}

/**
 * The meeting page's notice for a transcript the provider sent but the CRM has not downloaded (content_waiting).
 * While the inbox still retries it by itself, no button: a reload would change nothing (the page re-reads by itself
 * meanwhile). Once it gave up (final), an admin gets "Retry download" (POST .../integrations/:provider/activity/retry,
 * the delivery) and a link to the provider's Activity; a member is told who can.
 */
export function ContentDownloadNotice({
  teamId,
  provider,
  who,
  waiting,
  canManage,
  onRetried,
}: {
  teamId: string;
  provider: string;
  who: string;
  waiting: ContentWaiting;
  canManage: boolean;
  /** after a retry, whatever its result: re-read the meeting */
  onRetried: () => void;
}) {
  const known = isProviderId(provider) ? provider : null;
  const final = !!waiting.final;
  return (
    <Alert variant={final ? "warning" : "info"} className="mt-6">
      {final ? <AlertTriangle /> : <Clock />}
      <AlertTitle>{final ? "The transcript couldn't be downloaded" : "The transcript isn't downloaded yet"}</AlertTitle>
      <AlertDescription className="flex flex-col items-start gap-2">
        <p>{contentWaitingText(waiting, who, canManage)}</p>
        {final && canManage && known && (
          <RetryDownload teamId={teamId} provider={known} who={who} deliveryId={waiting.delivery_id ?? null} onRetried={onRetried} />
        )}
      </AlertDescription>
    </Alert>
  );
}

function RetryDownload({
  teamId,
  provider,
  who,
  deliveryId,
  onRetried,
}: {
  teamId: string;
  provider: Parameters<typeof useRetryIntegrationItem>[1];
  who: string;
  deliveryId: string | null;
  onRetried: () => void;
}) {
  const retry = useRetryIntegrationItem(teamId, provider);
  const run = () => {
    if (!deliveryId) return;
    retry.mutate({ kind: "delivery", id: deliveryId }, { onSettled: onRetried });
  };
  return (
    <div className="flex flex-wrap items-center gap-3">
      {deliveryId && (
        <Button size="sm" variant="outline" onClick={run} disabled={retry.isPending} aria-busy={retry.isPending}>
          {retry.isPending ? <Loader2 className="animate-spin" aria-hidden="true" /> : <RefreshCw aria-hidden="true" />}
          {retry.isPending ? "Retrying…" : "Retry download"}
        </Button>
      )}
      <Link
        to={`${teamPath(teamId, "settings/integrations")}?open=${encodeURIComponent(provider)}`}
        className="text-sm underline underline-offset-2"
      >
        Open Integrations &gt; {who}
      </Link>
      <span role="status" className="text-xs text-muted-foreground">
        {retry.data ? `Retry: ${RETRY_TEXT[retry.data.result]}` : ""}
      </span>
    </div>
  );
}
