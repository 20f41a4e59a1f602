// Errors are values with a code. The code -> HTTP status table lives here, and only here, so every function
// answers the same failure with the same status (http.ts renders the envelope; the OAuth callback renders the
// code into its redirect instead).

export const errorStatus = {
  invalid_request: 400,
  invalid_redirect_uri: 400,
  unauthorized: 401,
  forbidden: 403,
  not_team_admin: 403,
  not_found: 404,
  team_not_found: 404,
  lead_not_found: 404,
  meeting_not_found: 404,
  // a dry run of a lead trigger on a meeting linked to no lead: the meeting is there, the lead it needs is not
  meeting_has_no_lead: 409,
  method_not_allowed: 405,
  // Fathom meetings (sync, content, webhooks)
  not_connected: 409,
  needs_reauth: 409,
  payload_too_large: 413,
  rate_limited: 429,
  email_taken: 409,
  // a connect and a disconnect of the same integration crossed: the one that lost says so (try again)
  connection_changed: 409,
  // OAuth callback outcomes (reported in the redirect, but they still need a status for completeness)
  invalid_state: 400,
  state_expired: 400,
  access_denied: 403,
  authorization_failed: 400,
  token_exchange_failed: 502,
  invalid_token_response: 502,
  provider_unavailable: 503,
  // the provider took longer than our time limit for one call (it may still be working: try again in a moment)
  provider_timeout: 504,
  provider_not_configured: 503,
  // chat destinations (Slack, Discord: _shared/chat/)
  not_supported: 400,
  destination_gone: 409,
  provider_rate_limited: 429,
  // the provider refused this message (a 4xx that is not "gone"): sending it again fails again
  message_rejected: 502,
  // the database is restarting or unreachable: the request may be retried
  concurrent_change: 409,
  database_unavailable: 503,
  internal_error: 500,
  // team membership (api/routes/members.ts, invites.ts; the database's codes in migration 20261202000100)
  not_team_owner: 403,
  member_not_found: 404,
  invite_not_found: 404,
  invalid_email: 400,
  last_owner: 409,
  already_member: 409,
  invite_exists: 409,
  // invitations (api/routes/invitations.ts; migration 20261202000400): accepted by the invitee, confirmed address
  email_not_confirmed: 403,
  // limits (private.limits() in the same migration)
  too_many_invites: 409,
  too_many_teams: 429,
  team_limit: 409,
  invalid_team_name: 400,
  // CRM objects (api/routes/tasks.ts, notes.ts; migration 20261203000100): tasks, lead notes
  invalid_task: 400,
  not_a_member: 400,
  task_not_found: 404,
  note_not_found: 404,
  // automations (_shared/automations/rule.ts): a rule body the API refuses, the message names the path
  invalid_rule: 400,
  // automations engine (_shared/automations/engine/, endpoints.ts): runs, send_webhook endpoints
  run_not_found: 404,
  not_retryable: 409,
  version_not_found: 404,
  invalid_url: 400,
  endpoint_in_use: 409,
  // automations API (api/routes/automation*.ts)
  rule_not_found: 404,
  rule_limit: 409,
  endpoint_not_found: 404,
  endpoint_exists: 409,
  // Typeform forms (api/routes/typeform_forms.ts, _shared/typeform/): a mapping the form cannot fill, a form gone
  invalid_mapping: 400,
  form_not_found: 404,
  provider_error: 502,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  override readonly name = "AppError";
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string, status?: number) {
    super(message);
    this.code = code;
    this.status = status ?? errorStatus[code];
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(errorStatus, value);
}
