// defineProvider: an entry declares its facts (ProviderSpec); every name is derived from its id, so no entry can
// misspell one and "Adding a provider" has nothing to invent:
//   <P>_CLIENT_ID, <P>_CLIENT_SECRET                 client credentials (P = the id in upper case)
//   <P>_AUTHORIZE_URL, <P>_TOKEN_URL, <P>_API_BASE_URL  endpoints, defaulting to the real provider's
//   <id>-oauth-callback                              the callback edge function
//   /<id>-callback.html                              the app's callback page
import { urlFromEnv } from "../../env.ts";
import type { ProviderDefinition, ProviderSpec } from "../types.ts";

export function defineProvider(spec: ProviderSpec): ProviderDefinition {
  const env = spec.id.toUpperCase();
  return {
    ...spec,
    clientIdEnv: `${env}_CLIENT_ID`,
    clientSecretEnv: `${env}_CLIENT_SECRET`,
    authorizeUrl: () => urlFromEnv(`${env}_AUTHORIZE_URL`, spec.defaults.authorizeUrl),
    tokenUrl: () => urlFromEnv(`${env}_TOKEN_URL`, spec.defaults.tokenUrl),
    apiBaseUrl: () => urlFromEnv(`${env}_API_BASE_URL`, spec.defaults.apiBaseUrl).replace(/\/+$/, ""),
    callbackFunction: `${spec.id}-oauth-callback`,
    callbackPage: `/${spec.id}-callback.html`,
  };
}
