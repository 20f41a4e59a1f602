// defineProvider: an entry declares its facts (ProviderSpec); every name is derived from its id, so no entry can
// misspell one and "Adding a provider" has nothing to invent:
//   <P>_CLIENT_ID, <P>_CLIENT_SECRET                 client credentials (P = the id in upper case)
//   <P>_AUTHORIZE_URL, <P>_TOKEN_URL, <P>_API_BASE_URL  endpoints, defaulting to the real provider's
//   <P>_WEBHOOK_BASE_URL                             chat providers: where their webhooks live (webhooks.base)
//   <id>-oauth-callback                              the callback edge function
//   /<id>-callback.html                              the app's callback page
import { urlFromEnv } from "../../env.ts";
import type { ProviderDefinition, ProviderSpec, ProviderUrls } from "../types.ts";

export function defineProvider(spec: ProviderSpec): ProviderDefinition {
  const env = spec.id.toUpperCase();
  const urls: ProviderUrls = {
    authorizeUrl: () => urlFromEnv(`${env}_AUTHORIZE_URL`, spec.defaults.authorizeUrl),
    tokenUrl: () => urlFromEnv(`${env}_TOKEN_URL`, spec.defaults.tokenUrl),
    apiBaseUrl: () => urlFromEnv(`${env}_API_BASE_URL`, spec.defaults.apiBaseUrl).replace(/\/+$/, ""),
  };
  const webhooks = spec.webhooks;
  return {
    ...spec,
    ...urls,
    clientIdEnv: `${env}_CLIENT_ID`,
    clientSecretEnv: `${env}_CLIENT_SECRET`,
    callbackFunction: `${spec.id}-oauth-callback`,
    callbackPage: `/${spec.id}-callback.html`,
    requestHeaders: (): Record<string, string> => (spec.userAgent ? { "user-agent": spec.userAgent() } : {}),
    webhookBaseUrl: () =>
      webhooks
        ? urlFromEnv(`${env}_WEBHOOK_BASE_URL`, typeof webhooks.base === "string" ? webhooks.base : webhooks.base(urls))
        : null,
  };
}
