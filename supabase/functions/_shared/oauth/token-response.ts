// The ONE classification of a token endpoint's answer, for the code exchange (exchange.ts) and the refresh
// (refresh.ts) alike. oauth4webapi validates the RFC 6749 shape; this module adds the quirks an entry declares
// (types.ts TokenResponseQuirks) and sorts every outcome into:
//   ok           a valid token response (tokens plaintext: never log them)
//   unavailable  network error, 3xx, 429, 5xx: nothing was granted, worth retrying later
//   unknown      timed out or cut off after the request left: the provider may have acted on it (spent the code or
//                rotated the refresh token)
//   refused      4xx, or HTTP 200 {"ok": false} where the entry says errors hide there (Slack): the code / refresh
//                token was refused; `error` is an RFC 6749 code or one the entry lists, else "other"
//   invalid      a 2xx that is not a usable token response: no access_token, a token_type we cannot use (not bearer
//                nor a declared alias such as Slack's "bot"), expires_in not positive, or missing where required, an
//                access or refresh token longer than MAX_TOKEN_LENGTH
// Only our own words, the HTTP status and such codes are ever logged: error_description and any other provider text
// never are.
import * as oauth from "oauth4webapi";
import type { ProviderDefinition, TokenSet } from "./types.ts";

export type TokenAnswer =
  | { kind: "ok"; tokens: TokenSet }
  | { kind: "unavailable"; reason: string }
  | { kind: "unknown"; reason: string }
  | { kind: "refused"; error: string }
  | { kind: "invalid"; reason: string };

export type Grant = "authorization_code" | "refresh_token";

/** The longest lifetime we store, so the timestamp arithmetic cannot overflow (seconds). */
const MAX_EXPIRES_IN = 10 * 365 * 24 * 3600;

/**
 * The longest access or refresh token we store (characters). Real ones are far shorter (Slack ~80, Discord ~30,
 * JWTs ~1-2 KB); a longer one is a broken or hostile endpoint, and would be encrypted and stored on every refresh.
 */
export const MAX_TOKEN_LENGTH = 8 * 1024;

/** RFC 6749 §5.2's error codes; anything else a token endpoint puts in `error` is free text we neither log nor store. */
const OAUTH_ERROR_CODES = new Set([
  "invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope",
  "access_denied", "server_error", "temporarily_unavailable",
]);

/** The token endpoint's `error` when it is one of RFC 6749's codes (or `extra`), else "other". */
export function oauthErrorCode(value: unknown, extra: readonly string[] = []): string {
  return typeof value === "string" && (OAUTH_ERROR_CODES.has(value) || extra.includes(value)) ? value : "other";
}

/** The refresh errors that mean the grant is gone (needs_reauth) for this provider. */
export function reauthErrors(provider: ProviderDefinition): readonly string[] {
  return provider.tokenResponse?.reauthErrors ?? ["invalid_grant"];
}

function log(provider: ProviderDefinition, grant: Grant, what: string): void {
  console.error(`[${provider.id} ${grant}] ${what}`);
}

/** A token request that threw before any answer was read: a timeout may have reached the provider. */
export function classifyRequestError(provider: ProviderDefinition, grant: Grant, err: unknown): TokenAnswer {
  if (err instanceof DOMException && (err.name === "TimeoutError" || err.name === "AbortError")) {
    log(provider, grant, "token endpoint timed out");
    return { kind: "unknown", reason: "timeout" };
  }
  log(provider, grant, "token endpoint unreachable");
  return { kind: "unavailable", reason: "unreachable" };
}

/** Classify the token endpoint's answer (consumes its body). Never throws. */
export async function classifyTokenResponse(
  provider: ProviderDefinition,
  grant: Grant,
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  response: Response,
): Promise<TokenAnswer> {
  const status = response.status;
  if (status >= 500 || status === 429 || (status >= 300 && status < 400)) {
    await response.body?.cancel().catch(() => {});
    log(provider, grant, `token endpoint answered ${status}`);
    return { kind: "unavailable", reason: `status_${status}` };
  }
  const quirks = provider.tokenResponse ?? {};
  let text: string;
  try {
    text = await response.text();
  } catch {
    log(provider, grant, `token response cut off (${status})`);
    return { kind: "unknown", reason: "body_cut" };
  }

  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: oauth4webapi refuses it below
  }
  const object = body && typeof body === "object" && !Array.isArray(body) ? body as Record<string, unknown> : null;
  if (status === 200 && object) {
    if (quirks.okFlag && object.ok !== true) {
      const error = oauthErrorCode(object.error, quirks.okFlag.knownErrors);
      log(provider, grant, `token endpoint answered 200 ok:false ${error}`);
      return { kind: "refused", error };
    }
    if (quirks.defaultTokenType && !("token_type" in object)) object.token_type = quirks.defaultTokenType;
    text = JSON.stringify(object);
  }

  const aliases = quirks.bearerAliases ?? [];
  const rebuilt = new Response(text, { status, statusText: response.statusText, headers: response.headers });
  const options = { recognizedTokenTypes: Object.fromEntries(aliases.map((alias) => [alias, () => {}])) };
  let result: oauth.TokenEndpointResponse;
  try {
    result = grant === "authorization_code"
      ? await oauth.processAuthorizationCodeResponse(as, client, rebuilt, options)
      : await oauth.processRefreshTokenResponse(as, client, rebuilt, options);
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError) {
      const error = oauthErrorCode(err.error, quirks.okFlag?.knownErrors);
      log(provider, grant, `token endpoint answered ${status} ${error}`);
      return { kind: "refused", error };
    }
    if (status !== 200) {
      log(provider, grant, `token endpoint answered ${status}`);
      return { kind: "refused", error: "other" };
    }
    log(provider, grant, "invalid token response");
    return { kind: "invalid", reason: "shape" };
  }

  // oauth4webapi lets DPoP through; we hold no DPoP key, so only bearer tokens (and declared aliases) are usable
  if (result.token_type !== "bearer" && !aliases.includes(result.token_type)) {
    log(provider, grant, "invalid token response: token_type");
    return { kind: "invalid", reason: "token_type" };
  }
  if (result.access_token.length > MAX_TOKEN_LENGTH || (result.refresh_token?.length ?? 0) > MAX_TOKEN_LENGTH) {
    log(provider, grant, "invalid token response: token too long");
    return { kind: "invalid", reason: "token_length" };
  }
  const expiresIn = result.expires_in ?? null;
  if (expiresIn !== null ? !(expiresIn > 0) : quirks.requireExpiresIn) {
    log(provider, grant, "invalid token response: missing or non-positive expires_in");
    return { kind: "invalid", reason: "expires_in" };
  }
  return {
    kind: "ok",
    tokens: {
      accessToken: result.access_token,
      refreshToken: result.refresh_token ?? null,
      expiresIn: expiresIn === null ? null : Math.min(expiresIn, MAX_EXPIRES_IN),
      scope: result.scope ?? null,
      raw: result as unknown as Record<string, unknown>,
    },
  };
}
