// The part of Supabase Auth (GoTrue) that supabase-js v2 uses, served under /auth/v1 against the
// auth.* tables. Behind it sits what Supabase's Kong does first: CORS and the `apikey` check.
// With "Confirm email" on (config.toml, as on hosted Supabase) sign-up answers the user without a session and mails
// a confirmation link to the local mailbox (mailbox.ts); GET /verify opens it once.
import type postgres from "postgres";
import { z } from "zod";
// the gateway runs the functions and shares their guard against postgres.js's lost-connection crash
import { guardedBegin } from "../../supabase/functions/_shared/pg-transaction.ts";
// and its value-free error description for logs
import { describeError } from "../../supabase/functions/_shared/http.ts";
import { mintAccessToken } from "./auth/access-token.ts";
import { confirmByToken, confirmationTokenHash, newConfirmationToken, redirectPicker, withFragment } from "./auth/confirmations.ts";
import {
  API_VERSION_2024_01_01,
  API_VERSION_HEADER,
  AuthError,
  authErrorBody,
  badJwt,
  invalidCredentials,
  noAuthorization,
  validationFailed,
  wantsVersionedErrors,
} from "./auth/errors.ts";
import { hashPassword, passwordMatches } from "./auth/passwords.ts";
import {
  endSessions,
  findSession,
  type IssuedSession,
  type LogoutScope,
  rotateRefreshToken,
  startSession,
} from "./auth/session-store.ts";
import { findUserByEmail, findUserById, isUuid, listIdentities, type UserRow, userJson } from "./auth/user-store.ts";
import { corsHeaders, isPreflight, preflightResponse } from "./cors.ts";
import { jsonResponse, withHeaders } from "./http.ts";
import { bearerToken, verifyHs256 } from "./jwt.ts";
import type { Mailbox } from "./mailbox.ts";

export interface AuthEmulatorOptions {
  sql: postgres.Sql;
  jwtKey: Uint8Array;
  /** `${SUPABASE_URL}/auth/v1`, the `iss` of every access token. */
  issuer: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtExpirySeconds: number;
  refreshTokenReuseIntervalSeconds: number;
  enableSignup: boolean;
  /**
   * "Confirm email" (`[auth.email] enable_confirmations`). Off: sign-up confirms at once and answers a session
   * (GoTrue's autoconfirm). On: the user stays unconfirmed, the answer has no session, and a link goes to `mailbox`.
   */
  enableConfirmations: boolean;
  /** Where confirmation links land by default (`[auth] site_url`, or the app's origin). */
  siteUrl: string;
  /** Other allowed `redirect_to` targets (`additional_redirect_urls`, APP_ORIGIN). */
  allowedRedirectUrls: string[];
  /** How long a confirmation link works, seconds (`[auth.email] otp_expiry`). */
  otpExpirySeconds: number;
  /** The least time between two confirmation mails to one address, seconds (`[auth.email] max_frequency`). */
  emailMaxFrequencySeconds: number;
  mailbox: Mailbox;
}

export interface AuthEmulator {
  /** Serves a request whose pathname starts with /auth/v1. */
  handle(req: Request): Promise<Response>;
}

const AUTH_PREFIX = "/auth/v1";
const MIN_PASSWORD_LENGTH = 6;
const MAX_PASSWORD_LENGTH = 72; // bcrypt ignores what follows; GoTrue refuses it

const email = z.string().trim().toLowerCase().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/);
const SignupBody = z.object({
  email: z.string(),
  password: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
const PasswordGrantBody = z.object({ email: z.string(), password: z.string() });
const RefreshGrantBody = z.object({ refresh_token: z.string().min(1) });
/** supabase-js `verifyOtp({ type, token_hash })`; e-mail OTP codes (`{ email, token }`) are not issued here. */
const VerifyBody = z.object({ type: z.string(), token_hash: z.string() });
const EXPIRED_LINK = "Email link is invalid or has expired";
const LogoutScopeParam = z.enum(["local", "global", "others"]).default("local");

export function createAuthEmulator(opts: AuthEmulatorOptions): AuthEmulator {
  const { sql } = opts;
  const pickRedirect = redirectPicker(opts.siteUrl, opts.allowedRedirectUrls);

  async function userWithIdentities(user: UserRow) {
    return userJson(user, await listIdentities(sql, user.id));
  }

  /** GoTrue's session response: what signup, password sign-in and refresh return. */
  async function sessionResponse(issued: IssuedSession): Promise<Record<string, unknown>> {
    const user = await findUserById(sql, issued.userId);
    if (!user) throw new AuthError(403, "user_not_found", "User from sub claim in JWT does not exist");
    const access = await mintAccessToken({
      user,
      sessionId: issued.sessionId,
      authenticatedAt: issued.authenticatedAt,
      issuer: opts.issuer,
      key: opts.jwtKey,
      expiresInSeconds: opts.jwtExpirySeconds,
    });
    return {
      access_token: access.token,
      token_type: "bearer",
      expires_in: opts.jwtExpirySeconds,
      expires_at: access.expiresAt,
      refresh_token: issued.refreshToken,
      user: await userWithIdentities(user),
    };
  }

  async function signup(req: Request, query: URLSearchParams): Promise<Response> {
    if (!opts.enableSignup) throw new AuthError(422, "signup_disabled", "Signups not allowed for this instance");
    const body = parseBody(SignupBody, await readJson(req));
    const address = email.safeParse(body.email);
    if (!address.success) throw validationFailed("Unable to validate email address: invalid format");
    checkPasswordStrength(body.password);
    const passwordHash = await hashPassword(body.password);
    if (opts.enableConfirmations) {
      return signupUnconfirmed(address.data, passwordHash, body.data ?? {}, pickRedirect(query.get("redirect_to")));
    }

    const issued = await guardedBegin(sql, async (tx) => {
      const [user] = await tx<{ id: string }[]>`
        insert into auth.users (instance_id, aud, role, email, encrypted_password, email_confirmed_at,
                                last_sign_in_at, raw_app_meta_data, raw_user_meta_data)
        values ('00000000-0000-0000-0000-000000000000', 'authenticated', 'authenticated', ${address.data},
                ${passwordHash}, now(), now(), ${tx.json({ provider: "email", providers: ["email"] })},
                ${tx.json((body.data ?? {}) as postgres.JSONValue)})
        on conflict (email) do nothing
        returning id`;
      if (!user) return null;
      await tx`
        insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at)
        values (${user.id}, ${user.id},
                ${tx.json({ sub: user.id, email: address.data, email_verified: true, phone_verified: false })},
                'email', now())`;
      return startSession(tx, user.id);
    });
    if (!issued) throw new AuthError(422, "user_already_exists", "User already registered");
    return jsonResponse(await sessionResponse(issued));
  }

  /**
   * Sign-up with "Confirm email" on (GoTrue's signup.go): a new address gets an unconfirmed user; an unconfirmed one
   * gets a fresh link (its password and data are left alone: nothing proves who asked), at most one per
   * `emailMaxFrequencySeconds` (else 429 over_email_send_rate_limit); a confirmed one is not
   * touched and gets an answer shaped like the others (a made-up id, no identities), so the answer never tells
   * whether an address has an account. Each answer is the user object, with no session.
   */
  async function signupUnconfirmed(
    address: string,
    passwordHash: string,
    metadata: Record<string, unknown>,
    redirectTo: string,
  ): Promise<Response> {
    const token = newConfirmationToken();
    const tokenHash = await confirmationTokenHash(token);
    const userId = await guardedBegin(sql, async (tx) => {
      const [created] = await tx<{ id: string }[]>`
        insert into auth.users (instance_id, aud, role, email, encrypted_password, email_confirmed_at,
                                confirmation_token, confirmation_sent_at, raw_app_meta_data, raw_user_meta_data)
        values ('00000000-0000-0000-0000-000000000000', 'authenticated', 'authenticated', ${address},
                ${passwordHash}, null, ${tokenHash}, now(), ${tx.json({ provider: "email", providers: ["email"] })},
                ${tx.json(metadata as postgres.JSONValue)})
        on conflict (email) do nothing
        returning id`;
      if (created) {
        await tx`
          insert into auth.identities (provider_id, user_id, identity_data, provider)
          values (${created.id}, ${created.id},
                  ${tx.json({ sub: created.id, email: address, email_verified: false, phone_verified: false })},
                  'email')`;
        return created.id;
      }
      const [unconfirmed] = await tx<{ id: string; wait_seconds: number }[]>`
        select id, ceil(extract(epoch from confirmation_sent_at + ${opts.emailMaxFrequencySeconds} * interval '1 second'
                                      - now()))::int as wait_seconds
        from auth.users where lower(email) = ${address} and email_confirmed_at is null
        for update`;
      if (!unconfirmed) return null;
      // GoTrue's SMTP max frequency: repeated sign-ups must not flood someone's inbox
      if (unconfirmed.wait_seconds > 0) {
        throw new AuthError(429, "over_email_send_rate_limit",
          `For security purposes, you can only request this after ${unconfirmed.wait_seconds} seconds.`);
      }
      await tx`update auth.users set confirmation_token = ${tokenHash}, confirmation_sent_at = now(), updated_at = now()
               where id = ${unconfirmed.id}`;
      return unconfirmed.id;
    });
    if (!userId) return jsonResponse(obfuscatedUser(address, metadata));

    const link = `${opts.issuer}/verify?${new URLSearchParams({ token, type: "signup", redirect_to: redirectTo })}`;
    opts.mailbox.deliver({
      to: address,
      subject: "Confirm Your Signup",
      text: `Follow this link to confirm your user:\n${link}\n`,
      links: { confirmation: link },
    });
    const user = await findUserById(sql, userId);
    if (!user) throw new AuthError(500, "unexpected_failure", "User vanished during sign-up");
    return jsonResponse(await userWithIdentities(user));
  }

  /**
   * GET /verify?token&type=signup&redirect_to: GoTrue's verifyGet. Always a 303 to the allowed redirect (else the site
   * URL): with the new session in the fragment (implicit flow) or, for an unknown, used or expired link,
   * `#error=access_denied&error_code=otp_expired&error_description=…`.
   */
  async function verifyLink(query: URLSearchParams): Promise<Response> {
    const token = query.get("token") ?? "";
    const type = query.get("type") ?? "";
    if (!token) throw validationFailed("Verify requires a token");
    if (!type) throw validationFailed("Verify requires a verification type");
    const target = pickRedirect(query.get("redirect_to"));
    const issued = type === "signup" ? await confirmAndStartSession(token) : null;
    if (!issued) {
      return seeOther(withFragment(target, {
        error: "access_denied",
        error_code: "otp_expired",
        error_description: EXPIRED_LINK,
      }));
    }
    const session = await sessionResponse(issued);
    return seeOther(withFragment(target, {
      access_token: String(session.access_token),
      expires_at: String(session.expires_at),
      expires_in: String(session.expires_in),
      refresh_token: String(session.refresh_token),
      token_type: "bearer",
      type: "signup",
    }));
  }

  /** POST /verify `{ type: "signup", token_hash }`: GoTrue's verifyPost -> the session, or 403 otp_expired. */
  async function verifyTokenHash(req: Request): Promise<Response> {
    const body = parseBody(VerifyBody, await readJson(req));
    const issued = body.type === "signup" ? await confirmAndStartSession(body.token_hash) : null;
    if (!issued) throw new AuthError(403, "otp_expired", "Token has expired or is invalid");
    return jsonResponse(await sessionResponse(issued));
  }

  function confirmAndStartSession(token: string): Promise<IssuedSession | null> {
    return guardedBegin(sql, async (tx) => {
      const userId = await confirmByToken(tx, token, opts.otpExpirySeconds);
      if (!userId) return null;
      await tx`update auth.users set last_sign_in_at = now() where id = ${userId}`;
      return startSession(tx, userId);
    });
  }

  async function passwordGrant(req: Request): Promise<Response> {
    const body = parseBody(PasswordGrantBody, await readJson(req));
    const address = body.email.trim().toLowerCase();
    const user = address ? await findUserByEmail(sql, address) : undefined;
    // One answer for "no such user" and "wrong password", after the same bcrypt work.
    if (!(await passwordMatches(body.password, user?.encrypted_password)) || !user) throw invalidCredentials();
    if (!user.email_confirmed_at) throw new AuthError(400, "email_not_confirmed", "Email not confirmed");

    const issued = await guardedBegin(sql, async (tx) => {
      await tx`update auth.users set last_sign_in_at = now(), updated_at = now() where id = ${user.id}`;
      await tx`update auth.identities set last_sign_in_at = now()
               where user_id = ${user.id} and provider = 'email'`;
      return startSession(tx, user.id);
    });
    return jsonResponse(await sessionResponse(issued));
  }

  async function refreshGrant(req: Request): Promise<Response> {
    const body = parseBody(RefreshGrantBody, await readJson(req));
    const result = await rotateRefreshToken(sql, body.refresh_token, opts.refreshTokenReuseIntervalSeconds);
    if (result.outcome === "not_found") {
      throw new AuthError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    }
    if (result.outcome === "already_used") {
      throw new AuthError(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
    }
    return jsonResponse(await sessionResponse(result.session));
  }

  /** GoTrue's requireAuthentication: a valid user JWT whose user and session still exist. */
  async function authenticate(req: Request): Promise<{ user: UserRow; sessionId: string }> {
    const token = bearerToken(req);
    if (!token) throw noAuthorization();
    const check = await verifyHs256(token, opts.jwtKey);
    if (!check.ok) throw badJwt(check.reason);
    const { sub, session_id: sessionId } = check.claims as { sub?: unknown; session_id?: unknown };
    if (!isUuid(sub)) throw badJwt("invalid claim: missing sub claim");
    const user = await findUserById(sql, sub);
    if (!user) throw new AuthError(403, "user_not_found", "User from sub claim in JWT does not exist");
    if (!isUuid(sessionId) || !(await findSession(sql, sessionId))) {
      throw new AuthError(403, "session_not_found", "Session from session_id claim in JWT does not exist");
    }
    return { user, sessionId };
  }

  async function route(req: Request, path: string, query: URLSearchParams): Promise<Response> {
    const endpoint = `${req.method} ${path}`;
    switch (endpoint) {
      case "POST /signup":
        return signup(req, query);
      case "GET /verify":
        return verifyLink(query);
      case "POST /verify":
        return verifyTokenHash(req);
      case "POST /token": {
        const grantType = query.get("grant_type");
        if (grantType === "password") return passwordGrant(req);
        if (grantType === "refresh_token") return refreshGrant(req);
        throw validationFailed("unsupported_grant_type");
      }
      case "GET /user": {
        const { user } = await authenticate(req);
        return jsonResponse(await userWithIdentities(user));
      }
      case "POST /logout": {
        const scope = LogoutScopeParam.safeParse(query.get("scope") ?? undefined);
        if (!scope.success) throw validationFailed("Unsupported logout scope");
        const { user, sessionId } = await authenticate(req);
        await endSessions(sql, user.id, sessionId, scope.data as LogoutScope);
        return new Response(null, { status: 204 });
      }
      case "GET /settings":
        return jsonResponse(settings(opts.enableSignup, opts.enableConfirmations));
      case "GET /health":
        return jsonResponse({ version: "local-emulator", name: "GoTrue", description: "Local Supabase Auth emulator" });
      case "GET /.well-known/jwks.json":
        // HS256 secrets are never published; supabase-js then falls back to GET /user.
        return jsonResponse({ keys: [] });
      default:
        throw new AuthError(404, "not_found", "Not Found");
    }
  }

  async function handle(req: Request): Promise<Response> {
    if (isPreflight(req)) return preflightResponse(req);
    const cors = corsHeaders(req);
    const url = new URL(req.url);
    const path = url.pathname.slice(AUTH_PREFIX.length) || "/";
    // Supabase's Kong serves /auth/v1/verify without key-auth ("auth-v1-open"): it is the link opened from an e-mail.
    const refusal = path === "/verify" ? null : refuseWithoutApiKey(req, [opts.anonKey, opts.serviceRoleKey]);
    if (refusal) return withHeaders(refusal, cors);

    let response: Response;
    try {
      response = await route(req, path, url.searchParams);
    } catch (error) {
      response = errorResponse(req, error, path);
    }
    cors.set(API_VERSION_HEADER, API_VERSION_2024_01_01);
    return withHeaders(response, cors);
  }

  return { handle };
}

/** What Kong's key-auth answers before GoTrue sees the request. */
function refuseWithoutApiKey(req: Request, acceptedKeys: string[]): Response | null {
  const presented = req.headers.get("apikey") ?? new URL(req.url).searchParams.get("apikey") ?? bearerToken(req);
  if (!presented) return jsonResponse({ message: "No API key found in request" }, 401);
  if (!acceptedKeys.includes(presented)) return jsonResponse({ message: "Invalid API key" }, 401);
  return null;
}

function errorResponse(req: Request, error: unknown, path: string): Response {
  if (error instanceof AuthError) {
    return jsonResponse(authErrorBody(error, wantsVersionedErrors(req)), error.status);
  }
  // Log the failure, never the request (it carries passwords and tokens), nor values quoted in the error.
  console.error(`[auth-emulator] ${req.method} ${path} failed: ${describeError(error)}`);
  const failure = new AuthError(500, "unexpected_failure", "Unexpected failure, please check server logs for more information");
  return jsonResponse(authErrorBody(failure, wantsVersionedErrors(req)), 500);
}

async function readJson(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new AuthError(400, "bad_json", "Could not parse request body as JSON");
  }
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join(".") || "body";
    throw validationFailed(`Invalid or missing field: ${field}`);
  }
  return parsed.data;
}

function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AuthError(422, "weak_password", `Password should be at least ${MIN_PASSWORD_LENGTH} characters.`, {
      weak_password: { reasons: ["length"] },
    });
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new AuthError(422, "validation_failed", `Password cannot be longer than ${MAX_PASSWORD_LENGTH} characters`);
  }
}

function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
}

/** GoTrue's sanitizeUser: what a repeated sign-up of a confirmed address answers instead of the real user. */
function obfuscatedUser(address: string, metadata: Record<string, unknown>): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    id: crypto.randomUUID(),
    aud: "authenticated",
    role: "authenticated",
    email: address,
    phone: "",
    confirmation_sent_at: now,
    app_metadata: { provider: "email", providers: ["email"] },
    user_metadata: metadata,
    identities: [],
    created_at: now,
    updated_at: now,
    is_anonymous: false,
  };
}

function settings(enableSignup: boolean, enableConfirmations: boolean) {
  return {
    external: { anonymous_users: false, email: true, phone: false },
    disable_signup: !enableSignup,
    mailer_autoconfirm: !enableConfirmations,
    phone_autoconfirm: false,
    sms_provider: "",
    saml_enabled: false,
  };
}
