// Fathom's OAuth 2.0 authorization-code flow: consent page, decision form, token endpoint (code + refresh grants).

import { authorizeErrorPage, consentPage } from "./consent-page.ts";
import type { SandboxClient, SandboxContext } from "./context.ts";
import { DEFAULT_USER } from "./demo-data.ts";
import { malformedResponse, serverErrorResponse, type FailureRule } from "./failures.ts";
import { delay, htmlResponse, isFormEncoded, json, oauthError, redirect } from "./http.ts";
import { randomToken } from "./ids.ts";
import { rateLimitHeaders } from "./ratelimit.ts";
import { normalizeEmail, type Grant } from "./store.ts";

export const SCOPE = "public_api";

type AuthorizeCheck =
  | { kind: "error_page"; message: string }
  | { kind: "redirect_error"; redirectUri: string; error: string; description: string; state: string | null }
  | { kind: "ok"; client: SandboxClient; redirectUri: string; state: string | null; scope: string; responseType: string };

function findClient(ctx: SandboxContext, clientId: string | null): SandboxClient | undefined {
  return ctx.options.clients.find((c) => c.clientId === clientId);
}

function isAcceptableRedirect(client: SandboxClient, redirectUri: string): boolean {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  if (url.hash) return false; // RFC 6749 §3.1.2: no fragment
  return !client.redirectUris || client.redirectUris.includes(redirectUri);
}

/**
 * Until client_id and redirect_uri are known good, errors are shown on a page; after that they go back to the
 * app, which must be able to tell the user what happened.
 */
function checkAuthorizeParams(ctx: SandboxContext, params: URLSearchParams): AuthorizeCheck {
  const clientId = params.get("client_id");
  const redirectUri = params.get("redirect_uri");
  const state = params.get("state");
  const client = findClient(ctx, clientId);
  if (!clientId) return { kind: "error_page", message: "The request has no client_id." };
  if (!client) return { kind: "error_page", message: `Unknown client_id: no app is registered as "${clientId}".` };
  if (!redirectUri) return { kind: "error_page", message: "The request has no redirect_uri." };
  if (!isAcceptableRedirect(client, redirectUri)) {
    return { kind: "error_page", message: "The redirect_uri is not a valid redirect URL for this app." };
  }
  const responseType = params.get("response_type");
  if (!responseType) {
    return { kind: "redirect_error", redirectUri, state, error: "invalid_request", description: "response_type is required" };
  }
  if (responseType !== "code") {
    return {
      kind: "redirect_error", redirectUri, state,
      error: "unsupported_response_type", description: "Only response_type=code is supported",
    };
  }
  // Fathom has exactly one scope; an absent scope means that one.
  const scope = params.get("scope") ?? SCOPE;
  if (scope.trim() !== SCOPE) {
    return { kind: "redirect_error", redirectUri, state, error: "invalid_scope", description: `The only scope is ${SCOPE}` };
  }
  return { kind: "ok", client, redirectUri, state, scope: SCOPE, responseType };
}

function redirectWith(redirectUri: string, params: Record<string, string | null>): Response {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value);
  return redirect(url.toString());
}

function errorPage(check: { message: string }, params: URLSearchParams): Response {
  return htmlResponse(
    authorizeErrorPage(check.message, {
      client_id: params.get("client_id"),
      redirect_uri: params.get("redirect_uri"),
    }),
    400,
  );
}

/** Failures that apply to any authorize request: 5xx, slowness, throttling. */
async function authorizeOutage(ctx: SandboxContext): Promise<Response | null> {
  const rule = ctx.failures.take("authorize", (m) => m !== "malformed" && m !== "invalid_grant");
  if (!rule) return null;
  if (rule.mode === "slow") {
    await delay(rule.delayMs);
    return null;
  }
  if (rule.mode === "rate_limited") {
    return htmlResponse(authorizeErrorPage("Too many requests. Try again later."), 429, { "retry-after": "60" });
  }
  return serverErrorResponse(rule.mode as "status_500" | "status_503");
}

export async function handleAuthorizeGet(ctx: SandboxContext, url: URL): Promise<Response> {
  const outage = await authorizeOutage(ctx);
  if (outage) return outage;
  const check = checkAuthorizeParams(ctx, url.searchParams);
  if (check.kind === "error_page") return errorPage(check, url.searchParams);
  if (check.kind === "redirect_error") {
    return redirectWith(check.redirectUri, { error: check.error, error_description: check.description, state: check.state });
  }
  return htmlResponse(consentPage({
    clientId: check.client.clientId,
    redirectUri: check.redirectUri,
    state: check.state,
    scope: check.scope,
    responseType: check.responseType,
    users: [...ctx.store.users.values()],
    defaultEmail: DEFAULT_USER.email,
  }), 200, { "cache-control": "no-store" });
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

export async function handleAuthorizePost(ctx: SandboxContext, req: Request): Promise<Response> {
  const outage = await authorizeOutage(ctx);
  if (outage) return outage;
  if (!isFormEncoded(req)) return htmlResponse(authorizeErrorPage("The consent form must be form-encoded."), 400);
  const form = new URLSearchParams(await req.text());
  const check = checkAuthorizeParams(ctx, form);
  if (check.kind === "error_page") return errorPage(check, form);
  if (check.kind === "redirect_error") {
    return redirectWith(check.redirectUri, { error: check.error, error_description: check.description, state: check.state });
  }

  const decision = form.get("decision");
  if (decision !== "allow") {
    return redirectWith(check.redirectUri, {
      error: "access_denied",
      error_description: "The user denied the authorization request",
      state: check.state,
    });
  }
  const email = normalizeEmail(form.get("user_email") || DEFAULT_USER.email);
  if (!EMAIL.test(email)) {
    return htmlResponse(authorizeErrorPage("That is not a valid e-mail address.", { user_email: email }), 400);
  }
  const user = ctx.ensureUser(email);

  const quirk = ctx.failures.take("authorize", (m) => m === "malformed" || m === "invalid_grant");
  // "malformed": a callback carrying neither code nor error, which a careful client must reject.
  if (quirk?.mode === "malformed") return redirectWith(check.redirectUri, { state: check.state });

  const code = randomToken("", 32);
  ctx.store.codes.set(code, {
    clientId: check.client.clientId,
    redirectUri: check.redirectUri,
    userEmail: user.email,
    expiresAtMs: ctx.now() + ctx.options.codeTtlSeconds * 1000,
    exchangedGrantId: null,
    revoked: quirk?.mode === "invalid_grant",
  });
  return redirectWith(check.redirectUri, { code, state: check.state });
}

// ---------------------------------------------------------------------------------------------------------------
// Token endpoint

function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

function authenticateClient(ctx: SandboxContext, form: URLSearchParams): SandboxClient | null {
  const client = findClient(ctx, form.get("client_id"));
  const secret = form.get("client_secret");
  if (!client || secret === null) return null;
  return constantTimeEqual(client.clientSecret, secret) ? client : null;
}

function revokeGrant(ctx: SandboxContext, grantId: string): void {
  const grant = ctx.store.grants.get(grantId);
  if (grant) grant.revoked = true;
}

async function applyTokenOutage(rule: FailureRule | null, headers: Record<string, string>): Promise<Response | null> {
  if (!rule) return null;
  switch (rule.mode) {
    case "slow":
      await delay(rule.delayMs);
      return null;
    case "malformed":
      return malformedResponse();
    case "rate_limited":
      return oauthError("rate_limited", "Too many token requests", 429, { ...headers, "RateLimit-Remaining": "0" });
    case "status_500":
    case "status_503":
      return serverErrorResponse(rule.mode);
    default:
      return null;
  }
}

export async function handleToken(ctx: SandboxContext, req: Request): Promise<Response> {
  if (!isFormEncoded(req)) {
    return oauthError("invalid_request", "The token endpoint accepts only application/x-www-form-urlencoded bodies");
  }
  const form = new URLSearchParams(await req.text());

  // Fathom limits the token endpoint per OAuth app.
  const limit = ctx.tokenLimiter.hit(`client:${form.get("client_id") ?? ""}`);
  const headers = rateLimitHeaders(limit);
  if (!limit.allowed) return oauthError("rate_limited", "Too many token requests for this app", 429, headers);

  const outage = await applyTokenOutage(ctx.failures.take("token", (m) => m !== "invalid_grant"), headers);
  if (outage) return outage;
  const fail = (error: string, description: string, status = 400) =>
    oauthError(error, description, status, headers);

  for (const key of new Set(form.keys())) {
    if (form.getAll(key).length > 1) return fail("invalid_request", `Parameter ${key} was sent more than once`);
  }
  const grantType = form.get("grant_type");
  if (!grantType) return fail("invalid_request", "grant_type is required");
  const client = authenticateClient(ctx, form);
  if (!client) return fail("invalid_client", "Client authentication failed", 401);
  if (grantType !== "authorization_code" && grantType !== "refresh_token") {
    return fail("unsupported_grant_type", `grant_type ${grantType} is not supported`);
  }
  if (ctx.failures.take("token", (m) => m === "invalid_grant")) {
    return fail("invalid_grant", "The grant has been revoked by the user");
  }

  const grantOrError = grantType === "authorization_code"
    ? exchangeCode(ctx, client, form)
    : useRefreshToken(ctx, client, form);
  if ("error" in grantOrError) return fail(grantOrError.error, grantOrError.description);
  return json(issueTokens(ctx, grantOrError), 200, { ...headers, "cache-control": "no-store", pragma: "no-cache" });
}

type GrantResult = Grant | { error: string; description: string };

function exchangeCode(ctx: SandboxContext, client: SandboxClient, form: URLSearchParams): GrantResult {
  const code = form.get("code");
  const redirectUri = form.get("redirect_uri");
  if (!code) return { error: "invalid_request", description: "code is required" };
  if (!redirectUri) return { error: "invalid_request", description: "redirect_uri is required" };
  const entry = ctx.store.codes.get(code);
  if (!entry) return { error: "invalid_grant", description: "Unknown authorization code" };
  if (entry.exchangedGrantId) {
    // A replayed code may be stolen: revoke what the first exchange produced.
    revokeGrant(ctx, entry.exchangedGrantId);
    return { error: "invalid_grant", description: "The authorization code was already used" };
  }
  if (entry.expiresAtMs <= ctx.now()) {
    ctx.store.codes.delete(code);
    return { error: "invalid_grant", description: "The authorization code has expired" };
  }
  if (entry.clientId !== client.clientId) {
    return { error: "invalid_grant", description: "The authorization code was issued to another client" };
  }
  if (entry.redirectUri !== redirectUri) {
    return { error: "invalid_grant", description: "redirect_uri does not match the authorization request" };
  }
  if (entry.revoked) return { error: "invalid_grant", description: "The grant has been revoked by the user" };

  const grant: Grant = { id: crypto.randomUUID(), clientId: client.clientId, userEmail: entry.userEmail, revoked: false };
  ctx.store.grants.set(grant.id, grant);
  entry.exchangedGrantId = grant.id;
  return grant;
}

function useRefreshToken(ctx: SandboxContext, client: SandboxClient, form: URLSearchParams): GrantResult {
  const token = form.get("refresh_token");
  if (!token) return { error: "invalid_request", description: "refresh_token is required" };
  const scope = form.get("scope");
  if (scope !== null && scope.trim() !== SCOPE) return { error: "invalid_scope", description: `The only scope is ${SCOPE}` };
  const entry = ctx.store.refreshTokens.get(token);
  const grant = entry && ctx.store.grants.get(entry.grantId);
  if (!entry || !grant) return { error: "invalid_grant", description: "Unknown refresh token" };
  if (grant.clientId !== client.clientId) {
    return { error: "invalid_grant", description: "The refresh token was issued to another client" };
  }
  // Fathom: "A refresh_token can only be used once."
  if (entry.used) return { error: "invalid_grant", description: "The refresh token was already used" };
  if (grant.revoked) return { error: "invalid_grant", description: "The grant has been revoked by the user" };
  entry.used = true;
  return grant;
}

function issueTokens(ctx: SandboxContext, grant: Grant) {
  const accessToken = randomToken("fsbx_at_");
  const refreshToken = randomToken("fsbx_rt_");
  const ttl = ctx.options.accessTokenTtlSeconds;
  ctx.store.accessTokens.set(accessToken, {
    grantId: grant.id,
    userEmail: grant.userEmail,
    expiresAtMs: ctx.now() + ttl * 1000,
  });
  ctx.store.refreshTokens.set(refreshToken, { grantId: grant.id, used: false });
  return { access_token: accessToken, token_type: "Bearer", expires_in: ttl, refresh_token: refreshToken, scope: SCOPE };
}
