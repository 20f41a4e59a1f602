// Revoking a grant at disconnect, as the entry declares (types.ts Revocation): Discord's RFC 7009 endpoint (via
// oauth4webapi), Slack's auth.revoke with the bearer token; nothing for providers without one (Fathom, Typeform).
// Best effort by contract: time-boxed, never throws, and the disconnect has already removed the row when this runs.
// Logs carry the provider, the HTTP status or our own word: never a token or provider text.
import * as oauth from "oauth4webapi";
import { oauthHttpTimeoutMs } from "../env.ts";
import { allowsInsecure, authorizationServer, clientAuthentication, clientConfig } from "./exchange.ts";
import type { ProviderDefinition } from "./types.ts";

/** A revocation never holds a disconnect longer than this (ms), whatever OAUTH_HTTP_TIMEOUT_MS says. */
export const MAX_REVOKE_MS = 5_000;

export type RevokeOutcome = "revoked" | "failed" | "none";

export interface GrantTokens {
  accessToken: string | null;
  refreshToken: string | null;
}

function log(provider: ProviderDefinition, what: string): void {
  console.error(`[${provider.id} revoke] ${what}`);
}

/** Revoke the grant behind these tokens at the provider. Never throws. */
export async function revokeGrant(provider: ProviderDefinition, tokens: GrantTokens): Promise<RevokeOutcome> {
  const revocation = provider.revocation;
  if (!revocation) return "none";
  const signal = AbortSignal.timeout(Math.min(oauthHttpTimeoutMs(), MAX_REVOKE_MS));
  try {
    const url = revocation.url(provider);
    const insecure = allowsInsecure(url);
    if (revocation.style === "rfc7009") {
      // the refresh token outlives the access token; revoking either ends the whole authorization (Discord, D1)
      const [token, hint] = tokens.refreshToken
        ? [tokens.refreshToken, "refresh_token"]
        : [tokens.accessToken, "access_token"];
      if (!token) return "none";
      const config = clientConfig(provider);
      const as = { ...authorizationServer(provider, config), revocation_endpoint: url };
      const response = await oauth.revocationRequest(
        as,
        { client_id: config.clientId },
        clientAuthentication(provider, config),
        token,
        {
          additionalParameters: { token_type_hint: hint },
          headers: provider.requestHeaders(),
          signal,
          [oauth.allowInsecureRequests]: insecure,
        },
      );
      const status = response.status;
      try {
        await oauth.processRevocationResponse(response);
      } catch {
        log(provider, `revocation endpoint answered ${status}`);
        return "failed";
      }
      return "revoked";
    }

    if (!tokens.accessToken) return "none";
    // the bearer token goes to https only (or to a loopback sandbox), as oauth4webapi enforces for RFC 7009
    if (new URL(url).protocol !== "https:" && !insecure) {
      log(provider, "refused a revocation URL that is not https");
      return "failed";
    }
    const response = await fetch(url, {
      method: "POST",
      headers: { ...provider.requestHeaders(), authorization: `Bearer ${tokens.accessToken}` },
      signal,
      redirect: "manual",
    });
    if (!response.ok) {
      await response.body?.cancel();
      log(provider, `revocation endpoint answered ${response.status}`);
      return "failed";
    }
    if (revocation.okFlag) {
      const body: unknown = await response.json().catch(() => null);
      if (!body || typeof body !== "object" || (body as { ok?: unknown }).ok !== true) {
        log(provider, "revocation endpoint answered ok:false");
        return "failed";
      }
    } else {
      await response.body?.cancel();
    }
    return "revoked";
  } catch (err) {
    const timedOut = err instanceof DOMException && (err.name === "TimeoutError" || err.name === "AbortError");
    log(provider, timedOut ? "timed out" : "unreachable or not configured");
    return "failed";
  }
}
