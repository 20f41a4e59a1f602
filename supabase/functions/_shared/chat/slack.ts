// Slack incoming webhooks (providers.md §2, "CRM use A" and "Formatting basics"): POST {text, blocks} to the URL the
// installer's consent created; 200 `ok` on success, plain-text error codes with real HTTP statuses otherwise, 429 with
// `Retry-After` seconds. Everything from the message is escaped (& < > only, as Slack asks), so a lead's name can
// neither mention (`<!channel>`) nor forge a link; links are built here from http(s) URLs only.
import { z } from "zod";
import { slack } from "../oauth/providers/slack.ts";
import { webhookUrl } from "../oauth/webhook-url.ts";
import { type Inline, inlineText, type Line, parseMarkdown, writeLines } from "./markdown.ts";
import { fitEscaped, linkUrl, readPrefix, retryAfterHeader, shortCode } from "./text.ts";
import type { ChatMessage, ChatPoster, OutgoingPost, PostOutcome } from "./types.ts";

/** Block Kit limits (docs.slack.dev/reference/block-kit): conservative, counted on the escaped text. */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  blocks: 50,
  /** top-level `text`, the notification and screen-reader fallback (Slack cuts beyond 40,000) */
  fallbackText: 3000,
} as const;

/**
 * Answers that mean the webhook or its channel is gone for good (providers.md §2): posting again cannot help,
 * only reconnecting (picking a channel again) can.
 */
const GONE_CODES = new Set([
  "no_service",
  "no_service_id",
  "no_team",
  "channel_not_found",
  "channel_is_archived",
  "team_disabled",
  "invalid_token",
  "action_prohibited",
]);

const secretSchema = z.object({ url: z.string() });

/** Slack's three control characters as entities (Slack: escape only these, not everything). */
export function escapeSlack(char: string): string {
  return char === "&" ? "&amp;" : char === "<" ? "&lt;" : char === ">" ? "&gt;" : char;
}

const fit = (text: string, max: number) => fitEscaped(text, max, escapeSlack);

/** `<url|label>` with the label escaped; the URL is http(s), and `|`, `<`, `>`, `&` cannot end or break the link. */
function link(url: string, label: string): string {
  const safeUrl = url.replace(/&/g, "&amp;").replace(/\|/g, "%7C").replace(/</g, "%3C").replace(/>/g, "%3E");
  return `<${safeUrl}|${fit(label, 200)}>`;
}

const escaped = (text: string) => Array.from(text, escapeSlack).join("");

function mrkdwnInline(pieces: Inline[]): string {
  return pieces.map((p) => {
    switch (p.kind) {
      case "text":
        return escaped(p.text);
      case "code":
        return p.text.includes("`") ? escaped(p.text) : `\`${escaped(p.text)}\``;
      case "strong": {
        const inner = mrkdwnInline(p.children).trim();
        return inner ? `*${inner}*` : "";
      }
      case "em": {
        const inner = mrkdwnInline(p.children).trim();
        return inner ? `_${inner}_` : "";
      }
      case "link":
        return link(p.url, inlineText(p.children) || p.url);
    }
  }).join("");
}

function mrkdwnLine(line: Line): string {
  switch (line.kind) {
    case "blank":
      return "";
    case "heading": {
      // mrkdwn has no headings: a bold line (formatting inside is dropped: Slack does not nest it in bold)
      const text = escaped(inlineText(line.inline).trim());
      return text ? `*${text}*` : "";
    }
    case "item":
      return `${"    ".repeat(line.depth)}${line.marker === "bullet" ? "•" : `${line.marker}.`} ${mrkdwnInline(line.inline)}`;
    case "paragraph":
      return mrkdwnInline(line.inline);
  }
}

/**
 * Markdown (markdown.ts) as Slack mrkdwn, at most `max` units: headings as bold lines, `**x**` as `*x*`, `*x*` as
 * `_x_`, lists with "•", links as `<url|label>`; all text escaped (& < >). A line that does not fit is cut as text.
 */
export function slackMrkdwn(markdown: string, max: number): string {
  return writeLines(parseMarkdown(markdown), max, mrkdwnLine, (text, room) => fit(text, room));
}

type Block = Record<string, unknown>;

/** `*name*` over the value; the name gets at most 200 units so a long name cannot push its value out. */
function fieldText(name: string, value: string): string {
  const label = name.trim() ? `*${fit(name.trim(), 200)}*\n` : "";
  return label + fit(value, SLACK_LIMITS.fieldText - label.length);
}

/** `{text, blocks}`: header (title), section (text), the fields by tens, a link; within every Block Kit limit. */
export function slackPayload(message: ChatMessage): { text: string; blocks: Block[] } {
  const blocks: Block[] = [];
  const title = message.title.trim();
  const text = message.text.trim();
  const markdown = message.format === "markdown";
  const body = (max: number) => (markdown ? slackMrkdwn(text, max) : fit(text, max));
  const url = linkUrl(message.url);
  if (title) blocks.push({ type: "header", text: { type: "plain_text", text: fit(title, SLACK_LIMITS.headerText) } });
  if (text) blocks.push({ type: "section", text: { type: "mrkdwn", text: body(SLACK_LIMITS.sectionText) } });
  const room = SLACK_LIMITS.blocks - blocks.length - (url ? 1 : 0);
  const fields = (message.fields ?? []).filter((f) => f.name.trim() || f.value.trim()).slice(0, room * SLACK_LIMITS.fieldsPerSection);
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.fieldsPerSection) {
    blocks.push({
      type: "section",
      fields: fields.slice(i, i + SLACK_LIMITS.fieldsPerSection).map((field) => ({
        type: "mrkdwn",
        text: fieldText(field.name, field.value),
      })),
    });
  }
  if (url) blocks.push({ type: "section", text: { type: "mrkdwn", text: link(url, "Open in Team CRM") } });
  const fallback = markdown
    ? [title && fit(title, 200), text && body(SLACK_LIMITS.fallbackText - 201)].filter(Boolean).join("\n")
    : fit([title, text].filter(Boolean).join("\n"), SLACK_LIMITS.fallbackText);
  return { text: fallback || " ", blocks };
}

export const slackPoster: ChatPoster = {
  request(secret: unknown, message: ChatMessage): OutgoingPost | null {
    const parsed = secretSchema.safeParse(secret);
    // pinned under Slack's webhook base URL at every post: a stored row is no more trusted than a token response
    const url = parsed.success ? webhookUrl(slack, parsed.data) : null;
    return url ? { url, body: slackPayload(message) } : null;
  },

  async classify(response: Response): Promise<PostOutcome> {
    const { status } = response;
    if (status >= 200 && status < 300) {
      await response.body?.cancel().catch(() => {});
      return { kind: "sent" };
    }
    const code = shortCode(await readPrefix(response, 128));
    if (status === 429) {
      const retryAfterSeconds = retryAfterHeader(response.headers.get("retry-after")) ?? 1;
      return { kind: "rate_limited", retryAfterSeconds, code: "rate_limited" };
    }
    if (status >= 500) return { kind: "unavailable", code: code ?? `http_${status}` };
    if (code && GONE_CODES.has(code)) return { kind: "gone", code };
    // a 404/410 without a code is a URL Slack no longer knows
    if (!code && (status === 404 || status === 410)) return { kind: "gone", code: `http_${status}` };
    return { kind: "refused", code: code ?? `http_${status}` };
  },
};
