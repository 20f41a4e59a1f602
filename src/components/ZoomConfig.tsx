import { FathomSyncPanel } from "@/components/FathomSyncPanel";
import { IntegrationConfig } from "@/components/IntegrationConfig";
import type { TeamRole } from "@/lib/types";

export interface ZoomConfigProps {
  teamId: string;
  role: TeamRole;
  /** How often to re-read the status while the popup is open (tests shorten or lengthen it). */
  pollIntervalMs?: number;
  /** How long a popup that reads as closed is still listened to (COOP consent pages; tests shorten it). */
  closedGraceMs?: number;
  /** How often to re-read the recordings import while it runs (2 s by default). */
  syncPollIntervalMs?: number;
}

/**
 * Zoom's connection for one team (issue 12): the shared dialog shell (status, account, connect, disconnect), which
 * recordings arrive and what they bring (review 12, newcomer finding 6), and the import of past recordings with its
 * result and last error, on the panel Fathom's import uses (newcomer finding 2).
 */
export function ZoomConfig({ teamId, role, pollIntervalMs, closedGraceMs, syncPollIntervalMs }: ZoomConfigProps) {
  return (
    <IntegrationConfig
      provider="zoom"
      teamId={teamId}
      role={role}
      pollIntervalMs={pollIntervalMs}
      closedGraceMs={closedGraceMs}
      intro={<NotConnectedIntro />}
      connectedText="New cloud recordings of this Zoom user will appear in the CRM, matched to leads by participant e-mail."
      stoppedText="new recordings are not being imported"
      disconnectText={<ZoomDisconnectText />}
    >
      {({ row, status }) => (
        <>
          <ZoomRecordingsExplainer accountName={row ? row.account_name || row.account_email : null} />
          {row && status && (
            <FathomSyncPanel
              provider="zoom"
              teamId={teamId}
              role={role}
              canImport={status === "connected"}
              connectedAt={row.connected_at}
              pollIntervalMs={syncPollIntervalMs}
            />
          )}
        </>
      )}
    </IntegrationConfig>
  );
}

/**
 * Which recordings arrive and what they carry (providers.md §3): a user-managed app sees the connecting user's
 * cloud recordings only; a transcript exists only with Zoom's audio transcript setting on; participants' e-mails
 * come only where the account's plan reports them; past recordings are imported on connect (zoom/lifecycle.ts).
 */
export function ZoomRecordingsExplainer({ accountName }: { accountName?: string | null }) {
  const who = accountName ? `${accountName}'s` : "the connected user's";
  return (
    <section aria-labelledby="zoom-arrive-title" className="rounded-lg border border-border p-4 text-sm">
      <h3 id="zoom-arrive-title" className="font-semibold">
        Which recordings arrive
      </h3>
      <ul className="mt-2 list-disc space-y-1 pl-5 text-muted-foreground">
        <li>
          Only {who} <strong className="font-medium text-foreground">cloud</strong> recordings: not local recordings,
          and not meetings colleagues host (they can connect Zoom to their own team).
        </li>
        <li>
          Transcripts only when Zoom makes them: turn on "Create audio transcript" in Zoom's Settings &gt; Recording.
          Zoom sends no summaries.
        </li>
        <li>
          Participants' e-mails, which link a meeting to leads, depend on the Zoom plan: without them the meeting is
          imported but linked to no lead.
        </li>
        <li>Past cloud recordings are imported when you connect; new ones arrive by themselves.</li>
      </ul>
    </section>
  );
}

function NotConnectedIntro() {
  return (
    <div className="rounded-lg border border-dashed border-border p-4 text-sm">
      <p className="font-medium">Bring your Zoom calls into the CRM</p>
      <ul className="mt-2 list-disc space-y-1 pl-5 text-muted-foreground">
        <li>Import cloud recordings and their transcripts</li>
        <li>Link each call to the leads who attended, by participant e-mail</li>
      </ul>
      <p className="mt-3 text-xs text-muted-foreground">
        You'll sign in to Zoom in a popup window and approve read access to your recordings and their participants.
      </p>
    </div>
  );
}

/** What stops and what stays; the revocation's outcome is reported after the disconnect (IntegrationConfig). */
function ZoomDisconnectText() {
  return (
    <>
      <span className="block">
        New Zoom recordings will stop being imported for this team. Meetings already imported stay in the CRM, with
        their transcripts and lead links. You can reconnect at any time.
      </span>
      <span className="block">
        The CRM deletes its copy of the credentials and asks Zoom to revoke its access. If Zoom doesn't confirm, you'll
        be told where to remove the app in Zoom.
      </span>
    </>
  );
}
