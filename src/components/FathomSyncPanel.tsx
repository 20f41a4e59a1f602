import { useEffect, useRef, type ReactNode } from "react";
import { toast } from "@/lib/toast";
import {
  AlertCircle,
  AlertTriangle,
  CheckCircle2,
  CircleDashed,
  Download,
  Hourglass,
  Loader2,
  RefreshCw,
} from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { Skeleton } from "@/components/ui/skeleton";
import { isSyncActive, useMeetingSync, useStartMeetingSync } from "@/hooks/useFathomSync";
import { useTeamSettings } from "@/hooks/useTeamSettings";
import { LEAD_CREATION_LABEL } from "@/components/LeadCreationSetting";
import { errorMessage } from "@/lib/errorMessages";
import { providerEntry, type MeetingsProviderCopy } from "@/lib/providerCopy";
import type { MeetingProviderId } from "@/lib/providers";
import { formatDateTime } from "@/lib/utils";
import { isTeamAdmin, type FathomInbox, type FathomSync, type TeamRole } from "@/lib/types";

export const SYNC_STATUS_LABELS: Record<string, string> = {
  idle: "Not started",
  running: "Running",
  completed: "Completed",
  failed: "Failed",
  paused_rate_limited: "Waiting for rate limit",
};

export function SyncStatusBadge({ status }: { status: string }) {
  const label = SYNC_STATUS_LABELS[status] ?? status;
  switch (status) {
    case "running":
      return (
        <Badge variant="outline" className="border-sky-200 bg-sky-50 text-sky-800" data-sync-status={status}>
          <Loader2 className="animate-spin" aria-hidden="true" />
          {label}
        </Badge>
      );
    case "paused_rate_limited":
      return (
        <Badge variant="warning" data-sync-status={status}>
          <Hourglass aria-hidden="true" />
          {label}
        </Badge>
      );
    case "completed":
      return (
        <Badge variant="success" data-sync-status={status}>
          <CheckCircle2 aria-hidden="true" />
          {label}
        </Badge>
      );
    case "failed":
      return (
        <Badge variant="destructive" data-sync-status={status}>
          <AlertCircle aria-hidden="true" />
          {label}
        </Badge>
      );
    default:
      return (
        <Badge variant="secondary" data-sync-status={status}>
          <CircleDashed aria-hidden="true" />
          {label}
        </Badge>
      );
  }
}

/** A meeting provider's name and import wording (its catalog entry). */
interface Wording {
  name: string;
  copy: MeetingsProviderCopy;
}

function wordingOf(provider: MeetingProviderId): Wording {
  const entry = providerEntry(provider);
  return { name: entry.name, copy: entry.meetings! };
}

export function listingText(sync: FathomSync, provider: MeetingProviderId = "fathom"): string {
  const { items } = wordingOf(provider).copy;
  const scope = sync.list_created_after ? ` created since ${formatDateTime(sync.list_created_after)}` : "";
  // linked_count counts links this import made: meetings linked before (a re-import) are not counted again
  return `Listing ${items}${scope}: ${sync.listed_count} listed, ${sync.linked_count} newly linked to leads`;
}

export function contentText(sync: FathomSync, provider: MeetingProviderId = "fathom"): string {
  const { name, copy } = wordingOf(provider);
  const waiting = sync.content_waiting && copy.waitingFor
    ? `; ${sync.content_waiting} waiting for ${name} to finish ${sync.content_waiting === 1 ? copy.waitingFor.one : copy.waitingFor.many} (fetched by themselves)`
    : "";
  if (sync.content_total === 0 && sync.stage !== "list" && !waiting) {
    return `${copy.contentLabel}: nothing left to fetch (the listed ${copy.items} already have theirs)`;
  }
  return `${copy.contentLabel}: ${sync.content_done}/${sync.content_total} (failed ${sync.content_failed})${waiting}`;
}

/**
 * An import held by the provider's rate limit (paused_rate_limited): "Waiting for Zoom's rate limit; resumes at
 * 4:03 AM." with the sync's resume_after, a time already reached reads "resumes now", then the provider's note.
 */
export function rateLimitText(sync: FathomSync, provider: MeetingProviderId = "fathom", now = Date.now()): string {
  const { name, copy } = wordingOf(provider);
  const at = sync.resume_after;
  const when = !at ? "" : Date.parse(at) <= now ? "; resumes now" : `; resumes at ${formatDateTime(at)}`;
  return `Waiting for ${name}'s rate limit${when}. ${copy.rateNote}`;
}

export interface FathomSyncPanelProps {
  /** whose import: Fathom's meetings or Zoom's recordings (the same states, api/routes/sync.ts); default fathom */
  provider?: MeetingProviderId;
  teamId: string;
  role: TeamRole;
  /** Only a connected integration can import; otherwise the state is shown read-only. */
  canImport: boolean;
  /** How often to re-read the import while it runs (2 s; tests shorten it). */
  pollIntervalMs?: number;
  /** The connection's time: a new connection (a reconnect) starts an import, so the panel re-reads it then. */
  connectedAt?: string | null;
}

/**
 * A meeting provider's "Import past meetings" (Fathom) or "Import past recordings" (Zoom): start/resume (admins),
 * the two passes' progress, the result, the last error and the webhook deliveries given up on, polled while
 * running. Words from the provider's catalog entry (`meetings`).
 */
export function FathomSyncPanel({ provider = "fathom", teamId, role, canImport, pollIntervalMs = 2000, connectedAt }: FathomSyncPanelProps) {
  const { name, copy } = wordingOf(provider);
  const { items } = copy;
  const sync = useMeetingSync(teamId, provider, { pollIntervalMs });
  const refetchSync = sync.refetch;
  const seenConnection = useRef(connectedAt);
  useEffect(() => {
    if (seenConnection.current === connectedAt) return;
    seenConnection.current = connectedAt;
    void refetchSync();
  }, [connectedAt, refetchSync]);
  const start = useStartMeetingSync(teamId, provider);
  const admin = isTeamAdmin(role);
  const settings = useTeamSettings(teamId);
  const createsLeads = settings.data?.create_leads_from_unknown_attendees;
  const startImport = (full: boolean) =>
    start.mutate(full ? { full: true } : undefined, {
      onSuccess: () => toast.success(full ? `Re-import of all ${items} started` : "Import started"),
    });
  const data = sync.data?.sync ?? null;
  const inbox = sync.data?.inbox ?? null;
  const active = isSyncActive(data);
  // once the history is in, the import only needs to catch what the webhooks missed; a later run (its
  // last_synced_at kept) changes neither the words nor the buttons while it runs
  const imported = data?.status === "completed" || !!data?.last_synced_at;

  return (
    <section
      aria-labelledby={`${provider}-sync-title`}
      data-testid={`${provider}-sync`}
      className="flex flex-col gap-4 rounded-lg border border-border p-4"
    >
      <div className="flex items-start justify-between gap-3">
        <div>
          <h3 id={`${provider}-sync-title`} className="text-sm font-semibold">
            {provider === "fathom" ? "Meeting import" : `${name} ${items} import`}
          </h3>
          <p className="mt-0.5 text-sm text-muted-foreground">
            {imported
              ? `New ${items} arrive automatically. Import new ${items} to pick up any missed since the last import.`
              : `New ${items} arrive automatically. Import the ones recorded before you connected.`}
          </p>
        </div>
        {data && <SyncStatusBadge status={data.status} />}
      </div>

      {sync.isPending ? (
        <div className="flex flex-col gap-2" aria-busy="true">
          <Skeleton className="h-3 w-1/2" />
          <Skeleton className="h-2 w-full" />
        </div>
      ) : sync.isError ? (
        <div role="alert" className="flex flex-wrap items-center gap-2 text-sm text-red-700">
          Couldn't load the import status: {errorMessage(sync.error)}
          <Button size="sm" variant="outline" onClick={() => sync.refetch()}>
            <RefreshCw aria-hidden="true" />
            Retry
          </Button>
        </div>
      ) : !data ? (
        <p className="text-sm text-muted-foreground">No import has run yet.</p>
      ) : (
        <SyncProgress sync={data} active={active} provider={provider} />
      )}

      {inbox && inbox.failed > 0 && <InboxFailures inbox={inbox} provider={provider} />}

      {admin && (
        <div className="flex flex-wrap items-center gap-3">
          <Button
            size="sm"
            onClick={() => startImport(false)}
            disabled={!canImport || active || start.isPending || sync.isPending}
          >
            {start.isPending || active ? (
              <Loader2 className="animate-spin" aria-hidden="true" />
            ) : (
              <Download aria-hidden="true" />
            )}
            {imported ? `Import new ${items}` : `Import past ${items}`}
          </Button>
          {imported && (
            <AlertDialog>
              <AlertDialogTrigger asChild>
                <Button size="sm" variant="ghost" disabled={!canImport || active || start.isPending || sync.isPending}>
                  <RefreshCw aria-hidden="true" />
                  Re-import all
                </Button>
              </AlertDialogTrigger>
              <AlertDialogContent>
                <AlertDialogHeader>
                  <AlertDialogTitle>Re-import all {items}?</AlertDialogTitle>
                  <AlertDialogDescription asChild>
                    <div className="flex flex-col gap-2">{reimportText(createsLeads, provider)}</div>
                  </AlertDialogDescription>
                </AlertDialogHeader>
                <AlertDialogFooter>
                  <AlertDialogCancel>Cancel</AlertDialogCancel>
                  <AlertDialogAction onClick={() => startImport(true)}>Re-import all</AlertDialogAction>
                </AlertDialogFooter>
              </AlertDialogContent>
            </AlertDialog>
          )}
          {!canImport && (
            <span className="text-xs text-muted-foreground">Reconnect {name} to import {items}.</span>
          )}
          {data?.status === "failed" && canImport && (
            <span className="text-xs text-muted-foreground">Importing again resumes where it stopped.</span>
          )}
          {start.isError && (
            <p role="alert" className="w-full text-sm text-red-700">
              Couldn't start the import: {errorMessage(start.error)}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

/**
 * What "Re-import all" does (backfill-state.ts startSyncFor with `full`): the whole Fathom history is listed again,
 * meetings already here are refreshed rather than duplicated, and, with the team setting on, every unknown external
 * attendee becomes a lead. `createsLeads` undefined = the setting could not be read.
 */
export function reimportText(createsLeads: boolean | undefined, provider: MeetingProviderId = "fathom"): ReactNode {
  return (
    <>
      <p>{wordingOf(provider).copy.reimportText}</p>
      {createsLeads === true ? (
        <p className="font-medium text-amber-800" data-testid="reimport-creates-leads">
          "{LEAD_CREATION_LABEL}" is on: every external attendee of those meetings who is not a lead yet becomes a new
          lead. Turn the setting off first if you don't want that.
        </p>
      ) : createsLeads === false ? (
        <p>No leads are created ("{LEAD_CREATION_LABEL}" is off).</p>
      ) : (
        <p>If "{LEAD_CREATION_LABEL}" is on, unknown external attendees become new leads.</p>
      )}
    </>
  );
}

/** "N webhook deliveries could not be imported": `inbox.failed` (> 0). */
export function inboxFailedText(failed: number): string {
  return failed === 1
    ? "1 webhook delivery could not be imported"
    : `${failed} webhook deliveries could not be imported`;
}

/** Webhook deliveries the server gave up on after its retries, with the last reason. */
function InboxFailures({ inbox, provider }: { inbox: FathomInbox; provider: MeetingProviderId }) {
  const { name, copy } = wordingOf(provider);
  return (
    <Alert variant="warning" data-testid="inbox-failures">
      <AlertTriangle />
      <AlertTitle>{inboxFailedText(inbox.failed)}</AlertTitle>
      <AlertDescription>
        <p>
          {inbox.last_error ? `Reason: ${inbox.last_error_text || inbox.last_error}` : `${name} sent them, but importing them failed after several tries.`}
          {inbox.last_failed_at && ` (last on ${formatDateTime(inbox.last_failed_at)})`}
        </p>
        <p>Importing past {copy.items} picks these recordings up again.</p>
      </AlertDescription>
    </Alert>
  );
}

function SyncProgress({ sync, active, provider }: { sync: FathomSync; active: boolean; provider: MeetingProviderId }) {
  const { copy } = wordingOf(provider);
  const listingDone = sync.stage !== "list" || sync.status === "completed";
  const contentHandled = sync.content_done + sync.content_failed;
  const listing = listingText(sync, provider);
  const content = contentText(sync, provider);
  return (
    <div className="flex flex-col gap-3" aria-live="polite">
      <div className="flex flex-col gap-1.5">
        <p className="text-sm" data-testid="sync-listing">
          {listing}
        </p>
        <Progress
          aria-label={`Listing ${copy.items}`}
          aria-valuetext={listing}
          value={listingDone ? 1 : active ? undefined : 0}
          max={1}
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <p className="text-sm" data-testid="sync-content">
          {content}
        </p>
        <Progress
          aria-label={copy.contentLabel}
          aria-valuetext={content}
          value={contentHandled}
          max={sync.content_total}
          indicatorClassName={sync.content_failed > 0 ? "bg-amber-500" : undefined}
        />
      </div>
      <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-xs">
        <dt className="text-muted-foreground">Last sync</dt>
        <dd>{formatDateTime(sync.last_synced_at ?? sync.finished_at)}</dd>
        {sync.status === "paused_rate_limited" && (
          <>
            <dt className="text-muted-foreground">Note</dt>
            <dd>{rateLimitText(sync, provider)}</dd>
          </>
        )}
        {sync.last_error && (
          <>
            <dt className="text-muted-foreground">Last error</dt>
            <dd className="text-red-700">{sync.last_error_text || sync.last_error}</dd>
          </>
        )}
      </dl>
    </div>
  );
}
