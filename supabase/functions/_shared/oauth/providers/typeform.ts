// Typeform (providers.md §4): form-body client auth, no PKCE (undocumented; Nango disables it), space-separated
// scopes (Nango sets no separator, passport-typeform ' '), `offline` needed for a refresh token, identity from GET /me
// (alias, email; `user_id` is reported by third parties only, so the e-mail is the fallback key). Scopes: forms and
// their fields (forms:read), one webhook per form switched on (webhooks:read/write), the backfill of past responses
// (responses:read).
import type { ProviderDefinition } from "../types.ts";
import { defineProvider } from "./define.ts";
import { str } from "./read.ts";

export const typeform: ProviderDefinition = defineProvider({
  id: "typeform",
  displayName: "Typeform",
  defaults: {
    authorizeUrl: "https://api.typeform.com/oauth/authorize",
    tokenUrl: "https://api.typeform.com/oauth/token",
    apiBaseUrl: "https://api.typeform.com",
  },
  scopes: ["offline", "accounts:read", "forms:read", "webhooks:read", "webhooks:write", "responses:read"],
  scopeSeparator: " ",
  clientAuth: "client_secret_post",
  pkce: false,
  // no revocation endpoint found (unconfirmed): the user removes the app in Typeform's settings
  revocation: null,
  removeApp: "remove the app in the connected account's Typeform settings (Apps)",
  identity: {
    source: "userinfo",
    path: "/me",
    read: (me) => ({
      id: str(me.user_id) ?? str(me.email),
      name: str(me.alias) ?? str(me.email),
      email: str(me.email),
    }),
  },
});
