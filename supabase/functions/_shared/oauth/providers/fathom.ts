// Fathom (fathom-api.md §1, §3): confidential client, client_secret_post, one scope, no PKCE, single-use refresh
// tokens, and no documented "who am I" endpoint: the account is guessed with the API client, so identity and the
// connect/disconnect hooks (webhook, import) live in fathom/lifecycle.ts and are passed to the engine.
import type { ProviderDefinition } from "../types.ts";
import { defineProvider } from "./define.ts";

export const fathom: ProviderDefinition = defineProvider({
  id: "fathom",
  displayName: "Fathom",
  defaults: {
    authorizeUrl: "https://fathom.video/external/v1/oauth2/authorize",
    tokenUrl: "https://fathom.video/external/v1/oauth2/token",
    apiBaseUrl: "https://api.fathom.ai/external/v1",
  },
  scopes: ["public_api"], // the only scope Fathom has
  scopeSeparator: " ",
  clientAuth: "client_secret_post", // credentials in the form body, as Fathom's docs and SDK do
  pkce: false, // not documented by Fathom; Nango disables it too
  tokenResponse: {
    defaultTokenType: "bearer", // Fathom's SDK schema marks token_type optional
    requireExpiresIn: true, // ...but expires_in required and > 0
  },
  // No revocation endpoint is documented (fathom-api.md §1.5): the user removes the app in Fathom's settings, and
  // the disconnect deletes our webhook there (fathom/lifecycle.ts).
  revocation: null,
  removeApp: "revoke the app's access in the connected account's Fathom settings",
});
