// The reasons an integration records (integration_syncs.last_error, meetings.content_last_error,
// webhook_deliveries.last_error, chat events) as sentences a person can read. The stored values are codes we wrote
// ourselves (backfill-step.ts classifyFailure, content.ts, inbox.ts), never provider text, so a sentence never
// carries a token or a provider's message; an unknown code falls back to a generic sentence, never to the code.

const HTTP_SENTENCES: Record<number, string> = {
  0: "Fathom could not be reached.",
  400: "Fathom refused the request.",
  401: "Fathom no longer accepts the connection's credentials.",
  403: "This Fathom account is not allowed to see the recording.",
  404: "Fathom no longer has this recording, or this account cannot see it.",
  422: "Fathom refused the request.",
  429: "Fathom's rate limit was reached.",
  200: "Fathom answered with something the CRM could not read.",
};

const SENTENCES: Record<string, string> = {
  needs_reauth: "Fathom needs to be reconnected: it refused the connection's credentials.",
  not_connected: "Fathom was not connected any more.",
  provider_unavailable: "Fathom was unavailable.",
  database_unavailable: "The CRM's database was briefly unavailable.",
  internal_error: "Something went wrong in the CRM.",
  token_exchange_failed: "Fathom refused to renew the connection's credentials.",
  invalid_token_response: "Fathom answered the credentials renewal with something the CRM could not read.",
  summary_not_ready: "Fathom has not finished the summary yet.",
  transcript_not_ready: "Fathom has not finished the transcript yet.",
  destination_gone: "The channel or webhook is gone: reconnect to pick another.",
  rate_limited: "The provider's rate limit was reached.",
};

/**
 * A stored reason as a sentence, or null for none. `fathom_http_503` / `http_404` (Fathom answered that status),
 * the named codes above, and the inbox's reasons (`not a Fathom meeting: …`, `refused by the database: …`,
 * an error name) map to fixed sentences.
 */
export function problemSentence(reason: string | null | undefined): string | null {
  if (!reason) return null;
  const http = /^(?:fathom_)?http_(\d{1,3})$/.exec(reason);
  if (http) {
    const status = Number(http[1]);
    return HTTP_SENTENCES[status] ?? (status >= 500 ? "Fathom had a server error." : "Fathom refused the request.");
  }
  if (SENTENCES[reason]) return SENTENCES[reason];
  if (reason.startsWith("not a Fathom meeting")) return "The delivery was not a Fathom meeting the CRM could read.";
  if (reason.startsWith("refused by the database")) return "The meeting's data could not be stored.";
  // inbox.ts reasonOf: an error's name and code; a lost or restarting database is the usual one
  if (/^PostgresError \((?:57P0[123]|08[0-9A-Z]{3}|53[0-9A-Z]{3})\)/.test(reason)) {
    return "The CRM's database was briefly unavailable.";
  }
  if (/^[A-Za-z]*Error\b/.test(reason)) return "The import stopped on an unexpected error.";
  return "Something went wrong.";
}
