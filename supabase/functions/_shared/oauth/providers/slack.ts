// Slack (providers.md §2): OAuth v2, comma-separated scopes, no PKCE for a confidential server app. The workspace
// identity comes back in the token response itself. NOTE: Slack reports errors as HTTP 200 {ok:false}; the engine
// does not handle that yet (Slack is data only for now).
import { urlFromEnv } from "../../env.ts";
import type { ProviderDefinition } from "../types.ts";
import { str } from "./read.ts";

export const slack: ProviderDefinition = {
  id: "slack",
  displayName: "Slack",
  authorizeUrl: () => urlFromEnv("SLACK_AUTHORIZE_URL", "https://slack.com/oauth/v2/authorize"),
  tokenUrl: () => urlFromEnv("SLACK_TOKEN_URL", "https://slack.com/api/oauth.v2.access"),
  scopes: ["incoming-webhook", "chat:write"],
  scopeSeparator: ",",
  clientAuth: "client_secret_post",
  pkce: false,
  clientIdEnv: "SLACK_CLIENT_ID",
  clientSecretEnv: "SLACK_CLIENT_SECRET",
  callbackFunction: "slack-oauth-callback",
  callbackPage: "/slack-callback.html",
  identity: {
    source: "token_response",
    read: (body) => {
      const team = body.team as Record<string, unknown> | undefined;
      return team ? { id: str(team.id), name: str(team.name), email: null } : null;
    },
  },
};
