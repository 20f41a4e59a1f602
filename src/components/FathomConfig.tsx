import { useState } from "react";
import {
  AlertCircle,
  AlertTriangle,
  CheckCircle2,
  ExternalLink,
  Info,
  Loader2,
  Lock,
  RefreshCw,
  ShieldAlert,
  Unplug,
  Video,
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
import { Skeleton } from "@/components/ui/skeleton";
import { IntegrationStatusBadge } from "@/components/IntegrationStatusBadge";
import { FathomRecordingsExplainer } from "@/components/FathomRecordingsExplainer";
import { FathomSyncPanel } from "@/components/FathomSyncPanel";
import { LeadCreationSetting } from "@/components/LeadCreationSetting";
import { useIntegrations } from "@/hooks/useIntegrations";
import { useDisconnectIntegration } from "@/hooks/useDisconnectIntegration";
import { useStartFathomConnect, type ConnectState } from "@/hooks/useStartFathomConnect";
import { formatDateTime } from "@/lib/utils";
import { isTeamAdmin, type IntegrationWarning, type TeamIntegration, type TeamRole } from "@/lib/types";
import { ErrorAlert } from "@/components/ErrorAlert";

export interface FathomConfigProps {
  teamId: string;
  role: TeamRole;
  /** How often to re-read the status while the popup is open (tests shorten or lengthen it). */
  pollIntervalMs?: number;
  /** How long a popup that reads as closed is still listened to (COOP consent pages; tests shorten it). */
  closedGraceMs?: number;
  /** How often to re-read the meeting import while it runs (2 s by default). */
  syncPollIntervalMs?: number;
}

export const MEMBER_NOTE = "Only team owners and admins can connect or disconnect integrations.";

/** Fathom's connection for one team: status, account, connect (popup OAuth) and disconnect. */
export function FathomConfig({ teamId, role, pollIntervalMs, closedGraceMs, syncPollIntervalMs }: FathomConfigProps) {
  const integrations = useIntegrations(teamId);
  const { state, connect, cancel, reset } = useStartFathomConnect(teamId, { pollIntervalMs, closedGraceMs });
  const disconnect = useDisconnectIntegration(teamId);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const canManage = isTeamAdmin(role);

  const row = integrations.data?.find((r) => r.provider === "fathom");
  const status = row?.status === "disconnected" ? undefined : row?.status;
  const busy = state.phase === "starting" || state.phase === "waiting" || state.phase === "confirming";

  return (
    <section aria-labelledby="fathom-config-title" className="flex flex-col gap-5">
      <header className="flex items-start gap-4">
        <div className="flex size-11 shrink-0 items-center justify-center rounded-lg bg-gradient-to-br from-[#5636D3] to-[#7c5cf0] text-white shadow-sm">
          <Video className="size-5" aria-hidden="true" />
        </div>
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <h2 id="fathom-config-title" className="text-base font-semibold">
              Fathom
            </h2>
            {integrations.isSuccess && <IntegrationStatusBadge status={status} />}
          </div>
          <p className="mt-0.5 text-sm text-muted-foreground">Meeting recordings and transcriptions</p>
        </div>
      </header>

      {integrations.isPending ? (
        <div className="flex flex-col gap-3" data-testid="fathom-loading" aria-busy="true">
          <Skeleton className="h-4 w-2/3" />
          <Skeleton className="h-4 w-1/2" />
          <Skeleton className="h-9 w-36" />
        </div>
      ) : integrations.isError ? (
        <ErrorAlert
          title="Couldn't load the Fathom connection"
          message={integrations.error.message}
          onRetry={() => integrations.refetch()}
        />
      ) : (
        <>
          <FlowAlert state={state} onRetry={connect} onCancel={cancel} onDismiss={reset} />

          {status === "needs_reauth" && (
            <Alert variant="warning">
              <ShieldAlert />
              <AlertTitle>Fathom needs to be reconnected</AlertTitle>
              <AlertDescription>
                <p>
                  Fathom no longer accepts this connection's credentials, so new meetings are not being imported.
                  {canManage ? " Reconnect to resume." : " Ask a team owner or admin to reconnect it."}
                </p>
              </AlertDescription>
            </Alert>
          )}
          {status === "error" && (
            <Alert variant="destructive">
              <AlertCircle />
              <AlertTitle>The Fathom connection has a problem</AlertTitle>
              {row?.last_error && (
                <AlertDescription>
                  <p>{row.last_error}</p>
                </AlertDescription>
              )}
            </Alert>
          )}

          {row && status && row.warning && <IntegrationWarningAlert warning={row.warning} />}

          {row && status ? <ConnectionDetails row={row} /> : <NotConnectedIntro />}

          <FathomRecordingsExplainer
            triggers={row && status ? row.webhook_triggers : null}
            accountName={row && status ? row.account_name || row.account_email : null}
          />

          {row && status && (
            <>
              <FathomSyncPanel
                teamId={teamId}
                role={role}
                canImport={status === "connected"}
                connectedAt={row.connected_at}
                pollIntervalMs={syncPollIntervalMs}
              />
              <LeadCreationSetting teamId={teamId} role={role} />
            </>
          )}

          {canManage ? (
            <div className="flex flex-wrap items-center gap-2 border-t border-border pt-4">
              {status !== "connected" && (
                <Button
                  onClick={() => {
                    disconnect.reset();
                    connect();
                  }}
                  disabled={busy}
                >
                  {busy ? <Loader2 className="animate-spin" aria-hidden="true" /> : <ExternalLink aria-hidden="true" />}
                  {status === "needs_reauth" || status === "error" ? "Reconnect" : "Connect Fathom"}
                </Button>
              )}
              {status && (
                <AlertDialog open={confirmOpen} onOpenChange={setConfirmOpen}>
                  <AlertDialogTrigger asChild>
                    <Button variant="outline" disabled={disconnect.isPending || busy}>
                      {disconnect.isPending ? (
                        <Loader2 className="animate-spin" aria-hidden="true" />
                      ) : (
                        <Unplug aria-hidden="true" />
                      )}
                      Disconnect
                    </Button>
                  </AlertDialogTrigger>
                  <AlertDialogContent>
                    <AlertDialogHeader>
                      <AlertDialogTitle>Disconnect Fathom?</AlertDialogTitle>
                      <AlertDialogDescription>
                        New meetings will stop being imported for this team. Meetings already imported stay in the
                        CRM. You can reconnect at any time.
                      </AlertDialogDescription>
                    </AlertDialogHeader>
                    <AlertDialogFooter>
                      <AlertDialogCancel>Cancel</AlertDialogCancel>
                      <AlertDialogAction
                        className="bg-destructive text-white hover:bg-destructive/90"
                        onClick={() => {
                          reset();
                          disconnect.mutate("fathom");
                        }}
                      >
                        Disconnect
                      </AlertDialogAction>
                    </AlertDialogFooter>
                  </AlertDialogContent>
                </AlertDialog>
              )}
              {disconnect.isError && (
                <p role="alert" className="w-full text-sm text-red-700">
                  Couldn't disconnect Fathom: {disconnect.error.message}
                </p>
              )}
              {disconnect.isSuccess && disconnect.data && (
                <p role="alert" className="w-full text-sm text-amber-800" data-warning-code={disconnect.data.code}>
                  Fathom was disconnected, but: {disconnect.data.message}
                </p>
              )}
            </div>
          ) : (
            <p className="flex items-center gap-2 rounded-lg border border-border bg-muted/50 px-3 py-2 text-sm text-muted-foreground">
              <Lock className="size-4 shrink-0" aria-hidden="true" />
              {MEMBER_NOTE}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function FlowAlert({
  state,
  onRetry,
  onCancel,
  onDismiss,
}: {
  state: ConnectState;
  onRetry: () => void;
  onCancel: () => void;
  onDismiss: () => void;
}) {
  switch (state.phase) {
    case "blocked":
      return (
        <Alert variant="warning">
          <ShieldAlert />
          <AlertTitle>Popup blocked: allow popups for this site</AlertTitle>
          <AlertDescription className="flex flex-col items-start gap-2">
            <p>Fathom's sign-in opens in a small window. Allow popups for this site in your browser, then try again.</p>
            <Button size="sm" variant="outline" onClick={onRetry}>
              <RefreshCw aria-hidden="true" />
              Try again
            </Button>
          </AlertDescription>
        </Alert>
      );
    case "starting":
    case "waiting":
    case "confirming":
      return (
        <Alert variant="info" aria-live="polite">
          <Loader2 className="animate-spin" />
          <AlertTitle>
            {state.phase === "starting"
              ? "Opening Fathom…"
              : state.phase === "confirming"
                ? "Finishing the connection…"
                : "Waiting for Fathom"}
          </AlertTitle>
          <AlertDescription className="flex flex-col items-start gap-2">
            <p>
              {state.phase === "waiting" && state.windowClosed
                ? "If you are still signing in to Fathom, finish there: this page keeps listening for a few minutes."
                : "Finish authorizing in the Fathom window. This page updates by itself."}
            </p>
            <Button size="sm" variant="ghost" onClick={onCancel}>
              Cancel
            </Button>
          </AlertDescription>
        </Alert>
      );
    case "cancelled":
      return (
        <Alert variant="default">
          <Info />
          <AlertTitle>The Fathom window was closed</AlertTitle>
          <AlertDescription className="flex flex-wrap items-center gap-2">
            <p>The connection was not completed.</p>
            <Button size="sm" variant="link" className="h-auto p-0" onClick={onDismiss}>
              Dismiss
            </Button>
          </AlertDescription>
        </Alert>
      );
    case "success":
      return (
        <Alert variant="success">
          <CheckCircle2 />
          <AlertTitle>Fathom connected</AlertTitle>
          <AlertDescription>
            <p>New meetings recorded with Fathom will appear in the CRM.</p>
          </AlertDescription>
        </Alert>
      );
    case "error":
      return (
        <Alert variant="destructive" data-error-code={state.code}>
          <AlertCircle />
          <AlertTitle>Couldn't connect Fathom</AlertTitle>
          <AlertDescription className="flex flex-col items-start gap-2">
            <p>{state.message}</p>
            <Button size="sm" variant="outline" onClick={onRetry}>
              <RefreshCw aria-hidden="true" />
              Try again
            </Button>
          </AlertDescription>
        </Alert>
      );
    default:
      return null;
  }
}

/** A notice the server recorded on the connection (e.g. a webhook it could not create or remove). */
function IntegrationWarningAlert({ warning }: { warning: IntegrationWarning }) {
  return (
    <Alert variant="warning" data-warning-code={warning.code}>
      <AlertTriangle />
      <AlertTitle>Fathom connection warning</AlertTitle>
      <AlertDescription>
        <p>
          {warning.message}
          {warning.at && <span className="text-xs"> ({formatDateTime(warning.at)})</span>}
        </p>
      </AlertDescription>
    </Alert>
  );
}

function ConnectionDetails({ row }: { row: TeamIntegration }) {
  const scopes = row.scopes ?? [];
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-3 rounded-lg border border-border p-4 text-sm sm:grid-cols-[10rem_1fr]">
      <dt className="text-muted-foreground">Fathom account</dt>
      <dd className="min-w-0">
        <div className="truncate font-medium">{row.account_name || row.account_email || "Unknown account"}</div>
        {row.account_name && row.account_email && (
          <div className="truncate text-muted-foreground">{row.account_email}</div>
        )}
      </dd>
      <dt className="text-muted-foreground">Connected by</dt>
      <dd className="truncate">{row.connected_by_email || "—"}</dd>
      <dt className="text-muted-foreground">Connected on</dt>
      <dd>{formatDateTime(row.connected_at)}</dd>
      <dt className="text-muted-foreground">Permissions</dt>
      <dd className="flex flex-wrap gap-1.5">
        {scopes.length > 0 ? (
          scopes.map((s) => (
            <Badge key={s} variant="outline" className="font-mono">
              {s}
            </Badge>
          ))
        ) : (
          <span className="text-muted-foreground">—</span>
        )}
      </dd>
    </dl>
  );
}

function NotConnectedIntro() {
  return (
    <div className="rounded-lg border border-dashed border-border p-4 text-sm">
      <p className="font-medium">Bring your Fathom meetings into the CRM</p>
      <ul className="mt-2 list-disc space-y-1 pl-5 text-muted-foreground">
        <li>Import meeting recordings automatically</li>
        <li>Attach recordings and transcripts to leads</li>
        <li>Get call summaries and trigger automations on call events</li>
      </ul>
      <p className="mt-3 text-xs text-muted-foreground">
        You'll sign in to Fathom in a popup window and approve read access to your meetings.
      </p>
    </div>
  );
}
