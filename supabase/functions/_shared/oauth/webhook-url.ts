// Which webhook URLs we POST to (and DELETE): a webhook URL is a credential that comes from a token response (or a
// stored row, no more trusted), so it is pinned to the provider. The allowed origins are the ones the entry declares
// for its real webhooks (`webhooks.origins`: Slack https://hooks.slack.com, Discord https://discord.com) plus the
// origin of the CONFIGURED `<P>_API_BASE_URL` (the real API in production, the local sandbox in development), and
// nothing else: no blanket loopback exception, http only when it is exactly a configured origin. Checked at connect
// (destination.ts) and again at every use (chat posters, Discord's webhook deletion).
import type { DestinationSecret, ProviderDefinition } from "./types.ts";

/** A URL is at most this long (characters); webhook URLs are ~100. */
export const MAX_WEBHOOK_URL = 2048;

/** The origins `provider`'s webhooks may live on, now (the API base is read from the environment at call time). */
export function webhookOrigins(provider: ProviderDefinition): Set<string> {
  const origins = new Set(provider.webhooks?.origins ?? []);
  try {
    origins.add(new URL(provider.apiBaseUrl()).origin);
  } catch {
    // an unparsable configuration adds nothing
  }
  return origins;
}

/**
 * `value` normalised when it is an absolute http(s) URL on one of `origins`, without user-info or fragment, at most
 * MAX_WEBHOOK_URL characters and storable (no NUL, no lone surrogate); else null.
 */
export function pinnedUrl(value: unknown, origins: ReadonlySet<string>): string | null {
  if (typeof value !== "string" || value.length > MAX_WEBHOOK_URL || !value.isWellFormed() || value.includes("\0")) {
    return null;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password || url.hash) return null;
  return origins.has(url.origin) ? url.href : null;
}

/** `value` when it is one of `provider`'s webhook URLs (pinnedUrl with webhookOrigins), else null. */
export function pinnedWebhookUrl(provider: ProviderDefinition, value: unknown): string | null {
  return pinnedUrl(value, webhookOrigins(provider));
}

/**
 * The URL to POST to / DELETE for a destination secret: the entry's builder when it has one (Discord: API base + id
 * + token, the stored URL is not used at all), else the stored URL; either way pinned. null: nothing we may call.
 */
export function webhookUrl(provider: ProviderDefinition, secret: DestinationSecret): string | null {
  const build = provider.webhooks?.build;
  return pinnedWebhookUrl(provider, build ? build(secret, provider) : secret.url);
}
