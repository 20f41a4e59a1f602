// The local stand-in for Supabase's API gateway: /functions/v1 (edge functions, in this process),
// /auth/v1 (the Auth emulator), /health, and the dev-only mailbox /_dev/mailbox (the Auth emulator's e-mails).
import postgres from "postgres";
import { z } from "zod";
import { createAuthEmulator } from "./auth-emulator.ts";
import { corsHeaders } from "./cors.ts";
import { createFunctionsRouter, type FunctionHandler } from "./functions-router.ts";
import { errorEnvelope, jsonResponse } from "./http.ts";
import { secretKey } from "./jwt.ts";
import { createMailbox, MAILBOX_PATH } from "./mailbox.ts";
// the functions' own log redaction: value-free error descriptions, webhook route ids as short hashes
import { describeError, routeLabel } from "../../supabase/functions/_shared/http.ts";
import { readSupabaseConfig } from "./supabase-config.ts";

export interface GatewayOptions {
  /** Folder holding one folder per function (supabase/functions). */
  functionsDir: string;
  /** Path of supabase/config.toml (verify_jwt per function, [auth] settings). */
  configToml: string;
  env: Record<string, string>;
  extraFunctions?: Record<string, FunctionHandler>;
  /** Whether the gateway checks a JWT before the extra functions (default true, like config.toml's default). */
  extraFunctionsVerifyJwt?: boolean;
}

export interface Gateway {
  handler(req: Request): Promise<Response>;
  close(): Promise<void>;
  /** Served function names, for the start-up line. */
  functionNames: string[];
}

const GatewayEnv = z.object({
  SUPABASE_URL: z.url(),
  SUPABASE_DB_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL"),
  SUPABASE_JWT_SECRET: z.string().min(32, "must be at least 32 characters (as on Supabase)"),
  SUPABASE_ANON_KEY: z.string().min(1),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1),
  APP_ORIGIN: z.string().optional(),
});

export async function createGateway(opts: GatewayOptions): Promise<Gateway> {
  const env = parseEnv(opts.env);
  const config = readSupabaseConfig(await Deno.readTextFile(opts.configToml));
  const jwtKey = secretKey(env.SUPABASE_JWT_SECRET);

  // Small pool, no prepared statements: the local database may be PGlite behind a wire-protocol
  // server (one session at a time) or a transaction pooler. postgres.js connects lazily.
  const sql = postgres(env.SUPABASE_DB_URL, { prepare: false, max: 2, idle_timeout: 20, onnotice: () => {} });

  const mailbox = createMailbox();
  // The app's origins (APP_ORIGIN, first = default) are where the local stack's confirmation links land.
  const appOrigins = (env.APP_ORIGIN ?? "").split(",").map((o) => o.trim()).filter(Boolean);
  const auth = createAuthEmulator({
    sql,
    jwtKey,
    issuer: `${env.SUPABASE_URL.replace(/\/+$/, "")}/auth/v1`,
    anonKey: env.SUPABASE_ANON_KEY,
    serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY,
    jwtExpirySeconds: config.auth.jwtExpirySeconds,
    refreshTokenReuseIntervalSeconds: config.auth.refreshTokenReuseIntervalSeconds,
    enableSignup: config.auth.enableSignup,
    enableConfirmations: config.auth.enableConfirmations,
    siteUrl: appOrigins[0] ?? config.auth.siteUrl,
    allowedRedirectUrls: [config.auth.siteUrl, ...config.auth.additionalRedirectUrls, ...appOrigins],
    otpExpirySeconds: config.auth.otpExpirySeconds,
    emailMaxFrequencySeconds: config.auth.emailMaxFrequencySeconds,
    mailbox,
  });
  const functions = await createFunctionsRouter({
    functionsDir: opts.functionsDir,
    verifyJwt: (name: string) =>
      opts.extraFunctions && name in opts.extraFunctions
        ? (opts.extraFunctionsVerifyJwt ?? true)
        : config.verifyJwt(name),
    jwtKey,
    extraFunctions: opts.extraFunctions,
  });

  async function handler(req: Request): Promise<Response> {
    const { pathname } = new URL(req.url);
    try {
      if (pathname === "/health") return jsonResponse({ ok: true });
      if (pathname === MAILBOX_PATH) return mailbox.handle(req);
      if (pathname === "/auth/v1" || pathname.startsWith("/auth/v1/")) return await auth.handle(req);
      if (pathname.startsWith("/functions/v1/")) return await functions.handle(req);
      return errorEnvelope(404, "not_found", "No route here: use /functions/v1/<name> or /auth/v1/*", corsHeaders(req));
    } catch (error) {
      // The path may be a webhook's secret URL and the error may quote values: neither goes to the log.
      console.error(`[gateway] ${req.method} ${routeLabel(req)} failed: ${describeError(error)}`);
      return errorEnvelope(500, "internal_error", "Internal error", corsHeaders(req));
    }
  }

  return {
    handler,
    close: () => sql.end({ timeout: 5 }),
    functionNames: functions.names,
  };
}

function parseEnv(env: Record<string, string>): z.infer<typeof GatewayEnv> {
  const parsed = GatewayEnv.safeParse(env);
  if (parsed.success) return parsed.data;
  // Names and reasons only: the values may be secrets.
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
  throw new Error(`gateway environment is incomplete: ${problems}`);
}
