// The shape of one provider entry, and of the lifecycle hooks handed to the engine beside it. Entries are data (they
// import types and configuration only: the dependency check enforces it); the engine (engine.ts) is the only code
// that runs an OAuth flow, so a new provider is a new file in providers/ (defineProvider, providers/define.ts) and a
// line in registry.ts. Hooks that need a provider's API client or the database (Fathom's webhook and import, Discord's
// webhook deletion) live with that provider's code and are passed in by the handlers (_shared/lifecycle.ts), so the
// registry never reaches them.

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
  /** the stored destination secret (webhook URL ...), decrypted lazily; null when there is none */
  destinationSecret: () => Promise<DestinationSecret | null>;
}

/** What a disconnect left behind at the provider, for the team to see (our own sentence, never provider text). */
export interface DisconnectWarning {
  code: "webhook_cleanup_failed";
  message: string;
}

export interface DisconnectOutcome {
  warning: DisconnectWarning | null;
}

/**
 * What became of the grant at the provider when a connection was removed (engine.ts disconnect): `revoked` true
 * (the provider confirmed), false (it answered an error, timed out or was unreachable: the grant may still be
 * alive there), null (nothing to revoke: the entry declares no revocation, or no token was stored). `message`: when
 * not confirmed, a sentence saying where the person removes the app (the entry's `removeApp`), else null.
 */
export interface RevocationReport {
  revoked: boolean | null;
  message: string | null;
}

/**
 * Where a chat provider posts, as the team may see it (team_integrations.destination, contract of issue 9): Slack
 * `#sales` in workspace "Acme Sales"; Discord channel null (its token response does not name it) in guild "Acme".
 */
export interface Destination {
  channel: string | null;
  channelId: string | null;
  workspace: string | null;
  workspaceId: string | null;
}

/**
 * The destination's credential (a webhook URL is a bearer secret): stored encrypted only
 * (destination_secret_encrypted), never sent to the browser or logged. Slack `{url}`; Discord also the webhook's id
 * and token (to delete it).
 */
export interface DestinationSecret {
  url: string;
  webhookId?: string;
  webhookToken?: string;
}

/**
 * What an entry picks from a token response besides the tokens, unchecked: Slack `{url}`; Discord the webhook's id
 * and token (its `url` is not read: the URL is built from them). destination.ts checks it and settles the URL.
 */
export interface PickedDestination {
  destination: Destination;
  secret: Partial<DestinationSecret>;
}

/** What is kept: checked, and `secret.url` is the pinned, normalised URL we will call. */
export interface KeptDestination {
  destination: Destination;
  secret: DestinationSecret;
}

/** The provider's configured endpoints (resolved at call time: the environment may point them at a sandbox). */
export interface ProviderUrls {
  /** `<P>_AUTHORIZE_URL` or the real default */
  authorizeUrl: () => string;
  /** `<P>_TOKEN_URL` or the real default */
  tokenUrl: () => string;
  /** `<P>_API_BASE_URL` or the real default, without a trailing slash */
  apiBaseUrl: () => string;
}

/**
 * How the engine revokes a grant at disconnect (best effort, time-boxed: it never blocks or fails the disconnect).
 * - `rfc7009`: POST `url` form `token` + `token_type_hint` with the client's authentication (RFC 7009 §2.1); the
 *   refresh token when one is stored (it outlives the access token), else the access token.
 * - `bearer`: POST `url` with `Authorization: Bearer <access token>` (Slack `auth.revoke`); with `okFlag`, an HTTP 200
 *   `{"ok": false}` is a failure.
 */
export type Revocation =
  | { style: "rfc7009"; url: (urls: ProviderUrls) => string }
  | { style: "bearer"; url: (urls: ProviderUrls) => string; okFlag?: boolean };

/** Token-endpoint quirks, declared per entry and applied by ONE classifier (token-response.ts) for code and refresh. */
export interface TokenResponseQuirks {
  /** token_type to assume when the provider leaves it out (oauth4webapi requires the member) */
  defaultTokenType?: "bearer";
  /**
   * token_type values (lower case) that are bearer tokens under another name (Slack's `bot`). Anything that is not
   * `bearer` or listed here is invalid_token_response.
   */
  bearerAliases?: readonly string[];
  /** refuse a response without a positive expires_in */
  requireExpiresIn?: boolean;
  /**
   * Errors hide in an HTTP 200 body `{"ok": false, "error": "<code>"}` (Slack). `knownErrors` are the codes that may
   * be logged or stored (anything else is "other": provider text is never logged).
   */
  okFlag?: { knownErrors: readonly string[] };
  /** error codes of a refresh that mean the grant is gone (needs_reauth); default ["invalid_grant"] */
  reauthErrors?: readonly string[];
}

/** What an entry declares (defineProvider derives the rest from `id`). */
export interface ProviderSpec {
  id: ProviderId;
  displayName: string;
  /** the real provider's endpoints, used when `<P>_AUTHORIZE_URL` / `_TOKEN_URL` / `_API_BASE_URL` are unset */
  defaults: { authorizeUrl: string; tokenUrl: string; apiBaseUrl: string };
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
  /**
   * The User-Agent the provider asks every HTTP client to send (Discord: `DiscordBot ($url, $versionNumber)`,
   * reference.mdx "User Agent"). Every call the hub makes to the provider carries it: token and refresh grants,
   * identity, revocation, and the provider's own code (webhook posts and deletes) through `requestHeaders()`.
   * Left out: the runtime's default.
   */
  userAgent?: () => string;
  /** extra authorization request parameters (e.g. Slack's user_scope) */
  authorizationParams?: Record<string, string>;
  tokenResponse?: TokenResponseQuirks;
  /**
   * What to keep from the code exchange's token response besides the tokens (chat providers: the webhook the person
   * picked on the consent screen). A pure function of the JSON: null when the response lacks it, which fails the
   * connection with invalid_token_response (a chat provider without a destination is useless). The engine then
   * pins the URL under the provider's webhook base URL (`webhooks`) and cleans the strings (destination.ts).
   */
  destination?: (body: Record<string, unknown>) => PickedDestination | null;
  /**
   * Chat providers: where their webhooks live (webhook-url.ts). `base`: the real provider's webhook base URL, ending
   * in `/` (a URL passes only when its normalised href starts with it), or a function of the configured endpoints
   * (Discord: `<API base>/webhooks/`); `<P>_WEBHOOK_BASE_URL` overrides it. `build`: when the provider names a
   * webhook by parts, the ONE builder of its URL from them under `base` (the normalised base, ending in `/`); null
   * when the parts are not well formed. Pure.
   */
  webhooks?: {
    base: string | ((urls: ProviderUrls) => string);
    build?: (secret: Partial<DestinationSecret>, base: string) => string | null;
  };
  /** how to revoke the grant at disconnect; null when the provider has none (say where the user removes the app) */
  revocation: Revocation | null;
  /**
   * Where the person removes the app at the provider themselves, as the end of a sentence after "remove the app"
   * would start it: "remove the app in Zoom's App Marketplace (Manage > Added apps)". Shown when a revocation was not
   * confirmed (RevocationReport) and by the dialogs' disconnect text.
   */
  removeApp: string;
  /**
   * Where the connected account's identity is, declaratively; the engine reads it (identify.ts). Leave it out when
   * only code can tell (Fathom: ProviderHooks.identifyAccount).
   * - `token_response`: `read` gets the validated token response body (Slack's `team` rides along in it);
   * - `userinfo`: the engine GETs `<apiBaseUrl><path>` with the new token (bearer, JSON); `read` gets the object.
   * `read` is a pure function of the JSON: no I/O.
   */
  identity?:
    | { source: "token_response"; read: (body: Record<string, unknown>) => AccountIdentity | null }
    | { source: "userinfo"; path: string; read: (body: Record<string, unknown>) => AccountIdentity | null };
}

/** A provider entry: its spec plus the names and URLs derived from its id (define.ts). */
export interface ProviderDefinition extends ProviderSpec, ProviderUrls {
  /** `<P>_CLIENT_ID`, `<P>_CLIENT_SECRET` */
  clientIdEnv: string;
  clientSecretEnv: string;
  /** `<id>-oauth-callback`: the edge function that receives the redirect (one per provider: codes can't cross) */
  callbackFunction: string;
  /** `/<id>-callback.html`: the app's page the callback redirects to when it has no stored redirectUri */
  callbackPage: string;
  /** Headers every request to the provider carries: `{"user-agent": userAgent()}` when the entry declares one, else {}. */
  requestHeaders: () => Record<string, string>;
  /** `<P>_WEBHOOK_BASE_URL` or the entry's `webhooks.base`; null for providers that do not post. Throws when unparsable. */
  webhookBaseUrl: () => string | null;
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
