import { ApiError, isNotFound, isRetryable, NETWORK_ERROR, SOMETHING_WENT_WRONG } from "./apiError";

/**
 * What the app tells people when a request fails: one sentence per error code of the back end's envelope
 * (`{error:{code,message}}`, codes from supabase/functions/_shared/errors.ts) and of the app's own failures
 * (`network_error`, `invalid_response`). The server's `message` is written for developers ("Invalid or missing: q.",
 * "leadId must be a UUID.") and is never shown, except for the codes in SERVER_WORDED whose message names what the
 * person entered. Provider-named OAuth sentences are in oauthErrors.ts; a test message's in integrationText.ts.
 *
 * Not in any page's entry chunk (the Integrations page's JavaScript budget, issue 10): the app's first failure loads it
 * (errorText.ts, used by api.ts toApiError and ErrorAlert); pages that word errors themselves import it.
 */
const MESSAGES: Record<string, string> = {
  invalid_request: "The app sent something the server couldn't accept. Check what you entered and try again.",
  unauthorized: "Your session has expired. Please sign in again.",
  forbidden: "You don't have access to this.",
  not_team_admin: "Only team owners and admins can do this.",
  not_found: "This doesn't exist any more, or it belongs to another team.",
  team_not_found: "This team doesn't exist, or you're not a member of it.",
  lead_not_found: "This lead doesn't exist any more, or it belongs to another team.",
  meeting_not_found: "This meeting doesn't exist any more, or it belongs to another team.",
  meeting_has_no_lead: "This meeting isn't linked to a lead; this automation runs when a meeting is linked to one.",
  task_not_found: "This task doesn't exist any more, or it belongs to another team.",
  note_not_found: "This note doesn't exist any more.",
  invalid_task: "The task couldn't be saved: give it a title (up to 500 characters) and a real due date.",
  not_a_member: "The assignee isn't a member of this team.",
  method_not_allowed: "This action isn't available here.",
  not_connected: "This integration isn't connected to the team.",
  needs_reauth: "This integration needs to be reconnected before it can be used.",
  payload_too_large: "That's more text than can be saved at once. Shorten it and try again.",
  rate_limited: "Too many requests in a short time. Wait a moment and try again.",
  connection_changed: "The integration was connected or disconnected elsewhere at the same time. Please try again.",
  access_denied: "The authorization was cancelled.",
  invalid_state: "This connection attempt expired or was already used. Please try again.",
  state_expired: "This connection attempt took too long. Please try again.",
  provider_unavailable: "The connected service isn't responding right now. Try again in a few minutes.",
  provider_timeout: "The connected service didn't answer in time. Try again in a moment.",
  provider_not_configured: "This integration isn't set up on the server yet. Ask an administrator.",
  provider_rate_limited: "The connected service is limiting requests right now. Try again in a minute.",
  destination_gone: "The channel the CRM posted to is gone. Reconnect to pick another one.",
  database_unavailable: "The server is briefly unavailable. Try again in a moment.",
  concurrent_change: "Someone changed the same thing at the same moment. Try again.",
  internal_error: SOMETHING_WENT_WRONG,
  network_error: NETWORK_ERROR,
  invalid_response: "The server sent an answer the app couldn't read. Please try again.",
  not_team_owner: "Only an owner can make, change or remove an owner.",
  member_not_found: "This person isn't a member of the team any more.",
  invite_not_found: "This invitation was revoked, declined, or isn't addressed to you.",
  email_not_confirmed: "Confirm your e-mail address first: open the link in the message we sent you.",
  too_many_invites: "This team has 100 pending invites, the most it can have. Revoke some first.",
  too_many_teams: "You've created 10 teams today, the most for one day. Try again tomorrow.",
  team_limit: "You already own 50 teams, the most one person can own.",
  invalid_team_name: "Use a team name with visible characters only (no invisible or control characters).",
  invalid_email: "Enter a valid e-mail address, like name@example.com.",
  last_owner: "A team needs at least one owner. Make someone else an owner first.",
  already_member: "This person is already a member of the team.",
  invite_exists: "This e-mail address has already been invited.",
  // automations (issue 11); invalid_rule's own message names the field and is shown there by the editor
  invalid_rule: "The automation isn't complete or valid yet. Check the highlighted field.",
  rule_limit: "This team has 50 automations, the most it can have. Delete one first.",
  rule_not_found: "This automation was deleted, or it belongs to another team.",
  run_not_found: "This run doesn't exist any more, or it belongs to another team.",
  not_retryable: "This run can't be retried or re-run right now.",
  version_not_found: "This automation has no such version.",
  endpoint_in_use: "An automation that is on sends to this endpoint. Turn it off or change it first.",
  endpoint_not_found: "This endpoint was deleted, or it belongs to another team.",
  invalid_url: "Enter an https:// URL without a user name or password.",
};

/**
 * Codes whose server message is written for the person who sent the request: the e-mail that is taken; why a run
 * cannot be retried or re-run (engine/manual.ts words each case: still retrying, not failed, a re-run open, ...).
 */
const SERVER_WORDED = new Set(["email_taken", "not_retryable"]);

/**
 * The sentence for a failure with this code and HTTP status: the table's, else (codes the app does not know yet) one
 * chosen by the status; `fallback` (the app's own wording, or a SERVER_WORDED server message) when neither applies.
 */
export function messageFor(code: string, status: number | undefined, fallback: string): string {
  if (SERVER_WORDED.has(code) && fallback.trim()) return fallback;
  if (Object.hasOwn(MESSAGES, code)) return MESSAGES[code];
  if (status === undefined) return fallback.trim() || MESSAGES.internal_error;
  if (status === 401) return MESSAGES.unauthorized;
  if (status === 403) return MESSAGES.forbidden;
  if (status === 404) return MESSAGES.not_found;
  if (status === 429) return MESSAGES.rate_limited;
  if (status >= 500) return MESSAGES.internal_error;
  return MESSAGES.invalid_request;
}

/** A person-readable sentence for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return messageFor(err.code, err.status, err.message);
  return MESSAGES.internal_error;
}

export { isNotFound, isRetryable };
