// notify(teamId, provider, message): post a plain-text message to the channel the team picked when it connected
// Slack or Discord (docs/architecture.md "OAuth providers"; the route: api/routes/integration_messages.ts). Reads and decrypts the destination in one short
// transaction, posts with no database connection held (delivery.ts retries), and when the provider says the
// channel is gone, marks the integration "needs reconnect" (store.ts).
//
// Errors (AppError): not_found (unknown provider, not connected, or connected without a channel), not_supported
// (the provider does not post), invalid_request (an empty message), destination_gone (the integration now needs a
// reconnect), ProviderRateLimited (provider_rate_limited, with the seconds to wait), provider_unavailable (5xx,
// timeout, network, after one retry), message_rejected (the provider refused this message).
// Logs: one line per failed post naming the provider and its short code; never the webhook URL, id or token.
import { z } from "zod";
import { decryptSecret, integrationAad } from "../crypto.ts";
import { AppError } from "../errors.ts";
import { invalidRequest } from "../http.ts";
import { getProvider, isProviderId } from "../oauth/registry.ts";
import type { ProviderId } from "../oauth/types.ts";
import { deliver } from "./delivery.ts";
import { discordPoster } from "./discord.ts";
import { slackPoster } from "./slack.ts";
import { markDestinationGone, readDestination } from "./store.ts";
import type { ChatMessage, ChatPoster, PostOutcome } from "./types.ts";

/** Who can post: a provider missing here does not (not_supported). */
const posters: Readonly<Partial<Record<ProviderId, ChatPoster>>> = {
  slack: slackPoster,
  discord: discordPoster,
};

/** True when `provider` is a provider that can post messages. */
export function canPost(provider: string): boolean {
  return isProviderId(provider) && posters[provider] !== undefined;
}

/** 429 provider_rate_limited that knows how long to wait (whole seconds, >= 1): the route sends it as Retry-After. */
export class ProviderRateLimited extends AppError {
  readonly retryAfterSeconds: number;

  constructor(providerName: string, retryAfterSeconds: number) {
    super("provider_rate_limited", `${providerName} is limiting how often we post. Try again in a moment.`);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

// Types only: whatever the length, text is cut to each provider's limits (slack.ts, discord.ts), never refused.
const messageSchema = z.object({
  title: z.string(),
  text: z.string(),
  format: z.enum(["plain", "markdown"]).optional(),
  url: z.string().optional(),
  fields: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
});

function validMessage(message: ChatMessage): ChatMessage {
  const parsed = messageSchema.safeParse(message);
  if (!parsed.success) throw invalidRequest(parsed.error.issues);
  if (!parsed.data.title.trim() && !parsed.data.text.trim()) {
    throw new AppError("invalid_request", "A message needs a title or a text.");
  }
  return parsed.data;
}

/**
 * Where a message was posted, as the team may see it: the channel's and the workspace's (Slack team / Discord
 * server) display names from the integration's destination (store.ts Destination), null when the connect did not
 * name them. Never the webhook URL or an id.
 */
export interface PostedTo {
  channel: string | null;
  workspace: string | null;
}

/**
 * Posts `message` to the team's `provider` destination. Returns `{status: "sent", to}` (PostedTo: where it went)
 * or throws (see the top).
 */
export async function notify(
  teamId: string,
  provider: string,
  message: ChatMessage,
): Promise<{ status: "sent"; to: PostedTo }> {
  if (!isProviderId(provider)) throw new AppError("not_found", "Unknown provider.");
  const name = getProvider(provider).displayName;
  const poster = posters[provider];
  if (!poster) throw new AppError("not_supported", `${name} does not post messages.`);
  const valid = validMessage(message);

  const stored = await readDestination(teamId, provider);
  if (!stored || stored.status === "disconnected") {
    throw new AppError("not_found", `${name} is not connected to this team.`);
  }
  if (stored.lastError === "destination_gone" && stored.status !== "connected") throw gone(name);
  // needs_reauth for a token (Discord's refresh) does not stop posting: a webhook needs no OAuth token
  if (!stored.secretEncrypted) {
    throw new AppError("not_found", `${name} is connected without a channel to post to. Reconnect it to pick one.`);
  }
  const secret = await readSecret(teamId, provider, stored.secretEncrypted);
  const post = poster.request(secret, valid);
  const outcome: PostOutcome = post ? await deliver(poster, post) : { kind: "gone", code: "unusable_url" };
  if (outcome.kind === "sent") {
    return {
      status: "sent",
      to: { channel: stored.destination?.channel ?? null, workspace: stored.destination?.workspace ?? null },
    };
  }

  console.warn(`[chat ${provider}] post failed: ${outcome.kind} ${outcome.code}`);
  switch (outcome.kind) {
    case "gone":
      await markDestinationGone(teamId, provider, stored, outcome.code);
      throw gone(name);
    case "rate_limited":
      throw new ProviderRateLimited(name, outcome.retryAfterSeconds);
    case "unavailable":
      throw new AppError("provider_unavailable", `${name} is not answering. Please try again later.`);
    case "refused":
      throw new AppError("message_rejected", `${name} refused the message (${outcome.code}).`);
  }
}

function gone(name: string): AppError {
  return new AppError(
    "destination_gone",
    `The ${name} channel is gone (deleted, archived, or the app was removed from it). Reconnect ${name} to pick a channel.`,
  );
}

/** The decrypted secret JSON; a failure names no value (the ciphertext and its plaintext are secrets). */
async function readSecret(teamId: string, provider: string, ciphertext: string): Promise<unknown> {
  const plaintext = await decryptSecret(ciphertext, integrationAad(teamId, provider, "destination"));
  try {
    return JSON.parse(plaintext);
  } catch {
    throw new Error(`the stored ${provider} destination is not JSON`);
  }
}
