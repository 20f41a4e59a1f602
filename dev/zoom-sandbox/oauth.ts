// Zoom's OAuth (providers.md §3): the consent page with an account/user picker, PKCE (S256, or plain) checked at the
// token endpoint when a challenge was sent, client authentication by HTTP Basic only (client_secret_basic, as
// Zoom documents), one-hour access tokens, rotating single-use refresh tokens, revocation of the whole grant, and
// Zoom's `{reason, error}` error bodies.

import { clientCredentials, constantTimeEqual, htmlResponse, json, readForm, redirectWith } from "../sandbox/http.ts";
import { base64Url, randomToken } from "../sandbox/ids.ts";
import { ACCESS_TOKEN_TTL_SECONDS, KNOWN_SCOPES, userById, ZOOM_PREFIX } from "./account.ts";
import type { CodePayload, ZoomClient, ZoomContext } from "./context.ts";
import { oauthError, zoomOutage } from "./errors.ts";
import { consentPage, errorPage } from "./pages.ts";
import type { Grant } from "./store.ts";

const FORWARDED = ["client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge", "code_challenge_method"];
/** Without `scope` in the request, Zoom grants what the app's Marketplace configuration lists. */
const APP_SCOPES = ["user:read:user", "cloud_recording:read:list_user_recordings", "cloud_recording:read:list_recording_files", "meeting:read:list_past_participants"];

type Checked =
  | { ok: false; response: Response }
  | { ok: true; client: ZoomClient; redirectUri: string; state: string | null; scopes: string[]; codeChallenge: string | null; method: "S256" | "plain" | null };

function isValidRedirect(raw: string | null): raw is string {
  if (!raw) return false;
  try {
    const url = new URL(raw);
    return (url.protocol === "http:" || url.protocol === "https:") && !url.hash;
  } catch {
    return false;
  }
}

/** Scopes may come comma- or space-separated (the separator is unconfirmed, providers.md §3): both are read. */
function parseScopes(raw: string | null): string[] | null {
  if (raw === null || raw.trim() === "") return [...APP_SCOPES];
  const scopes = raw.split(/[\s,]+/).filter(Boolean);
  return scopes.every((s) => KNOWN_SCOPES.has(s)) ? scopes : null;
}

function checkAuthorize(ctx: ZoomContext, params: URLSearchParams): Checked {
  const client = ctx.options.clients.find((c) => c.clientId === params.get("client_id"));
  if (!client) return { ok: false, response: htmlResponse(errorPage("Invalid client_id: the app does not exist (4,700)."), 400) };
  const redirectUri = params.get("redirect_uri");
  if (!isValidRedirect(redirectUri)) return { ok: false, response: htmlResponse(errorPage("Invalid redirect: the redirect URL is not allowed for this app (4,700)."), 400) };
  const state = params.get("state");
  const back = (error: string, description: string) => ({ ok: false as const, response: redirectWith(redirectUri, { error, error_description: description, state }) });
  if (params.get("response_type") !== "code") return back("unsupported_response_type", "response_type must be code");
  const scopes = parseScopes(params.get("scope"));
  if (!scopes) return back("invalid_scope", "Invalid scope");
  const codeChallenge = params.get("code_challenge");
  const rawMethod = params.get("code_challenge_method") ?? (codeChallenge ? "plain" : null);
  if (codeChallenge !== null && ((rawMethod !== "S256" && rawMethod !== "plain") || !/^[A-Za-z0-9._~-]{43,128}$/.test(codeChallenge))) {
    return back("invalid_request", "Invalid code_challenge or code_challenge_method");
  }
  const method = codeChallenge === null ? null : rawMethod as "S256" | "plain";
  return { ok: true, client, redirectUri, state, scopes, codeChallenge, method };
}

export function handleAuthorizeGet(ctx: ZoomContext, url: URL): Response {
  const checked = checkAuthorize(ctx, url.searchParams);
  if (!checked.ok) return checked.response;
  const params = Object.fromEntries(FORWARDED.map((name) => [name, url.searchParams.get(name)]));
  return htmlResponse(consentPage({ params, clientId: checked.client.clientId, scopes: checked.scopes }), 200, { "cache-control": "no-store" });
}

export async function handleAuthorizePost(ctx: ZoomContext, req: Request): Promise<Response> {
  const form = await readForm(req);
  const checked = checkAuthorize(ctx, form);
  if (!checked.ok) return checked.response;
  if (form.get("decision") !== "allow") {
    return redirectWith(checked.redirectUri, { error: "access_denied", error_description: "The user denied the authorization", state: checked.state });
  }
  const user = userById(form.get("user_id"));
  if (!user) return htmlResponse(errorPage("Pick the account to sign in with."), 400);
  const payload: CodePayload = {
    clientId: checked.client.clientId,
    redirectUri: checked.redirectUri,
    scopes: checked.scopes,
    userId: user.id,
    codeChallenge: checked.codeChallenge,
    codeChallengeMethod: checked.method,
  };
  return redirectWith(checked.redirectUri, { code: ctx.codes.issue(payload), state: checked.state });
}

// ---------------------------------------------------------------------------------------------------------------
// Token endpoint, revocation

/** Zoom documents HTTP Basic only; credentials in the form body are refused here (Nango's habit is unconfirmed). */
function authenticate(ctx: ZoomContext, req: Request, form: URLSearchParams): ZoomClient | null {
  const { clientId, clientSecret, via } = clientCredentials(req, form);
  if (via !== "basic") return null;
  const client = ctx.options.clients.find((c) => c.clientId === clientId);
  if (!client || clientSecret === null || !constantTimeEqual(client.clientSecret, clientSecret)) return null;
  return client;
}

const invalidClient = () => oauthError("invalid_client", "Invalid client_id or client_secret", 401);

async function s256(verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

function issueTokens(ctx: ZoomContext, grant: Grant) {
  // Zoom's tokens are JWT-looking strings; opaque random ones stand in (the app must not read them)
  const accessToken = randomToken("eyJzbS.access.", 48);
  const refreshToken = randomToken("eyJzbS.refresh.", 48);
  ctx.store.accessTokens.set(accessToken, { grantId: grant.id, expiresAtMs: ctx.now() + ACCESS_TOKEN_TTL_SECONDS * 1000, revoked: false });
  ctx.store.refreshTokens.set(refreshToken, { grantId: grant.id, used: false });
  return {
    access_token: accessToken,
    token_type: "bearer",
    refresh_token: refreshToken,
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
    scope: grant.scopes.join(" "),
    api_url: `${ctx.options.publicUrl}${ZOOM_PREFIX}`,
  };
}

async function exchangeCode(ctx: ZoomContext, client: ZoomClient, form: URLSearchParams): Promise<Response> {
  const redeemed = ctx.codes.redeem(form.get("code") ?? "");
  if (!redeemed.ok) return oauthError("invalid_grant", "Invalid authorization code");
  const payload = redeemed.payload;
  if (payload.clientId !== client.clientId) return oauthError("invalid_grant", "Invalid authorization code");
  if (form.get("redirect_uri") !== payload.redirectUri) return oauthError("invalid_request", "Redirect URI mismatch.");
  if (payload.codeChallenge !== null) {
    const verifier = form.get("code_verifier");
    const expected = payload.codeChallengeMethod === "S256" && verifier ? await s256(verifier) : verifier;
    if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !constantTimeEqual(expected ?? "", payload.codeChallenge)) {
      return oauthError("invalid_request", "Invalid code_verifier");
    }
  }
  // Re-authorizing invalidates the user's previous tokens for this app (providers.md §3, Z3).
  for (const grant of ctx.store.grants.values()) {
    if (grant.clientId === client.clientId && grant.userId === payload.userId && !grant.revoked) revokeGrant(ctx, grant);
  }
  const grant: Grant = { id: crypto.randomUUID(), clientId: client.clientId, userId: payload.userId, scopes: payload.scopes, revoked: false, createdAtMs: ctx.now() };
  ctx.store.grants.set(grant.id, grant);
  return json(issueTokens(ctx, grant), 200, { "cache-control": "no-store" });
}

/** Rotating refresh tokens: each one is single-use; the new one replaces it (providers.md §3, Z3/Z7). */
function useRefreshToken(ctx: ZoomContext, client: ZoomClient, form: URLSearchParams): Response {
  const entry = ctx.store.refreshTokens.get(form.get("refresh_token") ?? "");
  const grant = entry && ctx.store.grants.get(entry.grantId);
  if (!entry || !grant || entry.used || grant.revoked || grant.clientId !== client.clientId) return oauthError("invalid_grant", "Invalid Token!");
  entry.used = true;
  return json(issueTokens(ctx, grant), 200, { "cache-control": "no-store" });
}

/** Zoom reads the grant's parameters from the query string or the form body (providers.md §3). */
async function params(req: Request): Promise<URLSearchParams> {
  const form = await readForm(req);
  for (const [name, value] of new URL(req.url).searchParams) if (!form.has(name)) form.set(name, value);
  return form;
}

export async function handleToken(ctx: ZoomContext, req: Request): Promise<Response> {
  const form = await params(req);
  const grantType = form.get("grant_type");
  const outage = await zoomOutage(ctx.failures.take("token"), ctx.now(), () => oauthError("invalid_grant", grantType === "refresh_token" ? "Invalid Token!" : "Invalid authorization code"));
  if (outage) return outage;
  if (grantType !== "authorization_code" && grantType !== "refresh_token") return oauthError("unsupported_grant_type", "Unsupported grant type");
  const client = authenticate(ctx, req, form);
  if (!client) return invalidClient();
  return grantType === "authorization_code" ? await exchangeCode(ctx, client, form) : useRefreshToken(ctx, client, form);
}

function revokeGrant(ctx: ZoomContext, grant: Grant): void {
  grant.revoked = true;
  for (const t of ctx.store.accessTokens.values()) if (t.grantId === grant.id) t.revoked = true;
  for (const t of ctx.store.refreshTokens.values()) if (t.grantId === grant.id) t.used = true;
}

/**
 * POST /oauth/revoke?token=… (or form), Basic auth: revokes the grant behind an access or refresh token (all its
 * tokens) -> 200 {"status":"success"}. An unknown token is 400 invalid_request (the sandbox's choice).
 */
export async function handleRevoke(ctx: ZoomContext, req: Request): Promise<Response> {
  const form = await params(req);
  const outage = await zoomOutage(ctx.failures.take("revoke"), ctx.now(), () => oauthError("invalid_request", "Invalid Token!"));
  if (outage) return outage;
  const client = authenticate(ctx, req, form);
  if (!client) return invalidClient();
  const token = form.get("token");
  if (!token) return oauthError("invalid_request", "Missing token");
  const grantId = ctx.store.accessTokens.get(token)?.grantId ?? ctx.store.refreshTokens.get(token)?.grantId;
  const grant = grantId ? ctx.store.grants.get(grantId) : undefined;
  if (!grant || grant.clientId !== client.clientId) return oauthError("invalid_request", "Invalid Token!");
  if (!grant.revoked) {
    revokeGrant(ctx, grant);
    ctx.store.revocations.push({ at: new Date(ctx.now()).toISOString(), kind: "token_revoke" });
  }
  return json({ status: "success" });
}
