// Typeform's OAuth 2.0 (providers.md §4): consent page, code exchange and refresh with the client's credentials in
// the form body only (client_secret_post: Basic support is UNCONFIRMED, so the sandbox refuses it), no PKCE,
// space-separated scopes, a refresh token only with `offline`, 7-day access tokens, refresh tokens single-use and
// rotated (UNCONFIRMED at Typeform: the stricter choice), and GET /me (accounts:read).

import { bearerToken, constantTimeEqual, htmlResponse, json, readForm, redirectWith } from "../sandbox/http.ts";
import { randomToken } from "../sandbox/ids.ts";
import { ACCESS_TOKEN_TTL_SECONDS, ACCOUNT, KNOWN_SCOPES, TYPEFORM_PREFIX } from "./account.ts";
import type { CodePayload, TypeformClient, TypeformContext } from "./context.ts";
import { forbidden, oauthError, typeformOutage, unauthenticated } from "./errors.ts";
import { consentPage, errorPage } from "./pages.ts";
import type { AccessToken, Grant } from "./store.ts";

const FORWARDED = ["client_id", "redirect_uri", "response_type", "scope", "state"];

type Checked =
  | { ok: false; response: Response }
  | { ok: true; client: TypeformClient; redirectUri: string; state: string | null; scopes: string[] };

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
function checkAuthorize(ctx: TypeformContext, params: URLSearchParams): Checked {
  const client = ctx.options.clients.find((c) => c.clientId === params.get("client_id"));
  if (!client) return { ok: false, response: htmlResponse(errorPage("Unknown application (client_id)."), 400) };
  const redirectUri = params.get("redirect_uri");
  if (!isValidRedirect(redirectUri)) return { ok: false, response: htmlResponse(errorPage("Invalid redirect_uri."), 400) };
  const state = params.get("state");
  const responseType = params.get("response_type");
  if (responseType !== null && responseType !== "code") {
    return { ok: false, response: redirectWith(redirectUri, { error: "unsupported_response_type", error_description: "response_type must be code", state }) };
  }
  const scopes = (params.get("scope") ?? "").split(" ").filter(Boolean);
  if (scopes.length === 0 || scopes.some((s) => !KNOWN_SCOPES.has(s))) {
    return { ok: false, response: redirectWith(redirectUri, { error: "invalid_scope", error_description: "Unknown scope (scopes are space-separated)", state }) };
  }
  return { ok: true, client, redirectUri, state, scopes };
}

export function handleAuthorizeGet(ctx: TypeformContext, url: URL): Response {
  const checked = checkAuthorize(ctx, url.searchParams);
  if (!checked.ok) return checked.response;
  const params = Object.fromEntries(FORWARDED.map((name) => [name, url.searchParams.get(name)]));
  return htmlResponse(consentPage({ params, clientId: checked.client.clientId, scopes: checked.scopes }), 200, { "cache-control": "no-store" });
}

export async function handleAuthorizePost(ctx: TypeformContext, req: Request): Promise<Response> {
  const form = await readForm(req);
  const checked = checkAuthorize(ctx, form);
  if (!checked.ok) return checked.response;
  if (form.get("decision") !== "allow") {
    return redirectWith(checked.redirectUri, { error: "access_denied", error_description: "The user denied access", state: checked.state });
  }
  const code = ctx.codes.issue({ clientId: checked.client.clientId, redirectUri: checked.redirectUri, scopes: checked.scopes });
  return redirectWith(checked.redirectUri, { code, state: checked.state });
}

/** client_secret_post only: a Basic header does not authenticate. */
function authenticate(ctx: TypeformContext, req: Request, form: URLSearchParams): TypeformClient | null {
  if (/^Basic\s/i.test(req.headers.get("authorization") ?? "")) return null;
  const client = ctx.options.clients.find((c) => c.clientId === form.get("client_id"));
  const secret = form.get("client_secret");
  if (!client || secret === null || !constantTimeEqual(client.clientSecret, secret)) return null;
  return client;
}

function issueTokens(ctx: TypeformContext, grant: Grant) {
  const accessToken = randomToken("tfp_", 32);
  ctx.store.accessTokens.set(accessToken, { grantId: grant.id, expiresAtMs: ctx.now() + ACCESS_TOKEN_TTL_SECONDS * 1000, revoked: false });
  const body: Record<string, unknown> = { access_token: accessToken, token_type: "bearer", expires_in: ACCESS_TOKEN_TTL_SECONDS, scope: grant.scopes.join(" ") };
  // "To receive a refresh token, you must set the offline scope" (Nango)
  if (grant.scopes.includes("offline")) {
    const refreshToken = randomToken("tfr_", 32);
    ctx.store.refreshTokens.set(refreshToken, { grantId: grant.id, used: false });
    body.refresh_token = refreshToken;
  }
  return body;
}

function exchangeCode(ctx: TypeformContext, client: TypeformClient, form: URLSearchParams): Response {
  const redeemed = ctx.codes.redeem(form.get("code") ?? "");
  if (!redeemed.ok) return oauthError("invalid_grant", "The authorization code is invalid, expired or already used");
  const payload: CodePayload = redeemed.payload;
  if (payload.clientId !== client.clientId) return oauthError("invalid_grant", "The authorization code was issued to another client");
  if (form.get("redirect_uri") !== payload.redirectUri) return oauthError("invalid_grant", "redirect_uri does not match");
  const grant: Grant = { id: crypto.randomUUID(), clientId: client.clientId, scopes: payload.scopes, revoked: false, createdAtMs: ctx.now() };
  ctx.store.grants.set(grant.id, grant);
  return json(issueTokens(ctx, grant), 200, { "cache-control": "no-store" });
}

function useRefreshToken(ctx: TypeformContext, client: TypeformClient, form: URLSearchParams): Response {
  const entry = ctx.store.refreshTokens.get(form.get("refresh_token") ?? "");
  const grant = entry && ctx.store.grants.get(entry.grantId);
  if (!entry || !grant || entry.used || grant.revoked || grant.clientId !== client.clientId) {
    return oauthError("invalid_grant", "The refresh token is invalid, expired or already used");
  }
  entry.used = true;
  return json(issueTokens(ctx, grant), 200, { "cache-control": "no-store" });
}

/** POST /oauth/token (form-urlencoded): grant_type authorization_code | refresh_token. */
export async function handleToken(ctx: TypeformContext, req: Request): Promise<Response> {
  const form = await readForm(req);
  const grantType = form.get("grant_type");
  const outage = await typeformOutage(ctx.failures.take("token"), () => oauthError("invalid_grant", "The grant is invalid"));
  if (outage) return outage;
  if (grantType !== "authorization_code" && grantType !== "refresh_token") return oauthError("unsupported_grant_type");
  const client = authenticate(ctx, req, form);
  if (!client) return oauthError("invalid_client", "Client authentication failed", 401);
  return grantType === "authorization_code" ? exchangeCode(ctx, client, form) : useRefreshToken(ctx, client, form);
}

/** The live grant of a bearer token, or the 401 to answer. */
export function tokenGrant(ctx: TypeformContext, req: Request): { grant: Grant; token: AccessToken } | { error: Response } {
  const token = ctx.store.accessTokens.get(bearerToken(req) ?? "");
  const grant = token && ctx.store.grants.get(token.grantId);
  if (!token || !grant || token.revoked || grant.revoked || token.expiresAtMs <= ctx.now()) return { error: unauthenticated() };
  return { grant, token };
}

export function requireScope(grant: Grant, scope: string): Response | null {
  return grant.scopes.includes(scope) ? null : forbidden(scope);
}

/** GET /me (accounts:read). */
export function handleMe(grant: Grant): Response {
  return requireScope(grant, "accounts:read") ?? json({ ...ACCOUNT });
}

export const OAUTH_PATHS = { authorize: `${TYPEFORM_PREFIX}/oauth/authorize`, token: `${TYPEFORM_PREFIX}/oauth/token` };
