// The shape of one provider entry, and of the lifecycle hooks handed to the engine beside it. Entries are data (they
// import types and configuration only: the dependency check enforces it); the engine (engine.ts) is the only code
// that runs an OAuth flow, so a new provider is a new file in providers/ and a line in registry.ts. Hooks that need
// a provider's API client or the database (Fathom's webhook and import) live with that provider's code and are
// passed in by the handlers (_shared/lifecycle.ts), so the registry never reaches them.

export type ProviderId = "fathom" | "discord" | "slack" | "zoom" | "typeform";

/** What the token endpoint returned, after validation (tokens are plaintext here: never log this). */
export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** seconds; null when the provider does not say (the token then has no known expiry) */
  expiresIn: number | null;
  scope: string | null;
  /** the full validated JSON body, for providers whose identity rides along in it (Slack) */
  raw: Record<string, unknown>;
}

export interface AccountIdentity {
  id: string | null;
  name: string | null;
  email: string | null;
}

export interface IdentifyContext {
  accessToken: string;
  tokenSet: TokenSet;
  /** the hook must give up by then: identity is optional and never fails a connection */
  signal: AbortSignal;
}

export interface ConnectionContext {
  teamId: string;
  integrationId: string;
  /** decrypts lazily: hooks that need no token never touch it */
  accessToken: () => Promise<string | null>;
}

/** What a disconnect left behind at the provider, for the team to see (our own sentence, never provider text). */
export interface DisconnectWarning {
  code: "webhook_cleanup_failed";
  message: string;
}

export interface DisconnectOutcome {
  warning: DisconnectWarning | null;
}

export interface ProviderDefinition {
  id: ProviderId;
  displayName: string;
  /** resolved at call time: the environment may point them at a sandbox */
  authorizeUrl: () => string;
  tokenUrl: () => string;
  /**
   * RFC 9207 issuer, when the provider publishes one. Without it the engine ignores an `iss` callback parameter;
   * mix-up is prevented by one callback URL per provider and state bound to its provider.
   */
  issuer?: string;
  scopes: string[];
  scopeSeparator: " " | ",";
  clientAuth: "client_secret_post" | "client_secret_basic";
  /** PKCE S256 where the provider supports it (RFC 9700 §2.1.1) */
  pkce: boolean;
  /** extra authorization request parameters (e.g. Slack's user_scope) */
  authorizationParams?: Record<string, string>;
  clientIdEnv: string;
  clientSecretEnv: string;
  tokenResponse?: {
    /** token_type to assume when the provider leaves it out (oauth4webapi requires the member) */
    defaultTokenType?: "bearer";
    /** refuse a response without a positive expires_in */
    requireExpiresIn?: boolean;
  };
  /** the edge function that receives the redirect: one per provider, so codes can't cross providers */
  callbackFunction: string;
  /** the app's static page the callback redirects to when it has no stored redirectUri */
  callbackPage: string;
  /**
   * Where the connected account's identity is, declaratively; the engine reads it (identify.ts). Leave it out when
   * only code can tell (Fathom: ProviderHooks.identifyAccount).
   * - `token_response`: `read` gets the validated token response body (Slack's `team` rides along in it);
   * - `userinfo`: the engine GETs `url()` with the new token (bearer, JSON) and `read` gets the JSON object.
   * `read` is a pure function of the JSON: no I/O, no imports.
   */
  identity?:
    | { source: "token_response"; read: (body: Record<string, unknown>) => AccountIdentity | null }
    | { source: "userinfo"; url: () => string; read: (body: Record<string, unknown>) => AccountIdentity | null };
}

/**
 * What a provider does around a connection beyond OAuth (all optional; every one is best effort and never fails the
 * connect or the disconnect). Assembled outside the registry (_shared/lifecycle.ts) and passed to the engine.
 */
export interface ProviderHooks {
  /** who did we connect to, when the entry's declarative `identity` cannot say; wins over it */
  identifyAccount?: (ctx: IdentifyContext) => Promise<AccountIdentity | null>;
  /**
   * A reconnect is about to replace the stored tokens: clean up what only the OLD account can (its ctx.accessToken
   * and the integration's stored tokens are still the old account's). Best effort; must not throw for the
   * provider's sake.
   */
  beforeReplace?: (ctx: ConnectionContext) => Promise<void>;
  afterConnect?: (ctx: ConnectionContext) => Promise<void>;
  beforeDisconnect?: (ctx: ConnectionContext) => Promise<DisconnectOutcome | void>;
}

/** The hooks for a provider id (confirming learns the provider from the stored row, so it takes the lookup). */
export type HooksFor = (id: ProviderId) => ProviderHooks;
