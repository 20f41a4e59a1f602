// Execute / delete / get webhook (providers.md §1 D7): POST /api[/v10]/webhooks/:id/:token with JSON
// {content?, embeds?, allowed_mentions?, username?, avatar_url?, flags?} -> 204, or 200 with the message object
// when ?wait=true. Validation as Discord: 400 {code: 50006} for an empty message, 400 {code: 50035, errors} for
// limits (content 2000, 10 embeds, title 256, description 4096, 25 fields, field name 256 / value 1024, footer 2048,
// author 256, 6000 in total), 400 {code: 50109} for invalid JSON; 404 {code: 10015} for an unknown or deleted webhook.

import { constantTimeEqual, json, readJson } from "../sandbox/http.ts";
import type { DiscordContext } from "./context.ts";
import { apiError, discordOutage, unknownWebhook } from "./errors.ts";
import { WEBHOOK_NAME } from "./guild.ts";
import type { Webhook } from "./store.ts";

const WEBHOOK_PATH = /^\/api(?:\/v\d+)?\/webhooks\/(\d+)\/([A-Za-z0-9_-]+)$/;

export function isWebhookPath(path: string): boolean {
  return /^\/api(?:\/v\d+)?\/webhooks\//.test(path);
}

type FieldErrors = Record<string, unknown>;
const tooLong = (max: number) => ({ _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${max} or fewer in length.` }] });
const wrongType = (code: string, message: string) => ({ _errors: [{ code, message }] });

interface Embed {
  title?: unknown;
  description?: unknown;
  fields?: unknown;
  footer?: { text?: unknown };
  author?: { name?: unknown };
}

function length(value: unknown): number {
  return typeof value === "string" ? [...value].length : 0;
}

/** Errors of one embed in Discord's nested shape, and the characters it counts toward the 6000 total. */
function checkEmbed(embed: unknown): { errors: FieldErrors; size: number } {
  const errors: FieldErrors = {};
  if (typeof embed !== "object" || embed === null || Array.isArray(embed)) {
    return { errors: wrongType("MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType"), size: 0 };
  }
  const e = embed as Embed;
  for (const [key, max] of [["title", 256], ["description", 4096]] as const) {
    if (e[key] !== undefined && typeof e[key] !== "string") errors[key] = wrongType("BASE_TYPE_STRING", "Must be a string.");
    else if (length(e[key]) > max) errors[key] = tooLong(max);
  }
  let size = length(e.title) + length(e.description) + length(e.footer?.text) + length(e.author?.name);
  if (length(e.footer?.text) > 2048) errors.footer = { text: tooLong(2048) };
  if (length(e.author?.name) > 256) errors.author = { name: tooLong(256) };
  if (e.fields !== undefined) {
    if (!Array.isArray(e.fields)) errors.fields = wrongType("BASE_TYPE_ARRAY", "Must be an array.");
    else if (e.fields.length > 25) errors.fields = tooLong(25);
    else {
      const fieldErrors: FieldErrors = {};
      e.fields.forEach((field: { name?: unknown; value?: unknown }, i: number) => {
        const one: FieldErrors = {};
        for (const [key, max] of [["name", 256], ["value", 1024]] as const) {
          if (typeof field?.[key] !== "string" || field[key] === "") one[key] = wrongType("BASE_TYPE_REQUIRED", "This field is required");
          else if (length(field[key]) > max) one[key] = tooLong(max);
        }
        size += length(field?.name) + length(field?.value);
        if (Object.keys(one).length) fieldErrors[i] = one;
      });
      if (Object.keys(fieldErrors).length) errors.fields = fieldErrors;
    }
  }
  return { errors, size };
}

/** null when the body is a message Discord would send; else the 400 it answers. */
export function validateMessage(body: unknown): Response | null {
  if (body === undefined || typeof body !== "object" || body === null || Array.isArray(body)) {
    return apiError(400, 50109, "The request body contains invalid JSON.");
  }
  const b = body as { content?: unknown; embeds?: unknown; username?: unknown; allowed_mentions?: unknown };
  const errors: FieldErrors = {};
  if (b.content !== undefined && b.content !== null) {
    if (typeof b.content !== "string") errors.content = wrongType("BASE_TYPE_STRING", "Must be a string.");
    else if (length(b.content) > 2000) errors.content = tooLong(2000);
  }
  let embedCount = 0;
  if (b.embeds !== undefined && b.embeds !== null) {
    if (!Array.isArray(b.embeds)) errors.embeds = wrongType("BASE_TYPE_ARRAY", "Must be an array.");
    else if (b.embeds.length > 10) errors.embeds = tooLong(10);
    else {
      embedCount = b.embeds.length;
      const perEmbed: FieldErrors = {};
      let total = 0;
      b.embeds.forEach((embed, i) => {
        const { errors: one, size } = checkEmbed(embed);
        total += size;
        if (Object.keys(one).length) perEmbed[i] = one;
      });
      if (Object.keys(perEmbed).length) errors.embeds = perEmbed;
      else if (total > 6000) errors.embeds = wrongType("MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
    }
  }
  if (b.username !== undefined) {
    if (typeof b.username !== "string" || length(b.username) < 1 || length(b.username) > 80) {
      errors.username = wrongType("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 80 in length.");
    } else if (/discord|clyde/i.test(b.username)) {
      errors.username = wrongType("USERNAME_INVALID_CONTAINS", 'Username cannot contain "discord"');
    }
  }
  if (b.allowed_mentions !== undefined) {
    const parse = (b.allowed_mentions as { parse?: unknown })?.parse;
    const ok = typeof b.allowed_mentions === "object" && b.allowed_mentions !== null &&
      (parse === undefined || (Array.isArray(parse) && parse.every((p) => p === "users" || p === "roles" || p === "everyone")));
    if (!ok) errors.allowed_mentions = wrongType("BASE_TYPE_CHOICES", 'Value must be one of {"users", "roles", "everyone"}.');
  }
  if (Object.keys(errors).length) return apiError(400, 50035, "Invalid Form Body", errors);
  const hasContent = typeof b.content === "string" && b.content.trim() !== "";
  if (!hasContent && embedCount === 0) return apiError(400, 50006, "Cannot send an empty message");
  return null;
}

/** Would @everyone / @here ping? Only when the text says so and allowed_mentions does not forbid it. */
function mentionsEveryone(body: { content?: unknown; allowed_mentions?: { parse?: string[] } }): boolean {
  if (typeof body.content !== "string" || !/@(everyone|here)\b/.test(body.content)) return false;
  return !body.allowed_mentions || (body.allowed_mentions.parse ?? []).includes("everyone");
}

function findWebhook(ctx: DiscordContext, path: string): Webhook | null {
  const match = WEBHOOK_PATH.exec(path);
  const hook = match ? ctx.store.webhooks.get(match[1]) : undefined;
  if (!match || !hook || hook.deleted || !constantTimeEqual(hook.token, match[2])) return null;
  return hook;
}

export async function handleWebhook(ctx: DiscordContext, req: Request, url: URL, path: string): Promise<Response> {
  const hook = findWebhook(ctx, path);
  if (!hook) {
    await req.body?.cancel();
    return unknownWebhook();
  }
  if (req.method === "GET") {
    return json({ id: hook.id, type: 1, guild_id: hook.guildId, channel_id: hook.channelId, name: WEBHOOK_NAME, avatar: null, token: hook.token });
  }
  if (req.method === "DELETE") {
    const outage = await discordOutage(ctx.failures.take("revoke"), unknownWebhook);
    if (outage) return outage;
    hook.deleted = true;
    ctx.store.revocations.push({ at: new Date(ctx.now()).toISOString(), kind: "webhook_delete" });
    return new Response(null, { status: 204 });
  }
  if (req.method !== "POST") return apiError(405, 0, "405: Method Not Allowed");
  const outage = await discordOutage(ctx.failures.take("post"), unknownWebhook);
  if (outage) {
    await req.body?.cancel();
    return outage;
  }
  const body = await readJson(req);
  const invalid = validateMessage(body);
  if (invalid) return invalid;
  const message = body as { content?: string; embeds?: unknown[]; username?: string; allowed_mentions?: { parse?: string[] } };
  const id = ctx.nextId();
  const at = new Date(ctx.now()).toISOString();
  ctx.store.messages.push({ id, at, channel_id: hook.channelId, channel: hook.channel, body });
  if (url.searchParams.get("wait") !== "true") return new Response(null, { status: 204 });
  return json({
    id,
    type: 0,
    content: message.content ?? "",
    channel_id: hook.channelId,
    author: { id: hook.id, username: message.username ?? WEBHOOK_NAME, avatar: null, discriminator: "0000", bot: true },
    attachments: [],
    embeds: message.embeds ?? [],
    mentions: [],
    mention_roles: [],
    mention_everyone: mentionsEveryone(message),
    pinned: false,
    tts: false,
    timestamp: at.replace("Z", "+00:00"),
    edited_timestamp: null,
    flags: 0,
    components: [],
    webhook_id: hook.id,
  });
}
