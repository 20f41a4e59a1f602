import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { ProviderDialog } from "@/components/ProviderDialog";
import { providerEntry, type ProviderEntry, type ProviderId } from "@/lib/providers";
import { isTeamAdmin, type TeamRole } from "@/lib/types";

export interface IntegrationDialogProps {
  teamId: string;
  role: TeamRole;
  open: ProviderId | null;
  onClose: () => void;
}

/**
 * The Integrations page's dialog for one provider (its body from ProviderDialog): loaded by IntegrationsPortal when a
 * card is reached for, with the configuration screens, the OAuth popup flow and Radix Dialog.
 */
export default function IntegrationDialog({ teamId, role, open, onClose }: IntegrationDialogProps) {
  const openEntry = open ? providerEntry(open) : null;
  return (
    <Dialog open={open !== null} onOpenChange={(o) => !o && onClose()}>
      {/* The dialog itself takes the focus, not its first control: before the import and activity sections load,
          that was "Disconnect" at the bottom (off-screen on a phone, one Enter from its confirmation). */}
      <DialogContent
        className="max-w-xl"
        onOpenAutoFocus={(e) => {
          e.preventDefault();
          (e.currentTarget as HTMLElement | null)?.focus();
        }}
      >
        {openEntry && (
          <>
            <DialogTitle className="sr-only">{openEntry.name} settings</DialogTitle>
            <DialogDescription className="sr-only">{dialogDescription(openEntry, isTeamAdmin(role))}</DialogDescription>
            <ProviderDialog key={`${teamId}:${openEntry.id}`} provider={openEntry.id} teamId={teamId} role={role} />
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}

/** The dialog's description for assistive technology: what the reader can do there (members only look). */
function dialogDescription(entry: ProviderEntry, canManage: boolean): string {
  if (entry.availability === "coming_soon") return `What the ${entry.name} integration will do.`;
  return canManage
    ? `Connect or disconnect ${entry.name} for this team.`
    : `See whether ${entry.name} is connected for this team and how it is set up.`;
}
