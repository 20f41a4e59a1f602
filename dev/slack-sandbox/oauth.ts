// Slack's OAuth v2 (providers.md §2): the consent page with the "Post to" picker, the decision form, and
// oauth.v2.access, which answers HTTP 200 with {"ok": false, "error"} for every error it knows.

import { clientCredentials, constantTimeEqual, delay, htmlResponse, json, readForm, redirectWith } from "../sandbox/http.ts";
import { randomAlphanumeric, randomDigits, randomToken, randomUpperAlphanumeric } from "../sandbox/ids.ts";
import type { FailureRule } from "../sandbox/failures.ts";
import type { CodePayload, SlackClient, SlackContext } from "./context.ts";
import { consentPage, errorPage } from "./pages.ts";
import type { Grant } from "./store.ts";
import { APP_ID, BOT_USER_ID, channelById, INSTALLER, ROTATING_TOKEN_TTL_SECONDS, SLACK_PREFIX, WORKSPACE } from "./workspace.ts";

/** Slack scope names: lower-case words joined by ":" or "." (no spaces: the separator is a comma). */
const SCOPE_NAME = /^[a-z][a-z0-9_.-]*(:[a-z0-9_.-]+)*$/;
const INCOMING_WEBHOOK = "incoming-webhook";

type Checked =
  | { ok: false; page: Response }
  | { ok: true; client: SlackClient; redirectUri: string | null; state: string | null; scopes: string[]; userScopes: string[] };

function splitScopes(raw: string | null): string[] | null {
  if (raw === null || raw.trim() === "") return [];
  const scopes = raw.split(",").map((s) => s.trim());
  return scopes.every((s) => SCOPE_NAME.test(s)) ? scopes : null;
}

function refuse(code: string, message: string): { ok: false; page: Response } {
  return { ok: false, page: htmlResponse(errorPage(code, message), 400, { "cache-control": "no-store" }) };
}

/** Slack never redirects a bad authorize request back: it shows an error page. */
function checkAuthorize(ctx: SlackContext, params: URLSearchParams): Checked {
  const clientId = params.get("client_id");
  const client = ctx.options.clients.find((c) => c.clientId === clientId);
  if (!client) return refuse("invalid_client_id", `No app is registered as "${clientId ?? ""}".`);
  const redirectUri = params.get("redirect_uri");
  if (redirectUri !== null) {
    let url: URL | null = null;
    try {
      url = new URL(redirectUri);
    } catch { /* refused below */ }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.hash) {
      return refuse("bad_redirect_uri", "The redirect_uri is not a valid URL for this app.");
    }
  }
  const scopes = splitScopes(params.get("scope"));
  const userScopes = splitScopes(params.get("user_scope"));
  if (scopes === null || userScopes === null) {
    return refuse("invalid_scope", "Invalid permissions requested: scopes are comma-separated names such as incoming-webhook,chat:write.");
  }
  if (scopes.length === 0 && userScopes.length === 0) return refuse("invalid_scope", "No scopes were requested.");
  return { ok: true, client, redirectUri, state: params.get("state"), scopes, userScopes };
}

export function handleAuthorizeGet(ctx: SlackContext, url: URL): Response {
  const checked = checkAuthorize(ctx, url.searchParams);
  if (!checked.ok) return checked.page;
  return htmlResponse(consentPage({
    clientId: checked.client.clientId,
    redirectUri: checked.redirectUri,
    state: checked.state,
    scope: checked.scopes.join(","),
    userScope: checked.userScopes.length ? checked.userScopes.join(",") : null,
    picksChannel: checked.scopes.includes(INCOMING_WEBHOOK),
  }), 200, { "cache-control": "no-store" });
}

export async function handleAuthorizePost(ctx: SlackContext, req: Request): Promise<Response> {
  const form = await readForm(req);
  const checked = checkAuthorize(ctx, form);
  if (!checked.ok) return checked.page;
  if (!checked.redirectUri) return refuse("bad_redirect_uri", "The sandbox needs a redirect_uri to send you back.").page;
  if (form.get("decision") !== "allow") {
    return redirectWith(checked.redirectUri, { error: "access_denied", state: checked.state });
  }
  let channelId: string | null = null;
  if (checked.scopes.includes(INCOMING_WEBHOOK)) {
    channelId = form.get("channel_id");
    if (!channelById(channelId)) return refuse("invalid_channel", "Pick a channel to post to.").page;
  }
  const code = ctx.codes.issue({
    clientId: checked.client.clientId,
    redirectUri: checked.redirectUri,
    scopes: checked.scopes,
    userScopes: checked.userScopes,
    channelId,
  });
  return redirectWith(checked.redirectUri, { code, state: checked.state });
}

// ---------------------------------------------------------------------------------------------------------------
// oauth.v2.access

const slackError = (error: string) => json({ ok: false, error }, 200, { "cache-control": "no-store" });

/** A failure switched on for "token" (or "revoke"), in Slack's shapes; null: answer normally (after any delay). */
export async function slackOutage(rule: FailureRule | null, goneError: string): Promise<Response | null> {
  if (!rule) return null;
  switch (rule.kind) {
    case "slow":
      await delay(rule.delayMs);
      return null;
    case "rate_limited":
      // The Web API's one non-200 error: HTTP 429 with Retry-After (providers.md §2, S14).
      return json({ ok: false, error: "ratelimited" }, 429, { "retry-after": String(Math.ceil(rule.retryAfterSeconds)) });
    case "server_error":
      return htmlResponse("<html><body><h1>500 Internal Server Error</h1></body></html>", 500);
    case "gone":
      return slackError(goneError);
  }
}

/** Slack's shape, xoxb-<team number>-<bot number>-<secret>; rotating tokens carry the "xoxe." prefix. */
function newToken(kind: "bot" | "user", rotating: boolean): string {
  const type = kind === "bot" ? "xoxb" : "xoxp";
  return `${rotating ? `xoxe.${type}-1-` : `${type}-`}${randomDigits(12)}-${randomDigits(13)}-${randomAlphanumeric(24)}`;
}

function issueAccess(ctx: SlackContext, grant: Grant, kind: "bot" | "user") {
  const rotating = ctx.store.settings.tokenRotation;
  const accessToken = newToken(kind, rotating);
  ctx.store.accessTokens.set(accessToken, {
    grantId: grant.id,
    kind,
    expiresAtMs: rotating ? ctx.now() + ROTATING_TOKEN_TTL_SECONDS * 1000 : null,
  });
  if (!rotating) return { access_token: accessToken };
  const refreshToken = randomToken("xoxe-1-", 48);
  ctx.store.refreshTokens.set(refreshToken, { grantId: grant.id, used: false });
  return { access_token: accessToken, expires_in: ROTATING_TOKEN_TTL_SECONDS, refresh_token: refreshToken };
}

function createWebhook(ctx: SlackContext, grant: Grant, channelId: string) {
  const channel = channelById(channelId)!;
  const id = `B0${randomUpperAlphanumeric(8)}`;
  const secret = randomAlphanumeric(24);
  ctx.store.webhooks.set(id, { id, teamId: WORKSPACE.id, secret, channelId, channel: channel.name, grantId: grant.id, active: true });
  grant.webhookId = id;
  return {
    channel: channel.name,
    channel_id: channelId,
    configuration_url: `${ctx.options.publicUrl}${SLACK_PREFIX}/`,
    url: `${ctx.options.publicUrl}${SLACK_PREFIX}/hooks/services/${WORKSPACE.id}/${id}/${secret}`,
  };
}

function common(grant: Grant) {
  return {
    app_id: APP_ID,
    scope: grant.scopes.join(","),
    token_type: "bot",
    bot_user_id: BOT_USER_ID,
    team: { id: WORKSPACE.id, name: WORKSPACE.name },
    enterprise: null,
    is_enterprise_install: false,
  };
}

function exchangeCode(ctx: SlackContext, client: SlackClient, form: URLSearchParams): Response {
  const code = form.get("code");
  if (!code) return slackError("invalid_code");
  const redeemed = ctx.codes.redeem(code);
  if (!redeemed.ok) return slackError(redeemed.reason === "used" ? "code_already_used" : "invalid_code");
  const payload: CodePayload = redeemed.payload;
  if (payload.clientId !== client.clientId) return slackError("invalid_code");
  // Slack: a redirect_uri given at authorize must be repeated exactly; one given only here must be a registered one.
  const redirectUri = form.get("redirect_uri");
  if (payload.redirectUri !== null && redirectUri !== payload.redirectUri) return slackError("bad_redirect_uri");

  const grant: Grant = {
    id: crypto.randomUUID(),
    clientId: client.clientId,
    scopes: payload.scopes,
    userScopes: payload.userScopes,
    webhookId: null,
    revoked: false,
    createdAtMs: ctx.now(),
  };
  ctx.store.grants.set(grant.id, grant);
  const bot = issueAccess(ctx, grant, "bot");
  const authedUser: Record<string, unknown> = { id: INSTALLER.id };
  if (payload.userScopes.length) {
    Object.assign(authedUser, { scope: payload.userScopes.join(","), token_type: "user" }, issueAccess(ctx, grant, "user"));
  }
  const body: Record<string, unknown> = { ok: true, ...common(grant), ...bot, authed_user: authedUser };
  if (payload.channelId) body.incoming_webhook = createWebhook(ctx, grant, payload.channelId);
  return json(body, 200, { "cache-control": "no-store" });
}

function useRefreshToken(ctx: SlackContext, client: SlackClient, form: URLSearchParams): Response {
  const token = form.get("refresh_token") ?? "";
  const entry = ctx.store.refreshTokens.get(token);
  const grant = entry && ctx.store.grants.get(entry.grantId);
  if (!entry || !grant || entry.used || grant.revoked || grant.clientId !== client.clientId) {
    return slackError("invalid_refresh_token");
  }
  // "The refresh token is then revoked, and a new refresh token is used" (S8).
  entry.used = true;
  const bot = issueAccess(ctx, grant, "bot");
  return json({ ok: true, ...common(grant), ...bot }, 200, { "cache-control": "no-store" });
}

export async function handleAccess(ctx: SlackContext, req: Request): Promise<Response> {
  const form = await readForm(req);
  const grantType = form.get("grant_type") ?? "authorization_code";
  const outage = await slackOutage(
    ctx.failures.take("token"),
    grantType === "refresh_token" ? "invalid_refresh_token" : "invalid_code",
  );
  if (outage) return outage;
  if (grantType !== "authorization_code" && grantType !== "refresh_token") return slackError("invalid_grant_type");
  const { clientId, clientSecret } = clientCredentials(req, form);
  const client = ctx.options.clients.find((c) => c.clientId === clientId);
  if (!client) return slackError("invalid_client_id");
  if (clientSecret === null || !constantTimeEqual(client.clientSecret, clientSecret)) return slackError("bad_client_secret");
  return grantType === "authorization_code" ? exchangeCode(ctx, client, form) : useRefreshToken(ctx, client, form);
}
