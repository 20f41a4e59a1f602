import { FathomRecordingsExplainer } from "@/components/FathomRecordingsExplainer";
import { FathomSyncPanel } from "@/components/FathomSyncPanel";
import { IntegrationConfig, MEMBER_NOTE } from "@/components/IntegrationConfig";
import { LeadCreationSetting } from "@/components/LeadCreationSetting";
import type { TeamRole } from "@/lib/types";

export { MEMBER_NOTE };

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

/**
 * Fathom's connection for one team: the shared dialog shell (status, account, connect, disconnect) plus which
 * recordings arrive, the meeting import and the lead setting.
 */
export function FathomConfig({ teamId, role, pollIntervalMs, closedGraceMs, syncPollIntervalMs }: FathomConfigProps) {
  return (
    <IntegrationConfig
      provider="fathom"
      teamId={teamId}
      role={role}
      pollIntervalMs={pollIntervalMs}
      closedGraceMs={closedGraceMs}
      intro={<NotConnectedIntro />}
      connectedText="New meetings recorded with Fathom will appear in the CRM."
      stoppedText="new meetings are not being imported"
      disconnectText={<FathomDisconnectText />}
    >
      {({ row, status }) => (
        <>
          <FathomRecordingsExplainer
            triggers={row ? row.webhook_triggers : null}
            accountName={row ? row.account_name || row.account_email : null}
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
        </>
      )}
    </IntegrationConfig>
  );
}

/**
 * Fathom documents no revocation endpoint (fathom-api.md §1.5): the CRM forgets its tokens and removes its
 * webhook, and the app's access ends on Fathom's side only when the person revokes it there.
 */
function FathomDisconnectText() {
  return (
    <>
      <span className="block">
        New meetings will stop being imported for this team. Meetings already imported stay in the CRM. You can
        reconnect at any time.
      </span>
      <span className="block">
        Fathom offers apps no way to revoke their own access, so the CRM deletes its copy of the credentials and its
        webhook. To remove the app on Fathom's side too, revoke its access in the connected account's Fathom settings.
      </span>
    </>
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
