/**
 * Human messages for the error codes the OAuth functions return (in the `{error:{code}}` envelope of
 * fathom-oauth-start, or as `code` on the callback page's redirect). public/fathom-callback.html carries the same
 * table (it is a static page without imports); a test keeps the two in step.
 */
export const FATHOM_OAUTH_ERROR_MESSAGES: Record<string, string> = {
  access_denied: "You cancelled the Fathom authorization.",
  invalid_state: "This connection attempt expired or was already used. Please try again.",
  not_team_admin: "Only team owners and admins can connect or disconnect integrations.",
  token_exchange_failed: "Fathom did not accept the authorization. Please try connecting again.",
  provider_unavailable: "Fathom is not responding right now. Please try again in a few minutes.",
  invalid_token_response: "Fathom sent an unexpected response. Please try connecting again.",
  state_expired: "This connection attempt took too long. Please try again.",
  authorization_failed: "Fathom could not complete the authorization. Please try again.",
  invalid_redirect_uri: "This app's address is not allowed to connect Fathom. Ask an administrator to check APP_ORIGIN.",
  provider_not_configured: "Fathom is not configured on this server yet. Ask an administrator to add the Fathom client credentials.",
};

export const GENERIC_FATHOM_OAUTH_ERROR = "Something went wrong while connecting Fathom. Please try again.";

export function fathomOAuthErrorMessage(code: string | null | undefined): string {
  if (code && Object.prototype.hasOwnProperty.call(FATHOM_OAUTH_ERROR_MESSAGES, code)) {
    return FATHOM_OAUTH_ERROR_MESSAGES[code];
  }
  return GENERIC_FATHOM_OAUTH_ERROR;
}
