// The authorization-code exchange, on oauth4webapi: it builds the form body and authenticates the client as the
// provider entry says; token-response.ts classifies the answer (the same classifier the refresh uses), and this
// module maps it to our error codes:
//   network error, timeout, 3xx, 5xx, 429           -> provider_unavailable   (worth retrying later)
//   other 4xx, HTTP 200 {"ok": false} (Slack)       -> token_exchange_failed  (this code is spent)
//   2xx that is not a valid token response          -> invalid_token_response
import * as oauth from "oauth4webapi";
import { optionalSecret, supabaseUrl } from "../env.ts";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import { classifyRequestError, classifyTokenResponse, type TokenAnswer } from "./token-response.ts";
import type { ProviderDefinition, TokenSet } from "./types.ts";

/** Client credentials and endpoints, or 503 provider_not_configured when the secrets are not set. */
export function clientConfig(provider: ProviderDefinition): ClientConfig {
  const clientId = optionalSecret(provider.clientIdEnv);
  const clientSecret = optionalSecret(provider.clientSecretEnv);
  if (!clientId || !clientSecret) {
    throw new AppError("provider_not_configured", `${provider.displayName} is not configured on this server.`);
  }
  return {
    clientId,
    clientSecret,
    authorizeUrl: provider.authorizeUrl(),
    tokenUrl: provider.tokenUrl(),
    redirectUri: `${supabaseUrl()}/functions/v1/${provider.callbackFunction}`,
  };
}

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
  // Without a published issuer there is nothing to compare `iss` with (see ProviderSpec.issuer).
  if (!provider.issuer) params.delete("iss");
  let callbackParams: URLSearchParams;
  try {
    callbackParams = oauth.validateAuthResponse(as, client, params, expectedState);
  } catch (err) {
    logError(`${provider.id} callback`, err);
    throw new AppError("authorization_failed", "The authorization response was not valid.");
  }

  const grant = "authorization_code";
  let answer: TokenAnswer;
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuthentication(provider, config),
      callbackParams,
      config.redirectUri,
      codeVerifier ?? oauth.nopkce,
      {
        headers: provider.requestHeaders(),
        signal: AbortSignal.timeout(timeoutMs),
        [oauth.allowInsecureRequests]: allowsInsecure(config.tokenUrl),
      },
    );
    answer = await classifyTokenResponse(provider, grant, as, client, response);
  } catch (err) {
    answer = classifyRequestError(provider, grant, err);
  }
  switch (answer.kind) {
    case "ok":
      return answer.tokens;
    case "unavailable":
    case "unknown":
      throw new AppError("provider_unavailable", `${provider.displayName} is unavailable. Please try again later.`);
    case "refused":
      throw new AppError("token_exchange_failed", `${provider.displayName} refused the authorization code.`);
    case "invalid":
      throw new AppError("invalid_token_response", `${provider.displayName} sent an unexpected token response.`);
  }
}
