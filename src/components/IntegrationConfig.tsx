import { toast } from "@/lib/toast";
import { useState, type ReactNode } from "react";
import {
  AlertCircle,
  AlertTriangle,
  CheckCircle2,
  Clock,
  ExternalLink,
  Info,
  Loader2,
  Lock,
  RefreshCw,
  ShieldAlert,
  Unplug,
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
import { DestinationLine } from "@/components/DestinationLine";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorAlert } from "@/components/ErrorAlert";
import { IntegrationActivity } from "@/components/IntegrationActivity";
import { IntegrationStatusBadge } from "@/components/IntegrationStatusBadge";
import { useIntegrations } from "@/hooks/useIntegrations";
import { useDisconnectIntegration } from "@/hooks/useDisconnectIntegration";
import { useOAuthConnect, type ConnectState } from "@/hooks/useOAuthConnect";
import { integrationProblemText, reconnectText } from "@/lib/integrationText";
import { providerEntry, type ProviderDialogEntry } from "@/lib/providerCopy";
import type { ProviderId } from "@/lib/providers";
import { formatDateTime } from "@/lib/utils";
import {
  isTeamAdmin,
  type IntegrationStatus,
  type IntegrationWarning,
  type TeamIntegration,
  type TeamRole,
} from "@/lib/types";

export const MEMBER_NOTE = "Only team owners and admins can connect or disconnect integrations.";

/** What the shell hands to a provider's own panels (Fathom's import, a chat provider's test message). */
export interface IntegrationPanelContext {
  /** the team's row; undefined when never connected or disconnected */
  row: TeamIntegration | undefined;
  status: IntegrationStatus | undefined;
  canManage: boolean;
}

export interface IntegrationConfigProps {
  provider: ProviderId;
  teamId: string;
  role: TeamRole;
  /** How often to re-read the status while the popup is open (tests shorten or lengthen it). */
  pollIntervalMs?: number;
  /** How long a popup that reads as closed is still listened to (COOP consent pages; tests shorten it). */
  closedGraceMs?: number;
  /** Shown while not connected: what connecting does and what the person will approve. */
  intro?: ReactNode;
  /** The success alert's sentence once connected. */
  connectedText: string;
  /** What stops while the credentials are refused, e.g. "new meetings are not being imported". */
  stoppedText: string;
  /** The disconnect confirmation's text: what stops, what stays, and what the provider keeps. */
  disconnectText: ReactNode;
  /** The provider's own panels, below the account details (or the intro), in every loaded state. */
  children?: (ctx: IntegrationPanelContext) => ReactNode;
}

/**
 * The one configuration dialog body for every provider: header with status, the connect flow (popup OAuth through
 * useOAuthConnect), needs-reconnect and error states with their reason, account details, where a chat provider
 * posts, reconnect, and disconnect with a confirmation. Coming-soon providers get the header and what they will do.
 */
export function IntegrationConfig(props: IntegrationConfigProps) {
  const entry = providerEntry(props.provider);
  const titleId = `${entry.id}-config-title`;
  return (
    <section aria-labelledby={titleId} className="flex min-w-0 flex-col gap-5" data-provider={entry.id}>
      {entry.availability === "coming_soon" ? (
        <>
          <ConfigHeader entry={entry} titleId={titleId} badge={<Badge variant="secondary">Coming soon</Badge>} />
          <p className="flex items-start gap-2 rounded-lg border border-dashed border-border p-4 text-sm text-muted-foreground">
            <Clock className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            <span>{entry.comingSoon ?? `${entry.name} is coming soon.`}</span>
          </p>
        </>
      ) : (
        <ConnectableConfig {...props} entry={entry} titleId={titleId} />
      )}
    </section>
  );
}

function ConfigHeader({ entry, titleId, badge }: { entry: ProviderDialogEntry; titleId: string; badge: ReactNode }) {
  const Icon = entry.icon;
  return (
    <header className="flex items-start gap-4">
      <div
        className="flex size-11 shrink-0 items-center justify-center rounded-lg text-white shadow-sm"
        style={{ backgroundColor: entry.brandColor }}
      >
        <Icon className="size-5" aria-hidden="true" />
      </div>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id={titleId} className="text-base font-semibold">
            {entry.name}
          </h2>
          {badge}
        </div>
        <p className="mt-0.5 text-sm text-muted-foreground">{entry.description}</p>
      </div>
    </header>
  );
}

function ConnectableConfig({
  entry,
  titleId,
  teamId,
  role,
  pollIntervalMs,
  closedGraceMs,
  intro,
  connectedText,
  stoppedText,
  disconnectText,
  children,
}: IntegrationConfigProps & { entry: ProviderDialogEntry; titleId: string }) {
  const integrations = useIntegrations(teamId);
  const { state, connect, cancel, reset } = useOAuthConnect(entry.id, teamId, { pollIntervalMs, closedGraceMs });
  const disconnect = useDisconnectIntegration(teamId);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const canManage = isTeamAdmin(role);
  const { name } = entry;

  const row = integrations.data?.find((r) => r.provider === entry.id);
  const status = row?.status === "disconnected" ? undefined : row?.status;
  const connected = !!(row && status);
  const busy = state.phase === "starting" || state.phase === "waiting" || state.phase === "confirming";
  const startConnect = () => {
    disconnect.reset();
    connect();
  };

  return (
    <>
      <ConfigHeader
        entry={entry}
        titleId={titleId}
        badge={integrations.isSuccess ? <IntegrationStatusBadge status={status} /> : null}
      />

      {integrations.isPending ? (
        <div className="flex flex-col gap-3" data-testid={`${entry.id}-loading`} aria-busy="true">
          <Skeleton className="h-4 w-2/3" />
          <Skeleton className="h-4 w-1/2" />
          <Skeleton className="h-9 w-36" />
        </div>
      ) : integrations.isError ? (
        <ErrorAlert
          title={`Couldn't load the ${name} connection`}
          message={integrations.error.message}
          onRetry={() => integrations.refetch()}
        />
      ) : (
        <>
          <FlowAlert name={name} connectedText={connectedText} state={state} onRetry={connect} onCancel={cancel} onDismiss={reset} />

          {status === "needs_reauth" && (
            <Alert variant="warning" data-reason={row?.last_error ?? undefined}>
              <ShieldAlert />
              <AlertTitle>{name} needs to be reconnected</AlertTitle>
              <AlertDescription>
                <p>
                  {integrationProblemText(name, row?.last_error) ??
                    `${name} no longer accepts this connection's credentials, so ${stoppedText}.`}{" "}
                  {reconnectText(row?.last_error, canManage)}
                </p>
              </AlertDescription>
            </Alert>
          )}
          {status === "error" && (
            <Alert variant="destructive">
              <AlertCircle />
              <AlertTitle>The {name} connection has a problem</AlertTitle>
              {row?.last_error && (
                <AlertDescription>
                  <p>{integrationProblemText(name, row.last_error) ?? row.last_error}</p>
                </AlertDescription>
              )}
            </Alert>
          )}

          {connected && row.warning && <IntegrationWarningAlert name={name} warning={row.warning} />}

          {connected && entry.dialog === "chat" && <DestinationLine entry={entry} row={row} />}

          {connected ? <ConnectionDetails name={name} row={row} /> : intro}

          {children?.({ row: connected ? row : undefined, status, canManage })}

          {connected && <IntegrationActivity provider={entry.id} teamId={teamId} role={role} name={name} />}

          {canManage ? (
            <div className="flex flex-wrap items-center gap-2 border-t border-border pt-4">
              {status !== "connected" && (
                <Button onClick={startConnect} disabled={busy}>
                  {busy ? <Loader2 className="animate-spin" aria-hidden="true" /> : <ExternalLink aria-hidden="true" />}
                  {status === "needs_reauth" || status === "error" ? "Reconnect" : `Connect ${name}`}
                </Button>
              )}
              {status === "connected" && entry.dialog === "chat" && (
                <Button variant="outline" onClick={startConnect} disabled={busy}>
                  {busy ? <Loader2 className="animate-spin" aria-hidden="true" /> : <RefreshCw aria-hidden="true" />}
                  Reconnect to change the channel
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
                      <AlertDialogTitle>Disconnect {name}?</AlertDialogTitle>
                      <AlertDialogDescription asChild>
                        <div className="flex flex-col gap-2">
                          {disconnectText}
                          {entry.noRevocation && <p>{entry.noRevocation}</p>}
                        </div>
                      </AlertDialogDescription>
                    </AlertDialogHeader>
                    <AlertDialogFooter>
                      <AlertDialogCancel>Cancel</AlertDialogCancel>
                      <AlertDialogAction
                        className="bg-destructive text-white hover:bg-destructive/90"
                        onClick={() => {
                          reset();
                          disconnect.mutate(entry.id, {
                            // a cleanup warning stays inline below; the toast confirms the disconnect, or says
                            // the provider did not confirm the revocation (that sentence stays inline too)
                            // (a provider that cannot be revoked at says where to remove the app, as in the confirmation)
                            onSuccess: (result) =>
                              result?.revocationMessage
                                ? toast.warning(result.revocationMessage)
                                : entry.noRevocation
                                  ? toast.warning(`${name} disconnected here. ${entry.noRevocation}`)
                                  : toast.success(`${name} disconnected`),
                          });
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
                  Couldn't disconnect {name}: {disconnect.error.message}
                </p>
              )}
              {disconnect.isSuccess && disconnect.data?.warning && (
                <p role="alert" className="w-full text-sm text-amber-800" data-warning-code={disconnect.data.warning.code}>
                  {name} was disconnected, but: {disconnect.data.warning.message}
                </p>
              )}
              {disconnect.isSuccess && !disconnect.data?.revocationMessage && entry.noRevocation && (
                <p role="status" className="w-full text-sm text-amber-800" data-warning-code="not_revocable">
                  {name} was disconnected here. {entry.noRevocation}
                </p>
              )}
              {disconnect.isSuccess && disconnect.data?.revocationMessage && (
                <p role="alert" className="w-full text-sm text-amber-800" data-warning-code="revocation_unconfirmed">
                  {disconnect.data.revocationMessage}
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
    </>
  );
}

function FlowAlert({
  name,
  connectedText,
  state,
  onRetry,
  onCancel,
  onDismiss,
}: {
  name: string;
  connectedText: string;
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
            <p>{name}'s sign-in opens in a small window. Allow popups for this site in your browser, then try again.</p>
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
              ? `Opening ${name}…`
              : state.phase === "confirming"
                ? "Finishing the connection…"
                : `Waiting for ${name}`}
          </AlertTitle>
          <AlertDescription className="flex flex-col items-start gap-2">
            <p>
              {state.phase === "waiting" && state.windowClosed
                ? `If you are still signing in to ${name}, finish there: this page keeps listening for a few minutes.`
                : `Finish authorizing in the ${name} window. This page updates by itself.`}
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
          <AlertTitle>The {name} window was closed</AlertTitle>
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
          <AlertTitle>{name} connected</AlertTitle>
          <AlertDescription>
            <p>{connectedText}</p>
          </AlertDescription>
        </Alert>
      );
    case "error":
      return (
        <Alert variant="destructive" data-error-code={state.code}>
          <AlertCircle />
          <AlertTitle>Couldn't connect {name}</AlertTitle>
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
function IntegrationWarningAlert({ name, warning }: { name: string; warning: IntegrationWarning }) {
  return (
    <Alert variant="warning" data-warning-code={warning.code}>
      <AlertTriangle />
      <AlertTitle>{name} connection warning</AlertTitle>
      <AlertDescription>
        <p>
          {warning.message}
          {warning.at && <span className="text-xs"> ({formatDateTime(warning.at)})</span>}
        </p>
      </AlertDescription>
    </Alert>
  );
}

function ConnectionDetails({ name, row }: { name: string; row: TeamIntegration }) {
  const scopes = row.scopes ?? [];
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-3 rounded-lg border border-border p-4 text-sm sm:grid-cols-[10rem_1fr]">
      <dt className="text-muted-foreground">{name} account</dt>
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
