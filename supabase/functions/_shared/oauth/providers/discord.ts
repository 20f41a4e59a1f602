// Discord (providers.md §1): PKCE S256 supported; identity from GET /users/@me (needs `identify`).
import { urlFromEnv } from "../../env.ts";
import type { ProviderDefinition } from "../types.ts";
import { str } from "./read.ts";

export const discord: ProviderDefinition = {
  id: "discord",
  displayName: "Discord",
  authorizeUrl: () => urlFromEnv("DISCORD_AUTHORIZE_URL", "https://discord.com/oauth2/authorize"),
  tokenUrl: () => urlFromEnv("DISCORD_TOKEN_URL", "https://discord.com/api/oauth2/token"),
  scopes: ["identify", "webhook.incoming"],
  scopeSeparator: " ",
  clientAuth: "client_secret_post",
  pkce: true,
  clientIdEnv: "DISCORD_CLIENT_ID",
  clientSecretEnv: "DISCORD_CLIENT_SECRET",
  callbackFunction: "discord-oauth-callback",
  callbackPage: "/discord-callback.html",
  identity: {
    source: "userinfo",
    url: () => `${urlFromEnv("DISCORD_API_BASE_URL", "https://discord.com/api/v10")}/users/@me`,
    read: (user) => ({ id: str(user.id), name: str(user.global_name) ?? str(user.username), email: str(user.email) }),
  },
};
