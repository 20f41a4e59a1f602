// A fake of all five providers' OAuth endpoints in one Deno.serve on port 0, for the table-driven engine tests
// (oauth_providers_test.ts, oauth_refresh_providers_test.ts). Per provider id P, under /P/:
//   POST /P/token                 code and refresh grants, success in P's own shape (Slack: 200 ok:true, token_type
//                                 "bot", incoming_webhook + team; Discord: webhook + guild, 7-day expiry), or the
//                                 failure `tokenMode[P]` asks for; refresh tokens are single-use (rotation)
//   GET  /P/api/...               identity (Discord /users/@me, Zoom /users/me, Typeform /me; Fathom's /meetings)
//   POST revocation endpoints     Discord /discord/api/oauth2/token/revoke (RFC 7009), Slack /slack/api/auth.revoke
//                                 (bearer), Zoom /zoom/revoke; recorded, answering as `revokeMode` says
//   DELETE /discord/api/v10/webhooks/:id/:token  the channel webhook, recorded (as /webhooks/:id/:token), answering
//                                 as `webhookMode` says
// It sets <P>_CLIENT_ID, _CLIENT_SECRET, _AUTHORIZE_URL, _TOKEN_URL and _API_BASE_URL for every provider, and
// SLACK_WEBHOOK_BASE_URL (/slack/hooks/services/; Discord's webhook base derives from its API base).
import { providers } from "../_shared/oauth/registry.ts";
import type { ProviderId } from "../_shared/oauth/types.ts";

/** Every entry of the registry: a new provider is tested (and needs its EXPECT row) without being listed here. */
export const PROVIDER_IDS = Object.keys(providers) as ProviderId[];

export type TokenMode =
  | "ok"
  | "status_400"
  | "status_500"
  | "ok_false"
  | "token_type_mac"
  | "token_type_bot"
  | "no_expires_in"
  | "no_webhook"
  /** the webhook's URL off the provider (Discord: its `url` only; id and token stay well formed) */
  | "insecure_webhook"
  /** Discord: a webhook token we cannot build a URL from; Slack: a URL that is none */
  | "malformed_webhook";
export type RevokeMode = "ok" | "down" | "hang";

export interface TokenCall {
  provider: ProviderId;
  authorization: string | null;
  form: Record<string, string>;
}

export interface RevokeCall {
  provider: ProviderId;
  authorization: string | null;
  form: Record<string, string>;
}

/** Any request a fake provider received: who it said it was (Discord asks every client to say, providers.md §1 D6). */
export interface SeenRequest {
  provider: ProviderId;
  method: string;
  path: string;
  userAgent: string | null;
}

export interface FakeProviders {
  base: string;
  tokenMode: Partial<Record<ProviderId, TokenMode>>;
  /** Slack only: answer with expires_in + refresh_token (token rotation on) */
  slackRotation: boolean;
  revokeMode: RevokeMode;
  webhookMode: "ok" | "down";
  tokenCalls: TokenCall[];
  revokeCalls: RevokeCall[];
  webhookDeletes: string[];
  /** every request, in order */
  requests: SeenRequest[];
  /** the last tokens issued per provider (plaintext, for assertions) */
  issued: Partial<Record<ProviderId, { accessToken: string; refreshToken: string | null; webhookId?: string }>>;
  reset(): void;
  close(): Promise<void>;
}

export const clientId = (id: ProviderId) => `client-${id}`;
export const clientSecret = (id: ProviderId) => `secret-${id}`;
export const authorizeUrl = (id: ProviderId) => `https://${id}.example/oauth/authorize`;

const json = (body: unknown, status = 200) => Response.json(body, { status });

export function startFakeProviders(): FakeProviders {
  const controller = new AbortController();
  /** refresh tokens still valid, per provider: each is single-use */
  const live = new Set<string>();
  let counter = 0;
  const fake: FakeProviders = {
    base: "",
    tokenMode: {},
    slackRotation: false,
    revokeMode: "ok",
    webhookMode: "ok",
    tokenCalls: [],
    revokeCalls: [],
    webhookDeletes: [],
    requests: [],
    issued: {},
    reset() {
      fake.tokenMode = {};
      fake.slackRotation = false;
      fake.revokeMode = "ok";
      fake.webhookMode = "ok";
      fake.tokenCalls.length = 0;
      fake.revokeCalls.length = 0;
      fake.webhookDeletes.length = 0;
      fake.requests.length = 0;
      fake.issued = {};
    },
    close: async () => {
      controller.abort();
      await server.finished;
    },
  };

  function success(provider: ProviderId, mode: TokenMode, grant: string): Record<string, unknown> {
    const n = ++counter;
    const accessToken = `${provider}-access-${n}-${crypto.randomUUID()}`;
    const rotating = provider !== "slack" || fake.slackRotation;
    const refreshToken = rotating ? `${provider}-refresh-${n}-${crypto.randomUUID()}` : null;
    if (refreshToken) live.add(refreshToken);
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: 3600,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    };
    const webhookId = `90${n}`; // a Discord snowflake is digits
    if (provider === "slack") {
      Object.assign(body, { ok: true, token_type: "bot", scope: "incoming-webhook,chat:write", app_id: "A1" });
      if (!fake.slackRotation) delete body.expires_in;
      if (grant === "authorization_code") {
        Object.assign(body, {
          team: { id: "T1", name: "Acme Sales" },
          incoming_webhook: {
            channel: "#sales",
            channel_id: "C1",
            configuration_url: "https://acme.slack.example/services/B1",
            url: `${fake.base}/slack/hooks/services/T1/B${n}/hook-secret-${n}`,
          },
        });
      }
    }
    if (provider === "discord") {
      Object.assign(body, { expires_in: 604800, scope: "identify webhook.incoming" });
      if (grant === "authorization_code") {
        Object.assign(body, {
          webhook: {
            application_id: "app1",
            name: "Team CRM",
            url: `${fake.base}/discord/api/v10/webhooks/${webhookId}/hook-token-${n}`,
            channel_id: "C9",
            token: `hook-token-${n}`,
            type: 1,
            avatar: null,
            guild_id: "G1",
            id: webhookId,
          },
          guild: { id: "G1", name: "Acme" },
        });
      }
    }
    switch (mode) {
      case "token_type_mac":
        body.token_type = "mac";
        break;
      case "token_type_bot":
        body.token_type = "bot";
        break;
      case "no_expires_in":
        delete body.expires_in;
        break;
      case "no_webhook":
        delete body.webhook;
        delete body.incoming_webhook;
        break;
      case "insecure_webhook":
        if (body.webhook) (body.webhook as Record<string, unknown>).url = "http://hooks.evil.example/x/y";
        if (body.incoming_webhook) (body.incoming_webhook as Record<string, unknown>).url = "http://hooks.evil.example/x";
        break;
      case "malformed_webhook":
        if (body.webhook) (body.webhook as Record<string, unknown>).token = "../x";
        if (body.incoming_webhook) (body.incoming_webhook as Record<string, unknown>).url = "hooks/services/T1/B1/x";
        break;
    }
    fake.issued[provider] = { accessToken, refreshToken, webhookId: provider === "discord" ? webhookId : undefined };
    return body;
  }

  async function token(provider: ProviderId, req: Request): Promise<Response> {
    const form = Object.fromEntries(new URLSearchParams(await req.text()));
    fake.tokenCalls.push({ provider, authorization: req.headers.get("authorization"), form });
    const mode = fake.tokenMode[provider] ?? "ok";
    if (mode === "status_400") {
      return json({ error: "invalid_grant", error_description: "LEAKED provider text" }, 400);
    }
    if (mode === "status_500") return json({ error: "server_error" }, 500);
    if (mode === "ok_false") return json({ ok: false, error: "invalid_code" });
    if (form.grant_type === "refresh_token") {
      if (!live.delete(form.refresh_token)) {
        return provider === "slack"
          ? json({ ok: false, error: "invalid_refresh_token" })
          : json({ error: "invalid_grant", error_description: "Invalid \"refresh_token\" in request." }, 400);
      }
    }
    return json(success(provider, mode, form.grant_type));
  }

  async function revoke(provider: ProviderId, req: Request): Promise<Response> {
    fake.revokeCalls.push({
      provider,
      authorization: req.headers.get("authorization"),
      form: Object.fromEntries(new URLSearchParams(await req.text())),
    });
    if (fake.revokeMode === "hang") await new Promise((resolve) => req.signal.addEventListener("abort", resolve));
    if (fake.revokeMode !== "ok") return json({ error: "temporarily_unavailable" }, 503);
    return provider === "slack" ? json({ ok: true, revoked: true }) : json({});
  }

  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} },
    async (req) => {
      const { pathname } = new URL(req.url);
      const [, provider, ...rest] = pathname.split("/") as [string, ProviderId, ...string[]];
      const path = `/${rest.join("/")}`;
      if (!PROVIDER_IDS.includes(provider)) return json({ error: "not_found" }, 404);
      fake.requests.push({ provider, method: req.method, path, userAgent: req.headers.get("user-agent") });
      if (req.method === "POST" && path === "/token") return await token(provider, req);
      if (req.method === "POST" && (path === "/api/oauth2/token/revoke" || path === "/api/auth.revoke" || path === "/revoke")) {
        return await revoke(provider, req);
      }
      if (req.method === "DELETE" && provider === "discord" && path.startsWith("/api/v10/webhooks/")) {
        fake.webhookDeletes.push(path.slice("/api/v10".length));
        return fake.webhookMode === "ok" ? new Response(null, { status: 204 }) : json({ message: "down" }, 502);
      }
      if (req.method === "GET") {
        if (path === "/api/v10/users/@me") return json({ id: "U1", username: "ada", global_name: "Ada" });
        if (path === "/api/users/me") return json({ id: "Z1", account_id: "ZA1", first_name: "Zed", last_name: "Oom", email: "z@acme.com" });
        if (path === "/api/me") return json({ alias: "Tiff", email: "t@acme.com" });
        if (path === "/api/meetings" || path === "/api/teams") return json({ items: [], limit: 10, next_cursor: null });
      }
      return json({ error: "not_found" }, 404);
    },
  );
  fake.base = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
  for (const id of PROVIDER_IDS) {
    const env = id.toUpperCase();
    Deno.env.set(`${env}_CLIENT_ID`, clientId(id));
    Deno.env.set(`${env}_CLIENT_SECRET`, clientSecret(id));
    Deno.env.set(`${env}_AUTHORIZE_URL`, authorizeUrl(id));
    Deno.env.set(`${env}_TOKEN_URL`, `${fake.base}/${id}/token`);
    Deno.env.set(`${env}_API_BASE_URL`, id === "discord" ? `${fake.base}/discord/api/v10` : `${fake.base}/${id}/api`);
  }
  Deno.env.set("SLACK_WEBHOOK_BASE_URL", `${fake.base}/slack/hooks/services/`);
  return fake;
}
