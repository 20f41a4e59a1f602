// Zoom (providers.md §3): HTTP Basic client authentication (documented), PKCE supported, identity from /users/me.
import { urlFromEnv } from "../../env.ts";
import type { ProviderDefinition } from "../types.ts";
import { str } from "./read.ts";

export const zoom: ProviderDefinition = {
  id: "zoom",
  displayName: "Zoom",
  authorizeUrl: () => urlFromEnv("ZOOM_AUTHORIZE_URL", "https://zoom.us/oauth/authorize"),
  tokenUrl: () => urlFromEnv("ZOOM_TOKEN_URL", "https://zoom.us/oauth/token"),
  scopes: ["user:read:user", "cloud_recording:read:list_user_recordings"],
  scopeSeparator: " ",
  clientAuth: "client_secret_basic",
  pkce: true,
  clientIdEnv: "ZOOM_CLIENT_ID",
  clientSecretEnv: "ZOOM_CLIENT_SECRET",
  callbackFunction: "zoom-oauth-callback",
  callbackPage: "/zoom-callback.html",
  identity: {
    source: "userinfo",
    url: () => `${urlFromEnv("ZOOM_API_BASE_URL", "https://api.zoom.us/v2")}/users/me`,
    read: (me) => {
      const name = [str(me.first_name), str(me.last_name)].filter(Boolean).join(" ");
      return { id: str(me.id), name: name || str(me.email), email: str(me.email) };
    },
  },
};
