// Reads who a new token belongs to, from a provider entry's declarative `identity` (types.ts) or a hook that
// overrides it. The engine time-boxes the call and falls back to a generic label on null or any error.
import type { AccountIdentity, IdentifyContext, ProviderDefinition, ProviderHooks } from "./types.ts";

/**
 * GET `url` with the bearer token (and the provider's request headers), JSON expected. Throws on a non-2xx answer (only the status and path go into the
 * message: never the body) or on a body that is not a JSON object.
 */
async function getJson(
  provider: ProviderDefinition,
  url: string,
  accessToken: string,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    headers: { ...provider.requestHeaders(), authorization: `Bearer ${accessToken}`, accept: "application/json" },
    signal,
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`GET ${new URL(url).pathname} answered ${response.status}`);
  }
  const body: unknown = await response.json();
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new Error(`GET ${new URL(url).pathname} answered something other than a JSON object`);
  }
  return body as Record<string, unknown>;
}

/** The account behind ctx's token: the hook if there is one, else the entry's `identity`, else null. */
export function identifyAccount(
  provider: ProviderDefinition,
  hooks: ProviderHooks,
  ctx: IdentifyContext,
): Promise<AccountIdentity | null> {
  if (hooks.identifyAccount) return hooks.identifyAccount(ctx);
  const identity = provider.identity;
  if (!identity) return Promise.resolve(null);
  if (identity.source === "token_response") return Promise.resolve(identity.read(ctx.tokenSet.raw));
  return getJson(provider, `${provider.apiBaseUrl()}${identity.path}`, ctx.accessToken, ctx.signal).then(identity.read);
}
