/**
 * Human messages for the error codes the OAuth functions return (in the `{error:{code}}` envelope of
 * <provider>-oauth-start and oauth-confirm, or as `code` on the callback page's redirect), for any provider:
 * `{name}` is the provider's name. public/oauth-callback.js carries the same table (the callback pages are static,
 * without imports); a test keeps the two in step.
 */
const TEMPLATES: Record<string, string> = {
  access_denied: "You cancelled the {name} authorization.",
  invalid_state: "This connection attempt expired or was already used. Please try again.",
  not_team_admin: "Only team owners and admins can connect or disconnect integrations.",
  token_exchange_failed: "{name} did not accept the authorization. Please try connecting again.",
  provider_unavailable: "{name} is not responding right now. Please try again in a few minutes.",
  invalid_token_response: "{name} sent an unexpected response. Please try connecting again.",
  state_expired: "This connection attempt took too long. Please try again.",
  authorization_failed: "{name} could not complete the authorization. Please try again.",
  invalid_redirect_uri: "This app's address is not allowed to connect {name}. Ask an administrator to check APP_ORIGIN.",
  provider_not_configured:
    "{name} is not configured on this server yet. Ask an administrator to add the {name} client credentials.",
  connection_changed: "{name} was connected or disconnected elsewhere at the same time. Please try again.",
};

const GENERIC_TEMPLATE = "Something went wrong while connecting {name}. Please try again.";

const fill = (template: string, name: string) => template.replaceAll("{name}", name);

/** Every known code's message for the provider named `name`. */
export function oauthErrorMessages(name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(TEMPLATES).map(([code, t]) => [code, fill(t, name)]));
}

export function genericOAuthError(name: string): string {
  return fill(GENERIC_TEMPLATE, name);
}

/** The message for `code` (a generic one for unknown or missing codes: a code is never shown as it came). */
export function oauthErrorMessage(name: string, code: string | null | undefined): string {
  if (code && Object.prototype.hasOwnProperty.call(TEMPLATES, code)) return fill(TEMPLATES[code], name);
  return genericOAuthError(name);
}

/** Whether `code` has a message of its own. */
export function isKnownOAuthError(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(TEMPLATES, code);
}

export const FATHOM_OAUTH_ERROR_MESSAGES: Record<string, string> = oauthErrorMessages("Fathom");

export const GENERIC_FATHOM_OAUTH_ERROR = genericOAuthError("Fathom");
