// Discord's part of a connection's life beyond OAuth (passed to the engine through _shared/lifecycle.ts): every
// authorization creates a NEW channel webhook (providers.md §1), so the connection's webhook is deleted when the team
// disconnects, and the OLD one when a reconnect replaces it (else each reconnect would leave a live webhook behind in
// the old channel). `DELETE /webhooks/{id}/{token}` needs no OAuth token (D7); 404 means it is gone already. Best
// effort and time-boxed: a Discord outage never fails a disconnect or a reconnect.
import { oauthHttpTimeoutMs } from "../env.ts";
import { discord } from "../oauth/providers/discord.ts";
import { webhookUrl } from "../oauth/webhook-url.ts";
import type { ConnectionContext, DisconnectOutcome, ProviderHooks } from "../oauth/types.ts";

/** A webhook deletion never holds a request longer than this (ms). */
const MAX_DELETE_MS = 5_000;

/**
 * "deleted" (204, or 404: already gone), "none" (no webhook stored) or "failed" (also when the stored id/token are
 * not well formed: the URL is the entry's one builder, pinned like the poster's, never the stored URL). Never
 * throws; logs no URL.
 */
export async function deleteWebhook(ctx: ConnectionContext): Promise<"deleted" | "none" | "failed"> {
  try {
    const secret = await ctx.destinationSecret();
    if (!secret) return "none";
    const url = webhookUrl(discord, secret);
    if (!url) {
      console.error("[discord webhook delete] no usable webhook id and token");
      return "failed";
    }
    const response = await fetch(url, {
      method: "DELETE",
      headers: discord.requestHeaders(), // the entry's DiscordBot User-Agent
      redirect: "manual",
      signal: AbortSignal.timeout(Math.min(oauthHttpTimeoutMs(), MAX_DELETE_MS)),
    });
    await response.body?.cancel();
    if (response.ok || response.status === 404) return "deleted";
    console.error(`[discord webhook delete] answered ${response.status}`);
    return "failed";
  } catch (err) {
    const timedOut = err instanceof DOMException && (err.name === "TimeoutError" || err.name === "AbortError");
    console.error(`[discord webhook delete] ${timedOut ? "timed out" : "failed"}`);
    return "failed";
  }
}

async function beforeDisconnect(ctx: ConnectionContext): Promise<DisconnectOutcome> {
  const outcome = await deleteWebhook(ctx);
  if (outcome !== "failed") return { warning: null };
  return {
    warning: {
      code: "webhook_cleanup_failed",
      message: "Discord could not be reached to delete the channel's webhook. Remove it in the channel's settings " +
        "(Integrations, Webhooks) if it is still there.",
    },
  };
}

/** A reconnect makes a new webhook: the old one goes (the reconnect goes ahead either way). */
async function beforeReplace(ctx: ConnectionContext): Promise<void> {
  await deleteWebhook(ctx);
}

export const discordHooks: ProviderHooks = { beforeDisconnect, beforeReplace };
