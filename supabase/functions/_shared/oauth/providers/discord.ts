// Discord (providers.md §1): space-separated scopes, PKCE S256, client credentials in the form body (Basic works
// too), 7-day access tokens with rotating single-use refresh tokens (expires_in always sent: required). The person
// picks the channel on the consent screen (`webhook.incoming`): a NEW webhook per authorization, in the token
// response with the guild. Identity from GET /users/@me (needs `identify`). Revocation per RFC 7009 at
// /oauth2/token/revoke (it revokes every token of the authorization).
import { z } from "zod";
import { appOrigins } from "../../env.ts";
import type { ProviderDefinition } from "../types.ts";
import { defineProvider } from "./define.ts";
import { str } from "./read.ts";

// A webhook's id is a snowflake (digits); its token is URL-safe base64 (no dot: `..` must never reach a path).
const WEBHOOK_ID = /^\d{1,30}$/;
const WEBHOOK_TOKEN = /^[A-Za-z0-9_-]{1,200}$/;

const installation = z.object({
  webhook: z.object({
    id: z.string().regex(WEBHOOK_ID),
    token: z.string().regex(WEBHOOK_TOKEN),
    channel_id: z.unknown(),
    guild_id: z.unknown(),
  }),
  guild: z.object({ id: z.unknown(), name: z.unknown() }).nullish(),
});

export const discord: ProviderDefinition = defineProvider({
  id: "discord",
  displayName: "Discord",
  defaults: {
    authorizeUrl: "https://discord.com/oauth2/authorize",
    tokenUrl: "https://discord.com/api/oauth2/token",
    apiBaseUrl: "https://discord.com/api/v10",
  },
  scopes: ["identify", "webhook.incoming"],
  scopeSeparator: " ",
  clientAuth: "client_secret_post",
  pkce: true,
  // "All HTTP clients must send User-Agent: DiscordBot ($url, $versionNumber)" (providers.md §1, D6)
  userAgent: () => `DiscordBot (${appOrigins()[0] ?? "https://team-crm.invalid"}, 1.0)`,
  tokenResponse: { requireExpiresIn: true },
  destination: (body) => {
    const parsed = installation.safeParse(body);
    if (!parsed.success) return null;
    const { webhook, guild } = parsed.data;
    return {
      // the token response does not name the channel
      destination: {
        channel: null,
        channelId: str(webhook.channel_id),
        workspace: str(guild?.name),
        workspaceId: str(webhook.guild_id) ?? str(guild?.id),
      },
      // its `url` is not read: the URL we call is built from id + token (webhooks.build), so a well-formed id and
      // token always let us delete the webhook if a later step refuses the grant
      secret: { webhookId: webhook.id, webhookToken: webhook.token },
    };
  },
  // Execute / Delete Webhook: {API base}/webhooks/{id}/{token} (resources/webhook.mdx); the token response's `url`
  // (https://discord.com/api/webhooks/..., discordapp.com in older answers) is neither checked nor called
  webhooks: {
    base: (urls) => `${urls.apiBaseUrl()}/webhooks/`,
    build: ({ webhookId, webhookToken }, base) =>
      webhookId && webhookToken && WEBHOOK_ID.test(webhookId) && WEBHOOK_TOKEN.test(webhookToken)
        ? `${base}${webhookId}/${webhookToken}`
        : null,
  },
  // the OAuth endpoints are not versioned: <API base without /vN>/oauth2/token/revoke
  revocation: { style: "rfc7009", url: (urls) => `${urls.apiBaseUrl().replace(/\/v\d+$/, "")}/oauth2/token/revoke` },
  removeApp: "remove the app in Discord (User Settings > Authorized Apps) and its webhook in the server's Integrations settings",
  identity: {
    source: "userinfo",
    path: "/users/@me",
    read: (user) => ({ id: str(user.id), name: str(user.global_name) ?? str(user.username), email: str(user.email) }),
  },
});
