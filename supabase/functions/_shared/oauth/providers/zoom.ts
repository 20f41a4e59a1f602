// Zoom (providers.md §3): HTTP Basic client authentication (documented), PKCE S256 (supported; the confidential app
// still authenticates), 1-hour access tokens with rotating single-use refresh tokens (refreshed under the lease like
// every provider, oauth/refresh.ts), identity from GET /v2/users/me, revocation at POST https://zoom.us/oauth/revoke
// (token + Basic auth) beside the token endpoint. Scopes comma-separated as Nango does (Zoom usually takes them from
// the app's Marketplace configuration; the separator is unconfirmed).
//
// The account kept is Zoom's `account_id` (the tenant key: every event of the app arrives at one URL and names
// `payload.account_id`, providers.md §3); the user's name and e-mail are the account's label. The e-mail also tells
// a user's own recordings from a colleague's in the same Zoom account (zoom/webhook.ts routes on both).
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
  // granular scopes of a user-managed app (Z4): who am I, list my cloud recordings, and who attended a past meeting
  // (participants' e-mails, where the account's plan gives them: the lead matching needs them)
  scopes: ["user:read:user", "cloud_recording:read:list_user_recordings", "meeting:read:list_past_participants"],
  scopeSeparator: ",",
  clientAuth: "client_secret_basic",
  pkce: true,
  // POST https://zoom.us/oauth/revoke (token, Basic auth): beside the token endpoint (Zoom-built plugin docs)
  revocation: { style: "rfc7009", url: (urls) => new URL("revoke", urls.tokenUrl()).href },
  removeApp: "remove the app in Zoom's App Marketplace (Manage > Added apps)",
  identity: {
    source: "userinfo",
    path: "/users/me",
    read: (me) => {
      const name = str(me.display_name) ?? ([str(me.first_name), str(me.last_name)].filter(Boolean).join(" ") || null);
      return { id: str(me.account_id), name: name ?? str(me.email), email: str(me.email) };
    },
  },
});
