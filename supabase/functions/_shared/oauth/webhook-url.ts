// Which webhook URLs we POST to (and DELETE): a webhook URL is a credential that comes from a token response (or a
// stored row, no more trusted), so it is pinned to the provider's webhook BASE URL, a prefix, not an origin: the
// entry declares its real one (`webhooks.base`: Slack https://hooks.slack.com/services/, Discord
// `<DISCORD_API_BASE_URL>/webhooks/`), `<P>_WEBHOOK_BASE_URL` overrides it (the local sandbox), and nothing else
// passes: not the provider's API on the same origin (https://slack.com/api/...), not another path of a sandbox that
// shares its origin with other services, no loopback exception. Checked at connect (destination.ts) and again at every
// use (chat posters, Discord's webhook deletion).
import type { DestinationSecret, ProviderDefinition } from "./types.ts";

/** A URL is at most this long (characters); webhook URLs are ~100. */
export const MAX_WEBHOOK_URL = 2048;

/**
 * Below the base, only path segments of RFC 3986 unreserved characters: no percent-encoding (a server that decodes
 * `%2F` or `%2e` would route it out of the base), no query, no fragment. Real webhook paths are
 * `T…/B…/<secret>` (Slack) and `<snowflake>/<token>` (Discord).
 */
const BELOW_BASE = /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/;

/**
 * `raw` as a base URL: absolute http(s), no user-info, query or fragment, WHATWG-normalised, ending in `/`; null when
 * it is none of that (then nothing passes).
 */
export function normalBase(raw: string | null): string | null {
  if (raw === null) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password || url.search || url.hash) return null;
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

/** `provider`'s webhook base URL now (read from the environment at call time), normalised; null: none usable. */
export function webhookBase(provider: ProviderDefinition): string | null {
  try {
    return normalBase(provider.webhookBaseUrl());
  } catch {
    return null; // `<P>_WEBHOOK_BASE_URL` (or the API base it derives from) is not a URL: nothing passes
  }
}

/**
 * `value` WHATWG-normalised when it is an absolute http(s) URL without user-info or fragment whose href starts with
 * `base` (normalBase) followed by path segments only (BELOW_BASE), at most MAX_WEBHOOK_URL characters and storable
 * (no NUL, no lone surrogate); else null.
 */
export function pinnedUrl(value: unknown, base: string | null): string | null {
  if (!base) return null;
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
  const href = url.href;
  if (href.length > MAX_WEBHOOK_URL || !href.startsWith(base)) return null;
  return BELOW_BASE.test(href.slice(base.length)) ? href : null;
}

/** `value` when it is one of `provider`'s webhook URLs (pinnedUrl under webhookBase), else null. */
export function pinnedWebhookUrl(provider: ProviderDefinition, value: unknown): string | null {
  return pinnedUrl(value, webhookBase(provider));
}

/**
 * The URL to POST to / DELETE for a destination secret: the entry's builder when it has one (Discord: base + id +
 * token; the stored URL is not used at all), else the stored URL; either way pinned. null: nothing we may call.
 */
export function webhookUrl(provider: ProviderDefinition, secret: DestinationSecret): string | null {
  const base = webhookBase(provider);
  if (!base) return null;
  const build = provider.webhooks?.build;
  return pinnedUrl(build ? build(secret, base) : secret.url, base);
}
