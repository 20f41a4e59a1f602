// Discord's OAuth2 (providers.md §1): consent page with the channel picker (webhook.incoming), PKCE S256 enforced
// when a challenge was sent, client auth by HTTP Basic or form, 7-day access tokens, rotating single-use refresh
// tokens, a new webhook per authorization, revocation of every token of an authorization, and /users/@me.

import { bearerToken, clientCredentials, constantTimeEqual, htmlResponse, json, readForm, redirectWith } from "../sandbox/http.ts";
import { base64Url, randomAlphanumeric, randomToken } from "../sandbox/ids.ts";
import type { CodePayload, DiscordClient, DiscordContext } from "./context.ts";
import { discordOutage, oauthError, unauthorized } from "./errors.ts";
import { ACCESS_TOKEN_TTL_SECONDS, APPLICATION_ID, channelById, DISCORD_PREFIX, GUILD, USER, WEBHOOK_NAME } from "./guild.ts";
import { consentPage, errorPage } from "./pages.ts";
import type { Grant } from "./store.ts";

/** A subset of Discord's scopes; anything else (e.g. a comma-joined list) is invalid_scope. */
const KNOWN_SCOPES = new Set(["identify", "email", "guilds", "guilds.join", "connections", "webhook.incoming", "bot", "applications.commands"]);
const WEBHOOK_SCOPE = "webhook.incoming";
const FORWARDED = ["client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge", "code_challenge_method", "prompt"];

type Checked =
  | { ok: false; response: Response }
  | { ok: true; client: DiscordClient; redirectUri: string; state: string | null; scopes: string[]; codeChallenge: string | null };

function isValidRedirect(raw: string | null): raw is string {
  if (!raw) return false;
  try {
    const url = new URL(raw);
    return (url.protocol === "http:" || url.protocol === "https:") && !url.hash;
  } catch {
    return false;
  }
}

/** Until client_id and redirect_uri are known good, errors are shown on a page; then they go back to the app. */
function checkAuthorize(ctx: DiscordContext, params: URLSearchParams): Checked {
  const client = ctx.options.clients.find((c) => c.clientId === params.get("client_id"));
  if (!client) return { ok: false, response: htmlResponse(errorPage("Unknown application (client_id)."), 400) };
  const redirectUri = params.get("redirect_uri");
  if (!isValidRedirect(redirectUri)) return { ok: false, response: htmlResponse(errorPage("Invalid redirect_uri."), 400) };
  const state = params.get("state");
  const back = (error: string, description: string) => ({
    ok: false as const,
    response: redirectWith(redirectUri, { error, error_description: description, state }),
  });
  if (params.get("response_type") !== "code") return back("unsupported_response_type", "response_type must be code");
  const scopes = (params.get("scope") ?? "").split(" ").filter(Boolean);
  if (scopes.length === 0 || scopes.some((s) => !KNOWN_SCOPES.has(s))) {
    return back("invalid_scope", "The requested scope is invalid, unknown, or malformed (scopes are space-separated).");
  }
  const codeChallenge = params.get("code_challenge");
  const method = params.get("code_challenge_method");
  if (codeChallenge !== null && (method !== "S256" || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge))) {
    return back("invalid_request", "code_challenge_method must be S256 with a 43-character code_challenge");
  }
  return { ok: true, client, redirectUri, state, scopes, codeChallenge };
}

export function handleAuthorizeGet(ctx: DiscordContext, url: URL): Response {
  const checked = checkAuthorize(ctx, url.searchParams);
  if (!checked.ok) return checked.response;
  const params = Object.fromEntries(FORWARDED.map((name) => [name, url.searchParams.get(name)]));
  return htmlResponse(consentPage({
    params,
    clientId: checked.client.clientId,
    scope: checked.scopes.join(" "),
    picksChannel: checked.scopes.includes(WEBHOOK_SCOPE),
  }), 200, { "cache-control": "no-store" });
}

export async function handleAuthorizePost(ctx: DiscordContext, req: Request): Promise<Response> {
  const form = await readForm(req);
  const checked = checkAuthorize(ctx, form);
  if (!checked.ok) return checked.response;
  if (form.get("decision") !== "allow") {
    return redirectWith(checked.redirectUri, { error: "access_denied", error_description: "The resource owner or authorization server denied the request", state: checked.state });
  }
  let channelId: string | null = null;
  if (checked.scopes.includes(WEBHOOK_SCOPE)) {
    channelId = form.get("channel_id");
    if (!channelById(channelId)) return htmlResponse(errorPage("Pick a channel for the webhook."), 400);
  }
  const code = ctx.codes.issue({
    clientId: checked.client.clientId,
    redirectUri: checked.redirectUri,
    scopes: checked.scopes,
    channelId,
    codeChallenge: checked.codeChallenge,
  });
  return redirectWith(checked.redirectUri, { code, state: checked.state });
}

// ---------------------------------------------------------------------------------------------------------------
// Token endpoint, revocation

function authenticate(ctx: DiscordContext, req: Request, form: URLSearchParams): DiscordClient | null {
  const { clientId, clientSecret } = clientCredentials(req, form);
  const client = ctx.options.clients.find((c) => c.clientId === clientId);
  if (!client || clientSecret === null || !constantTimeEqual(client.clientSecret, clientSecret)) return null;
  return client;
}

const invalidParam = (name: string) => oauthError("invalid_grant", `Invalid "${name}" in request.`);

async function s256(verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

function issueTokens(ctx: DiscordContext, grant: Grant) {
  const accessToken = randomAlphanumeric(30);
  const refreshToken = randomAlphanumeric(30);
  ctx.store.accessTokens.set(accessToken, { grantId: grant.id, expiresAtMs: ctx.now() + ACCESS_TOKEN_TTL_SECONDS * 1000, revoked: false });
  ctx.store.refreshTokens.set(refreshToken, { grantId: grant.id, used: false });
  return {
    token_type: "Bearer",
    access_token: accessToken,
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
    refresh_token: refreshToken,
    scope: grant.scopes.join(" "),
  };
}

/** Discord creates a new webhook on every authorization with webhook.incoming (providers.md §1). */
function createWebhook(ctx: DiscordContext, grant: Grant, channelId: string) {
  const channel = channelById(channelId)!;
  const id = ctx.nextId();
  const token = randomToken("", 51);
  ctx.store.webhooks.set(id, { id, token, channelId, channel: channel.name, guildId: GUILD.id, grantId: grant.id, deleted: false });
  grant.webhookId = id;
  return {
    application_id: APPLICATION_ID,
    name: WEBHOOK_NAME,
    url: `${ctx.options.publicUrl}${DISCORD_PREFIX}/api/webhooks/${id}/${token}`,
    channel_id: channelId,
    token,
    type: 1,
    avatar: null,
    guild_id: GUILD.id,
    id,
  };
}

async function exchangeCode(ctx: DiscordContext, client: DiscordClient, form: URLSearchParams): Promise<Response> {
  const redeemed = ctx.codes.redeem(form.get("code") ?? "");
  if (!redeemed.ok) return invalidParam("code");
  const payload: CodePayload = redeemed.payload;
  if (payload.clientId !== client.clientId) return invalidParam("code");
  if (form.get("redirect_uri") !== payload.redirectUri) return invalidParam("redirect_uri");
  if (payload.codeChallenge !== null) {
    const verifier = form.get("code_verifier");
    if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !constantTimeEqual(await s256(verifier), payload.codeChallenge)) {
      return invalidParam("code_verifier");
    }
  }
  const grant: Grant = { id: crypto.randomUUID(), clientId: client.clientId, scopes: payload.scopes, webhookId: null, revoked: false, createdAtMs: ctx.now() };
  ctx.store.grants.set(grant.id, grant);
  const body: Record<string, unknown> = issueTokens(ctx, grant);
  if (payload.channelId) {
    body.webhook = createWebhook(ctx, grant, payload.channelId);
    body.guild = { id: GUILD.id, name: GUILD.name };
  }
  return json(body, 200, { "cache-control": "no-store" });
}

function useRefreshToken(ctx: DiscordContext, client: DiscordClient, form: URLSearchParams): Response {
  const entry = ctx.store.refreshTokens.get(form.get("refresh_token") ?? "");
  const grant = entry && ctx.store.grants.get(entry.grantId);
  // Same body for unknown, reused, revoked (D5): each refresh token is single-use (D4).
  if (!entry || !grant || entry.used || grant.revoked || grant.clientId !== client.clientId) return invalidParam("refresh_token");
  entry.used = true;
  return json(issueTokens(ctx, grant), 200, { "cache-control": "no-store" });
}

export async function handleToken(ctx: DiscordContext, req: Request): Promise<Response> {
  const form = await readForm(req);
  const grantType = form.get("grant_type");
  const outage = await discordOutage(ctx.failures.take("token"), () => invalidParam(grantType === "refresh_token" ? "refresh_token" : "code"));
  if (outage) return outage;
  if (grantType !== "authorization_code" && grantType !== "refresh_token") return oauthError("unsupported_grant_type");
  const client = authenticate(ctx, req, form);
  if (!client) return oauthError("invalid_client", undefined, 401);
  return grantType === "authorization_code" ? await exchangeCode(ctx, client, form) : useRefreshToken(ctx, client, form);
}

/**
 * POST /api/oauth2/token/revoke (RFC 7009): revoking any token revokes every access and refresh token of that
 * authorization (D1). The webhook it created keeps working (posting needs no token; whether Discord deletes it is
 * UNCONFIRMED): delete it with DELETE /webhooks/:id/:token. Unknown tokens answer 200 {} as RFC 7009 says.
 */
export async function handleRevoke(ctx: DiscordContext, req: Request): Promise<Response> {
  const form = await readForm(req);
  const outage = await discordOutage(ctx.failures.take("revoke"), () => invalidParam("token"));
  if (outage) return outage;
  const client = authenticate(ctx, req, form);
  if (!client) return oauthError("invalid_client", undefined, 401);
  const token = form.get("token");
  if (!token) return oauthError("invalid_request", 'Missing "token" in request.');
  const grantId = ctx.store.accessTokens.get(token)?.grantId ?? ctx.store.refreshTokens.get(token)?.grantId;
  const grant = grantId ? ctx.store.grants.get(grantId) : undefined;
  if (grant && grant.clientId === client.clientId && !grant.revoked) {
    grant.revoked = true;
    for (const t of ctx.store.accessTokens.values()) if (t.grantId === grant.id) t.revoked = true;
    for (const t of ctx.store.refreshTokens.values()) if (t.grantId === grant.id) t.used = true;
    ctx.store.revocations.push({ at: new Date(ctx.now()).toISOString(), kind: "token_revoke" });
  }
  return json({}, 200);
}

/** GET /api/v10/users/@me with a Bearer token that has the identify scope. */
export function handleMe(ctx: DiscordContext, req: Request): Response {
  const entry = ctx.store.accessTokens.get(bearerToken(req) ?? "");
  const grant = entry && ctx.store.grants.get(entry.grantId);
  if (!entry || !grant || entry.revoked || grant.revoked || entry.expiresAtMs <= ctx.now() || !grant.scopes.includes("identify")) {
    return unauthorized();
  }
  return json({
    id: USER.id,
    username: USER.username,
    global_name: USER.global_name,
    discriminator: "0",
    avatar: null,
    bot: false,
    mfa_enabled: false,
    locale: "en-US",
    flags: 0,
    public_flags: 0,
  });
}
