// Fathom (fathom-api.md §1, §3): confidential client, client_secret_post, one scope, no PKCE, single-use refresh
// tokens, and no documented "who am I" endpoint: the account is guessed with the API client, so identity and the
// connect/disconnect hooks (webhook, import) live in fathom/lifecycle.ts and are passed to the engine.
import { fathomUrls } from "../../env.ts";
import type { ProviderDefinition } from "../types.ts";

export const fathom: ProviderDefinition = {
  id: "fathom",
  displayName: "Fathom",
  authorizeUrl: () => fathomUrls().authorizeUrl,
  tokenUrl: () => fathomUrls().tokenUrl,
  scopes: ["public_api"], // the only scope Fathom has
  scopeSeparator: " ",
  clientAuth: "client_secret_post", // credentials in the form body, as Fathom's docs and SDK do
  pkce: false, // not documented by Fathom; Nango disables it too
  clientIdEnv: "FATHOM_CLIENT_ID",
  clientSecretEnv: "FATHOM_CLIENT_SECRET",
  tokenResponse: {
    defaultTokenType: "bearer", // Fathom's SDK schema marks token_type optional
    requireExpiresIn: true, // ...but expires_in required and > 0
  },
  callbackFunction: "fathom-oauth-callback",
  callbackPage: "/fathom-callback.html",
};
