import { CheckCircle2, Loader2, MessageSquareText } from "lucide-react";
import { Button } from "@/components/ui/button";
import { IntegrationConfig } from "@/components/IntegrationConfig";
// in the dialog's chunk (IntegrationsPortal loads IntegrationDialog lazily), not the page's: the script budget
import ChatPostingRules from "@/components/ChatPostingRules";
import { useSendTestMessage } from "@/hooks/useSendTestMessage";
import { testMessageErrorText } from "@/lib/integrationText";
import { chatCopy } from "@/lib/providerCopy";
import { destinationText, providerEntry, type ProviderId } from "@/lib/providers";
import type { ChatDestination, TeamRole } from "@/lib/types";

export interface ChatConfigProps {
  /** A catalog provider with dialog "chat" (its copy comes from the row's `chat`). */
  provider: ProviderId;
  teamId: string;
  role: TeamRole;
  pollIntervalMs?: number;
  closedGraceMs?: number;
}

/**
 * A chat provider's dialog (Slack, Discord, any catalog row with dialog "chat"): the shared shell, where it posts,
 * and "Send test message" for admins. The channel is picked on the provider's consent screen, so changing it means
 * reconnecting.
 */
export function ChatConfig({ provider, teamId, role, pollIntervalMs, closedGraceMs }: ChatConfigProps) {
  const { name } = providerEntry(provider);
  const { pickerLabel, revokeText } = chatCopy(provider);
  return (
    <IntegrationConfig
      provider={provider}
      teamId={teamId}
      role={role}
      pollIntervalMs={pollIntervalMs}
      closedGraceMs={closedGraceMs}
      intro={
        <div className="rounded-lg border border-dashed border-border p-4 text-sm">
          <p className="font-medium">Post CRM updates to {name}</p>
          <p className="mt-2 text-muted-foreground">
            You'll approve the CRM in a {name} popup window and pick the channel it posts to ("{pickerLabel}").
            Automations will post there; you can send a test message once connected.
          </p>
        </div>
      }
      connectedText={`The CRM will post to the ${name} channel you picked.`}
      stoppedText="the CRM cannot post to it"
      disconnectText={
        <>
          <span className="block">The CRM will stop posting to {name} for this team. You can reconnect at any time.</span>
          <ChatPostingRules teamId={teamId} provider={provider} />
          <span className="block">{revokeText}</span>
        </>
      }
    >
      {({ row, status, canManage }) =>
        canManage && status === "connected" ? (
          // A new destination (a reconnect picked another channel) starts over: the last result spoke of the old one.
          <TestMessage key={destinationKey(row?.destination)} provider={provider} teamId={teamId} name={name} />
        ) : null
      }
    </IntegrationConfig>
  );
}

/** Identifies a destination; changes when a reconnect picks another channel or workspace. */
function destinationKey(d: ChatDestination | null | undefined): string {
  return JSON.stringify([d?.workspaceId ?? null, d?.channelId ?? null, d?.workspace ?? null, d?.channel ?? null]);
}

function TestMessage({ provider, teamId, name }: { provider: ProviderId; teamId: string; name: string }) {
  const send = useSendTestMessage(teamId, provider);
  const sentTo = send.data ? destinationText(send.data.destination, "posted") : null;
  return (
    <div className="flex flex-col items-start gap-2 rounded-lg border border-border p-4 text-sm">
      <p className="text-muted-foreground">Check that the CRM can post: send a short test message to the channel.</p>
      <Button variant="outline" size="sm" onClick={() => send.mutate()} disabled={send.isPending}>
        {send.isPending ? <Loader2 className="animate-spin" aria-hidden="true" /> : <MessageSquareText aria-hidden="true" />}
        Send test message
      </Button>
      {send.isSuccess && (
        <p role="status" className="flex items-center gap-1.5 text-emerald-800">
          <CheckCircle2 className="size-4 shrink-0" aria-hidden="true" />
          {sentTo ? `Test message sent. ${sentTo}.` : `Test message sent to ${name}.`}
        </p>
      )}
      {send.isError && (
        <p role="alert" className="text-red-700" data-error-code={(send.error as { code?: string }).code}>
          {testMessageErrorText(name, send.error)}
        </p>
      )}
    </div>
  );
}
