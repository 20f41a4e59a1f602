// Slack (providers.md §2): OAuth v2, comma-separated scopes (bot scopes in `scope`), no PKCE (it would make the app a
// public client), client credentials as form parameters (Slack accepts both and advises Basic, but RFC 6749 §2.3.1
// Basic form-encodes the id first, so Slack's dotted client ids would arrive as `%2E` and whether Slack decodes them
// is undocumented; Nango's Slack client sends the form body too). Errors come as HTTP 200 {"ok": false, "error"};
// the top-level token is the bot token (token_type "bot", a bearer token) and never expires
// unless token rotation is on (then expires_in + a single-use refresh_token). The person picks the channel on the
// consent screen (`incoming-webhook`): the webhook and the workspace ride in the token response.
import { z } from "zod";
import type { ProviderDefinition } from "../types.ts";
import { defineProvider } from "./define.ts";
import { str } from "./read.ts";

const installation = z.object({
  incoming_webhook: z.object({ url: z.string(), channel: z.unknown(), channel_id: z.unknown() }),
  team: z.object({ id: z.unknown(), name: z.unknown() }).nullish(),
});

export const slack: ProviderDefinition = defineProvider({
  id: "slack",
  displayName: "Slack",
  defaults: {
    authorizeUrl: "https://slack.com/oauth/v2/authorize",
    tokenUrl: "https://slack.com/api/oauth.v2.access",
    apiBaseUrl: "https://slack.com/api",
  },
  scopes: ["incoming-webhook", "chat:write"],
  scopeSeparator: ",",
  clientAuth: "client_secret_post",
  pkce: false,
  tokenResponse: {
    bearerAliases: ["bot"],
    okFlag: {
      knownErrors: [
        "invalid_code", "code_already_used", "code_expired", "invalid_client_id", "bad_client_secret",
        "bad_redirect_uri", "invalid_grant_type", "invalid_refresh_token", "invalid_grant", "oauth_authorization_url_mismatch",
        "ratelimited", "fatal_error", "internal_error", "service_unavailable", "request_timeout",
      ],
    },
    // seen in SDK issues and Nango's blog respectively; which one Slack sends now is unconfirmed (providers.md §2)
    reauthErrors: ["invalid_refresh_token", "invalid_grant"],
  },
  destination: (body) => {
    const parsed = installation.safeParse(body);
    if (!parsed.success) return null;
    const { incoming_webhook: hook, team } = parsed.data;
    return {
      destination: { channel: str(hook.channel), channelId: str(hook.channel_id), workspace: str(team?.name), workspaceId: str(team?.id) },
      secret: { url: hook.url },
    };
  },
  // incoming webhooks are https://hooks.slack.com/services/T…/B…/<secret> (docs.slack.dev "Sending messages using
  // incoming webhooks"); nothing else on slack.com is one
  webhooks: { base: "https://hooks.slack.com/services/" },
  // auth.revoke with the bearer token; it also disables the grant's incoming webhook
  revocation: { style: "bearer", url: (urls) => `${urls.apiBaseUrl()}/auth.revoke`, okFlag: true },
  removeApp: "remove the app in Slack (the workspace's Settings & administration > Manage apps)",
  identity: {
    source: "token_response",
    read: (body) => {
      const team = body.team as Record<string, unknown> | undefined;
      return team ? { id: str(team.id), name: str(team.name), email: null } : null;
    },
  },
});
