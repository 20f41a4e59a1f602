// Where a chat provider posts, kept from the code exchange's token response (contract of issue 9): the entry's pure
// `destination` function picks the fields (providers/slack.ts, discord.ts); this module checks what it picked, the
// one place that does:
// - the webhook URL is a credential we will POST messages to: pinned under the provider's webhook base URL
//   (webhook-url.ts: a prefix, nothing else). When the entry builds the URL from parts (Discord: id + token) only the
//   parts and the built URL count (the response's own `url` is not read), so well-formed parts always leave us a
//   webhook we can delete if a later step refuses the grant. Anything else refuses the connection
//   (invalid_token_response). The kept secret's `url` is the normalised URL we will call;
// - the visible strings (channel, workspace and their ids) are provider text (provider-text.ts): a value PostgreSQL
//   cannot store or longer than 200 characters becomes null, never a failed connection.
// The secret is stored encrypted with its connection's AAD (`<team>:<provider>:destination`), in the pending row and
// then unchanged in team_integrations; only decryptDestinationSecret() decrypts it, and every use pins it again.
import { z } from "zod";
import { decryptSecret, encryptSecret, integrationAad } from "../crypto.ts";
import { AppError } from "../errors.ts";
import { providerText } from "./provider-text.ts";
import type { Destination, DestinationSecret, KeptDestination, ProviderDefinition } from "./types.ts";
import { MAX_WEBHOOK_URL, webhookUrl } from "./webhook-url.ts";

const label = z.unknown().transform(providerText);

const destinationSchema = z.object({ channel: label, channelId: label, workspace: label, workspaceId: label });

const idPart = z.string().min(1).max(200).regex(/^[A-Za-z0-9_-]+$/);

/** What an entry picked (its URL may be absent when the entry builds it from parts). */
const pickedSchema = z.strictObject({
  url: z.string().max(MAX_WEBHOOK_URL).optional(),
  webhookId: idPart.optional(),
  webhookToken: idPart.optional(),
});

/** The stored secret's shape; where its URL may point is checked at each use (webhook-url.ts). */
const secretSchema = pickedSchema.extend({ url: z.string().max(MAX_WEBHOOK_URL) });

function invalid(provider: ProviderDefinition, why: string): AppError {
  console.error(`[${provider.id} token response] ${why}`);
  return new AppError("invalid_token_response", `${provider.displayName} sent an unexpected token response.`);
}

/**
 * What to keep from a token response body, checked: null for providers that do not post. Throws AppError
 * invalid_token_response when a chat provider's response lacks its webhook, carries a URL that is not under the
 * provider's webhook base URL, or (Discord) a webhook id/token we could not build a URL from. The kept secret's
 * `url` is the URL we will call (normalised; for Discord the built one).
 */
export function keepDestination(provider: ProviderDefinition, body: Record<string, unknown>): KeptDestination | null {
  if (!provider.destination) return null;
  const picked = provider.destination(body);
  if (!picked) throw invalid(provider, "no usable webhook in the token response");
  const parts = pickedSchema.safeParse(picked.secret);
  const url = parts.success ? webhookUrl(provider, { ...parts.data, url: parts.data.url ?? "" }) : null;
  if (!parts.success || !url) throw invalid(provider, "webhook refused (not under the provider's webhook base URL)");
  return { destination: destinationSchema.parse(picked.destination) as Destination, secret: { ...parts.data, url } };
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
