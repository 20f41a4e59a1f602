// Discord Execute Webhook (providers.md §1 "CRM use" and "Rate limits"; discord-api-docs resources/webhook.mdx):
// POST {webhook base = DISCORD_API_BASE_URL/webhooks/}{id}/{token}?wait=true, no Authorization, one embed, and
// `allowed_mentions: {parse: []}` so nothing can ping. The text is also neutralised (`@everyone`, `@here`, `<@…>`
// get a zero-width space, markdown is escaped) so plain text looks like what it is and never like a ping or a link.
import { z } from "zod";
import { discord } from "../oauth/providers/discord.ts";
import { webhookUrl } from "../oauth/webhook-url.ts";
import { fitEscaped, linkUrl, readPrefix, retryAfterHeader } from "./text.ts";
import type { ChatMessage, ChatPoster, OutgoingPost, PostOutcome } from "./types.ts";

/** Embed limits (resources/message.mdx "Embed Limits"), counted in UTF-16 units: never more than Discord counts. */
export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  /** title + description + field names + values (+ footer, author: not used) */
  total: 6000,
} as const;

const ZWSP = "\u200b";

const secretSchema = z.object({
  url: z.string().optional(),
  webhookId: z.string().optional(),
  webhookToken: z.string().optional(),
});

/**
 * One code point of plain text as Discord markdown that shows it literally and pings no one: a zero-width space
 * after the `@` of @everyone/@here and after the `<` of `<@user>`, `<@&role>`, `<#channel>`; markdown characters
 * backslash-escaped (`#`, `-` and `>` only where they would start a heading, a list or a quote).
 */
export function escapeDiscord(char: string, index: number, text: string): string {
  if (char === "@" && (text.startsWith("everyone", index + 1) || text.startsWith("here", index + 1))) return `@${ZWSP}`;
  if (char === "<" && (text[index + 1] === "@" || text[index + 1] === "#")) return `<${ZWSP}`;
  if ("\\*_~`|[]".includes(char)) return `\\${char}`;
  const lineStart = index === 0 || text[index - 1] === "\n";
  if (lineStart && (char === "#" || char === "-" || char === ">")) return `\\${char}`;
  return char;
}

const fit = (text: string, max: number) => fitEscaped(text, max, escapeDiscord);

/** `{embeds: [one embed], allowed_mentions: {parse: []}}` within every embed limit (cut, never refused). */
export function discordPayload(message: ChatMessage) {
  const embed: { title?: string; url?: string; description?: string; fields?: { name: string; value: string }[] } = {};
  let total = 0;
  const title = message.title.trim();
  const text = message.text.trim();
  if (title) {
    embed.title = fit(title, DISCORD_LIMITS.title);
    total += embed.title.length;
    const url = linkUrl(message.url);
    if (url) embed.url = url; // Discord links the title; without a title the URL has nowhere to go
  }
  if (text) {
    embed.description = fit(text, DISCORD_LIMITS.description);
    total += embed.description.length;
  }
  const fields: { name: string; value: string }[] = [];
  for (const field of message.fields ?? []) {
    if (fields.length === DISCORD_LIMITS.fields) break;
    if (!field.name.trim() && !field.value.trim()) continue;
    // Discord refuses an empty name or value: a zero-width space stands in
    const name = field.name.trim() ? fit(field.name.trim(), DISCORD_LIMITS.fieldName) : ZWSP;
    const room = Math.min(DISCORD_LIMITS.fieldValue, DISCORD_LIMITS.total - total - name.length);
    if (room < 2) break;
    const value = field.value.trim() ? fit(field.value.trim(), room) : ZWSP;
    fields.push({ name, value });
    total += name.length + value.length;
  }
  if (fields.length > 0) embed.fields = fields;
  return { embeds: [embed], allowed_mentions: { parse: [] as string[] } };
}

/**
 * The Execute Webhook URL: the entry's one builder (the webhook base + the stored id + token, pinned; the stored
 * URL is not used at all), with `?wait=true`; null when the id or token is not well formed.
 */
function executeUrl(secret: z.infer<typeof secretSchema>): string | null {
  const url = webhookUrl(discord, { ...secret, url: secret.url ?? "" });
  if (!url) return null;
  const withWait = new URL(url);
  withWait.searchParams.set("wait", "true"); // 200 with the message, so "sent" means stored, not just accepted
  return withWait.href;
}

async function readJson(response: Response): Promise<Record<string, unknown>> {
  try {
    const value = JSON.parse(await readPrefix(response, 2048));
    return value !== null && typeof value === "object" ? value : {};
  } catch {
    return {};
  }
}

export const discordPoster: ChatPoster = {
  request(secret: unknown, message: ChatMessage): OutgoingPost | null {
    const parsed = secretSchema.safeParse(secret);
    const url = parsed.success ? executeUrl(parsed.data) : null;
    // the entry's DiscordBot User-Agent, as on every other call to Discord
    return url ? { url, body: discordPayload(message), headers: discord.requestHeaders() } : null;
  },

  async classify(response: Response): Promise<PostOutcome> {
    const { status } = response;
    if (status >= 200 && status < 300) {
      await response.body?.cancel().catch(() => {});
      return { kind: "sent" };
    }
    const body = await readJson(response);
    if (status === 429) {
      const fromBody = typeof body.retry_after === "number" && body.retry_after >= 0 ? body.retry_after : null;
      const seconds = fromBody ?? retryAfterHeader(response.headers.get("retry-after")) ?? 1;
      return { kind: "rate_limited", retryAfterSeconds: seconds, code: "rate_limited" };
    }
    if (status >= 500) return { kind: "unavailable", code: `http_${status}` };
    const discordCode = Number.isInteger(body.code) ? `discord_${body.code}` : null;
    // "If a webhook returns a 404 you should not attempt to use it again" (10015 Unknown Webhook); 401/403: the
    // webhook's token is no longer valid for it
    if (status === 404) return { kind: "gone", code: body.code === 10015 ? "unknown_webhook" : "http_404" };
    if (status === 401 || status === 403) return { kind: "gone", code: discordCode ?? `http_${status}` };
    return { kind: "refused", code: discordCode ?? `http_${status}` };
  },
};
