// Incoming webhooks (hooks.slack.com/services/T…/B…/<secret>, providers.md §2 "CRM use A"): JSON {text, blocks?}
// (or a form field `payload` holding that JSON) -> 200 text/plain "ok". Errors are plain text with real status codes:
// 400 invalid_payload / no_text, 404 no_service (unknown or revoked webhook), 404 channel_not_found,
// 429 rate_limited + Retry-After, 500 internal_error.

import { constantTimeEqual, delay, textResponse } from "../sandbox/http.ts";
import type { SlackContext } from "./context.ts";

const HOOK_PATH = /^\/hooks\/services\/([A-Z0-9]+)\/([A-Z0-9]+)\/([A-Za-z0-9]+)$/;

export function isHookPath(path: string): boolean {
  return path.startsWith("/hooks/services/");
}

async function readPayload(req: Request): Promise<unknown> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const text = await req.text();
  const raw = type === "application/x-www-form-urlencoded" ? new URLSearchParams(text).get("payload") ?? "" : text;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** Slack's checks: an object; text a string when present; blocks an array of objects with a type. */
function validate(body: unknown): "invalid_payload" | "no_text" | null {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "invalid_payload";
  const { text, blocks } = body as { text?: unknown; blocks?: unknown };
  if (text !== undefined && typeof text !== "string") return "invalid_payload";
  if (blocks !== undefined) {
    if (!Array.isArray(blocks) || blocks.some((b) => typeof b !== "object" || b === null || typeof (b as { type?: unknown }).type !== "string")) {
      return "invalid_payload";
    }
  }
  const hasText = typeof text === "string" && text.trim() !== "";
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  return hasText || hasBlocks ? null : "no_text";
}

export async function handleHook(ctx: SlackContext, req: Request, path: string): Promise<Response> {
  if (req.method !== "POST") return textResponse("invalid_method", 405, { allow: "POST" });
  const match = HOOK_PATH.exec(path);
  const hook = match ? ctx.store.webhooks.get(match[2]) : undefined;
  if (!match || !hook || hook.teamId !== match[1] || !constantTimeEqual(hook.secret, match[3]) || !hook.active) {
    await req.body?.cancel();
    return textResponse("no_service", 404);
  }
  const rule = ctx.failures.take("post");
  if (rule?.kind === "slow") await delay(rule.delayMs);
  if (rule?.kind === "rate_limited") {
    await req.body?.cancel();
    return textResponse("rate_limited", 429, { "retry-after": String(Math.ceil(rule.retryAfterSeconds)) });
  }
  if (rule?.kind === "server_error") {
    await req.body?.cancel();
    return textResponse("internal_error", 500);
  }
  if (rule?.kind === "gone") {
    await req.body?.cancel();
    return textResponse("channel_not_found", 404);
  }
  const body = await readPayload(req);
  const invalid = validate(body);
  if (invalid) return textResponse(invalid, 400);
  const seq = ctx.store.nextMessageSeq++;
  const at = ctx.now();
  ctx.store.messages.push({
    // Slack's message timestamps: seconds with a 6-digit sequence ("1712345678.000100").
    id: `${Math.floor(at / 1000)}.${String(seq).padStart(6, "0")}`,
    at: new Date(at).toISOString(),
    channel_id: hook.channelId,
    channel: hook.channel,
    body,
  });
  return textResponse("ok", 200);
}
