// The one place that composes the API client with stored credentials: an importer or a hook asks for a client
// for an integration and gets one whose token is refreshed under the lock (oauth/refresh.ts) and whose rate-limit
// windows are shared with every other client for the same account in this isolate.
import { fathomRetryBaseMs, fathomUrls } from "../env.ts";
import { AppError } from "../errors.ts";
import { tokenProvider } from "../oauth/refresh.ts";
import { createFathomClient, type FathomClient, type TokenProvider } from "./client.ts";
import { pacerFor } from "./pacer.ts";

export const FATHOM_REQUEST_TIMEOUT_MS = 30_000;

export interface FathomClientForOptions {
  /** epoch ms: a rate-limit wait beyond it throws RateLimitedUntil */
  deadline?: number;
  /** per request (default FATHOM_REQUEST_TIMEOUT_MS); hooks inside a user's request pass less */
  timeoutMs?: number;
  /** attempts for a transient failure (default 3) */
  attempts?: number;
  /**
   * Only for clean-up calls: the stored access token as is, used when the refresh path refuses to hand one out
   * (the row is needs_reauth or otherwise not connected). A 401 still goes through the locked refresh once.
   */
  fallbackToken?: () => Promise<string | null>;
}

/** A client for the integration's Fathom account. Errors: FathomApiError, RateLimitedUntil, AppError (tokens). */
export function fathomClientFor(integrationId: string, opts: FathomClientForOptions = {}): FathomClient {
  return createFathomClient({
    baseUrl: fathomUrls().apiBaseUrl,
    accessToken: withFallback(tokenProvider(integrationId), opts.fallbackToken),
    pacer: pacerFor(integrationId),
    deadline: opts.deadline,
    timeoutMs: opts.timeoutMs ?? FATHOM_REQUEST_TIMEOUT_MS,
    attempts: opts.attempts,
    retryBaseMs: fathomRetryBaseMs(),
  });
}

function withFallback(provider: TokenProvider, fallback?: () => Promise<string | null>): TokenProvider {
  if (!fallback) return provider;
  return {
    async token() {
      try {
        return await provider.token();
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const stored = await fallback();
        if (!stored) throw err;
        return stored;
      }
    },
    refresh: (stale) => provider.refresh(stale),
  };
}
