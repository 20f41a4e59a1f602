import { toast } from "@/lib/toast";
import { Switch } from "@/components/ui/switch";
import { useTeamSettings, useUpdateTeamSettings } from "@/hooks/useTeamSettings";
import { errorMessage } from "@/lib/errorMessages";
import { isTeamAdmin, type TeamRole } from "@/lib/types";

export const LEAD_CREATION_LABEL = "Create leads for unknown external attendees";

/** The toast after the setting is saved. */
export function settingSavedText(on: boolean): string {
  return on
    ? "Imported meetings now create leads for unknown external attendees"
    : "Imported meetings no longer create leads";
}

/** The team setting create_leads_from_unknown_attendees: admins toggle it, members see it read-only. */
export function LeadCreationSetting({ teamId, role }: { teamId: string; role: TeamRole }) {
  const settings = useTeamSettings(teamId);
  const update = useUpdateTeamSettings(teamId);
  const admin = isTeamAdmin(role);
  const checked = settings.data?.create_leads_from_unknown_attendees ?? false;

  return (
    <div className="flex items-start justify-between gap-4 rounded-lg border border-border p-4">
      <div className="min-w-0">
        <p id="lead-creation-label" className="text-sm font-medium">
          {LEAD_CREATION_LABEL}
        </p>
        <p id="lead-creation-description" className="mt-0.5 text-sm text-muted-foreground">
          When an imported meeting has an external attendee who isn't a lead yet, create a lead for them.
          {!admin && " Only team owners and admins can change this."}
        </p>
        {settings.isError && (
          <p role="alert" className="mt-1 text-xs text-red-700">
            Couldn't load the setting: {errorMessage(settings.error)}
          </p>
        )}
        {update.isError && (
          <p role="alert" className="mt-1 text-xs text-red-700">
            Couldn't save the setting: {errorMessage(update.error)}
          </p>
        )}
      </div>
      <Switch
        checked={update.isPending && update.variables ? !!update.variables.create_leads_from_unknown_attendees : checked}
        onCheckedChange={(v) =>
          update.mutate(
            { create_leads_from_unknown_attendees: v },
            { onSuccess: () => toast.success(settingSavedText(v)) },
          )
        }
        disabled={!admin || !settings.isSuccess || update.isPending}
        aria-labelledby="lead-creation-label"
        aria-describedby="lead-creation-description"
      />
    </div>
  );
}
