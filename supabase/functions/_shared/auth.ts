// Who is calling? Verify the bearer JWT in code (verify_jwt is off for our functions, see config.toml):
// HS256 with SUPABASE_JWT_SECRET when it is set, else the project's JWKS (asymmetric signing keys).
// Only end-user tokens pass: anon and service_role keys are refused on the user path rather than downgraded,
// as @supabase/server does. Every failure is the same 401 `unauthorized` with a short, generic reason.
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from "jose";
import { z } from "zod";
import { supabaseJwtSecret, supabaseUrl } from "./env.ts";
import { AppError } from "./errors.ts";
import type { Tx, UserClaims } from "./db.ts";

export type TeamRole = "owner" | "admin" | "member";

const claimsSchema = z.looseObject({
  sub: z.uuid(),
  role: z.literal("authenticated"),
  exp: z.number(),
});

let jwks: { url: string; set: ReturnType<typeof createRemoteJWKSet> } | null = null;

function remoteJwks() {
  const url = `${supabaseUrl()}/auth/v1/.well-known/jwks.json`;
  if (jwks?.url !== url) jwks = { url, set: createRemoteJWKSet(new URL(url)) };
  return jwks.set;
}

function bearerToken(req: Request): string {
  const header = req.headers.get("authorization");
  if (!header) throw new AppError("unauthorized", "Missing Authorization header.");
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new AppError("unauthorized", "Authorization must be a Bearer token.");
  return match[1];
}

async function verify(token: string): Promise<JWTPayload> {
  const secret = supabaseJwtSecret();
  const options = { audience: "authenticated", requiredClaims: ["exp", "sub"] };
  try {
    const { payload } = secret
      ? await jwtVerify(token, new TextEncoder().encode(secret), { ...options, algorithms: ["HS256"] })
      : await jwtVerify(token, remoteJwks(), { ...options, algorithms: ["ES256", "RS256", "EdDSA"] });
    return payload;
  } catch (err) {
    // jose's codes distinguish expiry from everything else; nothing more is worth telling the caller
    const expired = (err as { code?: string }).code === "ERR_JWT_EXPIRED";
    throw new AppError("unauthorized", expired ? "Token expired." : "Invalid token.");
  }
}

/** The verified claims of the calling user, or 401. */
export async function authenticate(req: Request): Promise<UserClaims> {
  const payload = await verify(bearerToken(req));
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw new AppError("unauthorized", "A signed-in user's token is required.");
  return claims.data as UserClaims;
}

/** The caller's role in a team, read through RLS (so a non-member simply sees nothing), or null. */
export async function loadMembership(tx: Tx, teamId: string): Promise<TeamRole | null> {
  const rows = await tx<{ role: TeamRole }[]>`
    select role from public.team_members where team_id = ${teamId} and user_id = auth.uid()`;
  return rows[0]?.role ?? null;
}

/**
 * The caller must be an owner or admin of the team. One answer for "not a member", "member" and "no such team",
 * so an outsider learns nothing about which teams exist.
 */
export async function requireTeamAdmin(tx: Tx, teamId: string): Promise<TeamRole> {
  const role = await loadMembership(tx, teamId);
  if (role !== "owner" && role !== "admin") {
    throw new AppError("not_team_admin", "Only a team owner or admin can manage this team's integrations.");
  }
  return role;
}

export function isTeamAdminRole(role: string | null | undefined): boolean {
  return role === "owner" || role === "admin";
}
