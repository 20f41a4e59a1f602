import { ChatConfig } from "@/components/ChatConfig";
import type { TeamRole } from "@/lib/types";

/** Discord's dialog: posts through the webhook Discord creates for the channel picked on its consent screen. */
export function DiscordConfig(props: { teamId: string; role: TeamRole; pollIntervalMs?: number; closedGraceMs?: number }) {
  return (
    <ChatConfig
      provider="discord"
      {...props}
      pickerHint={'"Channel"'}
      revokeText="The CRM also asks Discord to revoke its authorization. That is best effort: the CRM stops posting either way."
    />
  );
}
