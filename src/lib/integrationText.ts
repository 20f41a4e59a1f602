import { ApiError } from "./apiError";

/**
 * Human text for an integration's recorded problem and for a test message's failure. Pure functions of codes the
 * back end sends (`team_integrations.last_error`; the `{error:{code}}` envelope of
 * POST api/teams/:teamId/integrations/:provider/test-message: supabase/functions/api/routes/integration_messages.ts).
 */

/**
 * Why a `needs_reauth` or `error` integration stopped, for the codes that say more than "credentials": the cause
 * only, one sentence; what to do about it is `reconnectText`.
 */
export function integrationProblemText(name: string, lastError: string | null | undefined): string | null {
  switch (lastError) {
    case "destination_gone":
      return `The ${name} channel the CRM posted to is gone (deleted or archived, or the app was removed from it).`;
    case "deauthorized":
      return `The app was removed in ${name}, so the CRM deleted its credentials. Meetings already imported stay.`;
    case "invalid_grant":
    case "token_revoked":
      return `${name} no longer accepts this connection's credentials (the access was revoked or expired).`;
    default:
      return null;
  }
}

/** What to do about a connection that needs reconnecting, one sentence for who is reading (admins can reconnect). */
export function reconnectText(lastError: string | null | undefined, canManage: boolean): string {
  const gone = lastError === "destination_gone";
  if (canManage) return gone ? "Reconnect to pick another channel." : "Reconnect to resume.";
  return gone
    ? "Ask a team owner or admin to reconnect it and pick another channel."
    : "Ask a team owner or admin to reconnect it.";
}

/** The failure of "Send test message" as one sentence for the person who clicked it. */
export function testMessageErrorText(name: string, err: unknown): string {
  if (!(err instanceof ApiError)) return "Couldn't send the test message. Please try again.";
  switch (err.code) {
    case "destination_gone":
      return `The ${name} channel is gone (deleted or archived, or the app was removed from it). Reconnect to pick another channel.`;
    case "provider_rate_limited":
      return `${name} is limiting messages right now. ${retryText(err.retryAfterSeconds)}`;
    case "provider_unavailable":
      return `${name} is not responding right now. Try again in a few minutes.`;
    case "not_team_admin":
      return "Only team owners and admins can send a test message.";
    case "not_found":
      return `${name} is not connected to this team any more.`;
    case "not_supported":
      return `${name} does not post messages.`;
    case "network_error":
      return err.message;
    default:
      if (err.status === 429) return `${name} is limiting messages right now. ${retryText(err.retryAfterSeconds)}`;
      return `Couldn't send the test message: ${err.message}`;
  }
}

function retryText(seconds: number | undefined): string {
  if (seconds === undefined) return "Try again in a minute.";
  if (seconds <= 1) return "Try again in a second.";
  if (seconds < 120) return `Try again in ${seconds} seconds.`;
  return `Try again in ${Math.ceil(seconds / 60)} minutes.`;
}
