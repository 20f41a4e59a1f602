// Typed configuration, read from Deno.env at the moment it is needed (never at import time), so tests can set the
// environment before the first call and a missing optional secret only fails the feature that needs it.
import { z } from "zod";

const read = (name: string): string | undefined => {
  const value = Deno.env.get(name)?.trim();
  return value ? value : undefined;
};

const url = z.url({ protocol: /^https?$/ });
const positiveInt = z.coerce.number().int().positive();

/** SUPABASE_URL without a trailing slash: the public base of /functions/v1 and /auth/v1. */
export function supabaseUrl(): string {
  const value = url.safeParse(read("SUPABASE_URL"));
  if (!value.success) throw new Error("SUPABASE_URL is missing or not a URL");
  return value.data.replace(/\/+$/, "");
}

export function supabaseDbUrl(): string {
  const value = read("SUPABASE_DB_URL");
  if (!value) throw new Error("SUPABASE_DB_URL is missing");
  return value;
}

/** The HS256 secret, or undefined: then tokens are verified against the project's JWKS. */
export function supabaseJwtSecret(): string | undefined {
  return read("SUPABASE_JWT_SECRET");
}

let originsCache: { raw: string; origins: string[] } | null = null;

/**
 * APP_ORIGIN: comma-separated allowlist of app origins, normalised to `scheme://host[:port]`. The first one is the
 * default (where an OAuth callback lands when it cannot tell where it came from). Invalid entries are dropped.
 */
export function appOrigins(): string[] {
  // every browser-facing request asks (CORS, redirect checks): parse once per distinct value, not per call
  const raw = read("APP_ORIGIN") ?? "";
  if (originsCache?.raw !== raw) originsCache = { raw, origins: parseOrigins(raw) };
  return [...originsCache.origins];
}

function parseOrigins(raw: string): string[] {
  const origins: string[] = [];
  for (const entry of raw.split(",")) {
    const candidate = entry.trim();
    if (!candidate) continue;
    try {
      const parsed = new URL(candidate);
      if (parsed.protocol === "http:" || parsed.protocol === "https:") origins.push(parsed.origin);
    } catch {
      // not a URL: ignored, so one typo cannot open the allowlist
    }
  }
  return [...new Set(origins)];
}

export function tokenEncryptionKeys(): string | undefined {
  return read("TOKEN_ENCRYPTION_KEY");
}

/** A URL from the environment, or the real provider's URL when unset. A set-but-invalid value is an error. */
export function urlFromEnv(name: string, fallback: string): string {
  const value = read(name);
  if (value === undefined) return fallback;
  const parsed = url.safeParse(value);
  if (!parsed.success) throw new Error(`${name} is not a URL`);
  return parsed.data;
}

/** Optional secret (client ids/secrets): undefined when unset so the caller can answer "not configured". */
export function optionalSecret(name: string): string | undefined {
  return read(name);
}

function intFromEnv(name: string, fallback: number): number {
  const parsed = positiveInt.safeParse(read(name));
  return parsed.success ? parsed.data : fallback;
}

/**
 * Timeout for token endpoint requests (OAUTH_HTTP_TIMEOUT_MS, default 30 s): longer than a slow provider's answer
 * (Fathom's token endpoint has been seen taking 15 s), because a refresh that times out may already have spent the
 * single-use refresh token at the provider.
 */
export function oauthHttpTimeoutMs(): number {
  return intFromEnv("OAUTH_HTTP_TIMEOUT_MS", 30_000);
}

/** Timeout for the optional "who is this account" lookup after connecting (OAUTH_IDENTITY_TIMEOUT_MS, default 5 s). */
export function oauthIdentityTimeoutMs(): number {
  return intFromEnv("OAUTH_IDENTITY_TIMEOUT_MS", 5_000);
}

/** Fathom's real endpoints (fathom-api.md §1, §2), overridable for the local sandbox and tests. */
export function fathomUrls() {
  return {
    authorizeUrl: urlFromEnv("FATHOM_AUTHORIZE_URL", "https://fathom.video/external/v1/oauth2/authorize"),
    tokenUrl: urlFromEnv("FATHOM_TOKEN_URL", "https://fathom.video/external/v1/oauth2/token"),
    apiBaseUrl: urlFromEnv("FATHOM_API_BASE_URL", "https://api.fathom.ai/external/v1"),
  };
}

/** Base delay of the exponential backoff for transient Fathom failures (FATHOM_RETRY_BASE_MS, default 500 ms). */
export function fathomRetryBaseMs(): number {
  return intFromEnv("FATHOM_RETRY_BASE_MS", 500);
}

/**
 * Base delay of the token refresh's backoff for every provider (OAUTH_RETRY_BASE_MS; unset: FATHOM_RETRY_BASE_MS,
 * which it used to share, then 500 ms).
 */
export function oauthRetryBaseMs(): number {
  return intFromEnv("OAUTH_RETRY_BASE_MS", fathomRetryBaseMs());
}
