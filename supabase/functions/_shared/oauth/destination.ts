// Where a chat provider posts, kept from the code exchange's token response (contract of issue 9): the entry's pure
// `destination` function picks the fields (providers/slack.ts, discord.ts); this module checks what it picked, the
// one place that does:
// - the webhook URL is a credential we will POST messages to: https only, or http to a loopback host (the local
//   sandbox), no user-info, at most 2,048 characters; anything else refuses the connection (invalid_token_response);
// - the visible strings (channel, workspace and their ids) are provider text: a value PostgreSQL cannot store or
//   longer than 200 characters becomes null, never a failed connection.
// The secret is stored encrypted with its connection's AAD (`<team>:<provider>:destination`), in the pending row and
// then unchanged in team_integrations; only destinationSecret() decrypts it.
import { z } from "zod";
import { decryptSecret, encryptSecret, integrationAad } from "../crypto.ts";
import { AppError } from "../errors.ts";
import { unstorableText } from "../http.ts";
import { allowsInsecure } from "./exchange.ts";
import type { Destination, DestinationSecret, KeptDestination, ProviderDefinition } from "./types.ts";

const MAX_LABEL = 200;

const label = z.unknown().transform((value): string | null =>
  typeof value === "string" && value.trim() && value.length <= MAX_LABEL && !unstorableText(value) ? value.trim() : null
);

const destinationSchema = z.object({ channel: label, channelId: label, workspace: label, workspaceId: label });

const webhookUrl = z.string().max(2048).refine((value) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || unstorableText(value)) return false;
  return url.protocol === "https:" || allowsInsecure(value);
});

const idPart = z.string().min(1).max(200).regex(/^[A-Za-z0-9._-]+$/);

const secretSchema = z.strictObject({ url: webhookUrl, webhookId: idPart.optional(), webhookToken: idPart.optional() });

function invalid(provider: ProviderDefinition, why: string): AppError {
  console.error(`[${provider.id} token response] ${why}`);
  return new AppError("invalid_token_response", `${provider.displayName} sent an unexpected token response.`);
}

/**
 * What to keep from a token response body, checked: null for providers that do not post. Throws AppError
 * invalid_token_response when a chat provider's response lacks its webhook or carries an unusable URL.
 */
export function keepDestination(provider: ProviderDefinition, body: Record<string, unknown>): KeptDestination | null {
  if (!provider.destination) return null;
  const kept = provider.destination(body);
  if (!kept) throw invalid(provider, "no webhook in the token response");
  const secret = secretSchema.safeParse(kept.secret);
  if (!secret.success) throw invalid(provider, "webhook URL refused (https, or http to a loopback host, only)");
  return { destination: destinationSchema.parse(kept.destination) as Destination, secret: secret.data };
}

export function encryptDestinationSecret(teamId: string, provider: string, secret: DestinationSecret): Promise<string> {
  return encryptSecret(JSON.stringify(secret), integrationAad(teamId, provider, "destination"));
}

/** The stored secret, decrypted and checked again (a row written by hand is no more trusted than a provider). */
export async function decryptDestinationSecret(
  teamId: string,
  provider: string,
  ciphertext: string,
): Promise<DestinationSecret> {
  const plain = await decryptSecret(ciphertext, integrationAad(teamId, provider, "destination"));
  return secretSchema.parse(JSON.parse(plain));
}
