// The one place that composes the API client with stored credentials: an importer or a hook asks for a client
// for an integration and gets one whose token is refreshed under the lock (oauth/refresh.ts) and whose rate-limit
// window is shared with every other client for the same account in this isolate.
import { fathomRetryBaseMs, fathomUrls } from "../env.ts";
import { tokenProvider } from "../oauth/refresh.ts";
import { createFathomClient, type FathomClient } from "./client.ts";
import { pacerFor } from "./pacer.ts";

export const FATHOM_REQUEST_TIMEOUT_MS = 30_000;

export function fathomClientFor(integrationId: string, opts: { deadline?: number } = {}): FathomClient {
  return createFathomClient({
    baseUrl: fathomUrls().apiBaseUrl,
    accessToken: tokenProvider(integrationId),
    pacer: pacerFor(integrationId),
    deadline: opts.deadline,
    timeoutMs: FATHOM_REQUEST_TIMEOUT_MS,
    retryBaseMs: fathomRetryBaseMs(),
  });
}
