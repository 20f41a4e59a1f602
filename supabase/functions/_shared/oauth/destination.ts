// Where a chat provider posts, kept from the code exchange's token response (contract of issue 9): the entry's pure
// `destination` function picks the fields (providers/slack.ts, discord.ts); this module checks what it picked, the
// one place that does:
// - the webhook URL is a credential we will POST messages to: pinned to the provider's webhook origins
//   (webhook-url.ts: its real webhook hosts and the configured API base's origin, nothing else), and when the entry
//   builds the URL from parts (Discord: id + token) those must be well formed; anything else refuses the connection
//   (invalid_token_response);
// - the visible strings (channel, workspace and their ids) are provider text (provider-text.ts): a value PostgreSQL
//   cannot store or longer than 200 characters becomes null, never a failed connection.
// The secret is stored encrypted with its connection's AAD (`<team>:<provider>:destination`), in the pending row and
// then unchanged in team_integrations; only decryptDestinationSecret() decrypts it, and every use pins it again.
import { z } from "zod";
import { decryptSecret, encryptSecret, integrationAad } from "../crypto.ts";
import { AppError } from "../errors.ts";
import { providerText } from "./provider-text.ts";
import type { Destination, DestinationSecret, KeptDestination, ProviderDefinition } from "./types.ts";
import { MAX_WEBHOOK_URL, pinnedWebhookUrl, webhookUrl } from "./webhook-url.ts";

const label = z.unknown().transform(providerText);

const destinationSchema = z.object({ channel: label, channelId: label, workspace: label, workspaceId: label });

const idPart = z.string().min(1).max(200).regex(/^[A-Za-z0-9_-]+$/);

/** The secret's shape; where its URL may point is checked at each use (webhook-url.ts). */
const secretSchema = z.strictObject({
  url: z.string().max(MAX_WEBHOOK_URL),
  webhookId: idPart.optional(),
  webhookToken: idPart.optional(),
});

function invalid(provider: ProviderDefinition, why: string): AppError {
  console.error(`[${provider.id} token response] ${why}`);
  return new AppError("invalid_token_response", `${provider.displayName} sent an unexpected token response.`);
}

/**
 * What to keep from a token response body, checked: null for providers that do not post. Throws AppError
 * invalid_token_response when a chat provider's response lacks its webhook, carries a URL off the provider's
 * webhook origins, or (Discord) a webhook id/token we could not build a URL from.
 */
export function keepDestination(provider: ProviderDefinition, body: Record<string, unknown>): KeptDestination | null {
  if (!provider.destination) return null;
  const kept = provider.destination(body);
  if (!kept) throw invalid(provider, "no usable webhook in the token response");
  const secret = secretSchema.safeParse(kept.secret);
  if (!secret.success || !pinnedWebhookUrl(provider, secret.data.url) || !webhookUrl(provider, secret.data)) {
    throw invalid(provider, "webhook URL refused (not on the provider's webhook origins)");
  }
  return { destination: destinationSchema.parse(kept.destination) as Destination, secret: secret.data };
}

export function encryptDestinationSecret(teamId: string, provider: string, secret: DestinationSecret): Promise<string> {
  return encryptSecret(JSON.stringify(secret), integrationAad(teamId, provider, "destination"));
}

/**
 * The stored secret, decrypted, its shape checked (a row written by hand is no more trusted than a provider: callers
 * reach its URL through webhookUrl(), which pins it again).
 */
export async function decryptDestinationSecret(
  teamId: string,
  provider: string,
  ciphertext: string,
): Promise<DestinationSecret> {
  const plain = await decryptSecret(ciphertext, integrationAad(teamId, provider, "destination"));
  return secretSchema.parse(JSON.parse(plain));
}
