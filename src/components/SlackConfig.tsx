import { ChatConfig } from "@/components/ChatConfig";
import type { TeamRole } from "@/lib/types";

/** Slack's dialog: posts through the incoming webhook of the channel picked on Slack's consent screen. */
export function SlackConfig(props: { teamId: string; role: TeamRole; pollIntervalMs?: number; closedGraceMs?: number }) {
  return (
    <ChatConfig
      provider="slack"
      {...props}
      pickerHint={'"Post to"'}
      revokeText="The CRM also asks Slack to revoke its access. That is best effort: the CRM stops posting either way."
    />
  );
}
