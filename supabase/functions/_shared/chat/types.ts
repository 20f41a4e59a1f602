// What posting to a chat destination is made of: the message (plain text, from the CRM's data), the request a
// provider module builds for it, and what the provider's answer means. Provider modules (slack.ts, discord.ts) are
// pure: they build requests and read answers; delivery.ts sends, notify.ts decides.

/**
 * A notification. `title` and `fields` are plain text; `text` is plain text too unless `format` is "markdown"
 * (markdown.ts's subset: an automation's message, a meeting summary), which each provider module writes in its
 * own syntax (Slack mrkdwn, Discord markdown). Either way every piece of text is escaped by the provider module.
 * `url`: a link to the CRM page it is about, used only when it is http(s). `fields`: short name/value pairs.
 */
export interface ChatMessage {
  title: string;
  text: string;
  format?: "plain" | "markdown";
  url?: string;
  fields?: { name: string; value: string }[];
}

/** One HTTP POST of a JSON body. `url` is a bearer credential: never log it. */
export interface OutgoingPost {
  url: string;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * What one answer from the provider means. `code` is a short token safe to log and store (a provider's plain-text
 * error code matching /^[a-z0-9_]+$/, or ours such as `http_404`), never provider prose.
 */
export type PostOutcome =
  | { kind: "sent" }
  /** the channel or webhook no longer exists or may not be used: reconnecting is the only fix */
  | { kind: "gone"; code: string }
  /** wait this many seconds (> 0) before posting again */
  | { kind: "rate_limited"; retryAfterSeconds: number; code: string }
  /** the provider failed (5xx, timeout, network): the same post may succeed later */
  | { kind: "unavailable"; code: string }
  /** the provider refused this message (4xx that is not "gone"): the same post fails again */
  | { kind: "refused"; code: string };

/** A provider that can post, as data for notify's table. */
export interface ChatPoster {
  /**
   * The POST for `message` to the destination whose decrypted secret JSON is `secret` (Slack `{url}`, Discord
   * `{url, webhookId, webhookToken}`), or null when the secret names no URL we may post to.
   */
  request(secret: unknown, message: ChatMessage): OutgoingPost | null;
  /** The meaning of the provider's answer (reads at most a short prefix of the body). */
  classify(response: Response): Promise<PostOutcome>;
}
