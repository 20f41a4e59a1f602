// The authorization-code exchange, on oauth4webapi: it builds the form body, authenticates the client as the
// provider entry says, and validates the response. This module only adds what the library leaves to us: a timeout,
// provider quirks declared in the entry, and the classification of failures into our error codes:
//   network error, timeout, 5xx, 429      -> provider_unavailable   (worth retrying later)
//   other 4xx (invalid_grant, ...)         -> token_exchange_failed  (this code is spent)
//   2xx that is not a valid token response -> invalid_token_response
import * as oauth from "oauth4webapi";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import type { ProviderDefinition, TokenSet } from "./types.ts";

export interface ClientConfig {
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** the callback URL, identical to the one in the authorization request (RFC 9700 §2.1) */
  redirectUri: string;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Plain http only to a loopback host: the local sandbox and tests. Real providers must be https. */
export function allowsInsecure(url: string): boolean {
  const parsed = new URL(url);
  return parsed.protocol === "http:" && LOOPBACK.has(parsed.hostname);
}

export function authorizationServer(provider: ProviderDefinition, config: ClientConfig): oauth.AuthorizationServer {
  return {
    issuer: provider.issuer ?? new URL(config.authorizeUrl).origin,
    authorization_endpoint: config.authorizeUrl,
    token_endpoint: config.tokenUrl,
  };
}

export function clientAuthentication(provider: ProviderDefinition, config: ClientConfig): oauth.ClientAuth {
  return provider.clientAuth === "client_secret_basic"
    ? oauth.ClientSecretBasic(config.clientSecret)
    : oauth.ClientSecretPost(config.clientSecret);
}

/** Apply the entry's declared token-response quirks before oauth4webapi validates the body. */
export async function normalizeTokenResponse(provider: ProviderDefinition, response: Response): Promise<Response> {
  const defaultTokenType = provider.tokenResponse?.defaultTokenType;
  if (!defaultTokenType || response.status !== 200) return response;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, response); // let the library reject it
  }
  if (body && typeof body === "object" && !Array.isArray(body) && !("token_type" in body)) {
    (body as Record<string, unknown>).token_type = defaultTokenType;
  }
  return new Response(JSON.stringify(body), response);
}

export async function exchangeCode(
  provider: ProviderDefinition,
  config: ClientConfig,
  callbackUrl: URL,
  expectedState: string,
  codeVerifier: string | null,
  timeoutMs: number,
): Promise<TokenSet> {
  const as = authorizationServer(provider, config);
  const client: oauth.Client = { client_id: config.clientId };

  const params = new URLSearchParams(callbackUrl.searchParams);
  // Without a published issuer there is nothing to compare `iss` with (see ProviderDefinition.issuer).
  if (!provider.issuer) params.delete("iss");
  let callbackParams: URLSearchParams;
  try {
    callbackParams = oauth.validateAuthResponse(as, client, params, expectedState);
  } catch (err) {
    logError(`${provider.id} callback`, err);
    throw new AppError("authorization_failed", "The authorization response was not valid.");
  }

  let response: Response;
  try {
    response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuthentication(provider, config),
      callbackParams,
      config.redirectUri,
      codeVerifier ?? oauth.nopkce,
      { signal: AbortSignal.timeout(timeoutMs), [oauth.allowInsecureRequests]: allowsInsecure(config.tokenUrl) },
    );
  } catch (err) {
    logError(`${provider.id} token request`, err);
    throw new AppError("provider_unavailable", `${provider.displayName} could not be reached.`);
  }

  if (response.status >= 500 || response.status === 429 || (response.status >= 300 && response.status < 400)) {
    await response.body?.cancel();
    console.error(`[${provider.id} token request] token endpoint answered ${response.status}`);
    throw new AppError("provider_unavailable", `${provider.displayName} is unavailable. Please try again later.`);
  }

  let result: oauth.TokenEndpointResponse;
  try {
    result = await oauth.processAuthorizationCodeResponse(as, client, await normalizeTokenResponse(provider, response));
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError) {
      // RFC 6749 error code only (e.g. invalid_grant); error_description is provider free text
      console.error(`[${provider.id} token request] ${response.status} ${oauthErrorCode(err.error)}`);
      throw new AppError("token_exchange_failed", `${provider.displayName} refused the authorization code.`);
    }
    if (response.status !== 200) {
      console.error(`[${provider.id} token request] token endpoint answered ${response.status}`);
      throw new AppError("token_exchange_failed", `${provider.displayName} refused the authorization code.`);
    }
    if (err instanceof DOMException || err instanceof TypeError && !(err as { code?: unknown }).code) {
      // the body stream was cut (e.g. the timeout fired mid-body)
      logError(`${provider.id} token response`, err);
      throw new AppError("provider_unavailable", `${provider.displayName} could not be reached.`);
    }
    logError(`${provider.id} token response`, err);
    throw new AppError("invalid_token_response", `${provider.displayName} sent an unexpected token response.`);
  }

  const expiresIn = result.expires_in ?? null;
  if (expiresIn !== null ? !(expiresIn > 0) : provider.tokenResponse?.requireExpiresIn) {
    console.error(`[${provider.id} token response] missing or non-positive expires_in`);
    throw new AppError("invalid_token_response", `${provider.displayName} sent an unexpected token response.`);
  }

  return {
    accessToken: result.access_token,
    refreshToken: result.refresh_token ?? null,
    expiresIn,
    scope: result.scope ?? null,
    raw: result as unknown as Record<string, unknown>,
  };
}

/** RFC 6749 §5.2's error codes; anything else a token endpoint puts in `error` is free text we neither log nor store. */
const OAUTH_ERROR_CODES = new Set([
  "invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope",
  "access_denied", "server_error", "temporarily_unavailable",
]);

/** The token endpoint's `error` when it is one of RFC 6749's codes, else "other". */
export function oauthErrorCode(value: unknown): string {
  return typeof value === "string" && OAUTH_ERROR_CODES.has(value) ? value : "other";
}
