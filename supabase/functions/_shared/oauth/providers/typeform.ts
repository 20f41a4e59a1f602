// Typeform (providers.md §4): form-body client auth, no PKCE, `offline` needed for a refresh token, GET /me.
import { urlFromEnv } from "../../env.ts";
import type { ProviderDefinition } from "../types.ts";
import { str } from "./read.ts";

export const typeform: ProviderDefinition = {
  id: "typeform",
  displayName: "Typeform",
  authorizeUrl: () => urlFromEnv("TYPEFORM_AUTHORIZE_URL", "https://api.typeform.com/oauth/authorize"),
  tokenUrl: () => urlFromEnv("TYPEFORM_TOKEN_URL", "https://api.typeform.com/oauth/token"),
  scopes: ["offline", "accounts:read", "forms:read", "webhooks:read", "webhooks:write"],
  scopeSeparator: " ",
  clientAuth: "client_secret_post",
  pkce: false,
  clientIdEnv: "TYPEFORM_CLIENT_ID",
  clientSecretEnv: "TYPEFORM_CLIENT_SECRET",
  callbackFunction: "typeform-oauth-callback",
  callbackPage: "/typeform-callback.html",
  identity: {
    source: "userinfo",
    url: () => `${urlFromEnv("TYPEFORM_API_BASE_URL", "https://api.typeform.com")}/me`,
    read: (me) => ({
      id: str(me.user_id) ?? str(me.email),
      name: str(me.alias) ?? str(me.email),
      email: str(me.email),
    }),
  },
};
