// The reasons an integration records (integration_syncs.last_error, meetings.content_last_error,
// webhook_deliveries.last_error, chat events) as sentences a person can read. The stored values are codes we wrote
// ourselves (backfill-step.ts classifyFailure, content.ts, inbox.ts), never provider text, so a sentence never
// carries a token or a provider's message; an unknown code falls back to a generic sentence, never to the code.

/** The sentences of a provider's HTTP answers; `p` is its display name ("Fathom", "Zoom"). */
const httpSentences = (p: string): Record<number, string> => ({
  0: `${p} could not be reached.`,
  400: `${p} refused the request.`,
  401: `${p} no longer accepts the connection's credentials.`,
  403: `This ${p} account is not allowed to see the recording.`,
  404: `${p} no longer has this recording, or this account cannot see it.`,
  422: `${p} refused the request.`,
  429: `${p}'s rate limit was reached.`,
  200: `${p} answered with something the CRM could not read.`,
});

const sentences = (p: string): Record<string, string> => ({
  needs_reauth: `${p} needs to be reconnected: it refused the connection's credentials.`,
  not_connected: `${p} was not connected any more.`,
  provider_unavailable: `${p} was unavailable.`,
  database_unavailable: "The CRM's database was briefly unavailable.",
  internal_error: "Something went wrong in the CRM.",
  token_exchange_failed: `${p} refused to renew the connection's credentials.`,
  invalid_token_response: `${p} answered the credentials renewal with something the CRM could not read.`,
  summary_not_ready: `${p} has not finished the summary yet.`,
  transcript_not_ready: `${p} has not finished the transcript yet.`,
  destination_gone: "The channel or webhook is gone: reconnect to pick another.",
  rate_limited: "The provider's rate limit was reached.",
  // zoom/retention.ts: the recording was deleted at the provider; the meeting keeps its row and lead links
  deleted_at_provider: `Deleted in ${p}: its transcript and links were removed.`,
  deauthorized: `The app was removed in ${p}: reconnect to import again.`,
  // a run open when its connection was removed (migration 20261205000600); the panel says "Stopped: ..."
  disconnected: `${p} was disconnected.`,
  // a delivery whose body was dropped (inbox/failed-bodies.ts, 30 days) or never kept: it cannot be imported again
  "no body": p === "Typeform"
    ? "Kept for 30 days; it can no longer be imported. Ask the respondent to submit again."
    : "The delivery's content is no longer kept; it can no longer be imported.",
  // the pacer's error (fathom/pacer.ts) and Zoom's client error, as the inbox records them (queue.ts reasonOf)
  RateLimitedUntil: `${p}'s rate limit was reached; the import tries again once it allows.`,
  FathomApiError: `${p} answered with an error.`,
  ZoomApiError: `${p} answered with an error.`,
  TimeoutError: `${p} didn't answer in time.`,
  // zoom/client.ts ZoomApiError's codes without an HTTP status: the backfill stores them as zoom_timeout, ...
  timeout: `${p} didn't answer in time.`,
  unreachable: `${p} could not be reached.`,
});

/**
 * A stored reason as a sentence naming `provider` (its display name; "Fathom" when left out), or null for none.
 * `fathom_http_503` / `zoom_http_404` / `http_404` (the provider answered that status), the named codes above, and
 * the inbox's reasons (`not a Fathom meeting: …`, `not a Zoom recording: …`, `refused by the database: …`, an
 * error name) map to fixed sentences.
 */
export function problemSentence(reason: string | null | undefined, provider = "Fathom"): string | null {
  if (!reason) return null;
  const http = /^(?:[a-z]+_)?http_(\d{1,3})$/.exec(reason);
  if (http) {
    const status = Number(http[1]);
    return httpSentences(provider)[status] ??
      (status >= 500 ? `${provider} had a server error.` : `${provider} refused the request.`);
  }
  const named = sentences(provider);
  if (Object.hasOwn(named, reason)) return named[reason];
  // an API error with its kind (inbox/queue.ts reasonOf: "ZoomApiError (timeout)", "ZoomApiError (http_503)"); a
  // bare name (stored before the kind was) keeps its generic sentence above
  const kind = /^[A-Za-z]+ApiError \(([a-z0-9_]+)\)$/.exec(reason) ?? /^[a-z]+_(timeout|unreachable)$/.exec(reason);
  if (kind) return problemSentence(kind[1], provider);
  if (reason.startsWith("not a Fathom meeting")) return "The delivery was not a Fathom meeting the CRM could read.";
  if (reason.startsWith("not a Zoom recording")) return "The delivery was not a Zoom recording the CRM could read.";
  if (reason.startsWith("refused by the database")) return "The meeting's data could not be stored.";
  // inbox.ts reasonOf: an error's name and code; a lost or restarting database is the usual one
  if (/^PostgresError \((?:57P0[123]|08[0-9A-Z]{3}|53[0-9A-Z]{3})\)/.test(reason)) {
    return "The CRM's database was briefly unavailable.";
  }
  if (/^[A-Za-z]*Error\b/.test(reason)) return "The import stopped on an unexpected error.";
  return "Something went wrong.";
}
