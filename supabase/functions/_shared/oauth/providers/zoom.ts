// Zoom (providers.md §3): HTTP Basic client authentication (documented), PKCE supported, 1-hour access tokens with
// rotating refresh tokens, identity from /users/me. Scopes comma-separated as Nango does (Zoom usually takes them
// from the app's configuration; the separator is unconfirmed). Data only until its functions come (issue 12).
import type { ProviderDefinition } from "../types.ts";
import { defineProvider } from "./define.ts";
import { str } from "./read.ts";

export const zoom: ProviderDefinition = defineProvider({
  id: "zoom",
  displayName: "Zoom",
  defaults: {
    authorizeUrl: "https://zoom.us/oauth/authorize",
    tokenUrl: "https://zoom.us/oauth/token",
    apiBaseUrl: "https://api.zoom.us/v2",
  },
  scopes: ["user:read:user", "cloud_recording:read:list_user_recordings"],
  scopeSeparator: ",",
  clientAuth: "client_secret_basic",
  pkce: true,
  // POST https://zoom.us/oauth/revoke (token, Basic auth): beside the token endpoint (Zoom-built plugin docs)
  revocation: { style: "rfc7009", url: (urls) => new URL("revoke", urls.tokenUrl()).href },
  identity: {
    source: "userinfo",
    path: "/users/me",
    read: (me) => {
      const name = [str(me.first_name), str(me.last_name)].filter(Boolean).join(" ");
      return { id: str(me.id), name: name || str(me.email), email: str(me.email) };
    },
  },
});
